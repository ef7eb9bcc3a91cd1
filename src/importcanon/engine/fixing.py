"""`check --fix` and `--diff`: apply fixes in memory, re-analyse, repeat until nothing
changes (bounded); ``engine.fixed`` then writes every changed file atomically or prints
the diff. Also the fix edits of the output formats that show them (``with_fixes``).

The fix makers (``fixes.materialize``, and libcst for a statement whose layout needs it)
are the ``make`` the composition root passes: an editor's save whose fixes all come from
the fix cache loads none of them."""

from __future__ import annotations

import ast
import dataclasses
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from importcanon.analysis.cache import FixCache
from importcanon.analysis.project import Project
from importcanon.analysis.source import decode, encoding_of, split_lines
from importcanon.engine.run import Options, Outcome, run
from importcanon.fixes.apply import apply_edits, select_fixes
from importcanon.fixes.inputs import fix_key
from importcanon.model.diagnostic import Diagnostic, Fix, FixPlan

MAX_PASSES = 20

ProjectFactory = Callable[[dict[Path, bytes]], Project]
# A plan's fix in a file of these lines (None: not safely possible there).
MakeFix = Callable[[FixPlan, list[str]], Fix | None]


def with_fixes(
    project: Project, diagnostics: list[Diagnostic], *, make: MakeFix
) -> list[Diagnostic]:
    """Diagnostics with their fix edits filled in (for output formats that show them);
    a fix whose plan and text are unchanged comes from the cache, without ``make``."""
    cache = FixCache(project.cache_dir)
    lines: dict[Path, list[str]] = {}
    known: dict[Path, dict[str, Fix | None]] = {}
    used: dict[Path, dict[str, Fix | None]] = defaultdict(dict)
    out = []
    for d in diagnostics:
        if d.plan is not None and d.fix is None:
            if d.path not in lines:
                lines[d.path] = project.text_lines(d.path)
                known[d.path] = cache.load(d.path)
            key, made = fix_key(d.plan, lines[d.path]), known[d.path]
            fix = made[key] if key in made else make(d.plan, lines[d.path])
            used[d.path][key] = fix
            d = dataclasses.replace(d, fix=fix)
        out.append(d)
    for path, fixes in used.items():
        if fixes != known[path]:
            cache.save(path, fixes)
    return out


def applicable(d: Diagnostic, *, unsafe: bool) -> bool:
    return d.plan is not None and (unsafe or d.plan.applicability == "safe")


@dataclass
class FixResult:
    outcome: Outcome  # what is left after the fixes
    original: dict[Path, bytes] = field(default_factory=dict)
    fixed: dict[Path, bytes] = field(default_factory=dict)
    applied: int = 0
    skipped: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.time)  # temporary files older are stale


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
