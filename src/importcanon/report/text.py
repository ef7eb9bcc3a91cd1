"""The `concise` and `full` formats (ruff's look), and --statistics."""

from __future__ import annotations

import functools
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from importcanon.model.diagnostic import Diagnostic
from importcanon.model.escape import printable
from importcanon.report.reporter import FixDetail, Report, fix_applies


@functools.lru_cache(maxsize=65536)
def relative(path: Path, root: Path) -> str:
    """``path`` relative to ``root``, with ``/`` between its parts. A path below the root
    (a checked file: the common case, thousands per run) is cut after the root's text;
    anything else goes through ``os.path.relpath``."""
    text, base = str(path), os.path.join(str(root), "")
    if text.startswith(base) and len(text) > len(base) and not _dotted(text):
        rel = text[len(base) :]
        return rel if os.sep == "/" else rel.replace(os.sep, "/")
    try:
        return Path(os.path.relpath(path, root)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def _dotted(text: str) -> bool:
    """``text`` holds a ``..`` part (which relpath resolves against the root's parts)."""
    return ".." in text and ".." in text.replace("\\", "/").split("/")


@functools.lru_cache(maxsize=65536)  # a file's diagnostics come by the thousand
def shown_path(path: Path, root: Path) -> str:
    """``path`` relative to ``root``, printable, and never read as a GitHub workflow
    command at the start of a line (a file named ``::error ...`` is shown ``./::error``)."""
    text = printable(relative(path, root))
    return f"./{text}" if text.lstrip().startswith("::") else text


def concise_line(d: Diagnostic, root: Path) -> str:
    where = f"{shown_path(d.path, root)}:{d.location.row}:{d.location.column}"
    return f"{where}: {d.code} {printable(d.message)}"


class Concise:
    """One line per diagnostic: ``path:row:col: CODE message``."""

    fixes: ClassVar[FixDetail] = "none"

    def render(self, report: Report) -> tuple[str]:
        return ("".join(concise_line(d, report.root) + "\n" for d in report.diagnostics),)


class Full:
    """Each diagnostic's line, the source line with a caret under it, and a summary that
    counts the safe fixes."""

    fixes: ClassVar[FixDetail] = "applicable"

    def render(self, report: Report) -> tuple[str]:
        out = []
        for d in report.diagnostics:
            out.append(concise_line(d, report.root))
            lines = report.source(d.path)
            row = d.location.row
            if 1 <= row <= len(lines):
                out.extend(_excerpt(lines[row - 1], d))
            if d.severity == "warning":
                out.append("  (warning)")
            out.append("")
        if report.fixed:
            out.append(f"Fixed {report.fixed} error{'s' if report.fixed != 1 else ''}.")
        fixable = sum(1 for d in report.diagnostics if fix_applies(d, unsafe=False))
        out.append(summary(report.diagnostics, fixable=fixable))
        return ("\n".join(out) + "\n",)


def _excerpt(line: str, d: Diagnostic) -> list[str]:
    """The source line with a caret under the diagnostic's columns; the line is shown
    printable, and the caret measured on what is shown."""
    raw = line.expandtabs(1).rstrip("\r\n")
    row, start = d.location.row, d.location.column - 1
    end = d.end_location.column - 1 if d.end_location.row == row else len(raw)
    before = printable(raw[:start])
    marked = printable(raw[start:end])
    gutter = str(row)
    pad = " " * len(gutter)
    return [
        f"{pad} |",
        f"{gutter} | {printable(raw)}",
        f"{pad} | {' ' * len(before)}{'^' * max(len(marked), 1)}",
        f"{pad} |",
    ]


def summary(diagnostics: Sequence[Diagnostic], *, fixable: int = 0) -> str:
    errors = [d for d in diagnostics if d.severity == "error"]
    warnings = len(diagnostics) - len(errors)
    if not diagnostics:
        return "All checks passed!"
    files = len({d.path for d in diagnostics})
    noun = "error" if len(errors) == 1 else "errors"
    text = f"Found {len(errors)} {noun}"
    if warnings:
        text += f" and {warnings} warning{'s' if warnings != 1 else ''}"
    text += f" in {files} file{'s' if files != 1 else ''} ({fixable} fixable with --fix)."
    return text


class Statistics:
    """``--statistics``: a count per code, most frequent first, in ruff's look. As in
    ruff, a code is marked ``[*]`` when its fix is available: the diagnostic that decides
    is the code's first one without a fix if there is one, else its first one, and its fix
    must apply (a safe one; an unsafe one with ``--unsafe-fixes``). When any code is
    marked, the others are marked ``[ ]``; when none is, there is no mark."""

    fixes: ClassVar[FixDetail] = "applicable"

    def render(self, report: Report) -> tuple[str]:
        counts: Counter[tuple[str, str]] = Counter()
        deciding: dict[tuple[str, str], Diagnostic] = {}
        for d in report.diagnostics:
            key = (d.code, d.rule)
            counts[key] += 1
            first = deciding.get(key)
            if first is None or (first.plan is not None and d.plan is None):
                deciding[key] = d
        fixable = {k: fix_applies(d, unsafe=report.unsafe_fixes) for k, d in deciding.items()}
        marks = ("[*] ", "[ ] ") if any(fixable.values()) else ("", "")
        rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return (
            "".join(
                f"{count:>5}\t{code}\t{marks[0] if fixable[(code, name)] else marks[1]}{name}\n"
                for (code, name), count in rows
            ),
        )
