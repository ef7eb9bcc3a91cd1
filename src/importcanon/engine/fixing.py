"""`check --fix` and `--diff`: apply fixes in memory, re-analyse, repeat until nothing
changes (bounded); ``engine.fixed`` then writes every changed file atomically or prints
the diff. Also the fix edits of the output formats that show them (``with_fixes``).

The fix makers (``fixes.materialize``, and libcst for a statement whose layout needs it)
are the ``make`` the composition root passes: an editor's save whose fixes all come from
the fix cache loads none of them."""

from __future__ import annotations

import ast
import operator
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from importcanon.analysis import debug
from importcanon.analysis.cache import FixCache, digest
from importcanon.analysis.cacheformat import records
from importcanon.analysis.project import Project, UnreadableFile
from importcanon.analysis.source import decode, encoding_of, split_lines
from importcanon.engine.run import Options, Outcome, run
from importcanon.fixes.apply import apply_edits, select_fixes
from importcanon.fixes.inputs import plan_key, read_key
from importcanon.model.diagnostic import Diagnostic, Fix, FixPlan

if TYPE_CHECKING:
    from importcanon.analysis.cacheformat import FixEntry

MAX_PASSES = 20

ProjectFactory = Callable[[dict[Path, bytes]], Project]
# A plan's fix in a file of these lines (None: not safely possible there).
MakeFix = Callable[[FixPlan, list[str]], Fix | None]


def with_fixes(
    project: Project,
    diagnostics: list[Diagnostic],
    *,
    make: MakeFix,
    edited: set[Path] | None = None,
) -> list[Diagnostic]:
    """Diagnostics with their fix edits filled in (for output formats that show them). A
    fix whose plan is unchanged comes from the cache, without ``make``: without reading the
    file when its content is the one the fix was made from, else when the text the plan
    reads is. The files read whose content is no longer the one the diagnostics were found
    in (edited while the run went on) are added to ``edited``."""
    todo = [d for d in diagnostics if d.plan is not None and d.fix is None]
    if not todo:
        return diagnostics
    cache = FixCache(project.cache_dir)
    paths = list(dict.fromkeys(d.path for d in todo))
    files = {
        path: _FileFixes(project, known, path, make=make)
        for path, known in zip(paths, cache.load(paths), strict=True)
    }
    made = iter(_with_fix(todo, list(_fixes(todo, files))))
    out = [next(made) if d.plan is not None and d.fix is None else d for d in diagnostics]
    for path, fixes in files.items():
        if fixes.changed or len(fixes.used) != len(fixes.known):
            cache.save(path, fixes.used)
        if fixes.edited and edited is not None:
            edited.add(path)
    return out


def _fixes(todo: list[Diagnostic], files: dict[Path, _FileFixes]) -> Iterator[Fix | None]:
    """The fix of each diagnostic; a file's text is let go after its last one (a file's
    diagnostics come together: a cold run holds one file's lines at a time, not all)."""
    previous: _FileFixes | None = None
    for d in todo:
        current = files[d.path]
        if previous is not None and previous is not current:
            previous.let_go()
        if d.plan is not None:
            yield current.fix(d.plan)
        previous = current


class _FileFixes:
    """The fixes of one file's plans: from ``known`` (the cache's entries), or made."""

    def __init__(
        self, project: Project, known: dict[str, FixEntry], path: Path, *, make: MakeFix
    ) -> None:
        self.project = project
        self.make = make
        self.path = path
        self.known = known
        self.used: dict[str, FixEntry] = {}  # what the cache keeps of this run
        self.changed = False  # an entry of ``used`` is not in ``known``
        # The content the diagnostics were found in (None: not a project file).
        self.digest = project.digests.get(path)
        self.edited = False  # read in a content other than ``digest``
        self._text: tuple[list[str], str | None] | None = None

    def fix(self, plan: FixPlan) -> Fix | None:
        key = plan_key(plan)
        entry = self.known.get(key)
        if entry is None or self.digest is None or entry[0] != self.digest:
            lines, made_from = self.text()
            read = read_key(plan, lines)
            if entry is None or entry[1] != read:
                debug.event("fixes:make")
                entry = (made_from, read, self.make(plan, lines))
            elif entry[0] != made_from:  # the same text, in a content not seen before
                entry = (made_from, read, entry[2])
            self.changed |= entry is not self.known.get(key)
        self.used[key] = entry
        return entry[2]

    def let_go(self) -> None:
        """Forget the file's text (read again if it is needed again)."""
        self._text = None

    def text(self) -> tuple[list[str], str | None]:
        """The file's lines, and the digest of the content they were read from (None for
        a file that is not the project's, or that cannot be read)."""
        if self._text is None:
            debug.event("fixes:read")
            self._text = _lines_and_digest(self.project, self.path)
            self.edited |= self.digest is not None and self._text[1] != self.digest
        return self._text


