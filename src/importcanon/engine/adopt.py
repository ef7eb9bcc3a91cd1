"""Adopting importcanon on a codebase that does not pass yet: recording the baseline
(`importcanon baseline`) and adding `# noqa` comments (`check --add-noqa`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from importcanon.analysis.project import Project, UnreadableFile
from importcanon.analysis.results import within
from importcanon.analysis.rewrite import WriteRefused, replace_contents
from importcanon.engine import baseline
from importcanon.engine.run import Options, Outcome, run
from importcanon.fixes.noqa import add_noqa as edit
from importcanon.model.diagnostic import Diagnostic
from importcanon.model.errors import UsageError
from importcanon.rules.registry import Registry


@dataclass(frozen=True)
class Recorded:
    path: Path
    violations: int  # recorded now
    entries: int
    added: int  # violations that the previous baseline did not have
    dropped: int  # violations of the previous baseline that are fixed


def baseline_path(project: Project) -> Path:
    if not project.config.baseline:
        raise UsageError(
            'no baseline configured: add `baseline = "importcanon-baseline.json"` to '
            "[tool.importcanon] in pyproject.toml (or run `importcanon init --baseline`)"
        )
    return project.config.root / project.config.baseline


def record_baseline(project: Project, *, kinds: Registry) -> Recorded:
    """Write the baseline from every current diagnostic (fixed entries are dropped)."""
    path = baseline_path(project)
    outcome = run(project, Options(kinds=kinds))
    now = baseline.count(outcome.diagnostics, project.config.root)
    before = baseline.read(path) if path.exists() else now.copy()
    baseline.write(path, now)
    return Recorded(
        path=path,
        violations=sum(now.values()),
        entries=len(now),
        added=sum((now - before).values()),
        dropped=sum((before - now).values()),
    )


@dataclass
class NoqaResult:
    added: int = 0
    files: list[Path] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)  # why a diagnostic got no comment


def add_noqa(project: Project, diagnostics: Iterable[Diagnostic]) -> NoqaResult:
    """Suppress each diagnostic with a `# noqa: CODE` comment on its statement's first line
    that can hold a comment. A file that would parse differently is left as it was."""
    result = NoqaResult()
    wanted: dict[Path, dict[tuple[int, int], set[str]]] = defaultdict(dict)
    root = project.config.root.resolve()
    for d in diagnostics:
        file = project.by_path.get(d.path)
        if file is None or d.noqa_rows == (0, 0):
            result.missed.append(f"{baseline.relpath(d.path, root)}: {d.code} is not in a line")
            continue
        wanted[d.path].setdefault(d.noqa_rows, set()).add(d.code)
    for path, rows in sorted(wanted.items()):
        file = project.by_path[path]
        rel = file.rel
        try:
            data = project.read(file)
        except UnreadableFile:
            result.missed.append(f"{rel}: cannot be read")
            continue
        new, added, missed = edit(data, rows)
        if missed:
            result.missed.append(f"{rel}: {missed} diagnostic(s) found no line to hold a comment")
        if not added or not path.resolve().is_relative_to(root) or path in project.overrides:
            continue
        try:  # as a fix writes: the file keeps its links, mode and owner
            replace_contents(path, new, expected=data, root=root)
        except WriteRefused as exc:
            result.missed.append(f"{rel}: {exc}")
            continue
        result.added += added
        result.files.append(path)
    return result


def apply_baseline(project: Project, outcome: Outcome, options: Options) -> None:
    """Leave out of ``outcome`` the diagnostics that the configured baseline records
    (``engine.run.Baseline``)."""
    root = project.config.root
    entries = baseline.configured(project.config)
    ids = {c.id for c in outcome.contracts} | {""}

    def in_scope(key: baseline.Key) -> bool:
        return (
            key.contract in ids
            and options.selection.allows(key.code)
            and within(str(root / key.file), options.paths)
        )

    comparison = baseline.compare(outcome.diagnostics, entries, root=root, in_scope=in_scope)
    outcome.diagnostics = comparison.new
    outcome.comparison = comparison
