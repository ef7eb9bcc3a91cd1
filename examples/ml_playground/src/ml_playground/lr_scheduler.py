"""Legacy location of the learning-rate schedule."""

from ml_playground.training.optim.lr_scheduler import constant

__all__ = ["constant"]
