"""Where a TOML document writes its tables and keys: a statement scanner that knows strings
(basic, literal, multi-line), arrays and inline tables, so that a `[tool.importcanon]`
inside another tool's multi-line string is never taken for the table. Used to set one key
of one table; the result is parsed back and must differ from the original by that key
alone, else nothing is edited (TomlEditError)."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any

from importcanon.fixes.move_text import KeyPath, TomlEditError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

_BASIC = re.compile(r'"(?:[^"\\\r\n]|\\.)*"')
_LITERAL = re.compile(r"'[^'\r\n]*'")
_ML_BASIC = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*""""{0,2}', re.DOTALL)
_ML_LITERAL = re.compile(r"'''(?:[^']|'(?!''))*''''{0,2}", re.DOTALL)
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR = re.compile(r"[^ \t\r\n,\[\]{}#=\"']+")


@dataclass(frozen=True)
class Statement:
    """One statement: a table header (``table``), an array-of-tables header (``array``)
    or a key/value pair (``key``). ``path`` is the full key path (a header's table, or
    the table plus the dotted key); ``start``/``end`` span the statement's lines (its
    line ending included); ``value`` spans a key's value text, and ``table`` is the
    header it lies under."""

    kind: str
    path: KeyPath
    start: int
    end: int
    value: tuple[int, int] = (0, 0)
    table: KeyPath = ()


def statements(text: str) -> list[Statement]:
    """Every statement of ``text``, in order. Raises TomlEditError on what it does not
    understand (a valid document always scans)."""
    found: list[Statement] = []
    table: KeyPath = ()
    pos, size = 0, len(text)
    while pos < size:
        char = text[pos]
        if char in " \t\r\n":
            pos += 1
        elif char == "#":
            pos = _after_comment(text, pos)
        elif char == "[":
            array = text.startswith("[[", pos)
            keys, after = _key(text, pos + (2 if array else 1))
            closing = "]]" if array else "]"
            if not text.startswith(closing, after):
                raise TomlEditError("a table header it cannot read")
            end = _line_end(text, after + len(closing))
            table = keys
            found.append(Statement("array" if array else "table", keys, pos, end))
            pos = end
        else:
            keys, after = _key(text, pos)
            if not text.startswith("=", after):
                raise TomlEditError("a key without a value")
            value_start = _blanks(text, after + 1)
            value_end = _value_end(text, value_start)
            end = _line_end(text, value_end)
            found.append(Statement("key", table + keys, pos, end, (value_start, value_end), table))
            pos = end
    return found


