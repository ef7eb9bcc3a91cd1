"""The base of the frozen, slotted records the analysis caches and sends between processes."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any


class Record:
    """Pickled as its field values, in order. (A slotted dataclass's own pickling looks its
    fields up on every object, which costs more than the object itself; facts and
    diagnostics are pickled by the hundred thousand.)"""

    __slots__ = ()

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return (type(self), _values(type(self))(self))


_GETTERS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


def _values(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    """A C-level getter of a record class's field values, as a tuple."""
    found = _GETTERS.get(cls)
    if found is None:
        names: tuple[str, ...] = getattr(cls, "__slots__", ())
        if len(names) == 1:
            single = operator.attrgetter(names[0])
            found = _GETTERS[cls] = lambda record: (single(record),)
        else:
            found = _GETTERS[cls] = operator.attrgetter(*names)
    return found
