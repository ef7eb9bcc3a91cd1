"""The training loop."""

from __future__ import annotations

from ml_playground.config import TrainConfig
from ml_playground.data.loader import batches
from ml_playground.ema import EMA
from ml_playground import checkpoint
from ml_playground.tokenizer_protocol import Tokenizer  # noqa: IMC001
from ml_playground.training.optim import lr_scheduler


class Trainer:
    def __init__(self, config: TrainConfig, tokenizer: Tokenizer | None = None) -> None:
        self.config = config
        self.ema = EMA(config.decay)
        self.tokenizer = tokenizer

    def run(self) -> float:
        loss = 0.0
        for step, batch in enumerate(batches(self.config.steps)):
            loss = self.ema.update(sum(batch) * lr_scheduler.constant(self.config.lr, step))
        checkpoint.save(checkpoint.Checkpoint(step=self.config.steps, loss=loss))
        return loss
