"""A view of a project held in memory (``rules.view.View``), for fast tests of a rule:
files given as a table of relative path -> source text, parsed with the real parser
(``analysis.parse``) and put in the real import graph (``analysis.graph``). Nothing is
read from or written to disk.

    view = MemoryView({"pkg/__init__.py": "", "pkg/a.py": "import pkg.b\\n", ...})
    found = check(kind, view, {"packages": ["pkg"]})
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from importcanon.analysis import graph as graphs
from importcanon.analysis.cycles import CycleSearch
from importcanon.analysis.files import SourceFile
from importcanon.analysis.noqa import noqa_codes
from importcanon.analysis.parse import extract
from importcanon.analysis.source import split_lines
from importcanon.model.contract import Contract, IgnoreImport
from importcanon.model.diagnostic import Diagnostic
from importcanon.model.facts import FileFacts, ImportStmt
from importcanon.rules.base import Context, Kind
from importcanon.rules.view import Cycles, Edges, TextNotDeclared

ROOT = Path("/memory")
CONTRACT_FILE = ROOT / "contracts" / "c.toml"


class MemoryView:
    """``sources``: relative path -> text. Python files under a package (a folder with an
    ``__init__.py``) are its modules; other files are text (a contract's ``text_files``
    may name them). ``needles``: the text the kind declared it reads."""

    def __init__(
        self,
        sources: Mapping[str, str],
        *,
        needles: Iterable[bytes] = (),
        text_files: Iterable[str] = (),
    ) -> None:
        self._sources = {rel: text.encode() for rel, text in sources.items()}
        self._needles = frozenset(needles)
        self._text_files = [ROOT / rel for rel in text_files if rel in sources]
        self._files = [_source_file(rel, set(sources)) for rel in sorted(sources)]
        self._files = [f for f in self._files if f.rel.endswith(".py")]
        self._facts = {
            f.path: extract(self._sources[f.rel], module=f.module, is_init=f.is_init)
            for f in self._files
        }

    def with_text(self, needles: Iterable[bytes], text_files: Iterable[str] = ()) -> MemoryView:
        """The same sources, seen by a kind that reads text."""
        sources = {rel: data.decode() for rel, data in self._sources.items()}
        return MemoryView(sources, needles=needles, text_files=text_files)

    @property
    def root_packages(self) -> tuple[str, ...]:
        return tuple(sorted({m.split(".")[0] for m in self.modules}))

    @property
    def files(self) -> Sequence[SourceFile]:
        return self._files

    @functools.cached_property
    def modules(self) -> Mapping[str, SourceFile]:
        return {f.module: f for f in self._files if f.in_graph and f.module}

    def file(self, path: Path) -> SourceFile | None:
        return next((f for f in self._files if f.path == path), None)

    def relative(self, path: Path) -> str:
        return path.relative_to(ROOT).as_posix()

    def facts(self, file: SourceFile) -> FileFacts:
        return self._facts[file.path]

    def statement_at(self, file: SourceFile, row: int) -> ImportStmt | None:
        return next(
            (s for s in self.facts(file).imports if s.span.row <= row <= s.span.end_row), None
        )

    def noqa(self, file: SourceFile, first: int, last: int) -> frozenset[str] | None:
        rows = dict(self.facts(file).noqa)
        return noqa_codes(rows, first, last) if rows else None

    @functools.cached_property
    def _graph(self) -> Any:
        return graphs.build_from_facts({m: self.facts(f) for m, f in self.modules.items()})

    def edges(self, modules: Iterable[str]) -> Edges:
        return graphs.edges(self._graph, modules)

    def edges_from(self, importer: str, wanted: set[str]) -> Edges:
        return graphs.edges_from(self._graph, importer, wanted)

    @property
    def cycles(self) -> Cycles:
        return CycleSearch()

    def is_directory(self, dotted: str) -> bool:
        folder = dotted.replace(".", "/") + "/"
        return any(rel.startswith(folder) for rel in self._sources)

    def text(self, file: SourceFile) -> list[str] | None:
        if not self._needles:
            raise TextNotDeclared("this kind declared no text it reads")
        data = self._sources[file.rel]
        if not any(needle in data for needle in self._needles):
            return None
        return split_lines(data.decode())

    def text_files(self) -> list[Path]:
        return list(self._text_files)

    def text_lines(self, path: Path) -> list[str]:
        if not self._needles or path not in self._text_files:
            raise TextNotDeclared(f"not a text file of this contract: {path}")
        return split_lines(self._sources[self.relative(path)].decode())


def _source_file(rel: str, every: set[str]) -> SourceFile:
    parts = rel.removesuffix(".py").split("/")
    is_init = parts[-1] == "__init__"
    if is_init:
        parts = parts[:-1]
    packaged = all("/".join(parts[:i]) + "/__init__.py" in every for i in range(1, len(parts)))
    in_graph = rel.endswith(".py") and bool(parts) and packaged
    module = ".".join(parts) if in_graph else None
    return SourceFile(ROOT / rel, rel, module, is_init, in_graph)


def contract(
    kind: Kind[Any],
    options: Mapping[str, Any],
    *,
    ignore_imports: Sequence[str] = (),
    contract_id: str = "c",
) -> Contract:
    """A contract of ``kind`` with these (already valid) ``options``."""
    ignores = tuple(
        IgnoreImport(e, e.split(" -> ")[0].strip(), e.split(" -> ")[1].strip(), 1)
        for e in ignore_imports
    )
    return Contract(
        id=contract_id,
        name=contract_id,
        kind=kind.name,
        file=CONTRACT_FILE,
        line=1,
        ignore_imports=ignores,
        options=dict(options),
    )


def check(
    kind: Kind[Any],
    view: MemoryView,
    options: Mapping[str, Any],
    *,
    ignore_imports: Sequence[str] = (),
    others: Sequence[Contract] = (),
) -> list[Diagnostic]:
    """The diagnostics of a contract of ``kind`` over ``view``, in order; ``others``: the
    project's other contracts."""
    found = contract(kind, options, ignore_imports=ignore_imports)
    needles = kind.needles(found)
    if needles:
        view = view.with_text(needles, kind.globs(found))
    ctx = Context(view, found, contracts=[*others, found])
    return sorted(kind.check(ctx, kind.options_of(found)), key=lambda d: d.sort_key)