def _lines_and_digest(project: Project, path: Path) -> tuple[list[str], str | None]:
    file = project.by_path.get(path)
    if file is None:
        return project.text_lines(path), None
    try:
        data = project.read(file)
        return split_lines(decode(data)), digest(data, file.module, file.is_init)
    except (UnreadableFile, UnicodeDecodeError, SyntaxError):
        return [], None


def _with_fix(diagnostics: list[Diagnostic], fixes: list[Fix | None]) -> list[Diagnostic]:
    """Each diagnostic with its fix (as ``dataclasses.replace`` would make them, made a
    field at a time: thousands per run)."""
    columns = list(zip(*map(_FIELDS, diagnostics), strict=True))
    columns[_FIX] = tuple(fixes)
    return records(Diagnostic, columns)


_FIELDS = operator.attrgetter(*Diagnostic.__slots__)  # (all of a diagnostic's fields)
_FIX = Diagnostic.__slots__.index("fix")


def applicable(d: Diagnostic, *, unsafe: bool) -> bool:
    return d.plan is not None and (unsafe or d.plan.applicability == "safe")


class FixResult:
    """What the fix loop did. (A plain class: a dataclass costs more to make at import
    than this ``__init__`` costs to write.)"""

    __slots__ = ("applied", "fixed", "original", "outcome", "skipped", "started")

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome  # what is left after the fixes
        self.original: dict[Path, bytes] = {}
        self.fixed: dict[Path, bytes] = {}
        self.applied = 0
        self.skipped: list[str] = []
        self.started = time.time()  # temporary files older are stale


def fix(
    factory: ProjectFactory,
    options: Options,
    *,
    unsafe: bool,
    make: MakeFix,
    only: Callable[[Diagnostic], bool] | None = None,
) -> FixResult:
    """Apply fixes until none applies (at most MAX_PASSES passes), all in memory;
    ``only`` narrows which diagnostics get fixed."""
    result = FixResult(outcome=Outcome([], [], 0))
    overrides: dict[Path, bytes] = {}
    for _ in range(MAX_PASSES):
        project = factory(dict(overrides))
        result.outcome = run(project, options)
        changed = _one_pass(project, result, overrides, unsafe=unsafe, only=only, make=make)
        if not changed:
            break
    return result


def _one_pass(
    project: Project,
    result: FixResult,
    overrides: dict[Path, bytes],
    *,
    unsafe: bool,
    only: Callable[[Diagnostic], bool] | None,
    make: MakeFix,
) -> bool:
    wanted: dict[Path, list[Diagnostic]] = defaultdict(list)
    for d in result.outcome.diagnostics:
        if (only is None or only(d)) and applicable(d, unsafe=unsafe):
            wanted[d.path].append(d)
    changed = False
    for path, diagnostics in sorted(wanted.items()):
        changed |= _fix_file(project, result, overrides, path, diagnostics, make=make)
    return changed


def _fix_file(
    project: Project,
    result: FixResult,
    overrides: dict[Path, bytes],
    path: Path,
    diagnostics: list[Diagnostic],
    *,
    make: MakeFix,
) -> bool:
    """Fix one file in memory. The edits are made from, and applied to, one reading of
    it, which must be the text the diagnostics were found in."""
    data = project.overrides[path] if path in project.overrides else _read(path)
    if data is None:
        return False
    try:
        encoding = encoding_of(data) if path.suffix == ".py" else "utf-8"
        text = decode(data) if path.suffix == ".py" else data.decode(encoding)
    except (UnicodeDecodeError, SyntaxError):
        return False
    lines = split_lines(text)
    if lines != project.text_lines(path):
        result.skipped.append(
            f"{shown(path, project.config.root)}: changed on disk while being fixed; not fixed"
        )
        return False
    made = (make(d.plan, lines) for d in diagnostics if d.plan is not None)
    chosen = select_fixes(fix for fix in made if fix is not None)
    new_text = apply_edits(text, [edit for f in chosen for edit in f.edits])
    if new_text == text:
        return False
    if path.suffix == ".py" and not _compiles(new_text):
        result.skipped.append(
            f"{shown(path, project.config.root)}: fixes would not compile; left unchanged"
        )
        return False
    result.original.setdefault(path, data)
    overrides[path] = new_text.encode(encoding)
    result.fixed[path] = overrides[path]
    result.applied += len(chosen)
    return True


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _compiles(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def shown(path: Path, root: Path | None) -> str:
    """The path for a one-line message: relative to the root, control characters escaped."""
    text = path.relative_to(root).as_posix() if root and path.is_relative_to(root) else str(path)
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)
