"""Applying edits to text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from importcanon.model.diagnostic import Edit, Fix

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def physical_lines(text: str) -> list[str]:
    """Lines with their own line endings (form feeds do not break lines)."""
    found = [m.group(0) for m in _LINE.finditer(text)]
    if found and found[-1] == "":
        found.pop()
    return found


def newline_of(text: str) -> str:
    match = re.search(r"\r\n|\r|\n", text)
    return match.group(0) if match else "\n"


def select_fixes(fixes: Iterable[Fix]) -> list[Fix]:
    """Fixes whose edits overlap no edit of an earlier fix (in source order)."""
    taken: list[tuple[tuple[int, int], tuple[int, int]]] = []
    chosen = []
    ordered = sorted(fixes, key=lambda f: min((e.location.row, e.location.column) for e in f.edits))
    for fix in ordered:
        ranges = [_range(e) for e in fix.edits]
        if any(_overlaps(r, t) for r in ranges for t in taken):
            continue
        taken.extend(ranges)
        chosen.append(fix)
    return chosen


def _range(edit: Edit) -> tuple[tuple[int, int], tuple[int, int]]:
    return (
        (edit.location.row, edit.location.column),
        (edit.end_location.row, edit.end_location.column),
    )


def _overlaps(
    a: tuple[tuple[int, int], tuple[int, int]], b: tuple[tuple[int, int], tuple[int, int]]
) -> bool:
    if a[0] == a[1] or b[0] == b[1]:  # insertions conflict only at the same point
        return a[0] == b[0] or (b[0] < a[0] < b[1]) or (a[0] < b[0] < a[1])
    return a[0] < b[1] and b[0] < a[1]


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply non-overlapping edits; inserted text takes the file's line endings."""
    lines = physical_lines(text)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    newline = newline_of(text)

    def offset(row: int, col: int) -> int:
        if row > len(lines):
            return len(text)
        return starts[row - 1] + col - 1

    out = text
    needs_newline = bool(text) and not text.endswith(("\n", "\r"))
    for edit in sorted(edits, key=lambda e: (e.location.row, e.location.column), reverse=True):
        start = offset(edit.location.row, edit.location.column)
        end = offset(edit.end_location.row, edit.end_location.column)
        content = edit.content.replace("\n", newline)
        if start == len(text) and needs_newline and edit.location.row > len(lines):
            content = newline + content
        out = out[:start] + content + out[end:]
    return out
