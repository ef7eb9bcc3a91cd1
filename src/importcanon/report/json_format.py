"""The `json` format: an array in ruff's JSON shape (SPEC section 4), written as
``json.dumps(..., indent=2)`` would write it, a diagnostic at a time (see ``jsontext``;
tests/unit/test_json_text.py holds the shape as plain values and compares)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import ClassVar

from importcanon.model.diagnostic import Diagnostic, Fix
from importcanon.report.jsontext import array, string, value
from importcanon.report.reporter import FixDetail, Report

# The text of one diagnostic nested in the array (at two spaces), and of its fix's edits.
_DIAGNOSTIC = """{
    "code": %s,
    "rule": %s,
    "contract": %s,
    "severity": %s,
    "message": %s,
    "filename": %s,
    "location": {
      "row": %d,
      "column": %d
    },
    "end_location": {
      "row": %d,
      "column": %d
    },
    "noqa_row": %d,
    "fix": %s,
    "details": %s,
    "url": null
  }"""
_FIX = """{
      "applicability": %s,
      "message": %s,
      "edits": %s
    }"""
_EDITS = "[\n        %s\n      ]"
_EDIT = """{
          "content": %s,
          "location": {
            "row": %d,
            "column": %d
          },
          "end_location": {
            "row": %d,
            "column": %d
          }
        }"""


def diagnostic_text(d: Diagnostic, filename: str) -> str:
    """``d`` as ``json.dumps(..., indent=2)`` writes its object, nested at two spaces;
    ``filename`` is ``string(str(d.path))``."""
    start, end = d.location, d.end_location
    return _DIAGNOSTIC % (
        string(d.code),
        string(d.rule),
        string(d.contract),
        string(d.severity),
        string(d.message),
        filename,
        start.row,
        start.column,
        end.row,
        end.column,
        d.noqa_row,
        "null" if d.fix is None else _fix_text(d.fix),
        value(d.details, "    "),
    )


def _fix_text(fix: Fix) -> str:
    if fix.edits:
        edits = _EDITS % ",\n        ".join(
            _EDIT
            % (
                string(e.content),
                e.location.row,
                e.location.column,
                e.end_location.row,
                e.end_location.column,
            )
            for e in fix.edits
        )
    else:
        edits = "[]"
    return _FIX % (string(fix.applicability), string(fix.message), edits)


def _texts(diagnostics: Iterable[Diagnostic]) -> Iterator[str]:
    path, filename = None, ""
    for d in diagnostics:
        if d.path is not path:  # (a file's diagnostics come together, by the thousand)
            path, filename = d.path, string(str(d.path))
        yield diagnostic_text(d, filename)


class Json:
    """An array of diagnostics, each with its fix's edits."""

    fixes: ClassVar[FixDetail] = "edits"

    def render(self, report: Report) -> Iterator[str]:
        yield from array(_texts(report.diagnostics), "")
        yield "\n"
