"""Where the string literals of a file are (docstrings and f-strings included, comments
not), and which of them name a module where they stand (the argument of an import call,
a key of ``sys.modules``). Computed only for files whose text could hold a match, from the
parser's tree (the pure-Python tokenizer is quadratic on very long strings)."""

from __future__ import annotations

import ast
import bisect
from typing import NamedTuple

from importcanon.analysis.source import char_column, split_lines

# (row, col, end_row, end_col): 1-based, end exclusive (plain tuples: every run that checks
# moved modules imports this module, and a run answered from the cache loads no facts)
Span = tuple[int, int, int, int]

# Calls whose first argument is a module's dotted name (`importlib.import_module("x")`,
# `pytest.importorskip("x")`, `logging.getLogger("x")`, ...).
MODULE_CALLS = frozenset(
    {
        "import_module",
        "__import__",
        "find_spec",
        "find_loader",
        "importorskip",
        "resolve_name",
        "run_module",
        "getLogger",
    }
)


class Strings(NamedTuple):
    """The string literals of a file (sorted), and those that name a module where they
    stand, with their values."""

    spans: list[Span]
    module_names: dict[Span, str]


def string_spans(text: str) -> list[Span]:
    """Spans of every string literal (1-based rows and columns, end exclusive)."""
    return scan(text).spans


def scan(text: str) -> Strings:
    """Every string literal's span, and the module names among them."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return Strings([], {})  # a file that does not parse is an IMC900 already
    lines = split_lines(text)
    spans: list[Span] = []
    named: list[ast.expr] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        is_string = isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))
        if is_string or isinstance(node, ast.JoinedStr):
            assert isinstance(node, ast.expr)
            spans.append(_span(node, lines))
            continue  # the parts of an f-string are inside its span
        named.extend(_module_name_of(node))
        stack.extend(ast.iter_child_nodes(node))
    spans.sort()
    module_names = {
        _span(node, lines): node.value
        for node in named
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    return Strings(spans, module_names)


def _span(node: ast.expr, lines: list[str]) -> Span:
    end_row = node.end_lineno or node.lineno
    return (
        node.lineno,
        char_column(lines[node.lineno - 1], node.col_offset),
        end_row,
        char_column(lines[end_row - 1], node.end_col_offset or 0),
    )


def _module_name_of(node: ast.AST) -> list[ast.expr]:
    """The expression that ``node`` uses as a module's name, if any: the first argument of
    a call in MODULE_CALLS, the key of ``sys.modules[...]``, the left of ``... in
    sys.modules``."""
    if isinstance(node, ast.Call) and node.args:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return [node.args[0]] if name in MODULE_CALLS else []
    if isinstance(node, ast.Subscript) and _is_sys_modules(node.value):
        return [node.slice]
    if (
        isinstance(node, ast.Compare)
        and len(node.ops) == 1
        and isinstance(node.ops[0], (ast.In, ast.NotIn))
        and _is_sys_modules(node.comparators[0])
    ):
        return [node.left]
    return []


def _is_sys_modules(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "modules"
        and isinstance(node.value, ast.Name)
        and node.value.id == "sys"
    )


def inside(position: tuple[int, int], spans: list[Span]) -> bool:
    """Whether ``position`` lies strictly inside one of ``spans`` (sorted, disjoint)."""
    return containing(position, spans) is not None


def containing(position: tuple[int, int], spans: list[Span]) -> Span | None:
    """The span of ``spans`` (sorted, disjoint) that ``position`` lies strictly inside."""
    index = bisect.bisect_left(spans, position, key=lambda s: (s[0], s[1])) - 1
    if index < 0:
        return None
    span = spans[index]
    row, col, end_row, end_col = span
    return span if (row, col) < position < (end_row, end_col) else None
