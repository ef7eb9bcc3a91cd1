"""TOML reading with line numbers for error messages (tomllib does not keep them)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from importcanon.model.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

_AT_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def read_toml(path: Path) -> tuple[dict[str, Any], list[str]]:
    """Parse ``path``; return the document and its lines. Syntax errors become ConfigError."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path=path) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _AT_LINE.search(str(exc))
        line = int(match.group(1)) if match else None
        message = _AT_LINE.sub("", str(exc)).strip()
        raise ConfigError(f"invalid TOML: {message}", path=path, line=line) from exc
    return data, text.splitlines()


def key_line(lines: list[str], key: str, start: int = 0, end: int | None = None) -> int | None:
    """1-based line of ``key = ...`` (bare or quoted key) between two 0-based line indexes."""
    pattern = re.compile(r"^\s*(?:" + re.escape(key) + r"|([\"'])" + re.escape(key) + r"\1)\s*=")
    for index in range(start, len(lines) if end is None else end):
        if pattern.match(lines[index]):
            return index + 1
    return None


_KEY_AT_START = re.compile(r"""\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_.-]+))\s*=""")
_QUOTED = re.compile(r""""([^"\n]*)"|'([^'\n]*)'""")


def key_lines(lines: list[str], start: int = 0, end: int | None = None) -> dict[str, int]:
    """1-based line of the first ``key = ...`` of each key between two 0-based indexes
    (one pass: a contract with 10,000 entries is indexed in linear time)."""
    found: dict[str, int] = {}
    for index in range(start, len(lines) if end is None else end):
        match = _KEY_AT_START.match(lines[index])
        if match:
            key = next(g for g in match.groups() if g is not None)
            found.setdefault(key, index + 1)
    return found


def string_lines(lines: list[str], start: int = 0, end: int | None = None) -> dict[str, int]:
    """1-based line of the first quoted occurrence of each string between two indexes."""
    found: dict[str, int] = {}
    for index in range(start, len(lines) if end is None else end):
        for match in _QUOTED.finditer(lines[index]):
            found.setdefault(
                match.group(1) if match.group(1) is not None else match.group(2), index + 1
            )
    return found


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
