"""`check --add-noqa`: add `# noqa: CODE` comments to the lines of diagnostics, in bytes,
leaving every other byte of the file as it was."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Mapping

from importcanon.analysis.noqa import find
from importcanon.analysis.source import decode, encoding_of

_LINE = re.compile(rb"(.*?)(\r\n|\r|\n)?\Z", re.DOTALL)


def commentable_rows(text: str) -> set[int] | None:
    """Rows whose end is outside any string and not continued by a backslash: a comment
    appended there is a comment. None when the file does not tokenize."""
    rows: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in (tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT):
                rows.add(token.start[0])
            elif token.type == tokenize.ENDMARKER and text and not text.endswith(("\n", "\r")):
                rows.add(token.start[0] - 1 if token.start[1] == 0 else token.start[0])
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    return rows


def place(
    wanted: Mapping[tuple[int, int], set[str]], rows: set[int]
) -> tuple[dict[int, set[str]], int]:
    """The row each suppression goes on (the first commentable row of its statement), and
    how many found no such row."""
    placed: dict[int, set[str]] = {}
    missed = 0
    for (first, last), codes in sorted(wanted.items()):
        row = next((r for r in range(first, last + 1) if r in rows), None)
        if row is None:
            missed += 1
            continue
        placed.setdefault(row, set()).update(codes)
    return placed, missed


def _with_codes(line: str, codes: set[str]) -> str:
    match = find(line)
    if match is None:
        return f"{line.rstrip()}  # noqa: {', '.join(sorted(codes))}"
    if not match.group("codes"):
        return line  # a bare noqa comment already suppresses everything
    known = [c.upper() for c in re.split(r"[,\s]+", match.group("codes")) if c]
    merged = known + sorted(codes - set(known))
    return line[: match.start("codes")] + ", ".join(merged) + line[match.end("codes") :]


def add_noqa(data: bytes, wanted: Mapping[tuple[int, int], set[str]]) -> tuple[bytes, int, int]:
    """(new content, suppressions added, suppressions that found no place). The content is
    unchanged unless the file parses to the same tree before and after."""
    try:
        text = decode(data)
        before = ast.dump(ast.parse(data))
    except (SyntaxError, UnicodeDecodeError, ValueError):
        return data, 0, len(wanted)
    rows = commentable_rows(text)
    if rows is None:
        return data, 0, len(wanted)
    placed, missed = place(wanted, rows)
    encoding = encoding_of(data)
    encoding = "utf-8" if encoding == "utf-8-sig" else encoding  # the BOM stays in line 1
    lines = data.splitlines(keepends=True)
    added = 0
    for row, codes in placed.items():
        if not 1 <= row <= len(lines):
            missed += 1
            continue
        match = _LINE.match(lines[row - 1])
        assert match is not None  # the pattern matches any line
        body, end = match.group(1), match.group(2) or b""
        old = body.decode(encoding)
        new = _with_codes(old, codes)
        if new != old:
            lines[row - 1] = new.encode(encoding) + end
            added += 1
    result = b"".join(lines)
    try:
        same = ast.dump(ast.parse(result)) == before
    except (SyntaxError, ValueError):
        same = False
    return (result, added, missed) if same else (data, 0, len(wanted))
