"""Parameter-count estimator, not yet moved to ml_playground.models.utils.estimator."""

from __future__ import annotations


def count_parameters(shapes: list[tuple[int, ...]]) -> int:
    total = 0
    for shape in shapes:
        size = 1
        for dim in shape:
            size *= dim
        total += size
    return total
