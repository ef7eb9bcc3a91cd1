"""Learning-rate schedules."""

from __future__ import annotations


def constant(lr: float, step: int) -> float:
    return lr
