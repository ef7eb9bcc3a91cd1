"""Legacy location: use ml_playground.training.checkpointing.checkpoint."""

from ml_playground.training.checkpointing.checkpoint import Checkpoint, save

__all__ = ["Checkpoint", "save"]
