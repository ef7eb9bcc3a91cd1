"""The text side of the reduced parse: where a module's top-level ``def`` and ``class``
blocks are, the module-level source without their bodies, and the import statements
inside those bodies with where they sit. Plain text analysis (no syntax tree): the parser
(analysis/parse.py) parses what this finds and falls back to a full parse whenever this
returns a reason instead of a plan.

It is only asked about text that CPython has already accepted (parse.py validates the whole
file first), so every line is well formed; what it must not do is misplace a line. The
rules it relies on, each one a property of valid Python source:

- a top-level statement starts at column 0, on a line that is not inside a string, not
  after a backslash continuation and not inside brackets; a line that starts with a
  closing bracket is never a statement's start;
- the first such line after a top-level ``def``/``class`` header ends that block. A line
  inside brackets taken for one leaves an unmatched closing bracket in the reduced source,
  which then fails to parse (and the parser falls back); backslash continuations at
  column 0, form feeds and tabs in indentation are not handled at all (fallback);
- the keyword ``import`` outside strings and comments is always an import statement's;
- a statement's enclosing blocks are the header lines above it with less indentation.

Strings are found with one regular expression, which lexes them as CPython's tokenizer does
up to Python 3.11 (an f-string is lexed as a plain string there). From 3.12 on, an f-string
may hold its own quotes, so any file with an f-string (or t-string) literal goes to the full
parse there.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import sys

# Comments and string literals, in source order (prefixes need not be seen: up to 3.11 no
# prefix changes where a string ends, and the text is valid).
_LEXEME = re.compile(
    r"""\#[^\n]*"""
    r"""|'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''"""
    r'''|"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""'''
    r"""|'[^'\\\n]*(?:\\.[^'\\\n]*)*'"""
    r'''|"[^"\\\n]*(?:\\.[^"\\\n]*)*"''',
    re.DOTALL,
)
_FSTRING = re.compile(r"""[fFtT][rR]?['"]|[rR][fFtT]['"]""")
_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)
_HEADER = re.compile(r"(?:async[ ]+)?def[ ]+([^\W\d]\w*)|class[ ]+([^\W\d]\w*)")
_LINE_START = re.compile(r"^[^ #)\]}\n]", re.MULTILINE)  # may start a top-level statement
_IMPORT = re.compile(r"\bimport\b")
_FROM_PREFIX = re.compile(r"[ ]*from\b[ .\w]*")
_IF = re.compile(r"(?:el)?if\b(.*)", re.DOTALL)
_OTHER_BLOCK = re.compile(
    r"(?:try|finally|else)[ ]*|(?:except|for|while|with|async[ ]+(?:for|with))\b.*"
)
_DEF = re.compile(r"(?:async[ ]+)?def\b")
_CLASS = re.compile(r"class\b")

# A plan: the module-level source (top-level bodies blanked, each header replaced by a stub
# of the same name on the same row), and the body imports: (0-based row, character
# column, the statement's text onward, in a function, the enclosing ``if`` tests that
# must be read as TYPE_CHECKING or not).
BodyImport = tuple[int, int, str, bool, tuple[str, ...]]


class Plan:
    __slots__ = ("imports", "text")

    def __init__(self, text: str, imports: list[BodyImport]) -> None:
        self.text = text
        self.imports = imports


def plan(text: str) -> Plan | str:
    """The reduced source and body imports of valid source ``text``, or why not."""
    if "\x0c" in text:
        return "form feed"
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")  # as CPython reads it
    if "\t" in text and _TAB_INDENT.search(text):
        return "tab in indentation"
    if sys.version_info >= (3, 12) and _FSTRING.search(text):
        return "f-string (3.12 grammar)"
    return _Scan(text).plan()


