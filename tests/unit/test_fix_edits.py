"""Fix selection and edit application on in-memory inputs, against plain oracles: the
pairwise comparison the sweep replaced, and Python's own line splitting."""

from __future__ import annotations

import io
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.fixes.apply import _overlaps, _range, apply_edits, select_fixes
from importcanon.model.diagnostic import Edit, Fix, Location
from importcanon.model.lines import lines_with_ends, split_lines


def _pairwise_oracle(fixes: list[Fix]) -> list[Fix]:
    """The former quadratic selection (with fixes whose own edits overlap left out)."""
    taken: list[tuple[tuple[int, int], tuple[int, int]]] = []
    chosen = []
    ordered = sorted(fixes, key=lambda f: min((e.location.row, e.location.column) for e in f.edits))
    for fix in ordered:
        ranges = [_range(e) for e in fix.edits]
        if any(_overlaps(a, b) for a, b in itertools.combinations(ranges, 2)):
            continue
        if any(_overlaps(r, t) for r in ranges for t in taken):
            continue
        taken.extend(ranges)
        chosen.append(fix)
    return chosen


points = st.tuples(st.integers(1, 4), st.integers(1, 6))
edits = st.builds(
    lambda a, b, text: Edit(text, Location(*min(a, b)), Location(*max(a, b))),
    points,
    points,
    st.sampled_from(["", "x", "yz\n"]),
)
fix_lists = st.lists(
    st.lists(edits, min_size=1, max_size=3).map(lambda e: Fix("safe", "m", tuple(e))),
    max_size=12,
)


@settings(max_examples=400, deadline=None)
@given(fix_lists)
def test_selection_equals_the_pairwise_comparison(fixes: list[Fix]) -> None:
    assert select_fixes(fixes) == _pairwise_oracle(fixes)


def test_selection_keeps_touching_edits_and_drops_overlapping_ones() -> None:
    def fix(row: int, col: int, end: int, text: str = "x") -> Fix:
        return Fix("safe", "m", (Edit(text, Location(row, col), Location(row, end)),))

    a, b, c, insert = fix(1, 1, 5), fix(1, 5, 9), fix(1, 3, 6), fix(1, 9, 9)
    assert select_fixes([c, b, a, insert]) == [a, b, insert]


lines_text = st.text(alphabet="ab\n\r\x0c\x85\u2028\u2029\x1c\x0b", max_size=40)


@given(lines_text)
def test_lines_are_python_lines(text: str) -> None:
    assert lines_with_ends(text) == io.StringIO(text, newline="").readlines()
    assert "".join(lines_with_ends(text)) == text
    assert len(split_lines(text)) == len(lines_with_ends(text)) + (
        1 if text == "" or text.endswith(("\n", "\r")) else 0
    )


def test_a_replacement_after_odd_separators_lands_on_its_row() -> None:
    text = "a\u2028b\x0cc\x85d\nsee X here\n"
    edit = Edit("Y", Location(2, 5), Location(2, 6))
    assert apply_edits(text, [edit]) == "a\u2028b\x0cc\x85d\nsee Y here\n"


def test_many_edits_apply_in_one_pass() -> None:
    text = "".join(f"v{i} = X\n" for i in range(5000))
    found = [
        Edit("Y", Location(i + 1, len(f"v{i} = ") + 1), Location(i + 1, len(f"v{i} = X") + 1))
        for i in range(5000)
    ]
    assert apply_edits(text, found) == text.replace("X", "Y")
