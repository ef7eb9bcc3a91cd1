"""The `github` format: GitHub Actions workflow commands (annotations on pull requests)."""

from __future__ import annotations

from typing import ClassVar

from importcanon.model.escape import printable
from importcanon.report.reporter import FixDetail, Report
from importcanon.report.text import relative


def _data(text: str) -> str:
    """A command's message, escaped as GitHub's runner unescapes it (%, CR, LF), so that
    it stays one line; other control characters are shown as escapes (GitHub has none)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(text)


def _property(text: str) -> str:
    """A command's property value: the message's escapes, and ``:`` and ``,`` too."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


class Github:
    """One workflow command per diagnostic: an annotation on the file and its columns."""

    fixes: ClassVar[FixDetail] = "none"

    def render(self, report: Report) -> tuple[str]:
        lines = []
        for d in report.diagnostics:
            level = "error" if d.severity == "error" else "warning"
            props = (
                f"file={_property(relative(d.path, report.root))},line={d.location.row},"
                f"col={d.location.column},endLine={d.end_location.row},"
                f"endColumn={d.end_location.column},title={_property(d.code)}"
            )
            lines.append(f"::{level} {props}::{_data(f'{d.code} {d.message}')}\n")
        return ("".join(lines),)
