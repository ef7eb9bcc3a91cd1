"""The base of the frozen, slotted records the analysis caches and sends between processes."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any, ClassVar


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


class FrozenInstanceError(AttributeError):
    """An assignment to a field of a frozen record (as ``dataclasses.FrozenInstanceError``)."""


class Value(Record):
    """A frozen record written by hand: its fields are its ``__slots__``, in order, and its
    ``__init__`` only sets them. Equality, hashing and repr are those of a frozen dataclass
    with the same fields (tests/unit/test_records.py proves it), without the cost of making
    a dataclass at import, which an editor's save pays once per record class.
    ``compared``: how many of the fields, from the first, equality and hashing read (a
    dataclass's ``compare=False`` fields come last)."""

    __slots__ = ()
    compared: ClassVar[int | None] = None  # (None: every field)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        values = _compared(self.__class__)
        return bool(values(self) == values(other))

    def __hash__(self) -> int:
        return hash(_compared(self.__class__)(self))

    def __repr__(self) -> str:
        cls = self.__class__
        shown = ", ".join(map("{}={!r}".format, cls.__slots__, _values(cls)(self)))
        return f"{cls.__qualname__}({shown})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")


_COMPARED: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


def _compared(cls: type[Value]) -> Callable[[Any], tuple[Any, ...]]:
    """A C-level getter of the values a record class compares and hashes, as a tuple."""
    found = _COMPARED.get(cls)
    if found is None:
        if cls.compared is None:
            found = _COMPARED[cls] = _values(cls)
        else:
            names = cls.__slots__[: cls.compared]
            single = operator.attrgetter(names[0])
            getter = operator.attrgetter(*names)
            found = _COMPARED[cls] = (lambda r: (single(r),)) if len(names) == 1 else getter
    return found
