"""Run configuration."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TrainConfig:
    steps: int = 3
    decay: float = 0.5
    lr: float = 0.1
