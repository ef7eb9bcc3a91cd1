"""The `json` format: an array in ruff's JSON shape (SPEC section 4)."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from importcanon.model.diagnostic import Diagnostic, Fix, Location
from importcanon.report.reporter import FixDetail, Report


def _location(location: Location) -> dict[str, int]:
    return {"row": location.row, "column": location.column}


def _fix(fix: Fix | None) -> dict[str, Any] | None:
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
        "fix": _fix(d.fix),
        "details": d.details,
        "url": None,
    }


class Json:
    """An array of diagnostics, each with its fix's edits."""

    fixes: ClassVar[FixDetail] = "edits"

    def render(self, report: Report) -> str:
        return json.dumps([as_dict(d) for d in report.diagnostics], indent=2) + "\n"
