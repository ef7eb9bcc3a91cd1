"""Run the contracts over a project and keep the diagnostics that survive suppression."""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from importcanon.analysis import debug
from importcanon.analysis.cache import Damaged, Parts, ResultCache
from importcanon.analysis.noqa import suppressed, unknown_codes, unknown_in_comments
from importcanon.analysis.project import Project
from importcanon.engine.selection import Selection, ignored_by_file
from importcanon.model.contract import Contract
from importcanon.model.diagnostic import Diagnostic
from importcanon.model.errors import UsageError
from importcanon.model.paths import matches_any_glob

if TYPE_CHECKING:
    from importcanon.engine.baseline import Comparison


@dataclass(frozen=True)
class Options:
    selection: Selection = field(default_factory=Selection)
    contract_ids: tuple[str, ...] = ()
    paths: tuple[Path, ...] = ()  # absolute; narrow what is reported
    baseline: bool = False  # leave out what the configured baseline records
    plans: bool = True  # False: cached diagnostics come without fix plans (nothing fixes)


@dataclass
class Outcome:
    diagnostics: list[Diagnostic]
    contracts: list[Contract]
    files_checked: int
    # per contract id: code -> count, after suppression and before --select/PATHS
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    comparison: Comparison | None = None  # against the baseline, when one was applied
    notes: tuple[str, ...] = ()  # warnings about the input that are not diagnostics

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


@dataclass
class Stored:
    """A run's result as cached: every surviving diagnostic (before --select and PATHS
    narrow it), with what else the result depends on beyond the files' facts."""

    by_path: dict[str, list[Diagnostic] | None]  # sorted, unique; None: still in ``parts``
    counts: dict[str, Counter[str]]
    files_checked: int
    contents: dict[str, str]  # rel -> content digest, at the time of the run
    texts: frozenset[str]  # files whose text (not only facts) a contract reads
    notes: tuple[str, ...] = ()  # unknown codes in noqa comments
    parts: Parts | None = None  # read from the cache: each file's diagnostics, undecoded

    def found(self, paths: tuple[Path, ...], *, plans: bool = True) -> list[Diagnostic]:
        """The diagnostics in ``paths`` (all when empty). From the cache, only those asked
        for are decoded (and checked: cacheformat.Invalid when one is not right), so an
        editor asking about one file does not decode the whole project's. Without ``plans``
        the fix plans of those decoded are left out (and they are not kept)."""
        found: list[Diagnostic] = []
        for path in sorted(self.by_path):  # in the order of Diagnostic.sort_key
            if _within(path, paths):
                listed = self.by_path[path]
                if listed is None:
                    listed = self._decode(path, plans=plans)
                    if plans:
                        self.by_path[path] = listed
                found.extend(listed)
        return found

    def _decode(self, path: str, *, plans: bool) -> list[Diagnostic]:
        from importcanon.analysis.cacheformat import Invalid, diagnostics_from_plain
        from importcanon.analysis.files import as_path

        if self.parts is None:
            raise Invalid("no diagnostics")
        try:
            plain = self.parts.part(path)
        except Damaged:
            raise Invalid("damaged diagnostics") from None
        return diagnostics_from_plain(plain, as_path(path), plans=plans)

    def header(self) -> dict[str, Any]:
        return {
            "counts": {cid: dict(counter) for cid, counter in self.counts.items()},
            "files_checked": self.files_checked,
            "contents": self.contents,
            "texts": sorted(self.texts),
            "notes": list(self.notes),
        }

    def plain_parts(self) -> dict[str, Any]:
        from importcanon.analysis.cacheformat import diagnostics_to_plain

        return {path: diagnostics_to_plain(listed or []) for path, listed in self.by_path.items()}

    @classmethod
    def from_cache(cls, found: Parts | None, *, root: Path) -> Stored | None:
        """A result read from the cache, when its header has the shape ``header`` gives and
        its parts name only paths under ``root`` (their diagnostics are checked when
        ``found`` decodes them); else None."""
        if found is None or type(found.header) is not dict or set(found.header) != _HEADER:
            return None
        counts, checked = found.header["counts"], found.header["files_checked"]
        contents, texts = found.header["contents"], found.header["texts"]
        notes = found.header["notes"]
        inside = os.path.join(root, "")
        if not (
            all(_inside(path, inside) for path in found.names)
            and _table_of(counts, dict)
            and all(_table_of(c, int) for c in counts.values())
            and type(checked) is int
            and _table_of(contents, str)
            and type(texts) is list
            and all(type(t) is str for t in texts)
            and type(notes) is list
            and all(type(n) is str for n in notes)
        ):
            return None
        tallies = {cid: Counter(c) for cid, c in counts.items()}
        by_path: dict[str, list[Diagnostic] | None] = dict.fromkeys(found.names)
        return cls(by_path, tallies, checked, contents, frozenset(texts), tuple(notes), found)


_HEADER = {"counts", "files_checked", "contents", "texts", "notes"}


def _inside(path: str, root: str) -> bool:
    """``path`` names a file under ``root`` (which ends with a separator), no ``..``."""
    return path.startswith(root) and f"{os.sep}..{os.sep}" not in f"{path}{os.sep}"


def _table_of(value: Any, kind: type) -> bool:
    """A JSON object whose every value is of ``kind``."""
    return type(value) is dict and all(type(v) is kind for v in value.values())


