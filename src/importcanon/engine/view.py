"""A real run's project as the read-only view a rule sees (``rules.view.View``).

It reaches the project only through its facade's members, and refuses a text read to a
kind that declared no text (``Kind.reads_text``): a file's text reaches a rule only when
it holds one of the needles the result cache records the run as depending on.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from importcanon.analysis.files import SourceFile
from importcanon.analysis.project import Project
from importcanon.engine.kinds import mentions
from importcanon.model.contract import Contract
from importcanon.rules.view import Cycles, Edges, TextNotDeclared

if TYPE_CHECKING:  # a run answered from the cache never loads the facts' classes
    from importcanon.model.facts import FileFacts, ImportStmt


class ProjectView:
    """``project`` as a contract whose kind reads the text of the Python files holding one
    of ``needles`` and of the files ``text_globs`` name sees it (``contract``: None for the
    checks that belong to no contract)."""

    def __init__(
        self,
        project: Project,
        *,
        contract: Contract | None = None,
        needles: frozenset[bytes] = frozenset(),
        text_globs: tuple[str, ...] = (),
    ) -> None:
        self._project = project
        self._contract = contract
        self._needles = needles
        self._text_globs = text_globs

    @property
    def root_packages(self) -> tuple[str, ...]:
        return self._project.root_packages

    @property
    def files(self) -> Sequence[SourceFile]:
        return self._project.files

    @property
    def modules(self) -> Mapping[str, SourceFile]:
        return self._project.modules

    def file(self, path: Path) -> SourceFile | None:
        return self._project.by_path.get(path)

    def relative(self, path: Path) -> str:
        return path.relative_to(self._project.config.root).as_posix()

    def facts(self, file: SourceFile) -> FileFacts:
        return self._project.facts(file)

    def statement_at(self, file: SourceFile, row: int) -> ImportStmt | None:
        return self._project.statement_at(file, row)

    def noqa(self, file: SourceFile, first: int, last: int) -> frozenset[str] | None:
        return self._project.noqa(file, first, last)

    def edges(self, modules: Iterable[str]) -> Edges:
        return self._project.edges(modules)

    def edges_from(self, importer: str, wanted: set[str]) -> Edges:
        return self._project.edges_from(importer, wanted)

    @property
    def cycles(self) -> Cycles:
        return self._project.cycles

    def is_directory(self, dotted: str) -> bool:
        config = self._project.config
        relative = dotted.replace(".", "/")
        # os.path.isdir answers False for a name too long for the file system (pathlib raises)
        return any(os.path.isdir(config.root / r / relative) for r in config.source_roots)

    def text(self, file: SourceFile) -> list[str] | None:
        if not self._needles:
            raise TextNotDeclared("this contract's kind declared no text it reads")
        if not mentions(self._project, file, self._needles):
            return None
        return self._project.lines(file)

    def text_files(self) -> list[Path]:
        return self._project.text_files(self._text_globs) if self._text_globs else []

    def text_lines(self, path: Path) -> list[str]:
        if not self._needles or path not in self.text_files():
            raise TextNotDeclared(f"not a text file of this contract: {path}")
        return self._project.text_lines(path)
