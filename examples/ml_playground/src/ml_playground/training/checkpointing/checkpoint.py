"""Checkpoints of a training run."""

from __future__ import annotations

from dataclasses import dataclass

SAVED: list["Checkpoint"] = []


@dataclass(frozen=True)
class Checkpoint:
    step: int
    loss: float


def save(checkpoint: Checkpoint) -> None:
    SAVED.append(checkpoint)
