"""Run the contracts over a project and keep the diagnostics that survive suppression."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from importcanon.analysis import debug
from importcanon.analysis.cache import ResultCache
from importcanon.analysis.noqa import suppressed
from importcanon.analysis.project import Project
from importcanon.engine.selection import Selection, ignored_by_file
from importcanon.model.contract import Contract
from importcanon.model.diagnostic import Diagnostic
from importcanon.model.errors import UsageError
from importcanon.model.paths import matches_any_glob


@dataclass(frozen=True)
class Options:
    selection: Selection = field(default_factory=Selection)
    contract_ids: tuple[str, ...] = ()
    paths: tuple[Path, ...] = ()  # absolute; narrow what is reported


@dataclass
class Outcome:
    diagnostics: list[Diagnostic]
    contracts: list[Contract]
    files_checked: int
    # per contract id: code -> count, after suppression and before --select/PATHS
    counts: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == "error")


def selected_contracts(project: Project, ids: Iterable[str]) -> list[Contract]:
    wanted = list(ids)
    known = {c.id for c in project.contracts}
    unknown = [i for i in wanted if i not in known]
    if unknown:
        raise UsageError(f"unknown contract id: {', '.join(unknown)}")
    return [c for c in project.contracts if not wanted or c.id in wanted]


def run(project: Project, options: Options | None = None) -> Outcome:
    options = options or Options()
    contracts = selected_contracts(project, options.contract_ids)
    results = ResultCache(project.cache_dir)
    graph_source = "given" if project.given_graph is not None else "built"
    key = project.fingerprint(f"{options!r} {graph_source}")
    cached = results.get(key)
    if isinstance(cached, Outcome):
        return cached
    debug.event("analyse")
    project.prefetch()
    outcome = _analyse(project, options, contracts)
    results.put(key, outcome)
    return outcome


def _analyse(project: Project, options: Options, contracts: list[Contract]) -> Outcome:
    from importcanon.rules import meta  # the rules load only when a run is not cached

    raw = list(meta.syntax_errors(project))
    for contract in contracts:
        raw.extend(_run_contract(project, contract))
    found = [d for d in _precedence(raw) if _survives(project, d)]
    counts: dict[str, Counter[str]] = {c.id: Counter() for c in contracts}
    for d in found:
        if d.contract in counts:
            counts[d.contract][d.code] += 1
    reported = [
        d
        for d in dict.fromkeys(found)
        if options.selection.allows(d.code) and _within(d.path, options.paths)
    ]
    reported.sort(key=lambda d: d.sort_key)
    return Outcome(reported, contracts, len(project.files), counts)


def _precedence(found: list[Diagnostic]) -> list[Diagnostic]:
    """An import that is an IMC001 (even a suppressed one) is not also an IMC102."""
    legacy = {(d.path, d.location) for d in found if d.code == "IMC001"}
    return [d for d in found if d.code != "IMC102" or (d.path, d.location) not in legacy]


def _run_contract(project: Project, contract: Contract) -> list[Diagnostic]:
    from importcanon.rules import meta
    from importcanon.rules.base import Context
    from importcanon.rules.registry import CHECKS

    ctx = Context(project, contract)
    found = [d for d in CHECKS[contract.kind](ctx) if _in_contract_paths(project, contract, d)]
    found.extend(meta.unmatched_ignores(ctx))
    return found


def _relpath(project: Project, path: Path) -> str:
    file = project.by_path.get(path)
    if file is not None:
        return file.rel
    return Path(os.path.relpath(path, project.config.root)).as_posix()


def _in_contract_paths(project: Project, contract: Contract, diagnostic: Diagnostic) -> bool:
    if diagnostic.path == contract.file or not (contract.paths or contract.exclude):
        return True
    rel = _relpath(project, diagnostic.path)
    if contract.paths and not matches_any_glob(contract.paths, rel):
        return False
    return not matches_any_glob(contract.exclude, rel)


def _survives(project: Project, diagnostic: Diagnostic) -> bool:
    per_file = project.config.per_file_ignores
    if per_file and ignored_by_file(_relpath(project, diagnostic.path), diagnostic.code, per_file):
        return False
    file = project.by_path.get(diagnostic.path)
    if file is None or diagnostic.noqa_rows == (0, 0):
        return True
    first, last = diagnostic.noqa_rows
    return not suppressed(diagnostic.code, project.noqa(file, first, last))


def _within(path: Path, paths: tuple[Path, ...]) -> bool:
    if not paths:
        return True
    return any(path == p or p in path.parents for p in paths)
