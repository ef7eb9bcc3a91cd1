"""One project's analysis: configuration, checked files, per-file facts and the graph.

Everything is computed on first use and kept, so a run only pays for what its contracts
need.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from importcanon.analysis import debug
from importcanon.analysis.cache import (
    FactsCache,
    Stamp,
    StatIndex,
    digest,
    facts_digest,
    stamp,
    usable,
)
from importcanon.analysis.files import (
    SourceFile,
    default_root_packages,
    glob_files,
    module_name,
    source_files,
)
from importcanon.analysis.noqa import noqa_codes
from importcanon.analysis.source import decode, split_lines
from importcanon.config import wall
from importcanon.model.contract import Contract, ProjectConfig

if TYPE_CHECKING:  # a run answered from the cache never loads the facts' classes
    from importcanon.model.facts import FileFacts, ImportStmt

FEW_FILES = 16  # more changed files than this are parsed together (in workers, cached)


@dataclass
class Project:
    config: ProjectConfig
    contracts: list[Contract]
    overrides: dict[Path, bytes] = field(default_factory=dict)
    cache_dir: Path | None = None
    given_graph: Any = None  # a grimp graph built elsewhere (import-linter)
    _facts: dict[Path, FileFacts] = field(default_factory=dict, repr=False)
    _lines: dict[Path, list[str]] = field(default_factory=dict, repr=False)
    _statements: dict[Path, dict[int, ImportStmt]] = field(default_factory=dict, repr=False)
    _noqa: dict[Path, dict[int, str]] = field(default_factory=dict, repr=False)
    digests: dict[Path, str] = field(default_factory=dict, repr=False)  # of content
    semantics: dict[Path, str] = field(default_factory=dict, repr=False)  # of facts
    _stats: dict[Path, Stamp] = field(default_factory=dict, repr=False)
    _prefetched: bool = field(default=False, repr=False)
    _text_files: dict[tuple[str, ...], list[Path]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.cache_dir is not None:  # a folder that is not safe to use: no cache
            self.cache_dir = usable(self.cache_dir, root=self.config.root)

    @functools.cached_property
    def root_packages(self) -> tuple[str, ...]:
        if self.config.root_packages is not None:
            return self.config.root_packages
        return default_root_packages(self.config)

    @functools.cached_property
    def files(self) -> list[SourceFile]:
        files = source_files(self.config, self.root_packages, self.cache_dir)
        known = {f.path for f in files}
        for path in self.overrides:  # an unsaved buffer may not exist on disk yet
            if path not in known:
                files.extend(_extra_file(self, path))
        return sorted(files, key=lambda f: f.rel)

    @functools.cached_property
    def by_path(self) -> dict[Path, SourceFile]:
        return {f.path: f for f in self.files}

    @functools.cached_property
    def modules(self) -> dict[str, SourceFile]:
        """The modules of the root packages, by dotted name."""
        return {f.module: f for f in self.files if f.in_graph and f.module}

    def read(self, file: SourceFile) -> bytes:
        if file.path in self.overrides:
            return self.overrides[file.path]
        try:
            return wall.read_regular(file.path, root=self.config.root)
        except OSError as exc:
            raise UnreadableFile(str(exc)) from exc

    def facts(self, file: SourceFile) -> FileFacts:
        found = self._facts.get(file.path)
        if found is None:
            from importcanon.analysis.parse import extract, unreadable

            try:
                data = self.read(file)
            except UnreadableFile as exc:
                found = unreadable(exc)
            else:
                found = extract(data, module=file.module, is_init=file.is_init)
            self._facts[file.path] = found
        return found

    def refresh(self, path: Path, data: bytes | None) -> None:
        """Take ``path``'s content from ``data`` (an unsaved buffer; None: from disk again)
        and forget what was derived from its old content; a graph already built gets the
        file's new imports. For a resident analysis (the language server): ``path`` must be
        one of ``files``."""
        if data is None:
            self.overrides.pop(path, None)
        else:
            self.overrides[path] = data
        for derived in (self._facts, self._lines, self._statements, self._noqa):
            derived.pop(path, None)
        self.digests.pop(path, None)
        self.semantics.pop(path, None)
        file = self.by_path[path]
        if "graph" in self.__dict__ and file.in_graph and file.module:
            _replace_imports(self.graph, file.module, self.facts(file), set(self.modules))

    def text_files(self, contract: Contract) -> list[Path]:
        """The files a contract's ``text_files`` globs name (relative to the root)."""
        patterns = tuple(contract.options.get("text_files", ()))
        found = self._text_files.get(patterns)
        if found is None:
            found = self._text_files[patterns] = glob_files(self.config.root, patterns)
        return found

    def text_lines(self, path: Path) -> list[str]:
        """Lines of any file (a text file of a contract, say), unsaved content first."""
        file = self.by_path.get(path)
        if file is not None:
            return self.lines(file)
        try:
            if path in self.overrides:
                data = self.overrides[path]
            else:
                data = wall.read_regular(path, root=self.config.root)
        except OSError:
            return []
        return split_lines(data.decode("utf-8", errors="replace"))

    @functools.cached_property
    def cache(self) -> FactsCache:
        return FactsCache(self.cache_dir)

    def prefetch(self) -> None:
        """Compute every file's facts in one go: from the cache where the content is known,
        else parsed, in worker processes when there are many. The cyclic garbage collector
        is paused meanwhile: parsing allocates millions of short-lived nodes while the
        facts kept so far grow, and full collections over them cost more than parsing."""
        if self._prefetched:
            return
        paused = gc.isenabled()
        gc.disable()
        try:
            self.digest_all()
            todo: list[SourceFile] = []
            for file in self.files:
                key = self.digests.get(file.path)
                if file.path in self._facts:
                    if key is not None:
                        self.cache.put(key, self._facts[file.path])
                    continue
                cached = self.cache.get(key) if key is not None else None
                if cached is not None:
                    self._facts[file.path] = cached
                else:
                    todo.append(file)
            from importcanon.analysis.parse import Item, parse_many

            items: list[Item] = [
                (
                    self.overrides[f.path] if f.path in self.overrides else str(f.path),
                    f.module,
                    f.is_init,
                )
                for f in todo
            ]
            for file, (key, facts) in zip(
                todo, parse_many(items, root=str(self.config.root)), strict=True
            ):
                self._facts[file.path] = facts
                if key is not None and key == self.digests.get(file.path, key):
                    self.digests[file.path] = key  # (unchanged since it was hashed)
                    self.cache.put(key, facts)
            self.cache.save()
            self._prefetched = True
        finally:
            if paused:
                gc.enable()

    def digest_all(self) -> None:
        """The content digest of every readable file (its cache key); with a cache, an
        unchanged file's digests (of its content and of its facts) come from its stamp
        (size, times and inode)."""
        if self.cache_dir is None or all(file.path in self.digests for file in self.files):
            return  # without a cache, no digest is needed (prefetch records what it parses)
        index = self._index
        for file in self.files:
            if file.path in self.digests:
                continue
            stat = None
            if self.cache_dir is not None and file.path not in self.overrides:
                try:
                    stat = os.stat(file.path)
                except OSError:
                    stat = None
            if stat is not None:
                point = stamp(stat)
                known = index.get(str(file.path), point, file.module, file.is_init)
                if known is not None:
                    self.digests[file.path], self.semantics[file.path] = known
                    continue
                self._stats[file.path] = point
            try:
                data = self.read(file)
            except UnreadableFile:
                continue
            self.digests[file.path] = digest(data, file.module, file.is_init)

    def semantic_all(self) -> None:
        """The digest of every file's facts: what a run's result depends on (the rules read
        facts, not text, except where a contract says otherwise; see engine.run)."""
        self.digest_all()
        missing = [file for file in self.files if file.path not in self.semantics]
        if len(missing) > FEW_FILES:
            self.prefetch()
        for file in missing:
            self.semantics[file.path] = facts_digest(self.facts(file))
        self._remember()

    def _remember(self) -> None:
        """Record the digests of the files read this run under their stamps."""
        for file in self.files:
            point = self._stats.get(file.path)
            key, facts_key = self.digests.get(file.path), self.semantics.get(file.path)
            if point is not None and key is not None and facts_key is not None:
                del self._stats[file.path]
                self._index.put(str(file.path), point, file.module, file.is_init, (key, facts_key))
        self._index.save()

    @functools.cached_property
    def _index(self) -> StatIndex:
        return StatIndex(self.cache_dir)

    def fingerprint(self, extra: str) -> str:
        """A digest of everything a run's result depends on."""
        self.semantic_all()
        h = hashlib.blake2b(digest_size=20)
        h.update(repr((self.config, extra, self.root_packages)).encode())
        for contract in self.contracts:
            h.update(repr(contract).encode())
            for path in self.text_files(contract):
                h.update(str(path).encode())
                h.update(self.overrides.get(path) or _bytes_or_empty(path, self.config.root))
        for file in self.files:
            h.update(f"{file.rel}\0{self.semantics[file.path]}\0".encode())
        return h.hexdigest()

    def lines(self, file: SourceFile) -> list[str]:
        found = self._lines.get(file.path)
        if found is None:
            try:
                found = split_lines(decode(self.read(file)))
            except (UnreadableFile, UnicodeDecodeError, SyntaxError):
                found = []
            self._lines[file.path] = found
        return found

    def noqa(self, file: SourceFile, first: int, last: int) -> frozenset[str] | None:
        rows = self._noqa.get(file.path)
        if rows is None:
            rows = self._noqa[file.path] = dict(self.facts(file).noqa)
        if not rows:
            return None
        return noqa_codes(rows, first, last)

    def statement_at(self, file: SourceFile, row: int) -> ImportStmt | None:
        by_row = self._statements.get(file.path)
        if by_row is None:
            by_row = {}
            for stmt in self.facts(file).imports:
                for r in range(stmt.span.row, stmt.span.end_row + 1):
                    by_row.setdefault(r, stmt)
            self._statements[file.path] = by_row
        return by_row.get(row)

    @functools.cached_property
    def graph(self) -> Any:
        """The grimp graph of the root packages: one filled from the facts (unsaved
        buffers included), or the one given (import-linter's), where unsaved buffers
        replace their files' imports."""
        if self.given_graph is None:
            return self._build_graph()
        debug.event("graph:given")
        graph = self.given_graph
        for path in self.overrides:
            file = self.by_path.get(path)
            if file is not None and file.in_graph and file.module:
                _replace_imports(graph, file.module, self.facts(file), set(self.modules))
        return graph

    def _build_graph(self) -> Any:
        debug.event("graph:build")
        self.prefetch()
        return graphs().build_from_facts(
            {name: self.facts(file) for name, file in self.modules.items()}
        )


def _bytes_or_empty(path: Path, root: Path) -> bytes:
    try:
        return wall.read_regular(path, root=root)
    except OSError:
        return b""


def graphs() -> Any:
    """The graph module, imported on first use (grimp is not needed for a cached run)."""
    from importcanon.analysis import graph

    return graph


class UnreadableFile(OSError):
    pass


def _extra_file(project: Project, path: Path) -> list[SourceFile]:
    if path.suffix != ".py":  # the fixed content of a contract's text file, say
        return []
    module, under_root = module_name(path, project.config)
    try:
        rel = path.relative_to(project.config.root).as_posix()
    except ValueError:
        return []
    in_graph = under_root and module is not None and module.split(".")[0] in project.root_packages
    return [SourceFile(path, rel, module, path.name == "__init__.py", in_graph)]


def _replace_imports(graph: Any, module: str, facts: FileFacts, modules: set[str]) -> None:
    if module not in graph.modules:
        graph.add_module(module)
    for imported in list(graph.find_modules_directly_imported_by(module)):
        graph.remove_import(importer=module, imported=imported)
    graphs().add_imports(graph, module, facts, modules)
