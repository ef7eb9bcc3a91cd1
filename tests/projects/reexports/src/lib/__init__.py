"""A public API surface: allowed to re-export."""

from lib.core import Engine

__all__ = ["Engine"]
