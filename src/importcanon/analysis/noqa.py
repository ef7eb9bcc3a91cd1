"""``# noqa`` comments, read the way flake8 reads them."""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Mapping

from importcanon.model.codes import Codes

_NOQA = re.compile(
    r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]*(?:[,\s]+[A-Z]+[0-9]*)*))?", re.IGNORECASE
)
ALL = frozenset({"*"})


def noqa_codes(lines: Mapping[int, str], first: int, last: int) -> frozenset[str] | None:
    """Codes suppressed on physical lines ``first..last`` (``lines`` maps 1-based rows to
    their text; rows without a noqa comment may be left out); ``ALL`` for a bare
    ``# noqa``; None when there is no noqa comment."""
    found: set[str] = set()
    seen = False
    for row in range(max(first, 1), last + 1):
        line = lines.get(row)
        if line is None or "#" not in line:
            continue
        match = _NOQA.search(line)
        if match is None:
            continue
        seen = True
        codes = match.group("codes")
        if not codes:
            return ALL
        found.update(code.upper() for code in re.split(r"[,\s]+", codes) if code)
    return frozenset(found) if seen else None


def suppressed(code: str, codes: frozenset[str] | None) -> bool:
    """Codes match by prefix, as in flake8 (``IMC1`` covers IMC101..IMC103)."""
    if codes is None:
        return False
    return codes is ALL or "*" in codes or any(code.startswith(c) for c in codes)


def unknown_codes(line: str, *, codes: Codes) -> list[str]:
    """IMC codes of a line's noqa comment that name no rule of ``codes`` (nor a prefix of
    one); codes of other tools (E501, F401) are theirs to judge."""
    match = _NOQA.search(line)
    if match is None or not match.group("codes"):
        return []
    found = [code.upper() for code in re.split(r"[,\s]+", match.group("codes")) if code]
    return [code for code in found if code.startswith("IMC") and not codes.is_selector(code)]


def find(line: str) -> re.Match[str] | None:
    """The noqa comment of a line (group ``codes`` holds its codes, if any)."""
    return _NOQA.search(line)


def unknown_in_comments(lines: list[str], *, codes: Codes) -> list[tuple[int, str]]:
    """(row, code) of the unknown IMC codes in a file's noqa comments; a string that
    mentions noqa is no comment."""
    found: list[tuple[int, str]] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO("\n".join(lines)).readline):
            if token.type == tokenize.COMMENT:
                unknown = unknown_codes(token.string, codes=codes)
                found.extend((token.start[0], code) for code in unknown)
    except (tokenize.TokenError, SyntaxError):
        pass
    return found
