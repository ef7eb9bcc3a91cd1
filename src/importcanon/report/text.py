"""The `concise` and `full` formats (ruff's look), and --statistics."""

from __future__ import annotations

import functools
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from importcanon.model.diagnostic import Diagnostic


@functools.lru_cache(maxsize=65536)
def relative(path: Path, root: Path) -> str:
    try:
        return Path(os.path.relpath(path, root)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def concise_line(d: Diagnostic, root: Path) -> str:
    return f"{relative(d.path, root)}:{d.location.row}:{d.location.column}: {d.code} {d.message}"


def concise(diagnostics: list[Diagnostic], root: Path) -> str:
    return "".join(concise_line(d, root) + "\n" for d in diagnostics)


def full(
    diagnostics: list[Diagnostic],
    root: Path,
    source_lines: Callable[[Path], list[str]],
    *,
    fixable: int = 0,
    fixed: int = 0,
) -> str:
    out = []
    for d in diagnostics:
        out.append(concise_line(d, root))
        lines = source_lines(d.path)
        row = d.location.row
        if 1 <= row <= len(lines):
            text = lines[row - 1].expandtabs(1).rstrip("\n")
            width = (
                d.end_location.column - d.location.column
                if d.end_location.row == row
                else len(text) - d.location.column + 1
            )
            gutter = str(row)
            pad = " " * len(gutter)
            out.append(f"{pad} |")
            out.append(f"{gutter} | {text}")
            out.append(f"{pad} | {' ' * (d.location.column - 1)}{'^' * max(width, 1)}")
            out.append(f"{pad} |")
        if d.severity == "warning":
            out.append("  (warning)")
        out.append("")
    if fixed:
        out.append(f"Fixed {fixed} error{'s' if fixed != 1 else ''}.")
    out.append(summary(diagnostics, fixable=fixable))
    return "\n".join(out) + "\n"


def summary(diagnostics: list[Diagnostic], *, fixable: int = 0) -> str:
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


def statistics(diagnostics: list[Diagnostic]) -> str:
    counts = Counter((d.code, d.rule) for d in diagnostics)
    fixable = Counter((d.code, d.rule) for d in diagnostics if d.fix is not None)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return "".join(
        f"{count:>5}\t{code}\t{'[*] ' if fixable[(code, name)] else ''}{name}\n"
        for (code, name), count in rows
    )
