"""What every rule shares: its metadata, and the context a check runs in."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from importcanon.analysis.files import SourceFile
from importcanon.analysis.project import Project
from importcanon.model.contract import Contract, IgnoreImport
from importcanon.model.diagnostic import Diagnostic, FixPlan, Location, Severity
from importcanon.model.facts import Span
from importcanon.model.paths import matches_expression

FixAvailability = Literal["never", "sometimes", "always"]


@dataclass(frozen=True)
class Rule:
    """A rule: ``doc`` has the sections What it does / Why is this bad? / Example / Use instead."""

    code: str
    name: str
    kind: str
    summary: str
    doc: str
    fix: FixAvailability = "never"

    @property
    def text(self) -> str:
        return textwrap.dedent(self.doc).strip()


class IgnoreMatcher:
    """A contract's ``ignore_imports``; remembers which expressions matched (IMC902)."""

    def __init__(self, expressions: Iterable[IgnoreImport]) -> None:
        self.expressions = list(expressions)
        self.used: set[str] = set()

    def __bool__(self) -> bool:
        return bool(self.expressions)

    def ignores(self, importer: str | None, imported: Iterable[str]) -> bool:
        if not self.expressions or importer is None:
            return False
        targets = list(imported)
        hit = False
        for expr in self.expressions:
            if matches_expression(expr.importer, importer) and any(
                matches_expression(expr.imported, target) for target in targets
            ):
                self.used.add(expr.expression)
                hit = True
        return hit

    def unmatched(self) -> list[IgnoreImport]:
        return [e for e in self.expressions if e.expression not in self.used]


@dataclass
class Context:
    project: Project
    contract: Contract
    ignores: IgnoreMatcher = field(init=False)

    def __post_init__(self) -> None:
        self.ignores = IgnoreMatcher(self.contract.ignore_imports)

    @property
    def severity(self) -> Severity:
        return self.contract.severity

    def diagnostic(
        self,
        rule: Rule,
        file: SourceFile | Path,
        span: Span,
        message: str,
        *,
        details: dict[str, Any] | None = None,
        noqa_rows: tuple[int, int] | None = None,
        severity: Severity | None = None,
        plan: FixPlan | None = None,
    ) -> Diagnostic:
        path = file.path if isinstance(file, SourceFile) else file
        return Diagnostic(
            code=rule.code,
            rule=rule.name,
            contract=self.contract.id,
            severity=severity or self.severity,
            message=message,
            path=path,
            location=Location(span.row, span.col),
            end_location=Location(span.end_row, span.end_col),
            noqa_rows=noqa_rows or (span.row, span.end_row),
            details=details or {},
            plan=plan,
        )

    def in_contract_file(self, rule: Rule, line: int, message: str, **kw: Any) -> Diagnostic:
        span = Span(line, 1, line, 1)
        return self.diagnostic(rule, self.contract.file, span, message, noqa_rows=(0, 0), **kw)


Check = Callable[[Context], Iterable[Diagnostic]]


def first_line(file: SourceFile, project: Project) -> Span:
    """Line 1 of a file, spanning its first line's text."""
    return Span(1, 1, 1, project.facts(file).first_width + 1)
