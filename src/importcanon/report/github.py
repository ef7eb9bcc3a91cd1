"""The `github` format: GitHub Actions workflow commands (annotations on pull requests)."""

from __future__ import annotations

from pathlib import Path

from importcanon.model.diagnostic import Diagnostic
from importcanon.model.escape import printable
from importcanon.report.text import relative


def _data(text: str) -> str:
    """A command's message, escaped as GitHub's runner unescapes it (%, CR, LF), so that
    it stays one line; other control characters are shown as escapes (GitHub has none)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(text)


def _property(text: str) -> str:
    """A command's property value: the message's escapes, and ``:`` and ``,`` too."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(diagnostics: list[Diagnostic], root: Path) -> str:
    lines = []
    for d in diagnostics:
        level = "error" if d.severity == "error" else "warning"
        props = (
            f"file={_property(relative(d.path, root))},line={d.location.row},"
            f"col={d.location.column},endLine={d.end_location.row},"
            f"endColumn={d.end_location.column},title={_property(d.code)}"
        )
        lines.append(f"::{level} {props}::{_data(f'{d.code} {d.message}')}\n")
    return "".join(lines)
