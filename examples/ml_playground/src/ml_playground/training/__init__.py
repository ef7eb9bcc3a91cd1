"""Training loop, averaging and optimisation."""

from .ema import EMA
from .trainer import Trainer

__all__ = ["EMA", "Trainer"]
