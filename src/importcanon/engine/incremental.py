"""An analysis kept resident (for the language server): the project's facts and graph stay
in memory, and an edit to one file redoes only what that file's facts can change.

The first ``analyse`` runs every contract, keeping for the contracts whose results reach
across files what an edit needs: for a contract of import cycles, the counted edges of
each module (an edit redoes its module's edges, then the cycle groups); for a contract of
re-exports, who imports which name from where and who binds or star-imports from whom (an
edit redoes the diagnostics of the modules and names its changed facts reach, following
re-export chains). Other kinds are cheap, file by file, and run again whole. A contract
with ``ignore_imports`` also runs again whole: which expressions matched (IMC902) is a
property of the whole run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from importcanon.analysis.files import SourceFile
from importcanon.analysis.names import NameIndex
from importcanon.analysis.project import Project
from importcanon.engine.kinds import needles
from importcanon.engine.run import (
    _in_contract_paths,
    _run_contract,
    _survives,
    context,
    precedence,
)
from importcanon.engine.view import ProjectView
from importcanon.model.contract import Contract
from importcanon.model.diagnostic import Diagnostic
from importcanon.model.facts import FileFacts, ImportStmt
from importcanon.rules import acyclic, meta, no_reexports
from importcanon.rules.base import Context
from importcanon.rules.registry import Registry

if TYPE_CHECKING:
    import networkx as nx

Users = dict[tuple[str, str], list[tuple[SourceFile, ImportStmt]]]


@dataclass
class _Cycles:
    """A cycles contract's counted edges, by importer."""

    ctx: Context
    options: acyclic.Options
    scope: set[str]
    kept: dict[str, dict[tuple[str, str], int]]
    quiet: dict[str, frozenset[tuple[str, str]]] = field(default_factory=dict)
    digraph: nx.DiGraph | None = None  # of the counted edges (module granularity)

    def same_after(self, module: str, found: list[Diagnostic]) -> bool:
        """Redo ``module``'s counted edges; whether the contract's diagnostics stay as they
        are: the same edges, none of them now quiet (a bare noqa) or no longer, and no
        diagnostic that names a line of ``module`` (one located there; any of a package
        contract, whose messages name the line of each step)."""
        before = self.kept[module]
        after = self.kept[module] = acyclic.kept_edges_from(
            self.ctx, self.options, module, self.scope
        )
        quiet = acyclic.quiet_edges(self.ctx, after)
        unchanged = before.keys() == after.keys() and quiet == self.quiet.get(module, frozenset())
        self.quiet[module] = quiet
        if not unchanged or self.options.granularity == "package":
            return False
        path = str(self.ctx.view.modules[module].path)
        return not any(str(d.path) == path for d in found)

    def again(
        self, module: str, before: set[tuple[str, str]], found: list[Diagnostic]
    ) -> Iterator[Diagnostic]:
        """The cycle diagnostics after ``module``'s edges changed: the graph is patched,
        and a group without ``module`` keeps its diagnostic (its edges are as they were)."""
        assert self.digraph is not None
        self.digraph.remove_edges_from(before)
        self.digraph.add_edges_from(self.kept[module])
        previous = {
            tuple(d.details["modules"]): d for d in found if d.code == acyclic.IMPORT_CYCLE.code
        }

        def known(members: list[str]) -> Diagnostic | None:
            return None if module in members else previous.get(tuple(members))

        quiet = frozenset().union(*self.quiet.values())
        return acyclic.module_cycles(
            self.ctx, self.edges(), digraph=self.digraph, known=known, quiet_known=quiet
        )

    def edges(self) -> dict[tuple[str, str], int]:
        merged: dict[tuple[str, str], int] = {}
        for importer in sorted(self.kept):
            merged.update(self.kept[importer])
        return merged


@dataclass
class _Facades:
    """A re-exports contract's indexes: ``users`` (module, name) -> its importers;
    ``binders`` (source, original) -> modules binding it; ``stars`` source -> modules
    star-importing it."""

    ctx: Context
    options: no_reexports.Options
    users: Users
    binders: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    stars: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def index(self, module: str, facts: FileFacts, *, add: bool) -> None:
        for binding in facts.bindings:
            if binding.original is not None:
                _toggle(self.binders[(binding.source, binding.original)], module, add=add)
        for position in facts.star_imports:
            base = facts.imports[position].base
            if base:
                _toggle(self.stars[base], module, add=add)


def _toggle(found: set[str], module: str, *, add: bool) -> None:
    if add:
        found.add(module)
    else:
        found.discard(module)


