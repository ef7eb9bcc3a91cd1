"""Legacy location of the exponential moving average (see ml_playground.training.ema)."""

from ml_playground.training.ema import EMA

__all__ = ["EMA"]
