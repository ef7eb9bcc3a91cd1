"""TOML reading with line numbers for error messages (tomllib does not keep them)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from importcanon.config.wall import read_regular
from importcanon.model.errors import ConfigError
from importcanon.model.lines import split_lines

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

_AT_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def read_toml(path: Path, *, root: Path | None = None) -> tuple[dict[str, Any], list[str]]:
    """Parse ``path`` (a regular file inside ``root``, by default its own folder); return
    the document and its lines. Syntax errors become ConfigError."""
    try:
        text = read_regular(path, root=root or path.parent).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path=path, line=1) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _AT_LINE.search(str(exc))
        line = int(match.group(1)) if match else text.rstrip().count("\n") + 1  # at the end
        message = _AT_LINE.sub("", str(exc)).strip()
        raise ConfigError(f"invalid TOML: {message}", path=path, line=line) from exc
    except (RecursionError, MemoryError) as exc:  # the parser recurses once per level
        raise ConfigError(
            "invalid TOML: arrays or tables nested too deeply", path=path, line=_deepest(text)
        ) from exc
    return data, split_lines(text)


def key_line(lines: list[str], key: str, start: int = 0, end: int | None = None) -> int | None:
    """1-based line of ``key = ...`` (bare or quoted key) between two 0-based line indexes."""
    pattern = re.compile(r"^\s*(?:" + re.escape(key) + r"|([\"'])" + re.escape(key) + r"\1)\s*=")
    for index in range(start, len(lines) if end is None else end):
        if pattern.match(lines[index]):
            return index + 1
    return None


_KEY = re.compile(r"""\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*=""")
_STRING = re.compile(r"""("(?:[^"\\]|\\.)*"|'[^']*')""")


def key_lines(lines: list[str], start: int = 0, end: int | None = None) -> dict[str, int]:
    """Every ``key = ...`` between two 0-based indexes: key -> its first 1-based line
    (one pass, for tables with thousands of keys)."""
    found: dict[str, int] = {}
    for index in range(start, len(lines) if end is None else end):
        match = _KEY.match(lines[index])
        if match:
            key = next(group for group in match.groups() if group is not None)
            found.setdefault(key, index + 1)
    return found


def string_lines(lines: list[str], start: int = 0, end: int | None = None) -> dict[str, int]:
    """Every quoted string, with its quotes, between two 0-based indexes: -> first line."""
    found: dict[str, int] = {}
    for index in range(start, len(lines) if end is None else end):
        if "'" in lines[index] or '"' in lines[index]:
            for match in _STRING.finditer(lines[index]):
                found.setdefault(match.group(1), index + 1)
    return found


def locate(lines: list[str], key: str, start: int = 0, end: int | None = None) -> int | None:
    """1-based line where ``key`` is given: ``key = ...``, a ``[...key]`` or ``[[...key]]``
    header, or else the first line that mentions it (dotted keys, inline tables)."""
    header = re.compile(r"^\s*\[\[?[^\]]*" + re.escape(key) + r"[\"']?\s*\]")
    for index in range(start, len(lines) if end is None else end):
        if header.match(lines[index]):
            return index + 1
    return key_line(lines, key, start, end) or text_line(lines, key, start, end)


def text_line(lines: list[str], needle: str, start: int = 0, end: int | None = None) -> int | None:
    """1-based line of the first line containing ``needle``, between two 0-based indexes."""
    for index in range(start, len(lines) if end is None else end):
        if needle in lines[index]:
            return index + 1
    return None


def array_table_starts(lines: list[str], name: str) -> list[int]:
    """0-based indexes of the ``[[name]]`` headers, in file order."""
    header = re.compile(r"^\s*\[\[\s*" + re.escape(name) + r"\s*\]\]")
    return [index for index, line in enumerate(lines) if header.match(line)]


def _deepest(text: str) -> int:
    """1-based line where bracket nesting is deepest (strings and comments counted too:
    this only points at the place, for a file the parser has already refused)."""
    depth = best = 0
    row = best_row = 1
    for char in text:
        if char in "[{":
            depth += 1
            if depth > best:
                best, best_row = depth, row
        elif char in "]}":
            depth -= 1
        elif char == "\n":
            row += 1
    return best_row
