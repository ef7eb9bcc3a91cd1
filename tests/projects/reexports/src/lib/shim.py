"""A module that only re-imports."""  # expect: IMC103

from __future__ import annotations

from typing import TYPE_CHECKING

from lib.data.loader import load, batches  # expect: IMC101

if TYPE_CHECKING:
    from lib.core import Engine

__all__ = ["load", "batches"]
