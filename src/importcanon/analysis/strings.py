"""Where the string literals of a file are (docstrings and f-strings included, comments
not). Computed only for files whose text could hold a match, from the parser's tree (the
pure-Python tokenizer is quadratic on very long strings)."""

from __future__ import annotations

import ast
import bisect

from importcanon.analysis.source import char_column, split_lines

# (row, col, end_row, end_col): 1-based, end exclusive (plain tuples: every run that checks
# moved modules imports this module, and a run answered from the cache loads no facts)
Span = tuple[int, int, int, int]


def string_spans(text: str) -> list[Span]:
    """Spans of every string literal (1-based rows and columns, end exclusive)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []  # a file that does not parse is an IMC900 already
    lines = split_lines(text)
    spans: list[Span] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        is_string = isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))
        if is_string or isinstance(node, ast.JoinedStr):
            assert isinstance(node, ast.expr)
            end_row = node.end_lineno or node.lineno
            spans.append(
                (
                    node.lineno,
                    char_column(lines[node.lineno - 1], node.col_offset),
                    end_row,
                    char_column(lines[end_row - 1], node.end_col_offset or 0),
                )
            )
            continue  # the parts of an f-string are inside its span
        stack.extend(ast.iter_child_nodes(node))
    spans.sort()
    return spans


def inside(position: tuple[int, int], spans: list[Span]) -> bool:
    """Whether ``position`` lies strictly inside one of ``spans`` (sorted, disjoint)."""
    index = bisect.bisect_left(spans, position, key=lambda s: (s[0], s[1])) - 1
    if index < 0:
        return False
    row, col, end_row, end_col = spans[index]
    return (row, col) < position < (end_row, end_col)
