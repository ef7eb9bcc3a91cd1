"""The `sarif` format: SARIF 2.1.0, one rule entry per code, results with fixes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote

from importcanon import __version__
from importcanon.model.diagnostic import Diagnostic, Fix
from importcanon.report.jsontext import array, string, value
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


def uri_of(path: Path, root: Path) -> str:
    """``path`` as a URI reference relative to ``%SRCROOT%``, percent-encoded per
    RFC 3986 (a file named ``h#ash.py`` is ``h%23ash.py``, not ``h`` and a fragment)."""
    return quote(relative(path, root), safe="/")


class Sarif:
    """A SARIF 2.1.0 log: every rule, and each diagnostic with its fix's edits."""

    fixes: ClassVar[FixDetail] = "edits"

    def __init__(self, kinds: Registry) -> None:
        self.kinds = kinds  # whose rules the log describes

    def render(self, report: Report) -> Iterator[str]:
        return _document(report.diagnostics, report.root, self.kinds.rules())


def _head(
    root: Path, rules: Mapping[str, Rule]
) -> tuple[dict[str, int], dict[str, Any], dict[str, Any]]:
    """Each rule's index, the tool with its rules, and the base of the results' URIs."""
    codes = sorted(rules)
    index = {code: i for i, code in enumerate(codes)}
    tool = {
        "driver": {
            "name": "importcanon",
            "version": __version__,
            "rules": [_rule(rules[code]) for code in codes],
        }
    }
    return index, tool, {"%SRCROOT%": {"uri": root.as_uri() + "/"}}


def _document(
    diagnostics: Iterable[Diagnostic], root: Path, rules: Mapping[str, Rule]
) -> Iterator[str]:
    """The log as ``json.dumps(..., indent=2)`` writes it, in pieces: a result at a time
    (tests/unit/test_json_text.py holds the log as plain values and compares)."""
    index, tool, bases = _head(root, rules)
    yield (
        "{\n"
        f'  "$schema": {string(SCHEMA)},\n'
        '  "version": "2.1.0",\n'
        '  "runs": [\n'
        "    {\n"
        f'      "tool": {value(tool, "      ")},\n'
        f'      "originalUriBaseIds": {value(bases, "      ")},\n'
        '      "results": '
    )
    yield from array(_texts(diagnostics, root, index), "      ")
    yield "\n    }\n  ]\n}\n"


def _texts(diagnostics: Iterable[Diagnostic], root: Path, index: dict[str, int]) -> Iterator[str]:
    path, uri = None, ""
    for d in diagnostics:
        if d.path is not path:  # (a file's diagnostics come together, by the thousand)
            path, uri = d.path, string(uri_of(d.path, root))
        yield _result_text(d, uri, index)


# The text of one result nested in the results (at eight spaces), and of its fix.
_RESULT = """{
          "ruleId": %s,
          "ruleIndex": %d,
          "level": %s,
          "message": {
            "text": %s
          },
          "locations": [
            {
              "physicalLocation": {
                "artifactLocation": {
                  "uri": %s,
                  "uriBaseId": "%%SRCROOT%%"
                },
                "region": {
                  "startLine": %d,
                  "startColumn": %d,
                  "endLine": %d,
                  "endColumn": %d
                }
              }
            }
          ],
          "properties": {
            "contract": %s,
            "details": %s
          }%s
        }"""
_FIXES = """,
          "fixes": [
            {
              "description": {
                "text": %s
              },
              "artifactChanges": [
                {
                  "artifactLocation": {
                    "uri": %s,
                    "uriBaseId": "%%SRCROOT%%"
                  },
                  "replacements": %s
                }
              ]
            }
          ]"""
_REPLACEMENTS = "[\n                    %s\n                  ]"
_REPLACEMENT = """{
                      "deletedRegion": {
                        "startLine": %d,
                        "startColumn": %d,
                        "endLine": %d,
                        "endColumn": %d
                      },
                      "insertedContent": {
                        "text": %s
                      }
                    }"""


def _result_text(d: Diagnostic, uri: str, index: dict[str, int]) -> str:
    """The result for ``d`` as ``json.dumps(..., indent=2)`` writes it, nested at eight
    spaces; ``uri`` is the file's URI as a JSON string."""
    start, end = d.location, d.end_location
    return _RESULT % (
        string(d.code),
        index[d.code],
        string(d.severity),
        string(d.message),
        uri,
        start.row,
        start.column,
        end.row,
        end.column,
        string(d.contract),
        value(d.details, "            "),
        "" if d.fix is None else _fixes_text(d.fix, uri),
    )


def _fixes_text(fix: Fix, uri: str) -> str:
    if fix.edits:
        replacements = _REPLACEMENTS % ",\n                    ".join(
            _REPLACEMENT
            % (
                e.location.row,
                e.location.column,
                e.end_location.row,
                e.end_location.column,
                string(e.content),
            )
            for e in fix.edits
        )
    else:
        replacements = "[]"
    description = string(f"{fix.message} ({fix.applicability})")
    return _FIXES % (description, uri, replacements)
