"""importcanon: refactoring acceptance criteria for Python imports, as executable contracts."""

from __future__ import annotations

__version__ = "0.1.0"
