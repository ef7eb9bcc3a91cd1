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
from importcanon.model.paths import covers, follow, names_a_file
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
    keep: tuple[str, ...] = option(
        (),
        help="dotted names under a legacy path that stay as they are, not references to it:"
        " entry-point group names, which other distributions register under (IMC003)",
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

    A path that moved again (declared in this contract or another) is followed to where
    it ends: with `"old.tree" = "old.processors.tree"` and `"old" = "new"`, the fix of
    `from old.tree import X` is `from new.processors.tree import X`. The fix of
    `import old` rewrites the uses of the name it binds too (`old.f()` -> `new.f()`), and
    is not offered when one cannot be rewritten safely.

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
    chains = Chains(every_move(ctx, options))
    yield from legacy_imports(ctx, moves, chains)
    yield from legacy_modules(ctx, moves)
    yield from legacy_references(ctx, moves, chains, keep=frozenset(options.keep))
    yield from missing_canonical(ctx, moves, chains)


def every_move(ctx: Context, options: Options) -> dict[str, str]:
    """The moves of every moved-modules contract of the project: a path that moved again
    (`"a.b" = "a.c.b"` and `"a" = "z"`, in one contract or two) is followed to its end.
    Where two contracts give one legacy path different canonical paths, this contract's
    wins, else the first contract's (in file order)."""
    every: dict[str, str] = {}
    for contract in ctx.contracts:
        if contract.kind == NAME and contract is not ctx.contract:
            for legacy, canonical in contract.options.get("moves", {}).items():
                every.setdefault(legacy, canonical)
    every.update(options.moves)
    return every


class Chains:
    """Where a dotted path ends up under every declared move (``model.paths.follow``)."""

    def __init__(self, every: dict[str, str]) -> None:
        self.every = every
        self._ends: dict[str, tuple[list[str], bool]] = {}

    def follow(self, path: str) -> tuple[list[str], bool]:
        found = self._ends.get(path)
        if found is None:
            found = self._ends[path] = follow(self.every, path)
        return found

    def final(self, path: str) -> str | None:
        """The path's last canonical path (itself when no legacy path covers it); None
        when its moves loop."""
        paths, looped = self.follow(path)
        return None if looped else paths[-1]

    def loop(self, path: str) -> str:
        """The paths ``path`` goes through, for a message: `a -> b -> a`."""
        return " -> ".join(f"`{p}`" for p in self.follow(path)[0])

    def chain(self, old: str, new: str) -> tuple[tuple[str, str], ...]:
        """The moves that a path under ``old`` may follow, for a fix that rewrites them
        (``RewriteDotted.chain``); empty when that is ``old`` -> ``new`` alone."""
        found: dict[str, str] = {}
        frontier = [old]
        while frontier:
            path = frontier.pop()
            for legacy, canonical in self.every.items():
                if legacy not in found and (covers(path, legacy) or covers(legacy, path)):
                    found[legacy] = canonical
                    frontier.append(canonical)
        if found == {old: new}:
            return ()
        return tuple(sorted(found.items()))


def moved_path(stmt: ImportStmt, legacy: str) -> bool:
    return any(covers(legacy, path) for path in stmt.touched_paths())


def legacy_imports(ctx: Context, moves: dict[str, str], chains: Chains) -> Iterator[Diagnostic]:
    last_segments = {legacy: legacy.rpartition(".")[2] for legacy in moves}
    exists = _exists(ctx)
    for file in ctx.view.files:
        for stmt in ctx.view.facts(file).imports:
            for legacy in moves:
                if not _mentions(stmt, last_segments[legacy]) or not moved_path(stmt, legacy):
                    continue
                if ctx.ignores.ignores(file.module, stmt):
                    continue
                yield _legacy_import(ctx, file, stmt, legacy, chains, exists)


def _legacy_import(
    ctx: Context,
    file: SourceFile,
    stmt: ImportStmt,
    legacy: str,
    chains: Chains,
    exists: Callable[[str], bool],
) -> Diagnostic:
    canonical = chains.final(legacy)
    if canonical is None:
        message = f"`{legacy}` has moved, but the declared moves loop: {chains.loop(legacy)}"
        details = {"legacy": legacy, "canonical": None}
        return ctx.diagnostic(LEGACY_IMPORT, file, stmt.span, message, details=details)
    message = f"`{legacy}` has moved to `{canonical}`"
    path = _imported(stmt, legacy)
    target = chains.final(path)
    if target is not None and target != canonical + path[len(legacy) :]:
        message += f" (`{path}` to `{target}`)"  # a chain: part of it moved again
    found = legacy_import_plan(stmt, legacy, chains)
    plan = None
    if found is not None and all(exists(m) for m in found[1]):
        plan = found[0]  # a fix must not import a module that does not exist
    details = {"legacy": legacy, "canonical": canonical}
    return ctx.diagnostic(LEGACY_IMPORT, file, stmt.span, message, details=details, plan=plan)


def _imported(stmt: ImportStmt, legacy: str) -> str:
    """The path under ``legacy`` that the statement imports (the first, for several)."""
    if stmt.is_from and stmt.base is not None and covers(legacy, stmt.base):
        return stmt.base
    return next((name for name, _ in stmt.names if covers(legacy, name)), legacy)


def legacy_import_plan(
    stmt: ImportStmt, legacy: str, chains: Chains
) -> tuple[FixPlan, list[str]] | None:
    """How to rewrite an import of ``legacy`` to where it ends up (see docs/fixes.md), and
    the modules the rewritten statement imports; None when there is no such fix."""
    span = stmt.span.tuple
    final = chains.final
    if stmt.is_from and stmt.base is not None and covers(legacy, stmt.base):
        return _from_legacy(stmt, chains)
    canonical = final(legacy)
    if canonical is None:
        return None
    message = f"Import from `{canonical}`"
    if stmt.is_from and stmt.base is not None:
        parent, _, last = canonical.rpartition(".")
        for name, alias in stmt.names:
            if f"{stmt.base}.{name}" == legacy and parent:
                return FixPlan("safe", message, SplitName(span, name, alias, parent, last)), [
                    canonical
                ]
        return None
    covered = [name for name, _ in stmt.names if covers(legacy, name)]
    old, new = legacy, canonical
    if any(final(name) != new + name[len(old) :] for name in covered):
        if len(covered) != 1 or final(covered[0]) is None:
            return None  # names that end up apart: no one rewrite of the statement
        old, new = covered[0], str(final(covered[0]))
    targets = [new + name[len(old) :] for name in covered]
    for name, alias in stmt.names:
        if covers(old, name):
            if alias:
                return FixPlan("safe", message, ReplaceModule(span, new, old_module=old)), targets
            same_root = old.split(".")[0] == new.split(".")[0]
            action = RewriteDotted(span, old, new, chains.chain(old, new))
            return FixPlan("safe" if same_root else "unsafe", message, action), targets
    return None


def _from_legacy(stmt: ImportStmt, chains: Chains) -> tuple[FixPlan, list[str]] | None:
    """``from legacy[.sub] import names``: the module replaced, or, when a name it imports
    moved apart from it (a chain), that name split out to where it ends up (the fix loop
    then fixes the rest)."""
    assert stmt.base is not None
    span = stmt.span.tuple
    target = chains.final(stmt.base)
    if target is None:
        return None
    for name, alias in stmt.names:
        if name == "*":
            continue
        moved = chains.final(f"{stmt.base}.{name}")
        if moved is None:
            return None
        parent, _, last = moved.rpartition(".")
        if moved != f"{target}.{name}" and parent:
            split = SplitName(span, name, alias, parent, last)
            return FixPlan("safe", f"Import from `{parent}`", split), [moved]
        if moved != f"{target}.{name}":
            return None
    return FixPlan("safe", f"Import from `{target}`", ReplaceModule(span, target)), [target]


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


def missing_canonical(ctx: Context, moves: dict[str, str], chains: Chains) -> Iterator[Diagnostic]:
    """A canonical path that moved again is checked where it ends up."""
    exists = _exists(ctx)
    for legacy in moves:
        canonical = chains.final(legacy)
        if canonical is None or exists(canonical):
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


def legacy_references(
    ctx: Context, moves: dict[str, str], chains: Chains, *, keep: frozenset[str] = frozenset()
) -> Iterator[Diagnostic]:
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
            line = lines[row - 1]
            if _kept(line, col - 1, keep):
                continue
            if _names_module(line, col - 1, match, text_file=False, named=named):
                yield _reference(ctx, file, line, row, col, match, chains)
    slashed = _token_pattern(moves, slash=True)
    for path in ctx.view.text_files():
        lines = ctx.view.text_lines(path)
        for row, col, match in _matches(lines, slashed, moves):
            line = lines[row - 1]
            if _kept(line, col - 1, keep):
                continue
            if _names_module(line, col - 1, match, text_file=True, named=False):
                yield _reference(ctx, path, line, row, col, match, chains)


_TOKEN = re.compile(r"[\w.]+")


def _kept(line: str, start: int, keep: frozenset[str]) -> bool:
    """The dotted token at ``start`` is a name the contract keeps (an entry-point group),
    or a file's name (`pkg.po`, `pkg.json`), not a module path."""
    token = _TOKEN.match(line, start)
    if token is None:
        return False
    name = token.group().rstrip(".")
    return name in keep or ("." in name and names_a_file(name))


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


_DOTTED_REST = re.compile(r"(?:\.[A-Za-z_]\w*)*")
_SLASHED_REST = re.compile(r"(?:/[A-Za-z_]\w*)*")


def _reference(
    ctx: Context,
    file: SourceFile | Path,
    line: str,
    row: int,
    col: int,
    match: str,
    chains: Chains,
) -> Diagnostic:
    """The legacy path ``match`` at ``col`` of ``line``, replaced by where it ends up; when
    the path it begins moved apart from it (a chain: `old.treeprocessors.X` where
    `old.treeprocessors` moved again), that whole path is replaced."""
    legacy = match.replace("/", ".")
    end = col - 1 + len(match)
    slashed = "/" in match or line[end : end + 1] == "/"
    canonical = chains.final(legacy)
    span = Place(row, col, row, col + len(match))
    message = f"reference to legacy path `{legacy}`"
    if canonical is None:
        message += f"; the declared moves loop: {chains.loop(legacy)}"
        return ctx.diagnostic(
            LEGACY_REFERENCE, file, span, message, details={"legacy": legacy, "canonical": None}
        )
    message += f"; it has moved to `{canonical}`"
    rest = (_SLASHED_REST if slashed else _DOTTED_REST).match(line, end)
    tail = rest.group(0).replace("/", ".") if rest else ""
    replacement = canonical
    target = chains.final(legacy + tail) if tail else canonical
    if target is not None and target != canonical + tail:
        span = Place(row, col, row, col + len(match) + len(tail))
        replacement = target
        message += f" (`{legacy + tail}` to `{target}`)"
    if slashed:
        replacement = replacement.replace(".", "/")
    return ctx.diagnostic(
        LEGACY_REFERENCE,
        file,
        span,
        message,
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
