"""Contracts and project configuration, as loaded and validated from TOML.

(Records written by hand, as in model/diagnostic.py: every run makes these classes, and a
dataclass costs more to make at import than the record's methods cost to write. Each
behaves as the frozen dataclass it was: tests/unit/test_records.py.)"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from importcanon.model.diagnostic import Severity
from importcanon.model.record import Value

_put = object.__setattr__


class IgnoreImport(Value):
    """One ``"importer -> imported"`` expression of a contract's ``ignore_imports``."""

    __slots__ = ("expression", "importer", "imported", "line")  # noqa: RUF023 - in order
    expression: str
    importer: str
    imported: str
    line: int

    def __init__(self, expression: str, importer: str, imported: str, line: int) -> None:
        _put(self, "expression", expression)
        _put(self, "importer", importer)
        _put(self, "imported", imported)
        _put(self, "line", line)


class Contract(Value):
    """One contract, as loaded from its TOML table. ``options`` and ``lines``: a new
    dictionary when not given."""

    # the fields, in order
    __slots__ = (  # noqa: RUF023
        "id",
        "name",
        "kind",
        "file",
        "line",
        "acceptance",
        "severity",
        "paths",
        "exclude",
        "ignore_imports",
        "options",
        "lines",
    )
    id: str
    name: str
    kind: str
    file: Path
    line: int
    acceptance: str
    severity: Severity
    paths: tuple[str, ...]
    exclude: tuple[str, ...]
    ignore_imports: tuple[IgnoreImport, ...]
    options: Mapping[str, Any]  # validated by its kind's Options
    # line of each field (and of each table entry, keyed "field.key") in ``file``
    lines: Mapping[str, int]

    def __init__(
        self,
        id: str,
        name: str,
        kind: str,
        file: Path,
        line: int,
        acceptance: str = "",
        severity: Severity = "error",
        paths: tuple[str, ...] = (),
        exclude: tuple[str, ...] = (),
        ignore_imports: tuple[IgnoreImport, ...] = (),
        options: Mapping[str, Any] | None = None,
        lines: Mapping[str, int] | None = None,
    ) -> None:
        _put(self, "id", id)
        _put(self, "name", name)
        _put(self, "kind", kind)
        _put(self, "file", file)
        _put(self, "line", line)
        _put(self, "acceptance", acceptance)
        _put(self, "severity", severity)
        _put(self, "paths", paths)
        _put(self, "exclude", exclude)
        _put(self, "ignore_imports", ignore_imports)
        _put(self, "options", {} if options is None else options)
        _put(self, "lines", {} if lines is None else lines)

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class ProjectConfig(Value):
    """The project's settings, from ``pyproject.toml``. ``per_file_ignores``: a new
    dictionary when not given."""

    # the fields, in order
    __slots__ = (  # noqa: RUF023
        "root",
        "pyproject",
        "root_packages",
        "source_roots",
        "contracts_dir",
        "exclude",
        "respect_gitignore",
        "per_file_ignores",
        "baseline",
    )
    root: Path
    pyproject: Path | None
    root_packages: tuple[str, ...] | None
    source_roots: tuple[str, ...]
    contracts_dir: str
    exclude: tuple[str, ...]
    respect_gitignore: bool
    per_file_ignores: Mapping[str, tuple[str, ...]]
    baseline: str | None  # the baseline file, relative to the root

    def __init__(
        self,
        root: Path,
        pyproject: Path | None,
        root_packages: tuple[str, ...] | None,
        source_roots: tuple[str, ...],
        contracts_dir: str = "contracts",
        exclude: tuple[str, ...] = (),
        respect_gitignore: bool = True,
        per_file_ignores: Mapping[str, tuple[str, ...]] | None = None,
        baseline: str | None = None,
    ) -> None:
        _put(self, "root", root)
        _put(self, "pyproject", pyproject)
        _put(self, "root_packages", root_packages)
        _put(self, "source_roots", source_roots)
        _put(self, "contracts_dir", contracts_dir)
        _put(self, "exclude", exclude)
        _put(self, "respect_gitignore", respect_gitignore)
        _put(self, "per_file_ignores", {} if per_file_ignores is None else per_file_ignores)
        _put(self, "baseline", baseline)
