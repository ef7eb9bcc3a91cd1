"""Rewriting the Python examples that documentation holds, for `importcanon move OLD NEW`:
doctests (`>>>` / `...` lines, in docstrings and in Markdown, reST and text pages) and fenced
or directive code blocks of Python.

An example is rewritten by the same engine as a Python file (`move_python.rewrite_python`):
the examples of one docstring or page are one program (doctest runs them in one namespace),
assembled from their code with the prompts stripped, rewritten, then put back line by line
with their prompts and indentation. A top-level name that the examples use but never bind
(the page imported it in prose, the module's globals hold it) is taken to be the package, as
if the program began with `import OLD`. The expected output of a doctest is rewritten where
it prints a qualified name (`<class 'a.b.C'>`, `<a.b.C object at 0x...>`, `<module 'a.b'>`,
a traceback's `a.b.Error: ...`). An example that does not parse has only its import lines
rewritten, where one line alone is unambiguous; the rest is reported, never guessed at.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass, field

from importcanon.fixes.move_python import Rename, UnparsableFile, Unsure, Where, rewrite_python
from importcanon.model.lines import lines_with_ends
from importcanon.model.paths import covers

PS1 = re.compile(r"(?P<indent>[ \t]*)>>>(?: |$)")
_MARK = "# importcanon: example {}"
_HEADER = "# importcanon: examples start"
_NOWHERE = Where(None, False, None)

PYTHON_LANGUAGES = frozenset({"python", "py", "python3", "py3", "pyi", "pycon", "python-repl"})
_FENCE = re.compile(r"(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*\{?\.?(?P<lang>[\w+-]*)")
_DIRECTIVE = re.compile(
    r"(?P<indent>[ \t]*)\.\.[ \t]+(?P<name>code-block|code|sourcecode|testcode|testsetup"
    r"|testcleanup|doctest)::[ \t]*(?P<lang>[\w+-]*)"
)
_OPTION = re.compile(r"[ \t]+:[\w-]+:")


@dataclass
class Piece:
    """One example (a doctest's source lines) or one code block: the rows it occupies, the
    text before the code on each row (prompt and indentation) and the code itself."""

    rows: list[int]
    prefixes: list[str]
    code: list[str]
    doctest: bool
    indent: str = ""


@dataclass
class ExampleResult:
    text: str
    changes: int = 0
    unsure: list[Unsure] = field(default_factory=list)
    owned: set[int] = field(default_factory=set)  # 0-based rows that are examples


# -- finding examples --------------------------------------------------------------------


def doctest_pieces(lines: list[str]) -> tuple[list[Piece], list[int]]:
    """The doctest examples of some lines (as `doctest.DocTestParser` finds them) and the
    rows of their expected output."""
    pieces: list[Piece] = []
    wants: list[int] = []
    i = 0
    while i < len(lines):
        match = PS1.match(lines[i])
        if match is None:
            i += 1
            continue
        indent = match.group("indent")
        continuation = re.compile(re.escape(indent) + r"\.\.\.(?: |$)")
        rows = [i]
        i += 1
        while i < len(lines) and continuation.match(lines[i]):
            rows.append(i)
            i += 1
        while i < len(lines) and lines[i].strip() and not PS1.match(lines[i]):
            wants.append(i)
            i += 1
        cut = len(indent) + 4
        pieces.append(
            Piece(
                rows,
                [lines[r][:cut] for r in rows],
                [lines[r][cut:] for r in rows],
                doctest=True,
                indent=indent,
            )
        )
    return pieces, wants


def code_pieces(lines: list[str], *, markdown: bool, rst: bool) -> list[Piece]:
    """Python code blocks without `>>>` prompts: Markdown fences of a Python language, reST
    `code-block`/`code`/`sourcecode` of a Python language and `testcode`/`testsetup`."""
    pieces: list[Piece] = []
    for rows in (_fences(lines) if markdown else []) + (_directives(lines) if rst else []):
        if not rows or any(PS1.match(lines[r]) for r in rows):
            continue  # a doctest: found as such
        filled = [lines[r] for r in rows if lines[r].strip()]
        if not filled:
            continue
        indent = min((t[: len(t) - len(t.lstrip(" \t"))] for t in filled), key=len)
        prefixes = [lines[r][: len(indent)] if lines[r].strip() else "" for r in rows]
        code = [lines[r][len(indent) :] if lines[r].strip() else "" for r in rows]
        pieces.append(Piece(rows, prefixes, code, doctest=False, indent=indent))
    return pieces


def _fences(lines: list[str]) -> list[list[int]]:
    blocks: list[list[int]] = []
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match is None:
            i += 1
            continue
        fence = match.group("fence")
        closing = re.compile(r"[ \t]*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}\s*$")
        end = next((j for j in range(i + 1, len(lines)) if closing.match(lines[j])), len(lines))
        if match.group("lang").lower() in PYTHON_LANGUAGES:
            blocks.append(list(range(i + 1, end)))
        i = end + 1
    return blocks


def _directives(lines: list[str]) -> list[list[int]]:
    blocks: list[list[int]] = []
    for i, line in enumerate(lines):
        match = _DIRECTIVE.match(line)
        if match is None:
            continue
        name, lang = match.group("name"), match.group("lang").lower()
        if name in {"code-block", "code", "sourcecode"} and lang not in PYTHON_LANGUAGES:
            continue
        outer = len(match.group("indent"))
        j = i + 1
        while j < len(lines) and _OPTION.match(lines[j]):
            j += 1
        rows: list[int] = []
        for k in range(j, len(lines)):
            text = lines[k]
            if text.strip() and len(text) - len(text.lstrip()) <= outer:
                break
            rows.append(k)
        while rows and not lines[rows[-1]].strip():
            rows.pop()
        while rows and not lines[rows[0]].strip():
            rows.pop(0)
        blocks.append(rows)
    return blocks


# -- rewriting ---------------------------------------------------------------------------


def rewrite_document(text: str, rename: Rename, *, suffix: str) -> ExampleResult:
    """The examples of a documentation page (`.md`, `.rst`, `.txt`) rewritten."""
    ends = lines_with_ends(text)
    lines = [line.rstrip("\r\n") for line in ends]
    doctests, wants = doctest_pieces(lines)
    codes = code_pieces(lines, markdown=suffix == ".md", rst=suffix in {".rst", ".txt"})
    return _rewrite(ends, lines, [doctests, codes], wants, rename, bound_elsewhere=False)


def rewrite_examples(text: str, rename: Rename, *, bound_elsewhere: bool = False) -> ExampleResult:
    """The doctests of one text (a docstring's value) rewritten; ``bound_elsewhere``: the
    module binds OLD's top-level name to something else, so a free use of it is not OLD."""
    ends = lines_with_ends(text)
    lines = [line.rstrip("\r\n") for line in ends]
    doctests, wants = doctest_pieces(lines)
    return _rewrite(ends, lines, [doctests], wants, rename, bound_elsewhere=bound_elsewhere)


def _rewrite(
    ends: list[str],
    lines: list[str],
    programs: list[list[Piece]],
    wants: list[int],
    rename: Rename,
    *,
    bound_elsewhere: bool,
) -> ExampleResult:
    result = ExampleResult("")
    replaced: dict[int, list[str]] = {}
    for pieces in programs:
        if pieces:
            _program(pieces, rename, replaced, result, bound_elsewhere=bound_elsewhere)
            for piece in pieces:
                result.owned.update(piece.rows)
    for row in wants:
        new, count = rewrite_output(lines[row], rename)
        if count:
            replaced[row] = [new]
            result.changes += count
    result.owned.update(wants)
    out: list[str] = []
    for row, line in enumerate(ends):
        if row not in replaced:
            out.append(line)
            continue
        ending = line[len(lines[row]) :]
        news = replaced[row]
        out += [new + (ending or "\n") for new in news[:-1]] + [new + ending for new in news[-1:]]
    result.text = "".join(out)
    return result


def _program(
    pieces: list[Piece],
    rename: Rename,
    replaced: dict[int, list[str]],
    result: ExampleResult,
    *,
    bound_elsewhere: bool,
) -> None:
    """Rewrite the pieces as one program; failing that, each piece alone; failing that,
    line by line."""
    whole = _rewrite_pieces(pieces, rename, bound_elsewhere=bound_elsewhere)
    if whole is not None:
        _take(pieces, whole, replaced, result)
        return
    for piece in pieces:
        alone = _rewrite_pieces([piece], rename, bound_elsewhere=bound_elsewhere)
        if alone is not None and _binds(piece.code) == _binds(alone.codes[0]):
            _take([piece], alone, replaced, result)
        else:
            _line_by_line(piece, rename, replaced, result)


@dataclass
class _Rewritten:
    codes: list[list[str]]
    unsure: list[Unsure]
    changes: int


def _take(
    pieces: list[Piece], done: _Rewritten, replaced: dict[int, list[str]], result: ExampleResult
) -> None:
    result.unsure += done.unsure
    result.changes += done.changes
    for piece, code in zip(pieces, done.codes, strict=True):
        _put_back(piece, code, replaced, result)


def _rewrite_pieces(
    pieces: list[Piece], rename: Rename, *, bound_elsewhere: bool
) -> _Rewritten | None:
    body: list[str] = []
    where: list[tuple[int, int]] = []  # program row -> (piece, line)
    for n, piece in enumerate(pieces):
        for k, code in enumerate(piece.code):
            body.append(code)
            where.append((n, k))
        body.append(_MARK.format(n))
        where.append((n, len(piece.code)))
    source = "\n".join(body) + "\n"
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return None
    header = [] if bound_elsewhere or not _free(tree, rename.old) else [f"import {rename.old}"]
    program = "\n".join([*header, _HEADER, *body]) + "\n"
    try:
        rewritten = rewrite_python(program, where=_NOWHERE, rename=rename)
    except (UnparsableFile, SyntaxError):
        return None
    out_lines = rewritten.text.split("\n")
    try:
        start = out_lines.index(_HEADER) + 1
    except ValueError:
        return None
    codes: list[list[str]] = []
    current: list[str] = []
    for line in out_lines[start:]:
        if line == _MARK.format(len(codes)):
            codes.append(current)
            current = []
        else:
            current.append(line)
    if len(codes) != len(pieces) or any(c.strip() for c in current):
        return None
    offset = len(header) + 1
    done = _Rewritten(codes, [], rewritten.changes)
    for unsure in rewritten.unsure:
        if unsure.row <= offset:
            continue
        n, k = where[unsure.row - offset - 1]
        piece = pieces[n]
        if k >= len(piece.rows):
            continue
        col = unsure.col + len(piece.prefixes[k])
        done.unsure.append(Unsure(piece.rows[k] + 1, col, unsure.text, unsure.why))
    done.changes -= 1 if header and header[0] != out_lines[0] else 0
    return done


def _free(tree: ast.Module, old: str) -> bool:
    """Is OLD's top-level name used and never bound in the program?"""
    top = old.split(".")[0]
    used = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Load) and node.id == top:
                return False
            used = used or node.id == top
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                if bound == top:
                    return False
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name == top:
                return False
        elif isinstance(node, ast.arg) and node.arg == top:
            return False
    return used


def _put_back(
    piece: Piece, code: list[str], replaced: dict[int, list[str]], result: ExampleResult
) -> None:
    if code == piece.code:
        return
    if len(code) == len(piece.code):
        for row, prefix, old, new in zip(piece.rows, piece.prefixes, piece.code, code, strict=True):
            if old != new:
                replaced[row] = [prefix + new]
        return
    lines = _prompted(piece, code)
    if lines is None:
        result.unsure.append(
            Unsure(piece.rows[0] + 1, 1, piece.code[0][:80], "the rewritten example is unclear")
        )
        return
    replaced[piece.rows[0]] = lines
    for row in piece.rows[1:]:
        replaced[row] = []


def _prompted(piece: Piece, code: list[str]) -> list[str] | None:
    """Lines for code that has more (or fewer) lines than the piece had: a doctest's
    statements each get a `>>>` prompt, their continuation lines `...`."""
    if not piece.doctest:
        return [piece.indent + line if line.strip() else "" for line in code]
    try:
        tree = ast.parse("\n".join(code))
    except (SyntaxError, ValueError, RecursionError):
        return None
    starts = {statement.lineno - 1 for statement in tree.body}
    out = []
    for k, line in enumerate(code):
        prompt = ">>>" if k in starts else "..."
        out.append(piece.indent + prompt + (" " + line if line else ""))
    return out


_IMPORT_LINE = re.compile(r"\s*(?:import|from)\s+[A-Za-z_]")


def _line_by_line(
    piece: Piece, rename: Rename, replaced: dict[int, list[str]], result: ExampleResult
) -> None:
    """An example that does not parse: each import line that parses alone is rewritten when
    the names it binds stay the same; every other line naming OLD is reported."""
    for row, prefix, code in zip(piece.rows, piece.prefixes, piece.code, strict=True):
        if not mentions_code(code, rename.old):
            continue
        new = _import_alone(code, rename) if _IMPORT_LINE.match(code) else None
        if new is not None:
            if new != code:
                replaced[row] = [prefix + new]
                result.changes += 1
            continue
        col = len(prefix) + 1
        why = "the example does not parse"
        result.unsure.append(Unsure(row + 1, col, code.strip()[:80], why))


def _import_alone(code: str, rename: Rename) -> str | None:
    stripped = code.lstrip()
    lead = code[: len(code) - len(stripped)]
    try:
        before = ast.parse(stripped)
        rewritten = rewrite_python(stripped + "\n", where=_NOWHERE, rename=rename)
        after = ast.parse(rewritten.text)
    except (SyntaxError, ValueError, RecursionError, UnparsableFile):
        return None
    if rewritten.unsure or "\n" in rewritten.text.rstrip("\n"):
        return None
    if _bound(before) != _bound(after):
        return None
    return lead + rewritten.text.rstrip("\n")


def _binds(code: list[str]) -> list[str] | None:
    """The names a piece's imports bind at its top level (None: it does not parse)."""
    try:
        return _bound(ast.parse("\n".join(code)))
    except (SyntaxError, ValueError, RecursionError):
        return None


def _bound(tree: ast.Module) -> list[str]:
    names = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names += [a.asname or a.name.split(".")[0] for a in node.names]
    return names


def mentions_code(code: str, old: str) -> bool:
    """Does a line of code name OLD: as an import, or as a dotted path under it?"""
    pattern = rf"(?<![\w.])(?:{re.escape(old)}(?:\.\w+)+|(?:import|from)\s+{re.escape(old)})\b"
    if "." in old:
        pattern = rf"(?<![\w.]){re.escape(old)}(?!\w)"
    return re.search(pattern, code) is not None


# -- expected output ---------------------------------------------------------------------

_DOTTED = r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*"
OUTPUT_FORMS = (
    re.compile(rf"<class '(?P<d>{_DOTTED})'>"),
    re.compile(rf"<(?P<d>{_DOTTED}) object at 0x[0-9A-Fa-f]+>"),
    re.compile(rf"<module '(?P<d>{_DOTTED})'(?: from [^>]*| \([\w -]+\))?>"),
    re.compile(r"^[ \t]*(?P<d>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?=:|[ \t]*$)"),
    re.compile(r"^[ \t]*(?P<q>['\"])(?P<d>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?P=q)[ \t]*$"),
)


def rewrite_output(line: str, rename: Rename) -> tuple[str, int]:
    """An expected-output line with the qualified names under OLD that it prints renamed
    (a whole dotted token only; a traceback's exception line names a class, and a printed
    string is taken for a module path, only with a dot)."""
    count = 0
    for form in OUTPUT_FORMS:
        spans = [m.span("d") for m in form.finditer(line) if covers(rename.old, m.group("d"))]
        for start, end in reversed(spans):
            line = line[:start] + rename(line[start:end]) + line[end:]
            count += 1
    return line, count


# -- docstrings in Python files ----------------------------------------------------------


def rewrite_docstrings(
    text: str, rename: Rename, *, bound_elsewhere: bool = False
) -> ExampleResult:
    """A Python file's text with the doctests of its string literals rewritten (the literal's
    source text is edited, so escapes stay as they were); rows are the file's."""
    starts = _line_starts(text)
    edits: list[tuple[int, int, str]] = []
    result = ExampleResult(text)
    for token in _strings(text):
        prefix = token.string[: len(token.string) - len(token.string.lstrip("rRuUbBfF"))]
        quote = token.string[len(prefix) : len(prefix) + 3]
        if "b" in prefix.lower() or "f" in prefix.lower() or quote not in {'"""', "'''"}:
            continue
        body = token.string[len(prefix) + 3 : -3]
        if ">>>" not in body:
            continue
        found = rewrite_examples(body, rename, bound_elsewhere=bound_elsewhere)
        row0 = token.start[0]
        for unsure in found.unsure:
            result.unsure.append(Unsure(unsure.row + row0 - 1, unsure.col, unsure.text, unsure.why))
        if found.text != body:
            begin = starts[row0 - 1] + token.start[1] + len(prefix) + 3
            edits.append((begin, begin + len(body), found.text))
            result.changes += found.changes
    for begin, end, new in reversed(edits):
        text = text[:begin] + new + text[end:]
    result.text = text
    return result


def _strings(text: str) -> Iterator[tokenize.TokenInfo]:
    if ">>>" not in text:
        return
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.STRING and ">>>" in token.string:
                yield token
    except (tokenize.TokenError, SyntaxError):
        return


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for line in lines_with_ends(text):
        starts.append(starts[-1] + len(line))
    return starts


def binds_otherwise(text: str, old: str) -> bool:
    """Does a module bind OLD's top-level name at module level other than by importing it
    (so that a doctest's free use of the name is not the package)?"""
    top = old.split(".")[0]
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return True
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name == top:
                return True
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(n, ast.Name) and n.id == top for t in targets for n in ast.walk(t)):
                return True
        elif isinstance(node, (ast.ImportFrom, ast.Import)):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                full = alias.name if isinstance(node, ast.Import) else f"{node.module}.{alias.name}"
                if bound == top and not covers(full, old) and not covers(old, full):
                    return True
    return False
