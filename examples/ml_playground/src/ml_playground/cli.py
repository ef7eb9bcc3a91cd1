"""Command line entry point."""

from __future__ import annotations

from ml_playground.config import TrainConfig
from ml_playground.training import Trainer


def main(argv: list[str] | None = None) -> int:
    trainer = Trainer(TrainConfig(steps=int((argv or ["3"])[0])))
    print(trainer.run())
    return 0