def _blanks(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


def _after_comment(text: str, pos: int) -> int:
    newline = text.find("\n", pos)
    return len(text) if newline < 0 else newline + 1


def _line_end(text: str, pos: int) -> int:
    """After a statement: blanks, a comment, then the line's end (or the text's)."""
    pos = _blanks(text, pos)
    if pos >= len(text) or text.startswith(("\n", "\r\n"), pos):
        return min(len(text), text.find("\n", pos) + 1 or len(text))
    if text[pos] == "#":
        return _after_comment(text, pos)
    raise TomlEditError("two statements on one line")


def _key(text: str, pos: int) -> tuple[KeyPath, int]:
    """A dotted key (bare or quoted parts) from ``pos``; the position after it (and the
    blanks that follow)."""
    parts: list[str] = []
    while True:
        pos = _blanks(text, pos)
        match = _BASIC.match(text, pos) or _LITERAL.match(text, pos) or _BARE_KEY.match(text, pos)
        if match is None:
            raise TomlEditError("a key it cannot read")
        token = match.group(0)
        parts.append(_unquote(token) if token[0] in "\"'" else token)
        pos = _blanks(text, match.end())
        if not text.startswith(".", pos):
            return tuple(parts), pos
        pos += 1


def _unquote(token: str) -> str:
    try:
        return str(tomllib.loads(f"x = {token}")["x"])
    except tomllib.TOMLDecodeError as exc:
        raise TomlEditError("a quoted key it cannot read") from exc


def _string_end(text: str, pos: int) -> int:
    for pattern in (_ML_BASIC, _ML_LITERAL, _BASIC, _LITERAL):
        match = pattern.match(text, pos)
        if match is not None:
            return match.end()
    raise TomlEditError("a string that does not end")


def _value_end(text: str, pos: int) -> int:
    """The end of the value starting at ``pos``: arrays and inline tables are followed
    with an explicit stack (any depth), strings whole, a scalar to its end (a date
    with a time, ``1979-05-27 07:32:00``, holds a blank)."""
    closers: list[str] = []
    size = len(text)
    while pos < size:
        char = text[pos]
        if char in " \t\r\n" and closers:
            pos += 1
            continue
        if char == "#" and closers:
            pos = _after_comment(text, pos)
            continue
        if char in "\"'":
            pos = _string_end(text, pos)
        elif char in "[{":
            closers.append("]" if char == "[" else "}")
            pos += 1
        elif char in "]}":
            if not closers or closers.pop() != char:
                raise TomlEditError("unbalanced brackets")
            pos += 1
        elif char in ",=" and closers:
            pos += 1
        elif not closers:
            end = text.find("\n", pos)
            line = text[pos : end if end >= 0 else size].split("#", 1)[0]
            if not line.strip() or any(c in line for c in "\"'[]{},="):
                raise TomlEditError("a value it cannot read")
            return pos + len(line.rstrip(" \t\r"))
        else:
            match = _SCALAR.match(text, pos)
            if match is None:
                raise TomlEditError("a value it cannot read")
            pos = match.end()
        if not closers:
            return pos
    raise TomlEditError("a value that does not end")


def set_key(text: str, table: KeyPath, key: str, value: str) -> str:
    """``text`` with ``key = value`` (``value`` in TOML) in ``table``: the value replaced
    where the key is a statement of its own (under the table's header, or a dotted key
    under a parent table or at the top), else the line added under the table's header,
    else (no statement defines the table) a new table at the end. Raises TomlEditError
    when the table is written some other way (an inline table, dotted keys, an array of
    tables), or when the result is not the document with that key set and nothing else
    changed."""
    found = statements(text)
    target = (*table, key)
    line = f"{key} = {value}"
    existing = next((s for s in found if s.kind == "key" and s.path == target), None)
    header = next((s for s in found if s.kind == "table" and s.path == table), None)
    newline = "\r\n" if "\r\n" in text else "\n"
    if existing is not None:
        start, end = existing.value
        edited = text[:start] + value + text[end:]
    elif header is not None:
        cut = header.end
        lead = "" if text[:cut].endswith("\n") else newline
        edited = text[:cut] + lead + line + newline + text[cut:]
    elif any(_defines(s, table) for s in found):
        raise TomlEditError(f"[{'.'.join(table)}] is not written as a table of its own")
    else:
        gap = "" if not text or text.endswith(2 * newline) else newline
        lead = "" if not text or text.endswith("\n") else newline
        edited = f"{text}{lead}{gap}[{'.'.join(table)}]{newline}{line}{newline}"
    _check(text, edited, target, value)
    return edited


def _defines(statement: Statement, table: KeyPath) -> bool:
    """A statement that writes (part of) ``table`` without its header: a dotted key from
    above the table whose path lies inside or around it (an inline table), or an array of
    tables that is the table or holds it."""
    path = statement.path
    around = table[: len(path)] == path
    if statement.kind == "array":
        return around
    if statement.kind == "key" and len(statement.table) < len(table):
        return around or path[: len(table)] == table
    return False


def _check(before: str, after: str, target: KeyPath, value: str) -> None:
    try:
        old, new = tomllib.loads(before), tomllib.loads(after)
        wanted = tomllib.loads(f"x = {value}")["x"]
        if _pop(new, target) != wanted:
            raise TomlEditError(f"`{target[-1]}` could not be located for editing")
        _pop(old, target)
        same = _prune(old, target[:-1]) == _prune(new, target[:-1])
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise TomlEditError(f"the edited file would not parse: {exc}") from exc
    if not same:
        raise TomlEditError("the edit would change more than one key")


_MISSING = object()


def _pop(data: dict[str, Any], path: KeyPath) -> Any:
    for part in path[:-1]:
        data = data.get(part, {})
        if not isinstance(data, dict):
            return _MISSING
    return data.pop(path[-1], _MISSING)


def _prune(data: dict[str, Any], path: KeyPath) -> dict[str, Any]:
    """``data`` without the tables along ``path`` that are left empty (a table the edit
    added holds only the key)."""
    chain = [data]
    for part in path:
        inner = chain[-1].get(part)
        if not isinstance(inner, dict):
            break
        chain.append(inner)
    for parent, part in zip(reversed(chain[:-1]), reversed(path[: len(chain) - 1]), strict=True):
        if parent.get(part) == {}:
            del parent[part]
    return data
