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
from importcanon.engine.adopt import apply_baseline
from importcanon.engine.run import Options, run
from importcanon.model.diagnostic import Diagnostic
from importcanon.model.errors import ConfigError, UsageError
from importcanon.model.escape import printable
from importcanon.rules import plugins
from importcanon.rules.registry import Registry

# the code of the one message a project whose configuration is broken gets on each file
CONFIG_ERROR = "IMC000"

# project root -> diagnostics by file (or the configuration error), computed once per process
_ANALYSED: dict[Path, dict[Path, list[Diagnostic]] | ConfigError] = {}


def diagnostics_for(path: Path) -> list[Diagnostic]:
    """The diagnostics located in ``path``; raises ConfigError when the project's
    configuration is broken (every file of the project then gets the same error)."""
    try:
        root, _ = find_project_root(path.parent)
    except ConfigError as exc:
        if exc.path is None:
            return []  # no importcanon project above this file: nothing to report
        raise  # a pyproject.toml that names importcanon but does not parse
    if root not in _ANALYSED:
        _ANALYSED[root] = _analyse(root)
    found = _ANALYSED[root]
    if isinstance(found, ConfigError):
        raise found
    return found.get(path, [])


def _analyse(root: Path) -> dict[Path, list[Diagnostic]] | ConfigError:
    try:
        kinds = Registry(plugins=plugins.discover)
        config = load_project(root, codes=kinds.codes())
        project = Project(config, load_contracts(config, kinds=kinds), cache_dir=default_dir(root))
        diagnostics = run(project, Options(baseline=apply_baseline, kinds=kinds)).diagnostics
    except ConfigError as exc:
        return exc
    except UsageError as exc:
        return ConfigError(str(exc))
    by_file: dict[Path, list[Diagnostic]] = defaultdict(list)
    for d in diagnostics:
        by_file[d.path].append(d)
    return by_file


class Plugin:
    name = "importcanon"
    version = __version__

    def __init__(self, tree: ast.AST, filename: str) -> None:
        self.filename = filename

    def run(self) -> Iterator[tuple[int, int, str, type[Any]]]:
        """The file's diagnostics; a broken configuration is one IMC000 message on line 1
        of each file (as flake8 reports E902 and E999), never an exception that would end
        the whole flake8 run and every other plugin's report with it."""
        if self.filename in ("-", "stdin"):
            return
        try:
            found = diagnostics_for(Path(self.filename).resolve())
        except ConfigError as exc:
            message = f"importcanon configuration error: {exc}"
            yield 1, 0, f"{CONFIG_ERROR} {message}", type(self)
            return
        for d in found:
            yield (
                d.location.row,
                d.location.column - 1,
                f"{d.code} {printable(d.message)}",
                type(self),
            )
