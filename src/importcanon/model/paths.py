"""Dotted paths, module expressions and file globs: pure matching logic."""

from __future__ import annotations

import functools
import re


def covers(path: str, other: str) -> bool:
    """A dotted path covers itself and every dotted path that begins with it and a dot."""
    return other == path or other.startswith(path + ".")


@functools.lru_cache(maxsize=4096)
def _expression_regex(expression: str) -> re.Pattern[str]:
    parts = []
    for part in expression.split("."):
        if part == "**":
            parts.append(r"[^.]+(?:\.[^.]+)*")
        elif part == "*":
            parts.append(r"[^.]+")
        else:
            parts.append(re.escape(part))
    return re.compile(r"\.".join(parts) + r"\Z")


def matches_expression(expression: str, module: str) -> bool:
    """Module expressions as grimp reads them: ``*`` is one segment, ``**`` one or more."""
    return bool(_expression_regex(expression).match(module))


@functools.lru_cache(maxsize=4096)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    pattern = pattern.strip().lstrip("./") if pattern.startswith("./") else pattern.strip()
    anchored = "/" in pattern.rstrip("/")
    pattern = pattern.strip("/")
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append(r"(?:[^/]+/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(r".*")
            i += 2
        elif pattern[i] == "*":
            out.append(r"[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append(r"[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    body = "".join(out)
    prefix = "" if anchored else r"(?:[^/]+/)*"
    return re.compile(prefix + body + r"(?:/.*)?\Z")


def matches_glob(pattern: str, relpath: str) -> bool:
    """Match a root-relative posix path against a glob.

    ``*`` and ``?`` stay within one path segment, ``**`` spans any number of segments;
    a pattern that matches a directory matches everything below it; a pattern without
    a slash matches at any depth (as in .gitignore).
    """
    return bool(_glob_regex(pattern).match(relpath))


def matches_any_glob(patterns: tuple[str, ...] | list[str], relpath: str) -> bool:
    return any(matches_glob(pattern, relpath) for pattern in patterns)
