"""What `--dry-run` shows: the edits as a unified diff."""

from __future__ import annotations

import difflib

from importcanon.analysis.source import decode
from importcanon.engine.move.plan import (
    Plan,
    shown,
)
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
        chunks.append(
            f"rename from {plan.rel(plan.stub)}\nrename to {plan.rel(plan.moved_path(plan.stub))}\n"
        )
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
    return lines_with_ends(text)
