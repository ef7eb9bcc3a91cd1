"""One project's analysis, composed of three parts: the file index (which files, which
modules), the facts store (each file's content, facts and digests) and the fingerprint
the result cache keys a run by; plus what is derived from facts on demand (lines, noqa,
statements by row) and the import graph.

Everything is computed on first use and kept, so a run only pays for what its contracts
need.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from importcanon.analysis import debug
from importcanon.analysis.cache import usable
from importcanon.analysis.fileindex import FileIndex
from importcanon.analysis.files import SourceFile
from importcanon.analysis.noqa import noqa_codes
from importcanon.analysis.results import fingerprint
from importcanon.analysis.source import decode, split_lines
from importcanon.analysis.store import DiskStore, FactsStore, MemoryStore, UnreadableFile
from importcanon.config import wall
from importcanon.model.contract import Contract, ProjectConfig

if TYPE_CHECKING:  # a run answered from the cache loads neither grimp nor the facts' classes
    from grimp import ImportGraph

    from importcanon.analysis.cycles import CycleSearch
    from importcanon.model.facts import FileFacts, ImportStmt

__all__ = ["Project", "UnreadableFile"]


def _git_ignored(root: Path, relative: list[str]) -> set[str] | None:
    """``files.GitIgnored``: the subprocess machinery loads only when git is asked."""
    from importcanon.analysis import git

    return git.check_ignore(root, relative)


class Project:
    """The facade the engine and the rules read a project through. ``overrides`` are
    unsaved buffers (read before the files on disk, and counted even when not on disk);
    ``cache_dir`` is used once checked (see ``cache.usable``); ``given_graph`` is a grimp
    graph built elsewhere (import-linter's); ``store`` replaces the on-disk facts store
    (see ``in_memory``)."""

    def __init__(
        self,
        config: ProjectConfig,
        contracts: list[Contract],
        *,
        overrides: dict[Path, bytes] | None = None,
        cache_dir: Path | None = None,
        given_graph: ImportGraph | None = None,
        store: FactsStore | None = None,
    ) -> None:
        self.config = config
        self.contracts = contracts
        self.overrides: dict[Path, bytes] = {} if overrides is None else overrides
        if cache_dir is not None:  # a folder that is not safe to use: no cache
            cache_dir = usable(cache_dir, root=config.root)
        self.cache_dir = cache_dir
        self.given_graph = given_graph
        self.index = FileIndex(
            config, extra=self.overrides, cache_dir=cache_dir, git_ignored=_git_ignored
        )
        if store is None:
            store = DiskStore(config.root, overrides=self.overrides, cache_dir=cache_dir)
        self.store: FactsStore = store
        self._lines: dict[Path, list[str]] = {}
        self._statements: dict[Path, dict[int, ImportStmt]] = {}
        self._noqa: dict[Path, dict[int, str]] = {}

    @classmethod
    def in_memory(
        cls, config: ProjectConfig, contracts: list[Contract], sources: dict[Path, bytes]
    ) -> Project:
        """A project whose files' content is ``sources`` (by absolute path), no file read:
        the files are those the index finds (it lists directories) plus those given; facts
        are parsed from the given bytes, with no cache and no worker."""
        return cls(config, contracts, overrides=sources, store=MemoryStore(sources))

    # --- the file index ----------------------------------------------------------------

    @functools.cached_property  # (then read as an attribute)
    def root_packages(self) -> tuple[str, ...]:
        return self.index.root_packages

    @functools.cached_property  # (then read as an attribute)
    def files(self) -> list[SourceFile]:
        return self.index.files

    @functools.cached_property  # (then read as an attribute)
    def by_path(self) -> dict[Path, SourceFile]:
        return self.index.by_path

    @functools.cached_property  # (then read as an attribute)
    def modules(self) -> dict[str, SourceFile]:
        """The modules of the root packages, by dotted name."""
        return self.index.modules

    def text_files(self, globs: tuple[str, ...]) -> list[Path]:
        """The files that ``globs`` (relative to the root) name."""
        return self.index.text_files(globs)

    # --- the facts store ---------------------------------------------------------------

    @functools.cached_property  # (then read as an attribute)
    def digests(self) -> dict[Path, str]:
        """Content digests known so far, by path."""
        return self.store.digests

    def read(self, file: SourceFile) -> bytes:
        return self.store.read(file)

    def facts(self, file: SourceFile) -> FileFacts:
        return self.store.facts(file)

    def prefetch(self) -> None:
        """Compute every file's facts in one go (from the cache, or parsed)."""
        self.store.prefetch(self.files)

    def refresh(self, path: Path, data: bytes | None) -> None:
        """Take ``path``'s content from ``data`` (an unsaved buffer; None: from disk again)
        and forget what was derived from its old content; a graph already built gets the
        file's new imports. For a resident analysis (the language server): ``path`` must be
        one of ``files``."""
        if data is None:
            self.overrides.pop(path, None)
        else:
            self.overrides[path] = data
        self.store.forget(path)
        for derived in (self._lines, self._statements, self._noqa):
            derived.pop(path, None)
        file = self.by_path[path]
        if "graph" in self.__dict__ and file.in_graph and file.module:
            self._replace_imports(self.graph, file.module, file)

    def text_lines(self, path: Path) -> list[str]:
        """Lines of any file (a text file of a contract, say), unsaved content first."""
        file = self.by_path.get(path)
        if file is not None:
            return self.lines(file)
        data = self._text(path)
        return [] if data is None else split_lines(data.decode("utf-8", errors="replace"))

    def _text(self, path: Path) -> bytes | None:
        if path in self.overrides:
            return self.overrides[path]
        try:
            return wall.read_regular(path, root=self.config.root)
        except OSError:
            return None

    # --- derived from content and facts ------------------------------------------------

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

    # --- the result cache's key --------------------------------------------------------

    def fingerprint(self, extra: str, *, text_files: Callable[[Contract], tuple[str, ...]]) -> str:
        """A digest of everything a run's result depends on; ``text_files``: the globs
        of the files whose text a contract reads (its kind says which)."""
        semantics = self.store.facts_digests(self.files)
        return fingerprint(
            repr((self.config, extra, self.root_packages)),
            ((contract, self._texts(text_files(contract))) for contract in self.contracts),
            ((file.rel, semantics[file.path]) for file in self.files),
        )

    def _texts(self, globs: tuple[str, ...]) -> Iterator[tuple[Path, bytes]]:
        for path in self.text_files(globs):
            yield path, self._text(path) or b""

    # --- the import graph --------------------------------------------------------------

    @functools.cached_property
    def graph(self) -> ImportGraph:
        """The grimp graph of the root packages: one filled from the facts (unsaved
        buffers included), or the one given (import-linter's), where unsaved buffers
        replace their files' imports."""
        if self.given_graph is None:
            debug.event("graph:build")
            self.prefetch()
            from importcanon.analysis import graph  # grimp is not needed for a cached run

            return graph.build_from_facts(
                {name: self.facts(file) for name, file in self.modules.items()}
            )
        debug.event("graph:given")
        given = self.given_graph
        for path in self.overrides:
            file = self.by_path.get(path)
            if file is not None and file.in_graph and file.module:
                self._replace_imports(given, file.module, file)
        return given

    def _replace_imports(self, graph: ImportGraph, module: str, file: SourceFile) -> None:
        from importcanon.analysis.graph import replace_imports

        replace_imports(graph, module, self.facts(file), set(self.modules))

    def edges(self, modules: Iterable[str]) -> dict[tuple[str, str], list[int]]:
        """Every direct import among ``modules``, with the rows of its statements."""
        from importcanon.analysis import graph  # (grimp: see ``graph``)

        return graph.edges(self.graph, modules)

    def edges_from(self, importer: str, wanted: set[str]) -> dict[tuple[str, str], list[int]]:
        """The direct imports of ``importer`` among ``wanted``, with their rows."""
        from importcanon.analysis import graph

        return graph.edges_from(self.graph, importer, wanted)

    @functools.cached_property
    def cycles(self) -> CycleSearch:
        """The cycle search's graph algorithms: networkx loads when one first runs."""
        from importcanon.analysis.cycles import CycleSearch

        return CycleSearch()
