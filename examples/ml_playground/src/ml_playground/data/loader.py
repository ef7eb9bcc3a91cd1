"""Batches of toy data."""

from __future__ import annotations

from collections.abc import Iterator


def batches(steps: int) -> Iterator[list[float]]:
    from ml_playground.training.trainer import Trainer  # a deferred import that closes a cycle

    assert Trainer is not None
    for step in range(steps):
        yield [float(step), 1.0]
