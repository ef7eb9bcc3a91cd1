"""Applying edits to text."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence

from importcanon.model.diagnostic import Edit, Fix
from importcanon.model.lines import ends_with_newline, lines_with_ends, newline_of

Point = tuple[int, int]
Range = tuple[Point, Point]


def select_fixes(fixes: Iterable[Fix]) -> list[Fix]:
    """Fixes whose edits overlap no edit of an earlier fix (in source order), nor each
    other. The edits taken so far never overlap, so, kept sorted by start, each new edit
    is compared with its neighbours only: O(n log n) in all."""
    taken = _Taken()
    chosen = []
    ordered = sorted(fixes, key=lambda f: min((e.location.row, e.location.column) for e in f.edits))
    for fix in ordered:
        ranges = sorted(_range(e) for e in fix.edits)
        if _self_overlapping(ranges) or any(taken.overlaps(r) for r in ranges):
            continue
        for r in ranges:
            taken.add(r)
        chosen.append(fix)
    return chosen


class _Taken:
    """Pairwise non-overlapping ranges, sorted by start (starts are distinct: two ranges
    starting at one point always overlap, see ``_overlaps``)."""

    def __init__(self) -> None:
        self.ranges: list[Range] = []

    def overlaps(self, new: Range) -> bool:
        index = bisect.bisect_left(self.ranges, new)
        # The one before may reach into ``new``; from ``index`` on, the starts are at or
        # after new's start and the ends only grow, so the first that starts at or past
        # new's end (and is not the same point) ends the search.
        for position in range(max(index - 1, 0), len(self.ranges)):
            other = self.ranges[position]
            if _overlaps(new, other):
                return True
            if other[0] >= new[1] and other[0] != new[0]:
                return False
        return False

    def add(self, new: Range) -> None:
        bisect.insort(self.ranges, new)


def _self_overlapping(ranges: list[Range]) -> bool:
    """(``ranges`` sorted: if any two overlap, two neighbours do.)"""
    return any(_overlaps(a, b) for a, b in itertools.pairwise(ranges))


def _range(edit: Edit) -> Range:
    return (
        (edit.location.row, edit.location.column),
        (edit.end_location.row, edit.end_location.column),
    )


def _overlaps(a: Range, b: Range) -> bool:
    if a[0] == a[1] or b[0] == b[1]:  # insertions conflict only at the same point
        return a[0] == b[0] or (b[0] < a[0] < b[1]) or (a[0] < b[0] < a[1])
    return a[0] < b[1] and b[0] < a[1]


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply non-overlapping edits; inserted text takes the file's line endings. Rows
    count lines as the parser does (``model.lines``)."""
    lines = lines_with_ends(text)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    newline = newline_of(text)

    def offset(row: int, col: int) -> int:
        if row > len(lines):
            return len(text)
        return min(starts[row - 1] + col - 1, starts[row])

    pieces: list[str] = []
    end_of_last = len(text)
    needs_newline = bool(text) and not ends_with_newline(text)
    for edit in sorted(edits, key=lambda e: (e.location.row, e.location.column), reverse=True):
        start = offset(edit.location.row, edit.location.column)
        end = offset(edit.end_location.row, edit.end_location.column)
        content = edit.content.replace("\n", newline)
        if start == len(text) and needs_newline and edit.location.row > len(lines):
            content = newline + content
        pieces.append(text[end:end_of_last])
        pieces.append(content)
        end_of_last = start
    pieces.append(text[:end_of_last])
    return "".join(reversed(pieces))
