"""Exponential moving average of a scalar."""

from __future__ import annotations


class EMA:
    def __init__(self, decay: float) -> None:
        self.decay = decay
        self.value: float | None = None

    def update(self, x: float) -> float:
        self.value = x if self.value is None else self.decay * self.value + (1 - self.decay) * x
        return self.value
