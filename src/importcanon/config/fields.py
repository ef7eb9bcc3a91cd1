"""Field checking shared by the project table and the contract tables."""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from importcanon.config.wall import escapes_root, shown

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def did_you_mean(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def is_module_name(value: str) -> bool:
    return bool(value) and all(IDENTIFIER.match(part) for part in value.split("."))


def is_module_expression(value: str) -> bool:
    """A dotted path whose segments are identifiers, ``*`` (one segment) or ``**`` (any)."""
    if not value:
        return False
    parts = value.split(".")
    for index, part in enumerate(parts):
        if part in ("*", "**"):
            if part == "**" and index and parts[index - 1] == "**":
                return False
            continue
        if not IDENTIFIER.match(part):
            return False
    return True


class FieldSpec(NamedTuple):
    """A field's expected type: ``check`` returns an error text, or None when valid."""

    type_name: str
    check: Callable[[Any], str | None]
    required: bool = False


def _typed(kind: type, type_name: str) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) and kind is not bool:
            return f"expected {type_name}, got a boolean"
        return None if isinstance(value, kind) else f"expected {type_name}, got {_name(value)}"

    return check


def type_name(value: Any) -> str:
    """What a TOML value is, in the words of TOML."""
    names = {str: "a string", bool: "a boolean", int: "an integer", float: "a number"}
    names.update({list: "an array", dict: "a table"})
    names.update({datetime.datetime: "a date-time", datetime.date: "a date"})
    names.update({datetime.time: "a time"})
    return names.get(type(value), type(value).__name__)


_name = type_name


def string() -> Callable[[Any], str | None]:
    return _typed(str, "a string")


def boolean() -> Callable[[Any], str | None]:
    return _typed(bool, "a boolean")


def integer() -> Callable[[Any], str | None]:
    return _typed(int, "an integer")


def choice(*options: str) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return f"expected one of {_quoted(options)}, got {_name(value)}"
        if value not in options:
            return f"`{value}` is not one of {_quoted(options)}{did_you_mean(value, options)}"
        return None

    return check


def _quoted(options: Iterable[str]) -> str:
    return ", ".join(f'"{option}"' for option in options)


def string_list(
    item_check: Callable[[str], str | None] | None = None,
) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if not isinstance(value, list):
            return f"expected an array of strings, got {_name(value)}"
        for item in value:
            if not isinstance(item, str):
                return f"expected an array of strings, but an item is {_name(item)}"
            problem = item_check(item) if item_check else None
            if problem:
                return problem
        return None

    return check


def string_table(item_check: Callable[[str, str], str | None]) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if not isinstance(value, dict):
            return f"expected a table of strings, got {_name(value)}"
        for key, item in value.items():
            if not isinstance(item, str):
                return f"entry `{key}`: expected a string, got {_name(item)}"
            problem = item_check(key, item)
            if problem:
                return problem
        return None

    return check


def module_name_check(item: str) -> str | None:
    return None if is_module_name(item) else f"`{item}` is not a valid dotted module name"


def module_expression_check(item: str) -> str | None:
    if is_module_expression(item):
        return None
    return f"`{item}` is not a valid module expression"


def strings_by_key(value: Any) -> str | None:
    """A table whose values are each a string or an array of strings (per-file-ignores)."""
    if not isinstance(value, dict):
        return f"expected a table of strings or arrays of strings, got {_name(value)}"
    for key, item in value.items():
        if isinstance(item, list):
            for element in item:
                if not isinstance(element, str):
                    kind = _name(element)
                    return f"entry `{key}`: expected an array of strings, but an item is {kind}"
        elif not isinstance(item, str):
            return f"entry `{key}`: expected a string or an array of strings, got {_name(item)}"
    return None


def relative_path_check(item: str) -> str | None:
    """A path or glob relative to the project root that stays inside it (by its text)."""
    if escapes_root(item):
        return f"`{shown(item)}` points outside the project root (paths are relative to it)"
    return None


def relative_path() -> Callable[[Any], str | None]:
    string_check = string()

    def check(value: Any) -> str | None:
        return string_check(value) or relative_path_check(value)

    return check