class Resident:
    """One project's analysis, kept: ``reported`` holds each file's diagnostics as the
    command line would report them (after suppressions); ``kinds``: the kinds its
    contracts were loaded with."""

    def __init__(self, project: Project, *, kinds: Registry) -> None:
        self.project = project
        self.kinds = kinds
        self.raw: dict[str, list[Diagnostic]] = {}  # contract id -> its diagnostics
        self.syntax: dict[Path, list[Diagnostic]] = {}
        self.by_path: dict[Path, list[Diagnostic]] = {}  # before suppressions
        self.reported: dict[Path, list[Diagnostic]] = {}
        self._cycles: dict[str, _Cycles] = {}
        self._facades: dict[str, _Facades] = {}

    def analyse(self) -> set[Path]:
        """The whole analysis; returns every file that has diagnostics."""
        self.project.prefetch()
        for d in meta.syntax_errors(ProjectView(self.project)):
            self.syntax.setdefault(d.path, []).append(d)
        for contract in self.project.contracts:
            self.raw[contract.id] = self._whole(contract)
        return self._report()

    def update(self, path: Path, data: bytes | None) -> set[Path]:
        """``path`` now holds ``data`` (None: its content on disk). Returns the files whose
        reported diagnostics changed."""
        file = self.project.by_path[path]
        old = self.project.facts(file)
        self.project.refresh(path, data)
        new = self.project.facts(file)
        if old == new and not self._reads_text():
            return set()
        self.syntax.pop(path, None)
        for d in meta.syntax_errors_in(ProjectView(self.project), [file]):
            self.syntax.setdefault(d.path, []).append(d)
        for contract in self.project.contracts:
            self.raw[contract.id] = self._again(contract, file, old, new)
        return self._report(always={path})

    def _reads_text(self) -> bool:
        return bool(needles(self.project.contracts, self.kinds))

    def _whole(self, contract: Contract) -> list[Diagnostic]:
        self._cycles.pop(contract.id, None)
        self._facades.pop(contract.id, None)
        if contract.ignore_imports or contract.kind not in (acyclic.NAME, no_reexports.NAME):
            return _run_contract(self.project, contract, self.kinds)
        ctx = context(self.project, contract, self.kinds)
        if contract.kind == acyclic.NAME:
            options = acyclic.KIND.options_of(contract)
            scope = acyclic.scope_of(ctx, options)
            kept = {m: acyclic.kept_edges_from(ctx, options, m, scope) for m in sorted(scope)}
            quiet = {m: acyclic.quiet_edges(ctx, edges) for m, edges in kept.items() if edges}
            state = self._cycles[contract.id] = _Cycles(ctx, options, scope, kept, quiet)
            if options.granularity == "module":
                state.digraph = ctx.view.cycles.digraph(state.edges())
            return self._keep(contract, acyclic.cycles(ctx, options, state.edges()))
        settings = no_reexports.KIND.options_of(contract)
        users = no_reexports.imported_from(ctx)
        facades = self._facades[contract.id] = _Facades(ctx, settings, users)
        for module, file in self.project.modules.items():
            facades.index(module, self.project.facts(file), add=True)
        names = NameIndex(self.project)
        found = no_reexports.check_part(
            ctx,
            settings,
            names,
            facades.users,
            modules=names.modules,
            pairs=set(facades.users),
            paths=set(),
        )
        return self._keep(contract, found)

    def _keep(self, contract: Contract, found: Iterable[Diagnostic]) -> list[Diagnostic]:
        return [d for d in found if _in_contract_paths(self.project, contract, d)]

    def _again(
        self, contract: Contract, file: SourceFile, old: FileFacts, new: FileFacts
    ) -> list[Diagnostic]:
        cycles = self._cycles.get(contract.id)
        if cycles is not None:
            if file.module not in cycles.scope:
                return self.raw[contract.id]
            assert file.module is not None
            before = set(cycles.kept[file.module])
            if cycles.same_after(file.module, self.raw[contract.id]):
                return self.raw[contract.id]
            if cycles.digraph is not None:
                return self._keep(
                    contract, cycles.again(file.module, before, self.raw[contract.id])
                )
            return self._keep(contract, acyclic.cycles(cycles.ctx, cycles.options, cycles.edges()))
        facades = self._facades.get(contract.id)
        if facades is None:
            return self._whole(contract)
        return self._facades_again(contract, facades, file, old, new)

    def _facades_again(
        self,
        contract: Contract,
        facades: _Facades,
        file: SourceFile,
        old: FileFacts,
        new: FileFacts,
    ) -> list[Diagnostic]:
        module = file.module if file.in_graph else None
        if module is not None and not _names_comparable(old, new):
            return self._whole(contract)
        _reindex_users(facades.users, file, old, new)
        modules = {base for base, _ in _keys(old.imports) ^ _keys(new.imports)}
        pairs: set[tuple[str, str]] = set()
        if module is not None:
            facades.index(module, old, add=False)
            facades.index(module, new, add=True)
            reached = _reached(facades, module, _changed_names(old, new))
            modules |= {module, *reached}
            pairs = {(m, name) for m, names in reached.items() for name in names}
        owned = {str(self.project.modules[m].path) for m in modules if m in self.project.modules}
        edited = str(file.path)
        kept = [d for d in self.raw[contract.id] if not _owned(d, owned, pairs, edited)]
        names = NameIndex(self.project)
        found = no_reexports.check_part(
            facades.ctx,
            facades.options,
            names,
            facades.users,
            modules=modules,
            pairs=pairs,
            paths={file.path},
        )
        return kept + self._keep(contract, found)

    def _report(self, *, always: Iterable[Path] = ()) -> set[Path]:
        by_path: dict[Path, list[Diagnostic]] = {}
        for path, found in self.syntax.items():
            by_path[path] = list(found)
        for found in self.raw.values():
            for d in found:
                by_path.setdefault(d.path, []).append(d)
        changed = set()
        always = set(always)
        for path in set(by_path) | set(self.by_path) | always:
            now, before = by_path.get(path, []), self.by_path.get(path)
            if path in always or before is None or now != before:  # (same order: same run)
                ordered = sorted(now, key=_order)
                found = precedence(ordered, self.project.contracts, self.kinds)
                survivors = [d for d in found if _survives(self.project, d)]
                if survivors != self.reported.get(path, []):
                    changed.add(path)
                self.reported[path] = survivors
        self.by_path = by_path
        for path in list(self.reported):
            if path not in self.by_path:
                del self.reported[path]
        return changed


