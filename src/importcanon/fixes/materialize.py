"""Fix plans -> concrete edits. An import statement is re-written from its own text
(fixes.statement_text) when its layout is the common one, else with libcst on the
statement's own text (fixes.cst_edits), so parentheses, comments and spacing inside it
are kept. The libcst path is the ``fallback`` the composition root passes down: a factory
called only when a statement needs it, so that libcst loads only then."""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from typing import Protocol

from importcanon.fixes import statement_text
from importcanon.model.diagnostic import (
    Edit,
    Fix,
    FixPlan,
    Location,
    ReplaceModule,
    ReplaceText,
    RewriteDotted,
    SplitName,
)

Span4 = tuple[int, int, int, int]


class Layouts(Protocol):
    """Edits for an import statement whose layout the text path does not handle
    (``fixes.cst_edits``, on libcst)."""

    def replace_module(self, action: ReplaceModule, lines: Sequence[str]) -> list[Edit]: ...

    def split_name(self, action: SplitName, lines: Sequence[str]) -> list[Edit]: ...


# What gives the ``Layouts`` (loading libcst): called only for a statement that needs it.
Fallback = Callable[[], Layouts]


def materialize(plan: FixPlan, lines: Sequence[str], *, fallback: Fallback) -> Fix | None:
    """The fix for ``plan`` in a file whose physical lines are ``lines``; None when the
    plan cannot be carried out safely here."""
    action = plan.action
    try:
        if isinstance(action, ReplaceText):
            edits = [_edit(action.span, action.text)]
        elif isinstance(action, ReplaceModule):
            edits = replace_module(action, lines, fallback=fallback)
        elif isinstance(action, SplitName):
            edits = _split_name(action, lines, fallback=fallback)
        else:
            edits = _rewrite_dotted(action, lines, fallback=fallback)
    except (ValueError, IndexError, RecursionError, MemoryError):
        return None  # libcst and ast recurse on deep expressions: no fix rather than a crash
    if not edits:
        return None
    return Fix(plan.applicability, plan.message, tuple(edits))


def replace_module(
    action: ReplaceModule, lines: Sequence[str], *, fallback: Fallback
) -> list[Edit]:
    found = statement_text.replace_module(action, lines)
    if found is not None:
        return found
    return fallback().replace_module(action, lines)  # libcst: only for a layout that needs it


def _split_name(action: SplitName, lines: Sequence[str], *, fallback: Fallback) -> list[Edit]:
    found = statement_text.split_name(action, lines)
    if found is not None:
        return found
    return fallback().split_name(action, lines)  # libcst: only for a layout that needs it


def _edit(span: Span4, content: str) -> Edit:
    row, col, end_row, end_col = span
    return Edit(content, Location(row, col), Location(end_row, end_col))


def _rewrite_dotted(
    action: RewriteDotted, lines: Sequence[str], *, fallback: Fallback
) -> list[Edit]:
    replace = ReplaceModule(action.stmt, action.new, old_module=action.old)
    edits = replace_module(replace, lines, fallback=fallback)
    tree = ast.parse("\n".join(lines))
    root = action.old.split(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _dotted_ast(node) == action.old:
            base: ast.expr = node
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id == root and node.end_lineno is not None:
                span = (
                    node.lineno,
                    _col(lines, node.lineno, node.col_offset),
                    node.end_lineno,
                    _col(lines, node.end_lineno, node.end_col_offset or 0),
                )
                edits.append(_edit(span, action.new))
    return edits


def _col(lines: Sequence[str], row: int, byte_offset: int) -> int:
    line = lines[row - 1]
    if line.isascii():
        return byte_offset + 1
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8", "replace")) + 1


def _dotted_ast(node: ast.expr) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))
