"""The `sarif` format: SARIF 2.1.0, one rule entry per code, results with fixes."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote

from importcanon import __version__
from importcanon.model.diagnostic import Diagnostic, Edit, Fix
from importcanon.report.reporter import FixDetail, Report
from importcanon.report.text import relative
from importcanon.rules.base import Rule
from importcanon.rules.registry import Registry

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {
            "text": rule.text.split("## Why")[0].replace("## What it does", "").strip()
        },
        "help": {"text": rule.text, "markdown": rule.text},
        "defaultConfiguration": {"level": "error"},
        "properties": {"kind": rule.kind, "fix": rule.fix},
    }


def _region(start: tuple[int, int], end: tuple[int, int]) -> dict[str, int]:
    return {"startLine": start[0], "startColumn": start[1], "endLine": end[0], "endColumn": end[1]}


def _fix(fix: Fix, uri: str) -> dict[str, Any]:
    def replacement(edit: Edit) -> dict[str, Any]:
        region = _region(
            (edit.location.row, edit.location.column),
            (edit.end_location.row, edit.end_location.column),
        )
        return {"deletedRegion": region, "insertedContent": {"text": edit.content}}

    return {
        "description": {"text": f"{fix.message} ({fix.applicability})"},
        "artifactChanges": [
            {
                "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                "replacements": [replacement(e) for e in fix.edits],
            }
        ],
    }


def uri_of(path: Path, root: Path) -> str:
    """``path`` as a URI reference relative to ``%SRCROOT%``, percent-encoded per
    RFC 3986 (a file named ``h#ash.py`` is ``h%23ash.py``, not ``h`` and a fragment)."""
    return quote(relative(path, root), safe="/")


class Sarif:
    """A SARIF 2.1.0 log: every rule, and each diagnostic with its fix's edits."""

    fixes: ClassVar[FixDetail] = "edits"

    def __init__(self, kinds: Registry) -> None:
        self.kinds = kinds  # whose rules the log describes

    def render(self, report: Report) -> str:
        return _document(report.diagnostics, report.root, self.kinds.rules())


def _result(d: Diagnostic, root: Path, index: dict[str, int]) -> dict[str, Any]:
    uri = uri_of(d.path, root)
    result: dict[str, Any] = {
        "ruleId": d.code,
        "ruleIndex": index[d.code],
        "level": d.severity,
        "message": {"text": d.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                    "region": _region(
                        (d.location.row, d.location.column),
                        (d.end_location.row, d.end_location.column),
                    ),
                }
            }
        ],
        "properties": {"contract": d.contract, "details": d.details},
    }
    if d.fix is not None:
        result["fixes"] = [_fix(d.fix, uri)]
    return result


def _document(diagnostics: Sequence[Diagnostic], root: Path, rules: Mapping[str, Rule]) -> str:
    codes = sorted(rules)
    index = {code: i for i, code in enumerate(codes)}
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "importcanon",
                        "version": __version__,
                        "rules": [_rule(rules[code]) for code in codes],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri() + "/"}},
                "results": [_result(d, root, index) for d in diagnostics],
            }
        ],
    }
    return json.dumps(document, indent=2) + "\n"
