"""importcanon's values in the Language Server Protocol's terms: diagnostics, ranges (LSP
counts UTF-16 code units where importcanon counts characters), edits, rule docs."""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from pathlib import Path

from lsprotocol import types

from importcanon.analysis.atomic import write_atomically
from importcanon.fixes.apply import apply_edits, select_fixes
from importcanon.fixes.materialize import Fallback, materialize
from importcanon.model.diagnostic import Diagnostic, Edit, Fix, Location
from importcanon.model.errors import ConfigError
from importcanon.rules.registry import Registry

SOURCE = "importcanon"
CONFIG_CODE = "config-error"
_NOQA = re.compile(r"#\s*noqa(?P<colon>:\s?(?P<codes>[A-Z]+[0-9]*(?:[,\s]+[A-Z]+[0-9]*)*))?", re.I)


def position(lines: Sequence[str], location: Location) -> types.Position:
    """A 1-based row and character column as an LSP position (0-based, UTF-16 units)."""
    row = max(location.row - 1, 0)
    line = lines[row] if row < len(lines) else ""
    before = line[: max(location.column - 1, 0)]
    return types.Position(line=row, character=len(before.encode("utf-16-le")) // 2)


def to_range(lines: Sequence[str], start: Location, end: Location) -> types.Range:
    return types.Range(start=position(lines, start), end=position(lines, end))


def diagnostic(d: Diagnostic, lines: Sequence[str], docs: str | None) -> types.Diagnostic:
    return types.Diagnostic(
        range=to_range(lines, d.location, d.end_location),
        message=d.message,
        severity=types.DiagnosticSeverity.Error
        if d.severity == "error"
        else types.DiagnosticSeverity.Warning,
        code=d.code,
        code_description=types.CodeDescription(href=docs) if docs else None,
        source=SOURCE,
        data={"contract": d.contract, "rule": d.rule},
    )


def config_error(exc: ConfigError) -> types.Diagnostic:
    row = max((exc.line or 1) - 1, 0)
    return types.Diagnostic(
        range=types.Range(types.Position(row, 0), types.Position(row + 1, 0)),
        message=exc.render(),
        severity=types.DiagnosticSeverity.Error,
        code=CONFIG_CODE,
        source=SOURCE,
    )


def text_edits(lines: Sequence[str], edits: Sequence[Edit]) -> list[types.TextEdit]:
    return [
        types.TextEdit(range=to_range(lines, e.location, e.end_location), new_text=e.content)
        for e in edits
    ]


def quickfix(
    d: Diagnostic, lines: list[str], uri: str, *, fallback: Fallback
) -> types.CodeAction | None:
    """The fix ``--fix`` would make for ``d`` (unsafe ones say so in their title)."""
    if d.plan is None:
        return None
    fix = materialize(d.plan, lines, fallback=fallback)
    if fix is None or not fix.edits:
        return None
    unsafe = fix.applicability == "unsafe"
    return types.CodeAction(
        title=f"{fix.message} ({d.code}{', unsafe' if unsafe else ''})",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic(d, lines, None)],
        is_preferred=not unsafe,
        edit=types.WorkspaceEdit(changes={uri: text_edits(lines, fix.edits)}),
    )


def disable(d: Diagnostic, lines: list[str], uri: str) -> types.CodeAction | None:
    """``# noqa: CODE`` on the statement's first line, or the code added to its noqa."""
    row = d.noqa_row
    if d.noqa_rows == (0, 0) or not 0 < row <= len(lines):
        return None  # not a Python statement (a contract file, say): noqa means nothing
    line = lines[row - 1]
    match = _NOQA.search(line) if "#" in line else None
    if match is not None and not match.group("codes"):
        return None  # a bare noqa already suppresses everything
    if match is not None:
        column = match.end("codes") + 1
        text = f", {d.code}"
    else:
        stripped = len(line.rstrip())
        column = stripped + 1
        text = f"  # noqa: {d.code}"
    at = Location(row, column)
    edit = Edit(text, at, at if match is not None else Location(row, len(line) + 1))
    return types.CodeAction(
        title=f"Disable {d.code} for this line",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic(d, lines, None)],
        edit=types.WorkspaceEdit(changes={uri: text_edits(lines, [edit])}),
    )


def fixed_text(
    text: str, found: Sequence[Diagnostic], lines: list[str], *, fallback: Fallback
) -> str | None:
    """The file with every safe fix applied (one pass, as ``--fix``'s first), or None
    when nothing changes or the result would not compile."""
    fixes: list[Fix] = []
    for d in found:
        if d.plan is not None and d.plan.applicability == "safe":
            made = materialize(d.plan, lines, fallback=fallback)
            if made is not None:
                fixes.append(made)
    new = apply_edits(text, [e for f in select_fixes(fixes) for e in f.edits])
    if new == text or not _compiles(new):
        return None
    return new


def _compiles(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


def whole_document(text: str, new: str) -> types.TextEdit:
    lines = text.split("\n")
    end = types.Position(line=len(lines) - 1, character=len(lines[-1].encode("utf-16-le")) // 2)
    return types.TextEdit(range=types.Range(types.Position(0, 0), end), new_text=new)


def rule_docs(code: str, kinds: Registry) -> str | None:
    """The rule's docs in Markdown, as ``importcanon rule CODE`` prints them."""
    found = kinds.rule(code)
    if found is None:
        return None
    return f"### {found.code} {found.name}\n\nContract kind: `{found.kind}`\n\n{found.text}\n"


def covers(lines: Sequence[str], d: Diagnostic, at: types.Position) -> bool:
    found = to_range(lines, d.location, d.end_location)
    start, end = (found.start.line, found.start.character), (found.end.line, found.end.character)
    return start <= (at.line, at.character) <= end


def overlaps(lines: Sequence[str], d: Diagnostic, wanted: types.Range) -> bool:
    found = to_range(lines, d.location, d.end_location)
    a = ((found.start.line, found.start.character), (found.end.line, found.end.character))
    b = ((wanted.start.line, wanted.start.character), (wanted.end.line, wanted.end.character))
    return a[0] <= b[1] and b[0] <= a[1]


def docs_page(folder: Path, code: str, kinds: Registry) -> Path | None:
    """A Markdown page of the rule's docs in ``folder`` (the target of ``codeDescription``
    links), written once."""
    text = rule_docs(code, kinds)
    if text is None:
        return None
    page = folder / f"{code}.md"
    try:
        if not page.is_file() or page.read_text(encoding="utf-8") != text:
            folder.mkdir(parents=True, exist_ok=True)
            write_atomically(page, text.encode())
    except OSError:
        return None
    return page
