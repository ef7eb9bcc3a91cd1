"""The base of the frozen, slotted records the analysis caches and sends between processes."""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from typing import Any, ClassVar

# What a record's ``__init__`` sets its fields with (``Value`` refuses assignment).
put = object.__setattr__


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


class FrozenInstanceError(dataclasses.FrozenInstanceError):
    """An assignment to a field of a frozen record (a ``dataclasses.FrozenInstanceError``)."""


class _DataclassFields:
    """A record's ``__dataclass_fields__``, made on first use: ``dataclasses.fields``,
    ``replace``, ``asdict`` and ``is_dataclass`` then treat a record as the frozen
    dataclass it stands for (a plugin may call them on a diagnostic or a fix), while a run
    that never asks does not pay for making them."""

    def __get__(self, record: object, cls: type[Value]) -> dict[str, dataclasses.Field[Any]]:
        found = _FIELDS.get(cls)
        if found is None:
            found = _FIELDS[cls] = _dataclass_fields(cls)
        return found


_FIELDS: dict[type, dict[str, dataclasses.Field[Any]]] = {}


def _dataclass_fields(cls: type[Value]) -> dict[str, dataclasses.Field[Any]]:
    """The fields of a frozen dataclass with the record's fields, in order, their
    annotations, their ``__init__`` defaults, and equality and hashing on the compared
    ones."""
    names: tuple[str, ...] = cls.__slots__
    if not names:
        return {}
    defaults: tuple[Any, ...] = getattr(cls.__init__, "__defaults__", None) or ()
    first_default = len(names) - len(defaults)
    compared = len(names) if cls.compared is None else cls.compared
    annotations = {
        k: v for c in reversed(cls.__mro__) for k, v in vars(c).get("__annotations__", {}).items()
    }
    spec = []
    for index, name in enumerate(names):
        kwargs: dict[str, Any] = {"compare": index < compared}
        if index >= first_default:
            kwargs["default"] = defaults[index - first_default]
        spec.append((name, annotations.get(name, "Any"), dataclasses.field(**kwargs)))
    shadow = dataclasses.make_dataclass(cls.__name__, spec, frozen=True)
    return {item.name: item for item in dataclasses.fields(shadow)}


class Value(Record):
    """A frozen record written by hand: its fields are its ``__slots__``, in order, and its
    ``__init__`` only sets them. Equality, hashing and repr are those of a frozen dataclass
    with the same fields (tests/unit/test_records.py proves it), without the cost of making
    a dataclass at import, which an editor's save pays once per record class.
    ``compared``: how many of the fields, from the first, equality and hashing read (a
    dataclass's ``compare=False`` fields come last)."""

    __slots__ = ()
    compared: ClassVar[int | None] = None  # (None: every field)
    # (typed as a dataclass's, so that type checkers take a record for one)
    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]] = _DataclassFields()  # type: ignore[assignment]

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