class _Scan:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.offsets = list(itertools.accumulate((len(x) + 1 for x in self.lines), initial=0))
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.in_string: set[int] = set()  # rows whose start is inside a string

    def plan(self) -> Plan | str:
        self.lex()
        blocks = self.blocks()
        if isinstance(blocks, str):
            return blocks
        imports = self.body_imports(blocks)
        if isinstance(imports, str):
            return imports
        lines = list(self.lines)
        for start, end, stub in blocks:
            lines[start] = stub
            lines[start + 1 : end] = [""] * (end - start - 1)
        return Plan("\n".join(lines), imports)

    def lex(self) -> None:
        spans = [match.span() for match in _LEXEME.finditer(self.text)]
        self.starts = [start for start, _ in spans]
        self.ends = [end for _, end in spans]
        offsets, find = self.offsets, self.text.find
        for start, end in spans:
            if find("\n", start, end) != -1:
                first = bisect.bisect_right(offsets, start)
                self.in_string.update(range(first, bisect.bisect_left(offsets, end)))

    def lexeme_at(self, position: int) -> int | None:
        """The index of the comment or string that holds ``position``, if any."""
        index = bisect.bisect_right(self.starts, position) - 1
        return index if index >= 0 and position < self.ends[index] else None

    def blocks(self) -> list[tuple[int, int, str]] | str:
        """(header row, end row, stub) of every top-level def/class block."""
        starts: list[int] = []
        for match in _LINE_START.finditer(self.text):
            row = bisect.bisect_right(self.offsets, match.start()) - 1
            if row in self.in_string:
                continue
            if match.group() == "\\" or (row and self.lines[row - 1].endswith("\\")):
                return "continuation line at column 0"
            starts.append(row)
        found = []
        for index, row in enumerate(starts):
            header = _HEADER.match(self.lines[row])
            if header is None:
                continue
            end = starts[index + 1] if index + 1 < len(starts) else len(self.lines)
            name = header.group(1) or header.group(2)
            stub = f"def {name}(): pass" if header.group(1) else f"class {name}: pass"
            found.append((row, end, stub))
        return found

    def body_imports(self, blocks: list[tuple[int, int, str]]) -> list[BodyImport] | str:
        found: list[BodyImport] = []
        for header, end, _ in blocks:
            first, last = self.offsets[header], min(self.offsets[end], len(self.text))
            if self.text.find("import", first, last) == -1:
                continue
            for match in _IMPORT.finditer(self.text, first, last):
                position = match.start()
                if self.lexeme_at(position) is not None:
                    continue
                row = bisect.bisect_right(self.offsets, position, header, end) - 1
                placed = self.place(row, position, header)
                if isinstance(placed, str):
                    return placed
                found.append(placed)
        return found

    def place(self, row: int, position: int, header: int) -> BodyImport | str:
        line = self.lines[row]
        prefix = line[: position - self.offsets[row]]
        if prefix.strip(" ") and not _FROM_PREFIX.fullmatch(prefix):
            return "import after other code on its line"
        if self.lines[row - 1].endswith("\\"):
            return "continuation line"
        column = len(prefix) - len(prefix.lstrip(" "))
        start = self.offsets[row] + column
        end = self.statement_end(row, match_end=position + len("import"))
        if end is None:
            return "import not closed"
        tests: list[str] = []
        in_function = False
        depth = column
        # the lines above, back to the header, that are indented less than the import
        shallow = _shallow(column).finditer(self.text, self.offsets[header], self.offsets[row])
        for found in reversed([match.start() for match in shallow]):
            above = bisect.bisect_right(self.offsets, found, header, row) - 1
            code = self.code_of(above)
            indent = len(code) - len(code.lstrip(" "))
            if not code.strip() or indent >= depth or code[indent] in ")]}":
                continue  # (a line that starts with a closing bracket continues another)
            if above > header and self.lines[above - 1].endswith("\\"):
                return "continuation line"
            kind = _header_kind(code[indent:], tests)
            if kind is None:
                return "unrecognised block header"
            in_function = in_function or kind == "def"
            depth = indent
            if depth == 0:
                return (row, column, self.text[start:end], in_function, tuple(tests))
        return "unrecognised block header"

    def code_of(self, row: int) -> str:
        """A line without its comment; blank for a line that starts inside a string."""
        if row in self.in_string:
            return ""
        line = self.lines[row]
        hash_at = line.find("#")
        while hash_at != -1:
            index = self.lexeme_at(self.offsets[row] + hash_at)
            if index is not None and self.text[self.starts[index]] == "#":
                return line[:hash_at].rstrip(" ")
            hash_at = line.find("#", hash_at + 1)
        return line.rstrip(" ")

    def statement_end(self, row: int, *, match_end: int) -> int | None:
        """Where the text handed to the parser ends: the line's end, or after the closing
        parenthesis of a parenthesised name list."""
        line_end = self.offsets[row] + len(self.lines[row])
        rest = self.text[match_end:line_end].lstrip(" ")
        if not rest.startswith("("):
            return line_end
        close = self.text.find(")", match_end)
        while close != -1 and self.lexeme_at(close) is not None:
            close = self.text.find(")", close + 1)
        return None if close == -1 else close + 1


def _header_kind(code: str, tests: list[str]) -> str | None:
    """What kind of block header ``code`` (a whole line from its first character, without
    its comment) is, if it is one; an ``if``/``elif`` test is recorded in ``tests``. A
    ``def`` or ``class`` line may go on over more lines (no continuation starts with those
    keywords); any other header must be whole on its line, brackets balanced (a line inside
    brackets can hold a comprehension's ``for`` or a conditional's ``if``, never such a line)."""
    if _DEF.match(code):
        return "def"
    if _CLASS.match(code):
        return "class"
    if not code.endswith(":") or any(code.count(a) != code.count(b) for a, b in _PAIRS):
        return None
    head = code[:-1]
    test = _IF.fullmatch(head)
    if test is not None:
        tests.append(test.group(1))
        return "if"
    return "other" if _OTHER_BLOCK.fullmatch(head) else None


_PAIRS = (("(", ")"), ("[", "]"), ("{", "}"))


@functools.lru_cache(maxsize=64)
def _shallow(indent: int) -> re.Pattern[str]:
    """Lines indented by fewer than ``indent`` spaces (blank lines aside)."""
    return re.compile(rf"^ {{0,{max(indent - 1, 0)}}}[^ \n]", re.MULTILINE)
