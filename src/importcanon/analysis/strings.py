"""Where the string literals of a file are, from its tokens (docstrings and f-strings
included, comments not). Computed only for files whose text could hold a match."""

from __future__ import annotations

import io
import tokenize

from importcanon.model.facts import Span

_FSTRING_START = getattr(tokenize, "FSTRING_START", -1)
_FSTRING_END = getattr(tokenize, "FSTRING_END", -1)


def string_spans(text: str) -> list[Span]:
    """Spans of every string literal (1-based rows and columns, end exclusive)."""
    spans: list[Span] = []
    open_fstrings: list[tuple[int, int]] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.STRING:
                spans.append(_span(token.start, token.end))
            elif token.type == _FSTRING_START:
                open_fstrings.append(token.start)
            elif token.type == _FSTRING_END and open_fstrings:
                spans.append(_span(open_fstrings.pop(), token.end))
    except (tokenize.TokenError, SyntaxError):
        pass  # a file that does not tokenize is an IMC900 already
    return spans


def _span(start: tuple[int, int], end: tuple[int, int]) -> Span:
    return Span(start[0], start[1] + 1, end[0], end[1] + 1)


def inside(position: tuple[int, int], spans: list[Span]) -> bool:
    return any((s.row, s.col) < position < (s.end_row, s.end_col) for s in spans)