def run(project: Project, options: Options | None = None) -> Outcome:
    """The cached result when every file's facts are what they were (an edit in a function
    body or a comment changes no fact, so it costs one parse); else a whole analysis."""
    options = options or Options()
    contracts = selected_contracts(project, options.contract_ids)
    results = ResultCache(project.cache_dir)
    graph_source = "given" if project.given_graph is not None else "built"
    key = None
    stored = None
    if project.cache_dir is not None:  # without a cache, no fingerprint is needed
        key = project.fingerprint(f"{options.contract_ids!r} {graph_source}")
        stored = Stored.from_cache(results.get(key), root=project.config.root)
    outcome = None
    if stored is not None and _still_valid(project, contracts, stored):
        from importcanon.analysis.cacheformat import Invalid

        with contextlib.suppress(Invalid):  # a damaged entry: the result is computed again
            outcome = _outcome(stored, contracts, options)
    if outcome is None:
        debug.event("analyse")
        project.prefetch()
        stored = _analyse(project, contracts)
        if key is not None:
            results.put(key, stored.header(), stored.plain_parts())
        outcome = _outcome(stored, contracts, options)
    if options.baseline and project.config.baseline:
        apply_baseline(project, outcome, options)
    return outcome


def apply_baseline(project: Project, outcome: Outcome, options: Options) -> None:
    """Leave out of ``outcome`` the diagnostics that the configured baseline records."""
    from importcanon.engine import baseline

    root = project.config.root
    entries = baseline.configured(project.config)
    ids = {c.id for c in outcome.contracts} | {""}

    def in_scope(key: baseline.Key) -> bool:
        return (
            key.contract in ids
            and options.selection.allows(key.code)
            and _within(str(root / key.file), options.paths)
        )

    comparison = baseline.compare(outcome.diagnostics, entries, root=root, in_scope=in_scope)
    outcome.diagnostics = comparison.new
    outcome.comparison = comparison


def _analyse(project: Project, contracts: list[Contract]) -> Stored:
    from importcanon.rules import meta  # the rules load only when a run is not cached

    raw = list(meta.syntax_errors(project))
    for contract in contracts:
        raw.extend(_run_contract(project, contract))
    found = [d for d in _precedence(raw) if _survives(project, d)]
    counts: dict[str, Counter[str]] = {c.id: Counter() for c in contracts}
    by_path: dict[str, list[Diagnostic]] = {}
    for d in found:
        if d.contract in counts:
            counts[d.contract][d.code] += 1
        by_path.setdefault(str(d.path), []).append(d)
    for path, listed in by_path.items():  # sorted and unique once, not on every cached run
        by_path[path] = list(dict.fromkeys(sorted(listed, key=_order_in_file)))
    needles = _needles(contracts) if project.cache_dir is not None else set()  # for reuse only
    texts = frozenset(
        f.rel for f in project.files if needles and _mentions(project, f.path, needles)
    )
    contents = {f.rel: project.digests.get(f.path, "-") for f in project.files}
    notes = tuple(_noqa_notes(project))
    return Stored(
        dict[str, list[Diagnostic] | None](by_path),
        counts,
        len(project.files),
        contents,
        texts,
        notes,
    )


def _noqa_notes(project: Project) -> Iterable[str]:
    """A noqa comment with an unknown IMC code stays a warning (as in ruff)."""
    from importcanon.model.codes import closest

    for file in project.files:
        rows = project.facts(file).noqa
        if not any(unknown_codes(line) for _, line in rows):
            continue
        for row, code in unknown_in_comments(project.lines(file)):
            hint = closest(code)
            more = f" (did you mean `{hint}`?)" if hint else ""
            yield f"{file.rel}:{row}: unknown rule code `{code}` in `# noqa`{more}"


def _outcome(stored: Stored, contracts: list[Contract], options: Options) -> Outcome:
    found = stored.found(options.paths, plans=options.plans)
    allowed = {code: options.selection.allows(code) for code in {d.code for d in found}}
    reported = [d for d in found if allowed[d.code]]
    outcome = Outcome(reported, contracts, stored.files_checked, stored.counts)
    if not options.paths:  # notes are about the whole project
        outcome.notes = stored.notes
    return outcome


def _order_in_file(d: Diagnostic) -> tuple[int, int, str, str]:
    return (d.location.row, d.location.column, d.code, d.message)


def _needles(contracts: list[Contract]) -> set[bytes]:
    found: set[bytes] = set()
    for contract in contracts:
        found |= contract.text_needles()
    return found


def _mentions(project: Project, path: Path, needles: set[bytes]) -> bool:
    file = project.by_path[path]
    try:
        data = project.read(file)
    except OSError:
        return False
    return any(needle in data for needle in needles)


def _still_valid(project: Project, contracts: list[Contract], stored: Stored) -> bool:
    """Facts are equal (the key says so); a file whose text changed must not be one whose
    text a contract reads, then or now."""
    changed = [
        f for f in project.files if project.digests.get(f.path, "-") != stored.contents.get(f.rel)
    ]
    if not changed:
        return True
    needles = _needles(contracts)
    return not any(
        f.rel in stored.texts or (needles and _mentions(project, f.path, needles)) for f in changed
    )


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
    found.extend(meta.checks_nothing(ctx))
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


def _within(path: str, paths: tuple[Path, ...]) -> bool:
    if not paths:
        return True
    return any(path == str(p) or path.startswith(os.path.join(p, "")) for p in paths)
