"""kind = "moved-modules": canonical locations and legacy paths (IMC001-IMC004)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from importcanon.analysis.files import SourceFile
from importcanon.analysis.strings import containing, scan
from importcanon.config.fields import module_name_check, relative_path_check
from importcanon.config.schema import Problem, option
from importcanon.model.diagnostic import (
    Diagnostic,
    FixPlan,
    ReplaceModule,
    ReplaceText,
    RewriteDotted,
    SplitName,
)
from importcanon.model.paths import covers
from importcanon.rules.base import Context, Kind, Place, Rule, Template, first_line

if TYPE_CHECKING:  # a run answered from the cache never loads the facts' classes
    from importcanon.model.facts import ImportStmt

NAME = "moved-modules"


def _move_check(legacy: str, canonical: str) -> str | None:
    return module_name_check(legacy) or module_name_check(canonical)


@dataclass(frozen=True)
class Options:
    """The options of a ``moved-modules`` contract."""

    moves: Mapping[str, str] = option(
        help="table: legacy dotted path -> canonical dotted path", check=_move_check
    )
    text_files: tuple[str, ...] = option(
        (),
        help="globs of text files searched for legacy paths (IMC003)",
        check=relative_path_check,
    )

    def problem(self) -> Problem | None:
        """Legacy paths that overlap, and canonical paths that a legacy path covers: each
        path is checked against its own dotted prefixes (O(n) for n moves, not O(n²))."""
        if not self.moves:
            return Problem("`moves` must name at least one legacy path", "moves", "moves")
        legacy = set(self.moves)
        for path in sorted(self.moves):
            outer = next((p for p in _prefixes(path) if p in legacy), None)
            if outer is not None:
                message = f"legacy paths overlap: `{outer}` covers `{path}`"
                return Problem(message, "moves", f"moves.{path}")
        for old, new in self.moves.items():
            other = next((p for p in [*_prefixes(new), new] if p in legacy), None)
            if other is not None:
                message = f"canonical path `{new}` is covered by legacy path `{other}`"
                return Problem(message, "moves", f"moves.{old}")
        return None


def _prefixes(path: str) -> list[str]:
    """``a.b.c`` -> ``a``, ``a.b``: the dotted paths that cover it, itself left out."""
    parts = path.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def reads_text(options: Options) -> set[bytes]:
    """A Python file's text matters when it holds a legacy path (IMC003 looks for one in
    its strings)."""
    return {legacy.encode() for legacy in options.moves}


def text_globs(options: Options) -> tuple[str, ...]:
    """The text files searched for legacy paths (IMC003)."""
    return options.text_files


LEGACY_IMPORT = Rule(
    "IMC001",
    "legacy-import",
    NAME,
    "An import of a legacy path",
    """
    ## What it does
    Flags any import whose target, resolved to an absolute dotted path, lies under a legacy
    path of a `moved-modules` contract: `import old`, `from old import x`,
    `from parent import old`, and relative imports that resolve to these.

    ## Why is this bad?
    The module has a canonical home. Imports of the old path keep a compatibility shim alive,
    hide the real dependency, and break when the shim is removed.

    ## Example
    ```python
    from ml_playground.ema import EMA
    ```

    Use instead:
    ```python
    from ml_playground.training.ema import EMA
    ```
    """,
    fix="sometimes",
)
LEGACY_MODULE = Rule(
    "IMC002",
    "legacy-module",
    NAME,
    "A module still exists at a legacy path",
    """
    ## What it does
    Flags a module (or package) that still exists at a legacy path, once, on line 1 of the
    outermost such module (a package at its `__init__.py`).

    ## Why is this bad?
    A module left at the old path is a second home for the same code: a shim that re-exports
    the new module, or a stale copy. Either way "no legacy paths remain" is not yet true.

    ## Example
    ```text
    ml_playground/ema.py                 # legacy
    ml_playground/training/ema.py        # canonical
    ```

    Use instead: delete `ml_playground/ema.py` once no import of it remains.
    """,
)
LEGACY_REFERENCE = Rule(
    "IMC003",
    "legacy-reference",
    NAME,
    "A string or documentation line that names a legacy path",
    """
    ## What it does
    Flags a legacy dotted path, as a whole token, in a string literal of a checked Python file
    (docstrings included, comments not), and in each line of the contract's `text_files`,
    where the slash form (`ml_playground/ema.py`, `ml_playground/ema/`) counts too.

    A legacy path of one word (`"markdown" = "newmd"`) is also a word of prose, a URL
    segment, an HTML attribute or a distribution name, so it counts only where it names
    the module:

    - a dotted path under it: `markdown.extensions`, `markdown.core.Markdown`;
    - an entry point: `markdown:main`, `markdown.__main__:run`;
    - an import statement: `import markdown`, `>>> import markdown`,
      `from markdown import Markdown`, `python -m markdown`;
    - a string that is nothing but the path, where Python reads a module's name: the
      first argument of `import_module`, `__import__`, `find_spec`, `find_loader`,
      `importorskip`, `resolve_name`, `run_module` or `getLogger`, a key of
      `sys.modules` (`sys.modules["markdown"]`, `"markdown" in sys.modules`);
    - in `text_files`, a file path: `src/markdown/`, `markdown/core.py`.

    Not, then: `https://docs.example.org/project/markdown/`, `github.com/x/markdown`,
    `python-markdown.github.io`, `<div markdown="1">`, `pip install markdown`,
    `"Markdown is a ..."`, `__all__ = ["markdown"]` (a function of that name), a bare
    `"markdown"` elsewhere. A dotted legacy path (`ml_playground.ema`) counts wherever it
    is a token.

    ## Why is this bad?
    Dotted paths in strings are imports in disguise (`importlib.import_module`, mock targets,
    logging names, entry points), and documentation that names the old path sends readers to
    code that is gone.

    ## Example
    ```python
    logger = logging.getLogger("ml_playground.ema")
    ```

    Use instead:
    ```python
    logger = logging.getLogger("ml_playground.training.ema")
    ```
    """,
    fix="sometimes",
)
MISSING_CANONICAL = Rule(
    "IMC004",
    "missing-canonical-module",
    NAME,
    "A canonical path does not exist",
    """
    ## What it does
    Flags a `moves` entry whose canonical path is not a module or package of the project.
    It is reported in the contract file, at the line of the entry.

    ## Why is this bad?
    The move is declared but not carried out (or the canonical path is misspelt), so every
    rewritten import would point at nothing.

    ## Example
    ```toml
    [contract.moves]
    "ml_playground.ema" = "ml_playground.trainig.ema"
    ```

    Use instead:
    ```toml
    [contract.moves]
    "ml_playground.ema" = "ml_playground.training.ema"
    ```
    """,
)
RULES = (LEGACY_IMPORT, LEGACY_MODULE, LEGACY_REFERENCE, MISSING_CANONICAL)


def check(ctx: Context, options: Options) -> Iterator[Diagnostic]:
    moves: dict[str, str] = dict(options.moves)
    yield from legacy_imports(ctx, moves)
    yield from legacy_modules(ctx, moves)
    yield from legacy_references(ctx, moves)
    yield from missing_canonical(ctx, moves)


def moved_path(stmt: ImportStmt, legacy: str) -> bool:
    return any(covers(legacy, path) for path in stmt.touched_paths())


def legacy_imports(ctx: Context, moves: dict[str, str]) -> Iterator[Diagnostic]:
    last_segments = {legacy: legacy.rpartition(".")[2] for legacy in moves}
    exists = _exists(ctx)
    for file in ctx.view.files:
        for stmt in ctx.view.facts(file).imports:
            for legacy, canonical in moves.items():
                if not _mentions(stmt, last_segments[legacy]) or not moved_path(stmt, legacy):
                    continue
                if ctx.ignores.ignores(file.module, stmt):
                    continue
                yield ctx.diagnostic(
                    LEGACY_IMPORT,
                    file,
                    stmt.span,
                    f"`{legacy}` has moved to `{canonical}`",
                    details={"legacy": legacy, "canonical": canonical},
                    plan=legacy_import_plan(stmt, legacy, canonical)
                    if all(exists(m) for m in _targets(stmt, legacy, canonical))
                    else None,  # a fix must not import a module that does not exist
                )


def legacy_import_plan(stmt: ImportStmt, legacy: str, canonical: str) -> FixPlan | None:
    """How to rewrite an import of ``legacy`` to ``canonical`` (see docs/fixes.md)."""
    span = stmt.span.tuple
    message = f"Import from `{canonical}`"
    if stmt.is_from and stmt.base is not None and covers(legacy, stmt.base):
        return FixPlan("safe", message, ReplaceModule(span, canonical + stmt.base[len(legacy) :]))
    if stmt.is_from and stmt.base is not None:
        parent, _, last = canonical.rpartition(".")
        for name, alias in stmt.names:
            if f"{stmt.base}.{name}" == legacy and parent:
                return FixPlan(
                    "safe",
                    message,
                    SplitName(span, name, alias, parent, last),
                )
        return None
    for name, alias in stmt.names:
        if covers(legacy, name):
            if alias:
                return FixPlan("safe", message, ReplaceModule(span, canonical, old_module=legacy))
            same_root = legacy.split(".")[0] == canonical.split(".")[0]
            return FixPlan(
                "safe" if same_root else "unsafe", message, RewriteDotted(span, legacy, canonical)
            )
    return None


def _targets(stmt: ImportStmt, legacy: str, canonical: str) -> list[str]:
    """The modules the rewritten statement would import."""
    if stmt.is_from and stmt.base is not None and covers(legacy, stmt.base):
        return [canonical + stmt.base[len(legacy) :]]
    if stmt.is_from:
        return [canonical]
    return [canonical + name[len(legacy) :] for name, _ in stmt.names if covers(legacy, name)]


def _exists(ctx: Context) -> Callable[[str], bool]:
    """Whether a dotted path is a module or package of the project, or a folder under a
    source root (a namespace package)."""
    modules = {f.module for f in ctx.view.files if f.module}

    def exists(dotted: str) -> bool:
        return dotted in modules or ctx.view.is_directory(dotted)

    return exists


def _mentions(stmt: ImportStmt, segment: str) -> bool:
    return segment in (stmt.base or "") or any(segment in name for name, _ in stmt.names)


def legacy_modules(ctx: Context, moves: dict[str, str]) -> Iterator[Diagnostic]:
    modules = {f.module: f for f in ctx.view.files if f.module}
    for legacy, canonical in moves.items():
        found = [m for m in modules if covers(legacy, m)]
        if not found:
            continue
        outermost = min(found, key=lambda m: (m.count("."), m))
        file = modules[outermost]
        yield ctx.diagnostic(
            LEGACY_MODULE,
            file,
            first_line(file, ctx.view),
            f"module `{outermost}` exists at a legacy path; its canonical path is `{canonical}`",
            details={"legacy": legacy, "canonical": canonical, "module": outermost},
        )


def missing_canonical(ctx: Context, moves: dict[str, str]) -> Iterator[Diagnostic]:
    exists = _exists(ctx)
    for legacy, canonical in moves.items():
        if exists(canonical):
            continue
        yield ctx.in_contract_file(
            MISSING_CANONICAL,
            ctx.contract.line_of(f"moves.{legacy}"),
            f"canonical path `{canonical}` (for `{legacy}`) does not exist",
            details={"legacy": legacy, "canonical": canonical},
        )


def _token_pattern(moves: dict[str, str], *, slash: bool) -> re.Pattern[str]:
    legacy = sorted(moves, key=len, reverse=True)
    dotted = "|".join(re.escape(p) for p in legacy)
    pattern = rf"(?<![\w.])(?P<dotted>{dotted})(?!\w)"
    if slash:
        slashed = "|".join(re.escape(p.replace(".", "/")) for p in legacy)
        pattern += rf"|(?<![\w.-])(?P<slashed>{slashed})(?=\.py\b|/)"
    return re.compile(pattern)


def legacy_references(ctx: Context, moves: dict[str, str]) -> Iterator[Diagnostic]:
    dotted = _token_pattern(moves, slash=False)
    for file in ctx.view.files:
        lines = ctx.view.text(file)
        if lines is None:
            continue
        hits = list(_matches(lines, dotted, moves))
        if not hits:
            continue
        strings = scan("\n".join(lines))
        for row, col, match in hits:
            span = containing((row, col), strings.spans)
            if span is None:
                continue
            named = strings.module_names.get(span) == match
            if _names_module(lines[row - 1], col - 1, match, text_file=False, named=named):
                yield _reference(ctx, file, row, col, match, moves)
    slashed = _token_pattern(moves, slash=True)
    for path in ctx.view.text_files():
        lines = ctx.view.text_lines(path)
        for row, col, match in _matches(lines, slashed, moves):
            if _names_module(lines[row - 1], col - 1, match, text_file=True, named=False):
                yield _reference(ctx, path, row, col, match, moves)


# -- IMC003: which occurrences of a one-word legacy path name the module (docs/design.md) --

_DOTTED_AFTER = re.compile(r"\.[A-Za-z_]")  # markdown.core, markdown.py
_ENTRY_POINT_AFTER = re.compile(r":[A-Za-z_]")  # markdown:main
_IMPORT_BEFORE = re.compile(
    r"(?:\A|[\s;>\"'`(])import[ \t]+(?:[\w.]+(?:[ \t]+as[ \t]+\w+)?[ \t]*,[ \t]*)*\Z"
)
_IMPORT_AFTER = re.compile(r"[ \t]*(?:\Z|[,;#)\"'`]|as[ \t])")
_FROM_BEFORE = re.compile(r"(?:\A|[\s;>\"'`(])from[ \t]+\Z")
_FROM_AFTER = re.compile(r"[ \t]+import[ \t]")
_RUN_BEFORE = re.compile(r"(?:\A|\s)-m[ \t]*\Z")  # python -m markdown
_DELIMITERS = frozenset(" \t\"'`<>()[]{},")
_HOST = re.compile(r"[\w-]+(?:\.[\w-]+)+/")  # github.com/x/markdown


def _names_module(line: str, start: int, match: str, *, text_file: bool, named: bool) -> bool:
    """Whether the legacy path ``match`` at ``start`` in ``line`` names the module. A dotted
    legacy path always does; a one-word one (`markdown`) only in a dotted path under it
    (`markdown.core`), an entry point (`markdown:main`), an import statement (`import
    markdown`, `from markdown import x`, `python -m markdown`), a string that is nothing
    but the path where Python reads a module's name (``named``: `import_module("markdown")`,
    `sys.modules["markdown"]`) and, in a text file, a file path (`src/markdown/`,
    `markdown/core.py`); never in a URL or after a hyphen (`python-markdown`)."""
    if "." in match or "/" in match:
        return True
    if named:
        return True
    # (what an import statement needs before the name is short: at most a line's worth)
    before, after = line[max(0, start - 200) : start], line[start + len(match) :]
    if before.endswith("-") or _in_url(line, start, start + len(match)):
        return False
    return bool(
        _DOTTED_AFTER.match(after)
        or _ENTRY_POINT_AFTER.match(after)
        or (text_file and after.startswith("/"))
        or (_IMPORT_BEFORE.search(before) and _IMPORT_AFTER.match(after))
        or (_FROM_BEFORE.search(before) and _FROM_AFTER.match(after))
        or _RUN_BEFORE.search(before)
    )


def _in_url(line: str, start: int, end: int) -> bool:
    """Whether ``line[start:end]`` lies in a URL, an e-mail address or a host name: the
    run of characters around it, up to a space, quote or bracket, holds `://` or an `@`
    before it, or begins with `www.` or a dotted host and a slash."""
    left = start
    while left > 0 and line[left - 1] not in _DELIMITERS:
        left -= 1
    right = end
    while right < len(line) and line[right] not in _DELIMITERS:
        right += 1
    token = line[left:right]
    return (
        "://" in token
        or "@" in line[left:start]
        or token.startswith("www.")
        or _HOST.match(token) is not None
    )


def _matches(
    lines: list[str], pattern: re.Pattern[str], moves: dict[str, str]
) -> Iterator[tuple[int, int, str]]:
    needles = {p.split(".")[-1] for p in moves}
    for index, line in enumerate(lines):
        if not any(needle in line for needle in needles):
            continue
        for match in pattern.finditer(line):
            yield index + 1, match.start() + 1, match.group(0)


def _reference(
    ctx: Context,
    file: SourceFile | Path,
    row: int,
    col: int,
    match: str,
    moves: dict[str, str],
) -> Diagnostic:
    legacy = match.replace("/", ".")
    canonical = moves[legacy]
    span = Place(row, col, row, col + len(match))
    replacement = canonical.replace(".", "/") if "/" in match else canonical
    return ctx.diagnostic(
        LEGACY_REFERENCE,
        file,
        span,
        f"reference to legacy path `{legacy}`; it has moved to `{canonical}`",
        details={"legacy": legacy, "canonical": canonical},
        plan=FixPlan(
            "unsafe", f"Replace with `{replacement}`", ReplaceText(span.tuple, replacement)
        ),
    )


TEMPLATE = Template(
    "10-moves.toml",
    """#
# A moved-modules contract names the canonical home of each module that moves: every
# import of the legacy path is reported (IMC001, fixable with --fix) until none remains.
# `importcanon move OLD NEW` moves a module and records the move in the first
# moved-modules contract (this one, once uncommented), or else in a new contracts/moves.toml.
# To declare moves by hand, uncomment the contract and list them:
#
# [[contract]]
# id = "canonical-locations"
# name = "Modules live in their canonical packages"
# kind = "moved-modules"
# acceptance = "All imports reference canonical modules; no legacy paths remain."
# text_files = ["README.md", "docs/**/*.md"]
#
# [contract.moves]
# "{package}.old_module" = "{package}.new_home.old_module"
""",
    active=False,
)
KIND = Kind(
    NAME, Options, RULES, check, reads_text=reads_text, template=TEMPLATE, text_files=text_globs
)
