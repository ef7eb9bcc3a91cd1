"""The one definition of a line, shared by reading, reporting and fixing.

Python's tokenizer (and so ``ast`` row numbers) ends a line at ``\\r\\n``, ``\\r`` or
``\\n`` only. ``str.splitlines`` also breaks at form feeds, ``\\x1c``-``\\x1e``, ``\\x85``,
U+2028 and U+2029, which would shift every row after such a character; it is not used.
"""

from __future__ import annotations

import re

_NEWLINE = re.compile(r"\r\n|\r|\n")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def split_lines(text: str) -> list[str]:
    """Lines without their endings; ``"a\\n"`` is ``["a", ""]`` (as ``str.split``)."""
    if "\r" not in text:  # (the common case: the same split, several times faster)
        return text.split("\n")
    return _NEWLINE.split(text)


def lines_with_ends(text: str) -> list[str]:
    """Lines with their own endings, joined back they give ``text``; no empty last line."""
    found = [m.group(0) for m in _LINE.finditer(text)]
    if found and found[-1] == "":
        found.pop()
    return found


def newline_of(text: str) -> str:
    """The first line ending of ``text`` (``\\n`` when it has none)."""
    match = _NEWLINE.search(text)
    return match.group(0) if match else "\n"


def ends_with_newline(text: str) -> bool:
    return text.endswith(("\n", "\r"))
