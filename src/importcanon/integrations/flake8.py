"""flake8 plugin: ``IMC = importcanon.integrations.flake8:Plugin``.

Each file gets the importcanon diagnostics located in it. The whole project is analysed
once per process (flake8's worker processes each analyse it at most once; the on-disk
cache makes the second one cheap), and noqa / per-file-ignores work through flake8.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from importcanon import __version__
from importcanon.analysis.cache import default_dir
from importcanon.analysis.project import Project
from importcanon.config.contracts import load_contracts
from importcanon.config.project import find_project_root, load_project
from importcanon.engine.run import run
from importcanon.model.diagnostic import Diagnostic
from importcanon.model.errors import ConfigError

# project root -> diagnostics by file, computed once per process
_ANALYSED: dict[Path, dict[Path, list[Diagnostic]]] = {}


def diagnostics_for(path: Path) -> list[Diagnostic]:
    try:
        root, _ = find_project_root(path.parent)
    except ConfigError:
        return []
    if root not in _ANALYSED:
        config = load_project(root)
        project = Project(config, load_contracts(config), cache_dir=default_dir(root))
        by_file: dict[Path, list[Diagnostic]] = defaultdict(list)
        for d in run(project).diagnostics:
            by_file[d.path].append(d)
        _ANALYSED[root] = by_file
    return _ANALYSED[root].get(path, [])


class Plugin:
    name = "importcanon"
    version = __version__

    def __init__(self, tree: ast.AST, filename: str) -> None:
        self.filename = filename

    def run(self) -> Iterator[tuple[int, int, str, type[Any]]]:
        if self.filename in ("-", "stdin"):
            return
        for d in diagnostics_for(Path(self.filename).resolve()):
            yield d.location.row, d.location.column - 1, f"{d.code} {d.message}", type(self)
