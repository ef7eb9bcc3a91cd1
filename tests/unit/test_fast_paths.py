"""The warm path's shortcuts give exactly what the slow, obvious code gives: paths made
from their folder's, paths shown relative to the root by cutting its text, plain values
checked a level at a time, records filled a field at a time."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importcanon.analysis.cacheformat import Invalid, records
from importcanon.analysis.files import as_path
from importcanon.analysis.plain import plain
from importcanon.model.facts import Binding, Span
from importcanon.report.text import relative

SEGMENT = st.sampled_from(["a", "b", "pkg", ".", "..", "", "x.py", "..b", "a b", "é", "\n"])
TEXT = st.lists(SEGMENT, max_size=6).map("/".join)


@given(absolute=st.booleans(), text=TEXT)
def test_as_path_is_path(absolute: bool, text: str) -> None:
    text = "/" + text if absolute else text
    made, expected = as_path(text), Path(text)
    assert made == expected
    assert str(made) == str(expected)
    assert made.parts == expected.parts


@given(path=TEXT, root=TEXT)
def test_relative_is_relpath(path: str, root: str) -> None:
    path, root = "/r/" + path, "/r/" + root
    expected = Path(os.path.relpath(path, root)).as_posix()
    assert relative(Path(path), Path(root)) == expected


PLAIN = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner),
    max_leaves=12,
)


@given(value=PLAIN)
def test_plain_values_are_plain(value: Any) -> None:
    assert plain(value)


@pytest.mark.parametrize(
    "value",
    [
        1.5,
        [[[b"x"]]],
        {"a": [(1, 2)]},
        {1: "a"},
        [{"a": {"b": {3}}}],
        {"a": [None, True, [1.0]]},
    ],
)
def test_other_types_are_not_plain(value: Any) -> None:
    assert not plain(value)


def test_a_list_met_twice_is_not_plain() -> None:
    shared: list[Any] = [1]
    looped: list[Any] = []
    looped.append(looped)
    nested: dict[str, Any] = {}
    nested["self"] = {"up": nested}
    assert not plain([shared, shared])
    assert not plain([[shared], {"a": shared}])
    assert not plain(looped)
    assert not plain(nested)


def test_records_are_what_init_makes() -> None:
    made = records(Binding, [["a", "b"], ["m", "n"], [None, "c"], [0, 1]])
    assert made == [Binding("a", "m", None, 0), Binding("b", "n", "c", 1)]
    assert records(Span, [[], [], [], []]) == []


@pytest.mark.parametrize(
    "columns",
    [
        [[1, 2], [1, 2], [1, 2]],  # a field missing
        [[1, 2], [1, 2], [1, 2], [1, 2], [1, 2]],  # a field too many
        [[1, 2], [1], [1, 2], [1, 2]],  # a short column
    ],
)
def test_records_refuse_columns_that_do_not_fit(columns: list[list[int]]) -> None:
    with pytest.raises(Invalid):
        records(Span, columns)
