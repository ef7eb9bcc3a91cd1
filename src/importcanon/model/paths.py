"""Dotted paths, module expressions and file globs: pure matching logic.

No pattern is turned into a regular expression: a backtracking engine takes exponential
time on patterns such as ``*a*a*a*a*a*a*b``, and patterns come from the repository being
checked. Matching is the classic greedy wildcard algorithm, applied twice: within a
segment, the fixed-length chunks between two ``*`` are placed at the earliest place they
fit; within a path, the runs of segment patterns between two ``**`` are placed likewise.
Placing a run as early as possible never loses a match (whatever a later placement leaves
for the rest, the earlier one leaves more), so nothing is ever tried twice: the work is
at most the length of the text times the length of the pattern.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence

SegmentTest = Callable[[str], bool]
# A path pattern, compiled: runs of segment tests, each run after a gap of any number of
# segments (the first run starts the path; an empty first run means a leading gap).
Runs = tuple[tuple[SegmentTest, ...], ...]


FILE_SUFFIXES = frozenset(
    {"po", "pot", "mo", "py", "pyi", "pyc", "txt", "json", "yaml", "yml", "toml", "cfg", "ini",
     "md", "rst", "csv", "html", "css", "js", "png", "jpg", "svg", "xml", "log", "dat", "so",
     "pyd", "db", "sqlite", "zip", "gz", "tar", "whl", "lock", "pem", "key", "conf", "tmpl"}
)  # fmt: skip


def names_a_file(dotted: str) -> bool:
    """A dotted name whose last part is a file extension (`pkg.po`, `pkg.json`): a file's
    name, not a module path (`move` leaves it, IMC003 does not report it)."""
    return dotted.rpartition(".")[2].lower() in FILE_SUFFIXES


def covers(path: str, other: str) -> bool:
    """A dotted path covers itself and every dotted path that begins with it and a dot."""
    return other == path or other.startswith(path + ".")


# --- one segment: ``*`` (any run of characters) and ``?`` (one character) -------------


def _chunk_at(chunk: str, text: str, start: int) -> bool:
    """``chunk`` (literal characters and ``?``) matches ``text`` at ``start``."""
    if "?" not in chunk:
        return text.startswith(chunk, start)
    if start + len(chunk) > len(text):
        return False
    return all(c == "?" or c == text[start + i] for i, c in enumerate(chunk))


def _chunk_find(chunk: str, text: str, start: int, end: int) -> int:
    """The first place at or after ``start`` where ``chunk`` fits before ``end``, or -1."""
    if "?" not in chunk:
        return text.find(chunk, start, end)
    for place in range(start, end - len(chunk) + 1):
        if _chunk_at(chunk, text, place):
            return place
    return -1


def _match_chunks(chunks: tuple[str, ...], text: str) -> bool:
    """``text`` matches the chunks joined by ``*``: the first at the start, the last at the
    end, each one between at the first place it fits."""
    first, last = chunks[0], chunks[-1]
    if len(chunks) == 1:
        return len(text) == len(first) and _chunk_at(first, text, 0)
    end = len(text) - len(last)
    if end < len(first) or not _chunk_at(first, text, 0) or not _chunk_at(last, text, end):
        return False
    place = len(first)
    for chunk in chunks[1:-1]:
        if chunk:
            found = _chunk_find(chunk, text, place, end)
            if found < 0:
                return False
            place = found + len(chunk)
    return True


@functools.lru_cache(maxsize=4096)
def segment_test(pattern: str) -> SegmentTest:
    """A test of one path segment (no ``/`` in it) against ``pattern``, as
    ``fnmatch.fnmatchcase`` reads it without ``[...]`` classes: ``*`` is any run of
    characters, ``?`` any one character, everything else itself."""
    if "*" not in pattern and "?" not in pattern:
        return pattern.__eq__
    chunks = tuple(pattern.split("*"))
    if all(not chunk for chunk in chunks):
        return _any_segment
    if "?" not in pattern:  # the common shapes, answered by one string method
        if len(chunks) == 2 and not chunks[0]:
            return functools.partial(_ends_with, chunks[1])
        if len(chunks) == 2 and not chunks[1]:
            return functools.partial(_starts_with, chunks[0])
        if len(chunks) == 3 and not chunks[0] and not chunks[2]:
            return functools.partial(_contains, chunks[1])
    return functools.partial(_match_chunks, chunks)


def _ends_with(suffix: str, segment: str) -> bool:
    return segment.endswith(suffix)


def _starts_with(prefix: str, segment: str) -> bool:
    return segment.startswith(prefix)


def _contains(part: str, segment: str) -> bool:
    return part in segment


def _any_segment(segment: str) -> bool:
    return True


# --- a path: runs of segment tests separated by gaps ------------------------------------


def _run_at(run: Sequence[SegmentTest], items: Sequence[str], start: int) -> bool:
    for test in run:
        if not test(items[start]):
            return False
        start += 1
    return True


def _run_find(run: Sequence[SegmentTest], items: Sequence[str], start: int, end: int) -> int:
    if len(run) == 1:  # (the common case: one segment, anywhere)
        test = run[0]
        for place in range(start, end):
            if test(items[place]):
                return place
        return -1
    for place in range(start, end - len(run) + 1):
        if _run_at(run, items, place):
            return place
    return -1


def match_runs(runs: Runs, items: Sequence[str], *, whole: bool) -> bool:
    """``items`` match ``runs``: the first run at the start, each later one after a gap, at
    the first place it fits. With ``whole``, the last run ends at the end; without, any
    items may follow (a pattern naming a directory covers what is below it)."""
    first = runs[0]
    if len(first) > len(items) or not _run_at(first, items, 0):
        return False
    place = len(first)
    if len(runs) == 1:
        return place == len(items) or not whole
    end = len(items) - len(runs[-1]) if whole else len(items)
    for run in runs[1:-1] if whole else runs[1:]:
        found = _run_find(run, items, place, end)
        if found < 0:
            return False
        place = found + len(run)
    return not whole or (end >= place and _run_at(runs[-1], items, end))


def _runs(parts: Sequence[str | None]) -> Runs:
    """Runs from segment patterns, ``None`` standing for a gap."""
    runs: list[list[SegmentTest]] = [[]]
    for part in parts:
        if part is None:
            if runs[-1] or len(runs) == 1:
                runs.append([])
        else:
            runs[-1].append(segment_test(part))
    return tuple(tuple(run) for run in runs)


# --- module expressions --------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _expression_runs(expression: str) -> Runs:
    parts: list[str | None] = []
    for part in expression.split("."):
        if part == "**":  # one or more segments: one, then a gap
            parts.extend(["*", None])
        else:
            parts.append(part)
    return _runs(parts)


def matches_expression(expression: str, module: str) -> bool:
    """Module expressions as grimp reads them: ``*`` is one segment, ``**`` one or more."""
    return match_runs(_expression_runs(expression), module.split("."), whole=True)


# --- file globs ------------------------------------------------------------------------


def normalized_glob(pattern: str) -> str:
    """The pattern without surrounding blanks and leading ``./``."""
    pattern = pattern.strip()
    while pattern.startswith("./"):
        pattern = pattern[2:].lstrip("/")
    return pattern


@functools.lru_cache(maxsize=4096)
def _glob_runs(pattern: str) -> Runs:
    pattern = normalized_glob(pattern)
    anchored = "/" in pattern.rstrip("/")
    segments = pattern.strip("/").split("/")
    parts: list[str | None] = [] if anchored else [None]
    for index, segment in enumerate(segments):
        if segment != "**":
            parts.append(segment)
        elif index == len(segments) - 1:
            parts.append("*")  # a trailing `/**`: everything below (one segment or more)
        else:
            parts.append(None)
    return _runs(parts)


def matches_glob(pattern: str, relpath: str) -> bool:
    """Match a root-relative posix path against a glob.

    ``*`` and ``?`` stay within one path segment, ``**`` as a whole segment spans any
    number of segments (elsewhere it is ``*``); a pattern that matches a directory matches
    everything below it; a pattern without a slash matches at any depth (as in .gitignore).
    """
    return match_runs(_glob_runs(pattern), relpath.split("/"), whole=False)


def matches_any_glob(patterns: tuple[str, ...] | list[str], relpath: str) -> bool:
    if not patterns:
        return False
    items = relpath.split("/")
    return any(match_runs(_glob_runs(pattern), items, whole=False) for pattern in patterns)


# --- globs naming files, walked segment by segment (``text_files``) ---------------------


@functools.lru_cache(maxsize=1024)
def file_glob_parts(pattern: str) -> tuple[str | None, ...]:
    """A ``text_files`` glob as segment patterns, ``None`` for ``**`` (any number of
    segments, none included). It is anchored at the project root and names files."""
    segments = normalized_glob(pattern).split("/")
    return tuple(None if segment == "**" else segment for segment in segments)


def closure(parts: Sequence[str | None], states: frozenset[int]) -> frozenset[int]:
    """The states (indexes into ``parts``) reachable without consuming a segment."""
    found = set(states)
    for state in sorted(states):
        while state < len(parts) and parts[state] is None:
            state += 1
            found.add(state)
    return frozenset(found)


def step(parts: Sequence[str | None], states: frozenset[int], name: str) -> frozenset[int]:
    """The states after consuming the segment ``name``: at most one per pattern part."""
    found: set[int] = set()
    for state in states:
        if state >= len(parts):
            continue
        part = parts[state]
        if part is None:
            found.add(state)  # `**` takes this segment and may take more
        elif segment_test(part)(name):
            found.add(state + 1)
    return closure(parts, frozenset(found))


def literal_prefix(parts: Sequence[str | None]) -> list[str]:
    """The leading segments without wildcards: where a walk for the glob starts."""
    prefix: list[str] = []
    for part in parts[:-1]:
        if part is None or "*" in part or "?" in part:
            break
        prefix.append(part)
    return prefix


# --- chained moves ------------------------------------------------------------------------


def follow(moves: Mapping[str, str], path: str) -> tuple[list[str], bool]:
    """The dotted paths ``path`` goes through under ``moves`` (legacy -> canonical), and
    whether they loop. At each step the most specific legacy path that covers the current
    path is replaced by its canonical path, until none covers it: with
    ``{"a.b": "a.c.b", "a": "z"}``, ``a.b.X`` -> ``a.c.b.X`` -> ``z.c.b.X``. A move
    that applies again to a path at least as long as the one it applied to before would
    go on for ever (``{"a": "b", "b": "a"}``): the paths end there, looped. (Every chain
    ends: a move applied again to ever shorter paths stops when they run out.)"""
    paths = [path]
    lengths: dict[str, int] = {}
    while True:
        current = paths[-1]
        legacy = most_specific(moves, current)
        if legacy is None:
            return paths, False
        length = current.count(".")
        if lengths.get(legacy, length + 1) <= length:
            return paths, True
        lengths[legacy] = length
        paths.append(moves[legacy] + current[len(legacy) :])


def most_specific(moves: Mapping[str, str], path: str) -> str | None:
    """The longest key of ``moves`` that covers ``path``."""
    end = len(path)
    while end > 0:
        candidate = path[:end]
        if candidate in moves:
            return candidate
        end = path.rfind(".", 0, end)
    return None
