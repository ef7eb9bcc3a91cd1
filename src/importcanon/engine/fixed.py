"""The fixed files of `check --fix` written, each keeping its identity, or shown as the
unified diff of `--diff`."""

from __future__ import annotations

import difflib
import sys
from collections.abc import Iterable
from pathlib import Path

from importcanon.analysis.rewrite import WriteRefused, clean_stale, replace_contents
from importcanon.analysis.source import decode
from importcanon.engine.fixing import FixResult, shown
from importcanon.model.lines import lines_with_ends


def write(
    result: FixResult, *, root: Path | None = None, folders: Iterable[Path] = ()
) -> list[Path]:
    """Write the fixed files, each keeping its identity (``analysis.rewrite``); a file
    changed on disk since it was read, or that cannot be written, is reported and left
    alone, and the others are still written. Our temporary files left by a killed run in
    ``folders`` (and in the folders written to) are removed first."""
    clean_stale([*folders, *(p.parent for p in result.fixed)], before=result.started)
    written = []
    for path, data in sorted(result.fixed.items()):
        try:
            replace_contents(path, data, expected=result.original[path], root=root)
        except WriteRefused as exc:
            result.skipped.append(f"{shown(path, root)}: {exc}")
            continue
        written.append(path)
    for message in result.skipped:
        print(f"importcanon: warning: {message}", file=sys.stderr)
    return written


def unified_diff(result: FixResult, root: Path) -> str:
    chunks: list[str] = []
    for path, data in sorted(result.fixed.items()):
        before = _text(path, result.original[path])
        after = _text(path, data)
        rel = shown(path, root)  # a name holding a newline must not start a line of its own
        chunks.extend(
            difflib.unified_diff(
                lines_with_ends(before),
                lines_with_ends(after),
                fromfile=f"a/{rel}",
                tofile=f"b/{rel}",
            )
        )
    return "".join(chunks)


def _text(path: Path, data: bytes) -> str:
    return decode(data) if path.suffix == ".py" else data.decode("utf-8", errors="replace")
