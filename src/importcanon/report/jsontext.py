"""JSON text as ``json.dumps(value, indent=2)`` writes it, byte for byte, made faster.

With ``indent``, CPython's ``json`` runs its pure-Python encoder, which costs more than
the rest of a warm run on a large project. The JSON formats know their shapes, so they
write them from templates; strings go through ``json``'s own C escaping (ASCII only, as
``ensure_ascii`` does) and free-form values (a diagnostic's ``details``) through
``value``, a small indenter for the plain values they hold, which hands anything else
to ``json.dumps`` itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import repeat
from json.encoder import encode_basestring_ascii
from typing import Any

# A string as a JSON string literal: quoted, escaped, ASCII only (the C function the
# encoder itself uses).
string = encode_basestring_ascii

STEP = "  "  # one level of indentation
_DEEP = 64  # levels below which ``value`` leaves the work to ``json.dumps``
_STR = frozenset({str})
_MEMBER = "%s: %s"  # a member of an object, its key and value written


def value(obj: Any, indent: str = "") -> str:
    """``json.dumps(obj, indent=2)`` as it appears nested at ``indent`` (each line after the
    first starts with it). Plain values (strings, integers, booleans, None, and lists,
    tuples and string-keyed dicts of them) are written here; anything else, and anything
    nested deeper than ``_DEEP`` levels, by ``json.dumps``, which then raises what it
    would raise for the whole (TypeError, ValueError for a circular reference)."""
    kind = type(obj)
    if kind is str:
        return string(obj)
    if obj is None:
        return "null"
    if obj is True:
        return "true"
    if obj is False:
        return "false"
    if kind is int:
        return int.__repr__(obj)
    if len(indent) < _DEEP * len(STEP):
        if kind is dict and _STR.issuperset(map(type, obj)):
            return _object(obj, indent)
        if kind is list or kind is tuple:
            return _array(obj, indent)
    return json.dumps(obj, indent=2).replace("\n", "\n" + indent)


def _object(obj: dict[str, Any], indent: str) -> str:
    if not obj:
        return "{}"
    inner = indent + STEP
    if _STR.issuperset(map(type, obj.values())):  # (the common case, at C speed)
        values = map(string, obj.values())
    else:
        values = map(value, obj.values(), repeat(inner))
    items = map(_MEMBER.__mod__, zip(map(string, obj), values, strict=True))
    return "{\n" + inner + (",\n" + inner).join(items) + "\n" + indent + "}"


def _array(obj: list[Any] | tuple[Any, ...], indent: str) -> str:
    if not obj:
        return "[]"
    inner = indent + STEP
    items = map(value, obj, repeat(inner))
    return "[\n" + inner + (",\n" + inner).join(items) + "\n" + indent + "]"


def array(items: Iterable[str], indent: str) -> Iterator[str]:
    """A JSON array, in pieces, of ``items``: each already written nested at
    ``indent + STEP`` (without that first indentation)."""
    inner = indent + STEP
    first = True
    for item in items:
        yield ("[\n" if first else ",\n") + inner + item
        first = False
    yield "[]" if first else f"\n{indent}]"
