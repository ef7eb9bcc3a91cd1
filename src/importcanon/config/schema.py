"""A contract kind's options as a frozen dataclass: each field's type, default and one-line
help, from which the checks of its TOML field, the reference in the docs and the typed
value a check receives are all derived.

A kind declares its fields with ``option``; the field's type annotation says what TOML
value it takes (``str``, ``bool``, ``tuple[str, ...]`` for an array of strings,
``Mapping[str, str]`` for a table of strings, ``Literal["a", "b"]`` for one of some
strings, ``int`` for an integer). ``check`` adds a check of each string (of each key
and value, for a table); ``scope`` says what each entry must match in the project, for IMC903.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import MISSING
from typing import Any, Literal, NamedTuple

from importcanon.config import fields as f

Check = Callable[[str], "str | None"]
PairCheck = Callable[[str, str], "str | None"]
# What an entry of a field must match in the project (contract-checks-nothing, IMC903):
# a module expression, a module or package path, a package of the project.
Scope = Literal["module expression", "module path", "package"]


class Problem(NamedTuple):
    """A whole-options check's finding: its message, its field and the key of the line
    it names (``field`` or ``field.entry``)."""

    message: str
    field: str
    line_key: str


def option(
    default: Any = MISSING,
    *,
    help: str,
    check: Check | PairCheck | None = None,
    shown: str | None = None,
    scope: Scope | None = None,
    whole: bool = True,
) -> Any:
    """A field of a kind's ``Options``: no ``default`` makes it required; ``shown`` is the
    default as the docs word it (else the default itself, as TOML); ``whole``: whether a
    ``scope`` field whose every entry misses leaves the contract nothing to check."""
    metadata = {"help": help, "check": check, "shown": shown, "scope": scope, "whole": whole}
    if isinstance(default, dict):
        frozen = types.MappingProxyType(default)
        return dataclasses.field(default_factory=lambda: frozen, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


class FieldDoc(NamedTuple):
    name: str
    type_name: str
    required: bool
    default: str
    help: str


def specs(options: type[Any]) -> dict[str, f.FieldSpec]:
    """The checks of each TOML field of an ``Options`` class."""
    hints = typing.get_type_hints(options)
    return {
        field.name: _spec(hints[field.name], field)
        for field in dataclasses.fields(options)
        if field.metadata.get("help") is not None
    }


def _spec(hint: Any, field: dataclasses.Field[Any]) -> f.FieldSpec:
    check = field.metadata.get("check")
    required = field.default is MISSING and field.default_factory is MISSING
    origin = typing.get_origin(hint)
    if hint is bool:
        return f.FieldSpec("boolean", f.boolean(), required=required)
    if hint is int:
        return f.FieldSpec("integer", f.integer(), required=required)
    if hint is str:
        string = f.string()
        if check is None:
            return f.FieldSpec("string", string, required=required)

        def checked(value: Any) -> str | None:
            return string(value) or check(value)

        return f.FieldSpec("string", checked, required=required)
    if origin is Literal:
        return f.FieldSpec("string", f.choice(*typing.get_args(hint)), required=required)
    if origin is tuple:
        return f.FieldSpec("array", f.string_list(check), required=required)
    if origin in (Mapping, dict):
        return f.FieldSpec("table", f.string_table(check or _any_pair), required=required)
    raise TypeError(f"option `{field.name}`: no TOML form for {hint!r}")


def _any_pair(key: str, value: str) -> str | None:
    return None


def docs(options: type[Any]) -> list[FieldDoc]:
    """Each TOML field's name, type, whether it is required, default and help."""
    found = []
    for name, spec in specs(options).items():
        field = next(x for x in dataclasses.fields(options) if x.name == name)
        shown = field.metadata.get("shown")
        if shown is None:
            shown = _toml(field.default) if field.default is not MISSING else "`{}`"
        found.append(FieldDoc(name, spec.type_name, spec.required, shown, field.metadata["help"]))
    return found


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str):
        return f'`"{value}"`'
    if isinstance(value, tuple):
        return "`[" + ", ".join(f'"{v}"' for v in value) + "]`"
    return f"`{value}`"


def scopes(options: type[Any]) -> list[tuple[str, Scope, bool]]:
    """The fields whose entries must each match something (field, what, whole)."""
    return [
        (field.name, field.metadata["scope"], field.metadata["whole"])
        for field in dataclasses.fields(options)
        if field.metadata.get("scope")
    ]


def build(options: type[Any], table: Mapping[str, Any]) -> Any:
    """The typed options of a validated table (arrays become tuples, tables read-only)."""
    known = {field.name for field in dataclasses.fields(options)}
    values = {key: _frozen(value) for key, value in table.items() if key in known}
    return options(**values)


def _frozen(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, dict):
        return types.MappingProxyType(dict(value))
    return value


def problem(options: Any) -> Problem | None:
    """The finding of an ``Options`` class's own whole-options check, if it has one."""
    validate: Callable[[], Problem | None] | None = getattr(options, "problem", None)
    return validate() if validate is not None else None
