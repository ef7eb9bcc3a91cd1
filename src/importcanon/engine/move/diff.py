"""What `--dry-run` shows: the edits as a unified diff."""

from __future__ import annotations

import difflib

from importcanon.analysis.source import decode
from importcanon.engine.move.plan import (
    Plan,
    shown,
)
from importcanon.model.escape import printable
from importcanon.model.lines import lines_with_ends


def dry_run_diff(plan: Plan) -> str:
    chunks: list[str] = []
    for path, (before, after) in sorted(plan.edits.items()):
        old_rel, new_rel = shown(plan.rel(path)), shown(plan.rel(plan.moved_path(path)))
        if old_rel != new_rel:
            chunks.append(f"rename from {old_rel}\nrename to {new_rel}\n")
        chunks.extend(
            difflib.unified_diff(
                _lines(before), _lines(after), fromfile=f"a/{old_rel}", tofile=f"b/{new_rel}"
            )
        )
    if plan.stub is not None and plan.stub not in plan.edits and not plan.retire:
        old_rel, new_rel = shown(plan.rel(plan.stub)), shown(plan.rel(plan.moved_path(plan.stub)))
        chunks.append(f"rename from {old_rel}\nrename to {new_rel}\n")
    for path, data in sorted(plan.creates.items()):
        chunks.extend(
            difflib.unified_diff(
                [], _lines(data), fromfile="/dev/null", tofile=f"b/{shown(plan.rel(path))}"
            )
        )
    return "".join(
        c if c.endswith("\n") else c + "\n\\ No newline at end of file\n" for c in chunks
    )


def _lines(data: bytes) -> list[str]:
    try:
        text = decode(data)
    except (UnicodeDecodeError, SyntaxError):
        text = data.decode("utf-8", "replace")
    return [_shown_line(line) for line in lines_with_ends(text)]


def _shown_line(line: str) -> str:
    """A line of a file as the diff shows it: its ending (``\\n``, ``\\r\\n``) and tabs kept,
    every other control character escaped (an ESC in a file recolours no terminal, a lone
    ``\\r`` rewrites no line of a CI log)."""
    body = line.rstrip("\r\n")
    end = line[len(body) :]
    if end == "\r":
        body, end = body + "\r", "\n"
    return "\t".join(printable(part) for part in body.split("\t")) + end
