"""`importcanon status`: every contract with its acceptance criterion and verdict."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from importcanon.model.contract import Contract
from importcanon.model.escape import one_line


def verdict(counts: Counter[str]) -> str:
    return "BROKEN" if sum(counts.values()) else "KEPT"


def rows(contracts: list[Contract], counts: dict[str, Counter[str]]) -> list[dict[str, Any]]:
    return [
        {
            "id": c.id,
            "name": c.name,
            "kind": c.kind,
            "severity": c.severity,
            "acceptance": c.acceptance,
            "status": verdict(counts.get(c.id, Counter())),
            "counts": dict(sorted(counts.get(c.id, Counter()).items())),
        }
        for c in contracts
    ]


def render_text(contracts: list[Contract], counts: dict[str, Counter[str]], syntax: int) -> str:
    out = []
    for row in rows(contracts, counts):
        mark = row["status"] + (
            " (warning)" if row["severity"] == "warning" and row["status"] == "BROKEN" else ""
        )
        name = one_line(row["name"])
        out.append(f"{mark:<17} {row['id']}  {name}  [{row['kind']}]")
        if row["acceptance"]:
            out.append(f"{'':<17} acceptance: {one_line(row['acceptance'])}")
        if row["counts"]:
            detail = ", ".join(f"{code} x{n}" for code, n in row["counts"].items())
            out.append(f"{'':<17} {detail}")
    kept = sum(1 for row in rows(contracts, counts) if row["status"] == "KEPT")
    out.append("")
    out.append(f"{kept} of {len(contracts)} contracts kept.")
    if syntax:
        out.append(f"{syntax} file(s) could not be parsed (IMC900); their imports are unknown.")
    return "\n".join(out) + "\n"


def render_json(contracts: list[Contract], counts: dict[str, Counter[str]], syntax: int) -> str:
    payload = {"contracts": rows(contracts, counts), "syntax_errors": syntax}
    return json.dumps(payload, indent=2) + "\n"