def _order(d: Diagnostic) -> tuple[int, int, str, str, str]:
    return (d.location.row, d.location.column, d.code, d.message, d.contract)


def _keys(imports: Iterable[ImportStmt]) -> set[tuple[str, str]]:
    return {(s.base, name) for s in imports if s.is_from and s.base for name, _ in s.names}


def _reindex_users(users: Users, file: SourceFile, old: FileFacts, new: FileFacts) -> None:
    for key in _keys(old.imports):
        users[key] = [(f, s) for f, s in users.get(key, ()) if f.path != file.path]
        if not users[key]:
            del users[key]
    for stmt in new.imports:
        if stmt.is_from and stmt.base:
            for name, _ in stmt.names:
                users.setdefault((stmt.base, name), []).append((file, stmt))


def _names_comparable(old: FileFacts, new: FileFacts) -> bool:
    """Whether the names a module exposes can be compared name by name: its star imports
    and ``__all__`` did not change (when they do, the contract runs again whole)."""
    stars_old = [old.imports[i].base for i in old.star_imports]
    stars_new = [new.imports[i].base for i in new.star_imports]
    same_all = old.all_names == new.all_names and old.all_extends == new.all_extends
    return stars_old == stars_new and same_all and not new.all_extends


def _table(facts: FileFacts) -> dict[str, tuple[str, str | None]]:
    table: dict[str, tuple[str, str | None]] = {}
    for binding in facts.bindings:
        table.setdefault(binding.name, (binding.source, binding.original))
    for name in facts.defined:
        table[name] = ("", None)
    return table


def _changed_names(old: FileFacts, new: FileFacts) -> set[str]:
    before, after = _table(old), _table(new)
    return {n for n in set(before) | set(after) if before.get(n) != after.get(n)}


def _reached(facades: _Facades, module: str, names: set[str]) -> dict[str, set[str]]:
    """Modules (with the names they bind) whose view of a name can change when ``names``
    change in ``module``: it and those binding them from it, or star-importing it, again
    and again."""
    reached: dict[str, set[str]] = defaultdict(set)
    todo = [(module, name) for name in names]
    while todo:
        current, name = todo.pop()
        if name in reached[current]:
            continue
        reached[current].add(name)
        for binder in facades.binders.get((current, name), ()):
            facts = facades.ctx.view.facts(facades.ctx.view.modules[binder])
            todo.extend(
                (binder, b.name)
                for b in facts.bindings
                if b.source == current and b.original == name
            )
        todo.extend((star, name) for star in facades.stars.get(current, ()))
    reached.setdefault(module, set())
    return reached


def _owned(d: Diagnostic, owned: set[str], pairs: set[tuple[str, str]], edited: str) -> bool:
    """Whether a re-exports diagnostic is one the partial run makes again (paths are
    compared as strings: a path keeps its string, not its hash)."""
    if d.code == no_reexports.IMPORT_VIA_REEXPORT.code:
        return (d.details.get("via"), d.details.get("name")) in pairs or str(d.path) == edited
    return str(d.path) in owned
