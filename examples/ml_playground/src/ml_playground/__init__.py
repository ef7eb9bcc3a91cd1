"""ml_playground: a small training playground."""

from .config import TrainConfig

__all__ = ["TrainConfig"]
