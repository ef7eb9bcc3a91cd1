"""Fix plans -> concrete edits. An import statement is re-written from its own text
(fixes.statement_text) when its layout is the common one, else with libcst on the
statement's own text (fixes.cst_edits), so parentheses, comments and spacing inside it
are kept. An `import old` whose bound name's uses change with it (``RewriteDotted``) is
rewritten, uses and all, by the engine `importcanon move` uses (fixes.move_python, through
fixes.cst_edits). The libcst path is the ``fallback`` the composition root passes down: a
factory called only when a statement needs it, so that libcst loads only then."""

from __future__ import annotations

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

    def rewrite_dotted(self, action: RewriteDotted, lines: Sequence[str]) -> list[Edit]: ...


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
    """The statement and every use of the name it binds, scope-aware (libcst's scope
    analysis, in ``fixes.move_python``): no fix when a use cannot be rewritten safely."""
    return fallback().rewrite_dotted(action, lines)
