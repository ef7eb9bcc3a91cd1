"""The base of the frozen, slotted records the analysis caches and sends between processes."""

from __future__ import annotations

from typing import Any


class Record:
    """Pickled as its field values, in order. (A slotted dataclass's own pickling looks its
    fields up on every object, which costs more than the object itself; facts and
    diagnostics are pickled by the hundred thousand.)"""

    __slots__ = ()

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        names: tuple[str, ...] = getattr(self, "__slots__", ())
        return (type(self), tuple(getattr(self, name) for name in names))
