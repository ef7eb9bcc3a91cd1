"""The reporter interface: each output format of `check` is one class with one method,
``render(report) -> Iterable[str]`` (the text, in pieces), chosen by name from the table
in the composition root (``cli.REPORTERS``). What a format may show of a run comes in
one value, a ``Report``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import ClassVar, Literal, NamedTuple, Protocol

from importcanon.model.diagnostic import Diagnostic

# How much of the fixes a format shows, so that the run does no more work than that:
# "none": nothing (the fix plans are not even decoded from the cache); "applicable": whether
# a fix applies (the plans, no edits); "edits": the edits themselves (made, or read from
# the fix cache, before rendering).
FixDetail = Literal["none", "applicable", "edits"]


def no_source(path: Path) -> Sequence[str]:
    """The line source of a report that shows no source excerpt."""
    return ()


class Report(NamedTuple):
    """One run of `check`, as every format may show it."""

    diagnostics: Sequence[Diagnostic]  # in output order; fix plans/edits per ``FixDetail``
    root: Path  # the project root: paths are shown relative to it
    source: Callable[[Path], Sequence[str]] = no_source  # a file's lines ([] if unreadable)
    unsafe_fixes: bool = False  # --unsafe-fixes: an unsafe fix counts as available
    fixed: int = 0  # how many fixes this run applied (--fix)


def fix_applies(d: Diagnostic, *, unsafe: bool) -> bool:
    """Whether ``--fix`` would fix ``d`` (an unsafe fix only with ``unsafe``); needs the
    diagnostic's fix plan, so only for a reporter whose ``fixes`` is not "none"."""
    return d.plan is not None and (unsafe or d.plan.applicability == "safe")


class Reporter(Protocol):
    """An output format. ``fixes`` says how much of the fixes it shows (see ``FixDetail``);
    ``render`` turns a report into the text written to standard output, in pieces written
    as they come (a large output is never held whole)."""

    fixes: ClassVar[FixDetail]

    def render(self, report: Report) -> Iterable[str]: ...
