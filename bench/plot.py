"""Draw bench/results/scale.png from bench/results/results.json (run by `make bench` with
the bench environment's Python, which has matplotlib)."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    data = json.loads((RESULTS / "results.json").read_text())
    scale = data["scale"]
    sizes = [s["modules"] for s in scale]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for key, label in (
        ("importcanon_cold", "importcanon check --no-cache"),
        ("grimp_cold", "grimp build"),
    ):
        left.plot(sizes, [s[key]["median"] for s in scale], marker="o", label=label)
        right.plot(sizes, [s[key]["rss_mib"] for s in scale], marker="o", label=label)
    linear = [scale[0]["importcanon_cold"]["median"] * n / sizes[0] for n in sizes]
    left.plot(sizes, linear, linestyle="--", color="grey", label="linear from 1k")
    for axis, title, unit in ((left, "time", "seconds"), (right, "peak memory", "MiB")):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("modules")
        axis.set_ylabel(unit)
        axis.set_title(title)
        axis.legend()
    fig.tight_layout()
    fig.savefig(RESULTS / "scale.png", dpi=100)


if __name__ == "__main__":
    main()
