"""What a rule sees of a project: a read-only view.

A rule reads modules, files, each file's facts, the import graph's edges, statements and
noqa comments; the text of a file only when its kind declared which text it reads (its
``reads_text`` needles): a view refuses a text read otherwise, so that what a cached
result depends on is known by construction. ``engine.view`` adapts a real run's project
to it; ``rules.memory`` builds one from module sources, for tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from importcanon.analysis.files import SourceFile

if TYPE_CHECKING:  # a run answered from the cache never loads the facts' classes
    import networkx as nx

    from importcanon.model.facts import FileFacts, ImportStmt

Edges = dict[tuple[str, str], list[int]]


class TextNotDeclared(RuntimeError):
    """A rule read text that its kind did not declare (``Kind.reads_text``)."""


class Cycles(Protocol):
    """The graph algorithms of a cycle search (``analysis.cycles``: networkx, loaded only
    when a search runs)."""

    def digraph(self, edges: Iterable[tuple[str, str]]) -> nx.DiGraph:
        """A directed graph of ``edges``."""
        ...

    def components(self, digraph: nx.DiGraph) -> Iterable[set[str]]:
        """The strongly connected components of ``digraph``."""
        ...


class View(Protocol):
    @property
    def root_packages(self) -> tuple[str, ...]: ...

    @property
    def files(self) -> Sequence[SourceFile]:
        """Every checked file, in order of relative path."""
        ...

    @property
    def modules(self) -> Mapping[str, SourceFile]:
        """The modules of the root packages, by dotted name."""
        ...

    def file(self, path: Path) -> SourceFile | None: ...

    def relative(self, path: Path) -> str:
        """``path`` relative to the project root, in posix form."""
        ...

    def facts(self, file: SourceFile) -> FileFacts: ...

    def statement_at(self, file: SourceFile, row: int) -> ImportStmt | None: ...

    def noqa(self, file: SourceFile, first: int, last: int) -> frozenset[str] | None:
        """Codes a noqa comment on rows ``first..last`` suppresses (``analysis.noqa``)."""
        ...

    def edges(self, modules: Iterable[str]) -> Edges:
        """Every direct import among ``modules``, with the rows of its statements."""
        ...

    def edges_from(self, importer: str, wanted: set[str]) -> Edges:
        """The direct imports of ``importer`` among ``wanted``, with their rows."""
        ...

    @property
    def cycles(self) -> Cycles:
        """The graph algorithms of a cycle search."""
        ...

    def is_directory(self, dotted: str) -> bool:
        """Whether a dotted path is a folder under a source root (a namespace package)."""
        ...

    def text(self, file: SourceFile) -> list[str] | None:
        """The lines of a checked file whose bytes hold one of the kind's needles, else
        None; TextNotDeclared for a kind that declared none."""
        ...

    def text_files(self) -> list[Path]:
        """The files the contract's ``text_files`` globs name (none unless declared)."""
        ...

    def text_lines(self, path: Path) -> list[str]:
        """The lines of one of ``text_files``; TextNotDeclared for any other path."""
        ...
