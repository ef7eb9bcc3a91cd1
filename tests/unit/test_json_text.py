"""The JSON and SARIF writers against ``json.dumps(..., indent=2)`` of the same values
(what they were before they were written from templates): byte for byte, on generated
diagnostics with odd strings (control characters, non-ASCII, lone surrogates), fixes of
any number of edits and nested, free-form details."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.model.diagnostic import Diagnostic, Edit, Fix, Location
from importcanon.report import jsontext, sarif
from importcanon.report.json_format import Json
from importcanon.report.reporter import Report
from importcanon.rules.registry import Registry

# --- the formats' shapes as plain values, which json.dumps(..., indent=2) writes ----------


def _location(location: Location) -> dict[str, int]:
    return {"row": location.row, "column": location.column}


def _json_fix(fix: Fix | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    return {
        "applicability": fix.applicability,
        "message": fix.message,
        "edits": [
            {
                "content": edit.content,
                "location": _location(edit.location),
                "end_location": _location(edit.end_location),
            }
            for edit in fix.edits
        ],
    }


def as_dict(d: Diagnostic) -> dict[str, Any]:
    """A diagnostic in the `json` format (SPEC section 4)."""
    return {
        "code": d.code,
        "rule": d.rule,
        "contract": d.contract,
        "severity": d.severity,
        "message": d.message,
        "filename": str(d.path),
        "location": _location(d.location),
        "end_location": _location(d.end_location),
        "noqa_row": d.noqa_row,
        "fix": _json_fix(d.fix),
        "details": d.details,
        "url": None,
    }


def _region(start: Location, end: Location) -> dict[str, int]:
    return {
        "startLine": start.row,
        "startColumn": start.column,
        "endLine": end.row,
        "endColumn": end.column,
    }


def _sarif_fix(fix: Fix, uri: str) -> dict[str, Any]:
    return {
        "description": {"text": f"{fix.message} ({fix.applicability})"},
        "artifactChanges": [
            {
                "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                "replacements": [
                    {
                        "deletedRegion": _region(e.location, e.end_location),
                        "insertedContent": {"text": e.content},
                    }
                    for e in fix.edits
                ],
            }
        ],
    }


def _result(d: Diagnostic, index: dict[str, int]) -> dict[str, Any]:
    uri = sarif.uri_of(d.path, ROOT)
    result: dict[str, Any] = {
        "ruleId": d.code,
        "ruleIndex": index[d.code],
        "level": d.severity,
        "message": {"text": d.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                    "region": _region(d.location, d.end_location),
                }
            }
        ],
        "properties": {"contract": d.contract, "details": d.details},
    }
    if d.fix is not None:
        result["fixes"] = [_sarif_fix(d.fix, uri)]
    return result


def sarif_log(diagnostics: list[Diagnostic]) -> dict[str, Any]:
    """The `sarif` format's log (SARIF 2.1.0) of ``diagnostics`` under ``ROOT``."""
    index, tool, bases = sarif._head(ROOT, Registry().rules())
    run = {
        "tool": tool,
        "originalUriBaseIds": bases,
        "results": [_result(d, index) for d in diagnostics],
    }
    return {"$schema": sarif.SCHEMA, "version": "2.1.0", "runs": [run]}


ROOT = Path("/project root/é")
TEXT = st.text(st.characters(exclude_categories=()), max_size=12)  # surrogates too
INTS = st.integers(min_value=-(2**70), max_value=2**70)
SCALARS = st.none() | st.booleans() | INTS | st.floats() | TEXT
KEYS = TEXT | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(TEXT, inner, max_size=4)
        | st.dictionaries(KEYS, inner, max_size=3)
    ),
    max_leaves=20,
)
LOCATIONS = st.builds(Location, INTS, INTS)
EDITS = st.builds(Edit, TEXT, LOCATIONS, LOCATIONS)
FIXES = st.builds(
    Fix, st.sampled_from(["safe", "unsafe"]), TEXT, st.lists(EDITS, max_size=3).map(tuple)
)
NAMES = st.text(st.characters(exclude_characters="/\0", exclude_categories=("Cs",)), min_size=1)


@st.composite
def diagnostics(draw: st.DrawFn) -> Diagnostic:
    parts = draw(st.lists(NAMES.filter(lambda n: n not in (".", "..")), min_size=1, max_size=3))
    return Diagnostic(
        code=draw(st.sampled_from(sorted(Registry().rules()))),
        rule=draw(TEXT),
        contract=draw(TEXT),
        severity=draw(st.sampled_from(["error", "warning"])),
        message=draw(TEXT),
        path=ROOT.joinpath(*parts),
        location=draw(LOCATIONS),
        end_location=draw(LOCATIONS),
        noqa_rows=draw(st.tuples(st.integers(0, 9), st.integers(0, 9))),
        fix=draw(st.none() | FIXES),
        details=draw(st.dictionaries(TEXT, VALUES, max_size=4)),
    )


def _equal_or_same_error(written: Any, dumped: Any) -> None:
    """Both give the same text, or both raise the same kind of error."""
    try:
        expected = dumped()
    except (TypeError, ValueError) as exc:
        with pytest.raises(type(exc)):
            written()
        return
    assert written() == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(diagnostics(), max_size=4))
def test_json_is_what_json_dumps_writes(found: list[Diagnostic]) -> None:
    report = Report(found, ROOT)
    _equal_or_same_error(
        lambda: "".join(Json().render(report)),
        lambda: json.dumps([as_dict(d) for d in found], indent=2) + "\n",
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(diagnostics(), max_size=4))
def test_sarif_is_what_json_dumps_writes(found: list[Diagnostic]) -> None:
    report = Report(found, ROOT)
    _equal_or_same_error(
        lambda: "".join(sarif.Sarif(Registry()).render(report)),
        lambda: json.dumps(sarif_log(found), indent=2) + "\n",
    )


@settings(max_examples=500, deadline=None)
@given(VALUES, st.sampled_from(["", "  ", "        "]))
def test_a_value_nested_anywhere_is_what_json_dumps_writes(value: Any, indent: str) -> None:
    _equal_or_same_error(
        lambda: jsontext.value(value, indent),
        lambda: json.dumps(value, indent=2).replace("\n", "\n" + indent),
    )


def test_deep_and_circular_values_are_left_to_json_dumps() -> None:
    deep: list[Any] = ["x"]
    for level in range(200):
        deep = [1, deep] if level % 2 else {"k": deep, "n": None}
    assert jsontext.value(deep, "  ") == json.dumps(deep, indent=2).replace("\n", "\n  ")
    circular: dict[str, Any] = {"a": [1]}
    circular["a"].append(circular)
    with pytest.raises(ValueError, match="Circular reference"):
        jsontext.value(circular)


def test_objects_that_are_not_json_raise_what_json_dumps_raises() -> None:
    for odd in ({"a": {1, 2}}, [b"bytes"], {"path": Path("x")}):
        with pytest.raises(TypeError):
            json.dumps(odd, indent=2)
        with pytest.raises(TypeError):
            jsontext.value(odd)
