"""Run the contracts over a project and keep the diagnostics that survive suppression."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from importcanon.analysis import debug
from importcanon.analysis.cache import OutputCache
from importcanon.analysis.noqa import suppressed, unknown_codes, unknown_in_comments
from importcanon.analysis.project import Project
from importcanon.analysis.results import ResultStore, Stored, fingerprint
from importcanon.engine.kinds import kind_of, mentions, needles
from importcanon.engine.selection import Selection, ignored_by_file
from importcanon.engine.view import ProjectView
from importcanon.model.contract import Contract
from importcanon.model.diagnostic import Diagnostic
from importcanon.model.errors import UsageError
from importcanon.model.paths import matches_any_glob
from importcanon.model.record import Value, put
from importcanon.rules import meta
from importcanon.rules.base import Context
from importcanon.rules.registry import Registry

if TYPE_CHECKING:
    from importcanon.engine.baseline import Comparison


class Baseline(Protocol):
    """Leaves out of an outcome what the project's configured baseline records
    (``engine.adopt.apply_baseline``; the composition root passes it, so that a run
    without a baseline loads neither it nor the file writing it needs)."""

    def __call__(self, project: Project, outcome: Outcome, options: Options) -> None: ...


class Options(Value):
    """What a run checks and reports. (A record written by hand, as the frozen dataclass
    it was: model/record.py; ``selection`` and ``kinds``: new ones when not given.)"""

    # the fields, in order
    __slots__ = (  # noqa: RUF023
        "selection",
        "contract_ids",
        "paths",
        "baseline",
        "kinds",
        "plans",
        "shown",
    )
    selection: Selection
    contract_ids: tuple[str, ...]
    paths: tuple[Path, ...]  # absolute; narrow what is reported
    baseline: Baseline | None  # leaves out what the configured baseline records
    # the kinds the contracts were loaded with (the composition root's, plugins included)
    kinds: Registry
    plans: bool  # False: cached diagnostics come without fix plans (nothing fixes)
    # The output format the outcome is shown in (with what else its text depends on), when
    # that text may be kept in the cache and copied on the next run of an unchanged project.
    shown: str | None

    def __init__(
        self,
        selection: Selection | None = None,
        contract_ids: tuple[str, ...] = (),
        paths: tuple[Path, ...] = (),
        baseline: Baseline | None = None,
        kinds: Registry | None = None,
        plans: bool = True,
        shown: str | None = None,
    ) -> None:
        put(self, "selection", Selection() if selection is None else selection)
        put(self, "contract_ids", contract_ids)
        put(self, "paths", paths)
        put(self, "baseline", baseline)
        put(self, "kinds", Registry() if kinds is None else kinds)
        put(self, "plans", plans)
        put(self, "shown", shown)


class Outcome:
    """What a run found. (A plain class: a dataclass costs more to make at import than
    this ``__init__`` costs to write.)"""

    __slots__ = (
        "comparison",
        "contracts",
        "counts",
        "diagnostics",
        "files_checked",
        "notes",
        "output_key",
        "rendered",
    )

    def __init__(
        self,
        diagnostics: list[Diagnostic],
        contracts: list[Contract],
        files_checked: int,
        counts: dict[str, Counter[str]] | None = None,
        comparison: Comparison | None = None,
        notes: tuple[str, ...] = (),
        rendered: tuple[str, int] | None = None,
        output_key: str | None = None,
    ) -> None:
        self.diagnostics = diagnostics
        self.contracts = contracts
        self.files_checked = files_checked
        # per contract id: code -> count, after suppression and before --select/PATHS
        self.counts: dict[str, Counter[str]] = {} if counts is None else counts
        # against the baseline, when one was applied
        self.comparison = comparison
        self.notes = notes  # warnings about the input that are not diagnostics
        # Options.shown: the text shown of an unchanged project (``diagnostics`` are then
        # not read), with its count of errors; or the key under which to keep the text.
        self.rendered = rendered
        self.output_key = output_key

    @property
    def errors(self) -> int:
        if self.rendered is not None:
            return self.rendered[1]
        return sum(1 for d in self.diagnostics if d.severity == "error")


def selected_contracts(project: Project, ids: Iterable[str]) -> list[Contract]:
    wanted = list(ids)
    known = {c.id for c in project.contracts}
    unknown = [i for i in wanted if i not in known]
    if unknown:
        raise UsageError(f"unknown contract id: {', '.join(unknown)}")
    return [c for c in project.contracts if not wanted or c.id in wanted]


def run(project: Project, options: Options | None = None) -> Outcome:
    """The cached result when every file's facts are what they were (an edit in a function
    body or a comment changes no fact, so it costs one parse); else a whole analysis."""
    options = options or Options()
    contracts = selected_contracts(project, options.contract_ids)
    results = ResultStore(project.cache_dir)
    graph_source = "given" if project.given_graph is not None else "built"
    key = None
    stored = None
    if project.cache_dir is not None:  # without a cache, no fingerprint is needed
        extra = f"{options.contract_ids!r} {graph_source} {options.kinds.stamp()}"
        key = project.fingerprint(extra, text_files=lambda c: kind_of(c, options.kinds).globs(c))
        stored = results.get(key, root=project.config.root)
    outcome = None
    shown = _output_key(project, key, options)
    if stored is not None and _still_valid(project, contracts, stored, options.kinds):
        rendered = OutputCache(project.cache_dir).get(shown) if shown else None
        if rendered is not None:
            debug.event("output:cached")
            return _outcome(stored, [], contracts, options, rendered=rendered)
        found = stored.intact(options.paths, plans=options.plans)
        if found is not None:  # (None: a damaged entry, the result is computed again)
            outcome = _outcome(stored, found, contracts, options)
    if outcome is None:
        debug.event("analyse")
        project.prefetch()
        stored = _analyse(project, contracts, options.kinds)
        if key is not None:
            results.put(key, stored)
        found = stored.found(options.paths, plans=options.plans)
        outcome = _outcome(stored, found, contracts, options)
    outcome.output_key = shown
    if options.baseline is not None and project.config.baseline:
        options.baseline(project, outcome, options)
    return outcome


def _output_key(project: Project, key: str | None, options: Options) -> str | None:
    """The key of the output of a run (``Options.shown``) whose result has ``key``: its
    text depends on the result, on the content of every file (the fixes' edits are made
    from it, and an edit that changes no fact keeps the result), on the root (paths are
    shown absolute) and on the options narrowing it. None when it is not to be kept (no
    cache, no format given, or a baseline, whose file the result does not depend on)."""
    if key is None or options.shown is None or project.config.baseline:
        return None
    narrowing = (options.shown, options.selection, options.paths, str(project.config.root))
    digests = project.digests
    contents = ((file.rel, digests.get(file.path, "-")) for file in project.files)
    return fingerprint(f"{key}\0{narrowing!r}", (), contents)


def keep_output(project: Project, outcome: Outcome, pieces: Iterable[str]) -> Iterable[str]:
    """``pieces``, the text shown of ``outcome``, kept on their way for the next run of
    the unchanged project."""
    if outcome.output_key is None:
        return pieces
    cache = OutputCache(project.cache_dir)
    return cache.keep(outcome.output_key, pieces, errors=outcome.errors)


def _analyse(project: Project, contracts: list[Contract], kinds: Registry) -> Stored:
    raw = list(meta.syntax_errors(ProjectView(project)))
    for contract in contracts:
        raw.extend(_run_contract(project, contract, kinds))
    found = [d for d in precedence(raw, contracts, kinds) if _survives(project, d)]
    counts: dict[str, Counter[str]] = {c.id: Counter() for c in contracts}
    by_path: dict[str, list[Diagnostic]] = {}
    for d in found:
        if d.contract in counts:
            counts[d.contract][d.code] += 1
        by_path.setdefault(str(d.path), []).append(d)
    for path, listed in by_path.items():  # sorted and unique once, not on every cached run
        by_path[path] = list(dict.fromkeys(sorted(listed, key=_order_in_file)))
    wanted = needles(contracts, kinds) if project.cache_dir is not None else set()  # for reuse
    texts = frozenset(f.rel for f in project.files if wanted and _mentions(project, f.path, wanted))
    contents = {f.rel: project.digests.get(f.path, "-") for f in project.files}
    notes = tuple(_noqa_notes(project, kinds))
    return Stored(
        dict[str, list[Diagnostic] | None](by_path),
        counts,
        len(project.files),
        contents,
        texts,
        notes,
    )


def _noqa_notes(project: Project, kinds: Registry) -> Iterable[str]:
    """A noqa comment with an unknown IMC code stays a warning (as in ruff)."""
    codes = kinds.codes()
    for file in project.files:
        rows = project.facts(file).noqa
        if not any(unknown_codes(line, codes=codes) for _, line in rows):
            continue
        for row, code in unknown_in_comments(project.lines(file), codes=codes):
            hint = codes.closest(code)
            more = f" (did you mean `{hint}`?)" if hint else ""
            yield f"{file.rel}:{row}: unknown rule code `{code}` in `# noqa`{more}"


def _outcome(
    stored: Stored,
    found: list[Diagnostic],
    contracts: list[Contract],
    options: Options,
    *,
    rendered: tuple[str, int] | None = None,
) -> Outcome:
    allowed = {code: options.selection.allows(code) for code in {d.code for d in found}}
    reported = [d for d in found if allowed[d.code]]
    outcome = Outcome(reported, contracts, stored.files_checked, stored.counts, rendered=rendered)
    if not options.paths:  # notes are about the whole project
        outcome.notes = stored.notes
    return outcome


def _order_in_file(d: Diagnostic) -> tuple[int, int, str, str]:
    return (d.location.row, d.location.column, d.code, d.message)


def _mentions(project: Project, path: Path, needles: set[bytes]) -> bool:
    return mentions(project, project.by_path[path], needles)


def _still_valid(
    project: Project, contracts: list[Contract], stored: Stored, kinds: Registry
) -> bool:
    """Facts are equal (the key says so); a file whose text changed must not be one whose
    text a contract reads, then or now."""
    changed = [
        f for f in project.files if project.digests.get(f.path, "-") != stored.contents.get(f.rel)
    ]
    if not changed:
        return True
    wanted = needles(contracts, kinds)
    return not any(
        f.rel in stored.texts or (wanted and _mentions(project, f.path, wanted)) for f in changed
    )


def precedence(
    found: list[Diagnostic], contracts: Iterable[Contract], kinds: Registry
) -> list[Diagnostic]:
    """A diagnostic whose rule yields to another code (``Rule.yields_to``) is left out
    where a diagnostic of that code is, at the same place (even a suppressed one): an
    import that is a legacy import is not also an import via a re-export."""
    yields = {
        rule.code: rule.yields_to
        for kind in {c.kind: kind_of(c, kinds) for c in contracts}.values()
        for rule in kind.rules
        if rule.yields_to
    }
    if not yields:
        return found
    wanted = {code for codes in yields.values() for code in codes}
    at = {(d.code, d.path, d.location) for d in found if d.code in wanted}
    return [
        d
        for d in found
        if not any((code, d.path, d.location) in at for code in yields.get(d.code, ()))
    ]


def context(project: Project, contract: Contract, kinds: Registry) -> Context:
    """The context a check of ``contract`` runs in: the project as its kind may see it."""
    kind = kind_of(contract, kinds)
    needles = frozenset(kind.needles(contract))
    view = ProjectView(project, contract=contract, needles=needles, text_globs=kind.globs(contract))
    return Context(view, contract, contracts=project.contracts)


def _run_contract(project: Project, contract: Contract, kinds: Registry) -> list[Diagnostic]:
    kind = kind_of(contract, kinds)
    ctx = context(project, contract, kinds)
    found = [
        d
        for d in kind.check(ctx, kind.options_of(contract))
        if _in_contract_paths(project, contract, d)
    ]
    found.extend(meta.unmatched_ignores(ctx))
    found.extend(meta.checks_nothing(ctx, kind.options))
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
