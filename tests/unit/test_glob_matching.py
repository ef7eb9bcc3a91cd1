"""The glob and module-expression matchers: the semantics of fnmatch (within a segment)
and of the earlier regular-expression translation (across segments), in linear time."""

from __future__ import annotations

import fnmatch
import functools
import itertools
import re
import time

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from importcanon.model.paths import (
    closure,
    file_glob_parts,
    matches_expression,
    matches_glob,
    segment_test,
    step,
)

SEGMENT_PATTERNS = st.text(alphabet="ab*?", max_size=7)
NAMES = st.text(alphabet="ab", min_size=1, max_size=8)
PATHS = st.lists(NAMES, min_size=1, max_size=6).map("/".join)
GLOB_SEGMENTS = st.sampled_from(["a", "b", "ab", "*", "?", "a*", "*b", "?b", "a*b", "**"])


def _old_glob_regex(pattern: str) -> re.Pattern[str]:
    """The translation importcanon used before (a backtracking regular expression): the
    reference for the meaning of every glob whose ``**`` are whole segments."""
    pattern = pattern.strip()
    while pattern.startswith("./"):
        pattern = pattern[2:].lstrip("/")
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
    prefix = "" if anchored else r"(?:[^/]+/)*"
    return re.compile(prefix + "".join(out) + r"(?:/.*)?\Z")


def _old_expression_regex(expression: str) -> re.Pattern[str]:
    parts = []
    for part in expression.split("."):
        if part == "**":
            parts.append(r"[^.]+(?:\.[^.]+)*")
        elif part == "*":
            parts.append(r"[^.]+")
        else:
            parts.append(re.escape(part))
    return re.compile(r"\.".join(parts) + r"\Z")


def _walk_oracle(pattern: str, path: str) -> bool:
    """A file glob (anchored, whole path), by plain recursion with fnmatch per segment."""
    parts = pattern.split("/")
    names = path.split("/")

    @functools.cache
    def match(i: int, j: int) -> bool:
        if i == len(parts):
            return j == len(names)
        if parts[i] == "**":
            return match(i + 1, j) or (j < len(names) and match(i, j + 1))
        return j < len(names) and fnmatch.fnmatchcase(names[j], parts[i]) and match(i + 1, j + 1)

    return match(0, 0)


def _walk(pattern: str, path: str) -> bool:
    parts = file_glob_parts(pattern)
    states = closure(parts, frozenset({0}))
    for name in path.split("/"):
        states = step(parts, states, name)
    return len(parts) in states


@settings(max_examples=1000)
@given(SEGMENT_PATTERNS, st.text(alphabet="ab", max_size=10))
def test_a_segment_matches_as_fnmatch_does(pattern: str, name: str) -> None:
    assert segment_test(pattern)(name) == fnmatch.fnmatchcase(name, pattern)


@settings(max_examples=400)
@given(
    st.lists(GLOB_SEGMENTS, min_size=1, max_size=5),
    st.sampled_from(["", "./", "/"]),
    st.sampled_from(["", "/"]),
    PATHS,
)
def test_a_glob_matches_as_before(segments: list[str], lead: str, tail: str, path: str) -> None:
    pattern = lead + "/".join(segments) + tail
    assert matches_glob(pattern, path) == bool(_old_glob_regex(pattern).match(path)), pattern


@settings(max_examples=400)
@given(st.lists(st.sampled_from(["a", "b", "*", "**"]), min_size=1, max_size=5), NAMES)
def test_a_module_expression_matches_as_before(parts: list[str], word: str) -> None:
    assume(not any(a == b == "**" for a, b in itertools.pairwise(parts)))  # (not valid)
    expression = ".".join(parts)
    module = ".".join(word)  # one segment per letter
    expected = bool(_old_expression_regex(expression).match(module))
    assert matches_expression(expression, module) == expected, (expression, module)


@settings(max_examples=400)
@given(st.lists(GLOB_SEGMENTS, min_size=1, max_size=5), PATHS)
def test_a_file_glob_walks_as_plain_recursion_matches(segments: list[str], path: str) -> None:
    pattern = "/".join(segments)
    assert _walk(pattern, path) == _walk_oracle(pattern, path), pattern


def test_a_segment_places_each_chunk_before_the_last() -> None:
    assert not segment_test("*ba*a")("aba") and not segment_test("*b?*a")("aba")
    assert segment_test("*ba*a")("abaa") and segment_test("a*?b*b")("aabb")


def test_a_double_star_inside_a_segment_is_a_star() -> None:
    assert matches_glob("a**b", "x/axyb/c.py") and not matches_glob("src/a**b", "src/a/b")
    assert matches_glob("docs/**", "docs/a/b.md") and not matches_glob("docs/**", "docs")


def _quick(check: object) -> float:
    start = time.perf_counter()
    assert callable(check)
    check()
    return time.perf_counter() - start


def test_hostile_patterns_take_linear_time() -> None:
    star = "*a" * 15 + "*b"
    gaps = "/".join(["**", "a"] * 15 + ["b"])
    expression = ".".join(["**", "a"] * 15 + ["b"])
    name = "a" * 2000
    cases = [
        lambda: matches_glob(star, f"src/{name}.py"),
        lambda: matches_glob(gaps, "/".join("a" * 500)),
        lambda: matches_expression(expression, ".".join("a" * 500)),
        lambda: segment_test(star.replace("a", "?"))(name),
        lambda: _walk(gaps, "/".join("a" * 300)),
    ]
    for case in cases:
        assert _quick(case) < 0.5
