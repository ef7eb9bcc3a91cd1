"""`importcanon status`: every contract with its acceptance criterion and verdict, and,
against a baseline, how many of the recorded violations are left."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from importcanon.engine.baseline import Comparison
from importcanon.model.contract import Contract
from importcanon.model.escape import one_line

META = frozenset({"IMC903"})  # about the contract itself: never a violation of it


@dataclass(frozen=True)
class Status:
    contracts: list[Contract]
    counts: dict[str, Counter[str]]
    syntax: int = 0
    empty: Collection[str] = frozenset()  # ids of the contracts that check nothing
    comparison: Comparison | None = None
    new: dict[str, Counter[str]] = field(default_factory=dict)  # id -> code -> new ones


def verdict(counts: Counter[str], *, empty: bool = False) -> str:
    if sum(n for code, n in counts.items() if code not in META):
        return "BROKEN"
    return "KEPT (checks nothing)" if empty else "KEPT"


def rows(status: Status) -> list[dict[str, Any]]:
    found = []
    for c in status.contracts:
        counts = status.counts.get(c.id, Counter())
        row: dict[str, Any] = {
            "id": c.id,
            "name": c.name,
            "kind": c.kind,
            "severity": c.severity,
            "acceptance": c.acceptance,
            "status": verdict(counts, empty=c.id in status.empty),
            "counts": dict(sorted(counts.items())),
            "checks_nothing": c.id in status.empty,
        }
        if status.comparison is not None:
            progress = status.comparison.progress(c.id)
            row["baseline"] = {
                code: {"left": left, "recorded": recorded}
                for code, (left, recorded) in progress.items()
            }
            row["new"] = dict(sorted(status.new.get(c.id, Counter()).items()))
        found.append(row)
    return found


def _detail(row: dict[str, Any]) -> str:
    if "baseline" not in row:
        return ", ".join(f"{code} x{n}" for code, n in row["counts"].items())
    parts = []
    for code in sorted(set(row["counts"]) | set(row["baseline"])):
        entry = row["baseline"].get(code)
        new = row["new"].get(code, 0)
        if entry is None:
            parts.append(f"{code} x{new} new" if new else f"{code} x{row['counts'][code]}")
            continue
        text = f"{code}: {entry['left']} left of {entry['recorded']}"
        parts.append(text + (f" (+{new} new)" if new else ""))
    return ", ".join(parts)


def render_text(status: Status) -> str:
    out = []
    table = rows(status)
    marks = [
        row["status"]
        + (" (warning)" if row["severity"] == "warning" and row["status"] == "BROKEN" else "")
        for row in table
    ]
    width = max([17, *map(len, marks)])
    for mark, row in zip(marks, table, strict=True):
        out.append(f"{mark:<{width}} {row['id']}  {one_line(row['name'])}  [{row['kind']}]")
        if row["acceptance"]:
            out.append(f"{'':<{width}} acceptance: {one_line(row['acceptance'])}")
        detail = _detail(row)
        if detail:
            out.append(f"{'':<{width}} {detail}")
    kept = sum(1 for row in table if row["status"] != "BROKEN")
    out.append("")
    out.append(f"{kept} of {len(status.contracts)} contracts kept.")
    empty = sum(1 for row in table if row["status"] == "KEPT (checks nothing)")
    if empty:
        out.append(f"{empty} of them check nothing (IMC903): see `importcanon check`.")
    if status.syntax:
        out.append(
            f"{status.syntax} file(s) could not be parsed (IMC900); their imports are unknown."
        )
    return "\n".join(out) + "\n"


def render_json(status: Status) -> str:
    payload = {"contracts": rows(status), "syntax_errors": status.syntax}
    return json.dumps(payload, indent=2) + "\n"
