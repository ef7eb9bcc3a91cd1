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
from json.encoder import encode_basestring_ascii

# A string as a JSON string literal: quoted, escaped, ASCII only (the C function the
# encoder itself uses).
string = encode_basestring_ascii

STEP = "  "  # one level of indentation
_DEEP = 64  # levels below which ``value`` leaves the work to ``json.dumps``


def value(obj: object, indent: str = "") -> str:
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
        return int.__repr__(obj)  # type: ignore[arg-type]
    if len(indent) < _DEEP * len(STEP):
        if kind is dict and all(type(k) is str for k in obj):  # type: ignore[attr-defined]
            return _object(obj.items(), indent)  # type: ignore[attr-defined]
        if kind is list or kind is tuple:
            return _array(obj, indent)  # type: ignore[arg-type]
    return json.dumps(obj, indent=2).replace("\n", "\n" + indent)


def _object(items: Iterable[tuple[str, object]], indent: str) -> str:
    inner = indent + STEP
    body = ",\n".join(f"{inner}{string(k)}: {value(v, inner)}" for k, v in items)
    return f"{{\n{body}\n{indent}}}" if body else "{}"


def _array(items: Iterable[object], indent: str) -> str:
    inner = indent + STEP
    body = ",\n".join(inner + value(v, inner) for v in items)
    return f"[\n{body}\n{indent}]" if body else "[]"


def array(items: Iterable[str], indent: str) -> Iterator[str]:
    """A JSON array, in pieces, of ``items``: each already written nested at
    ``indent + STEP`` (without that first indentation)."""
    inner = indent + STEP
    first = True
    for item in items:
        yield ("[\n" if first else ",\n") + inner + item
        first = False
    yield "[]" if first else f"\n{indent}]"
