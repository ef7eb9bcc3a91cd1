"""What every rule shares: its metadata, a contract kind's descriptor, the one meaning of
``ignore_imports``, and the context a check runs in."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Literal, NamedTuple, TypeVar

from importcanon.analysis.files import SourceFile
from importcanon.config import schema
from importcanon.model.contract import Contract, IgnoreImport
from importcanon.model.diagnostic import Diagnostic, FixPlan, Location, Severity
from importcanon.model.paths import matches_expression
from importcanon.rules.view import View

if TYPE_CHECKING:  # a run answered from the cache never loads the facts' classes
    from importcanon.model.facts import ImportStmt, Span

FixAvailability = Literal["never", "sometimes", "always"]
OptionsT = TypeVar("OptionsT")


class Rule(NamedTuple):
    """A rule: ``doc`` has the sections What it does / Why is this bad? / Example / Use
    instead. ``yields_to``: codes whose diagnostic at the same place (even a suppressed
    one) makes this rule's diagnostic there redundant, whatever contract reported it."""

    code: str
    name: str
    kind: str
    summary: str
    doc: str
    fix: FixAvailability = "never"
    yields_to: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        # (inspect is loaded anyway, by dataclasses; textwrap would cost every warm run)
        return inspect.cleandoc(self.doc)


class Place(NamedTuple):
    """Where a diagnostic is that is not a statement's ``Span`` (a file's first line, a
    word in a line, a contract's line): the same fields, without loading the facts'
    classes, which a run answered from the cache never needs."""

    row: int
    col: int
    end_row: int
    end_col: int

    @property
    def tuple(self) -> tuple[int, int, int, int]:
        return (self.row, self.col, self.end_row, self.end_col)


class Template(NamedTuple):
    """A contract file ``importcanon init`` drafts: its name and text (``{package}``,
    ``{packages}`` and ``{public}`` filled in); ``active``: whether it holds a contract
    (not drafted when the project has one of its kind) or is a commented-out example."""

    file: str
    text: str
    active: bool = True


def _no_text(options: Any) -> set[bytes]:
    return set()


def _no_files(options: Any) -> tuple[str, ...]:
    return ()


class Kind(Generic[OptionsT]):
    """A contract kind: its name, its typed ``Options`` (``config.schema``), its rules,
    its check, which text it reads (``reads_text``: what a Python file must contain for its
    text, not only its facts, to matter; ``text_files``: the globs, relative to the root,
    of the other files whose text it reads) and what ``importcanon init`` drafts for it.
    (A plain class: every run that validates its contracts makes one per kind it uses.)"""

    __slots__ = ("check", "name", "options", "reads_text", "rules", "template", "text_files")

    def __init__(
        self,
        name: str,
        options: type[OptionsT],
        rules: tuple[Rule, ...],
        check: Callable[[Context, OptionsT], Iterable[Diagnostic]],
        reads_text: Callable[[OptionsT], set[bytes]] = _no_text,
        template: Template | None = None,
        text_files: Callable[[OptionsT], tuple[str, ...]] = _no_files,
    ) -> None:
        self.name = name
        self.options = options
        self.rules = rules
        self.check = check
        self.reads_text = reads_text
        self.template = template
        self.text_files = text_files

    def __repr__(self) -> str:
        return f"Kind({self.name!r})"

    def options_of(self, contract: Contract) -> OptionsT:
        built: OptionsT = schema.build(self.options, contract.options)
        return built

    def needles(self, contract: Contract) -> set[bytes]:
        return self.reads_text(self.options_of(contract))

    def globs(self, contract: Contract) -> tuple[str, ...]:
        """The globs of the files (other than the checked ones) whose text ``contract``
        reads."""
        return self.text_files(self.options_of(contract))


class IgnoreMatcher:
    """A contract's ``ignore_imports``, with one meaning for every rule: an expression
    ``importer -> imported`` matches an import statement when ``importer`` matches the
    importing module and ``imported`` matches any module the statement imports (for
    ``from m import n``: ``m`` and ``m.n``). Remembers which expressions matched (IMC902)."""

    def __init__(self, expressions: Iterable[IgnoreImport]) -> None:
        self.expressions = list(expressions)
        self.used: set[str] = set()

    def __bool__(self) -> bool:
        return bool(self.expressions)

    def ignores(self, importer: str | None, stmt: ImportStmt) -> bool:
        """Whether the statement ``stmt`` of module ``importer`` is ignored."""
        if not self.expressions:
            return False
        return self.ignores_import(importer, *stmt.touched_paths())

    def ignores_import(self, importer: str | None, *imported: str) -> bool:
        """Whether an import by ``importer`` of any of ``imported`` is ignored (for a rule
        that sees the graph's edges rather than statements)."""
        if not self.expressions or importer is None:
            return False
        hit = False
        for expr in self.expressions:
            if matches_expression(expr.importer, importer) and any(
                matches_expression(expr.imported, target) for target in imported
            ):
                self.used.add(expr.expression)
                hit = True
        return hit

    def unmatched(self) -> list[IgnoreImport]:
        return [e for e in self.expressions if e.expression not in self.used]


class Context:
    """A check's view of the project and the contract it checks; ``contracts``: every
    contract of the project, that one among them (a kind whose contracts compose reads
    the others there, as moves declared in several contracts chain). (A plain
    class, as ``IgnoreMatcher``: every run that validates its contracts imports this
    module.)"""

    __slots__ = ("contract", "contracts", "ignores", "view")

    def __init__(
        self, view: View, contract: Contract, *, contracts: Sequence[Contract] = ()
    ) -> None:
        self.view = view
        self.contract = contract
        self.contracts = tuple(contracts) or (contract,)
        self.ignores = IgnoreMatcher(contract.ignore_imports)

    @property
    def severity(self) -> Severity:
        return self.contract.severity

    def diagnostic(
        self,
        rule: Rule,
        file: SourceFile | Path,
        span: Span | Place,
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
        span = Place(line, 1, line, 1)
        return self.diagnostic(rule, self.contract.file, span, message, noqa_rows=(0, 0), **kw)


def first_line(file: SourceFile, view: View) -> Place:
    """Line 1 of a file, spanning its first line's text."""
    return Place(1, 1, 1, view.facts(file).first_width + 1)
