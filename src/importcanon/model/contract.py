"""Contracts and project configuration, as loaded and validated from TOML.

(Records written by hand, as in model/diagnostic.py: every run makes these classes, and a
dataclass costs more to make at import than the record's methods cost to write. Each
behaves as the frozen dataclass it was: tests/unit/test_records.py.)"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from importcanon.model.diagnostic import Severity
from importcanon.model.record import Value, put


class IgnoreImport(Value):
    """One ``"importer -> imported"`` expression of a contract's ``ignore_imports``."""

    __slots__ = ("expression", "importer", "imported", "line")  # noqa: RUF023 - in order
    expression: str
    importer: str
    imported: str
    line: int

    def __init__(self, expression: str, importer: str, imported: str, line: int) -> None:
        put(self, "expression", expression)
        put(self, "importer", importer)
        put(self, "imported", imported)
        put(self, "line", line)


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
        put(self, "id", id)
        put(self, "name", name)
        put(self, "kind", kind)
        put(self, "file", file)
        put(self, "line", line)
        put(self, "acceptance", acceptance)
        put(self, "severity", severity)
        put(self, "paths", paths)
        put(self, "exclude", exclude)
        put(self, "ignore_imports", ignore_imports)
        put(self, "options", {} if options is None else options)
        put(self, "lines", {} if lines is None else lines)

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
        put(self, "root", root)
        put(self, "pyproject", pyproject)
        put(self, "root_packages", root_packages)
        put(self, "source_roots", source_roots)
        put(self, "contracts_dir", contracts_dir)
        put(self, "exclude", exclude)
        put(self, "respect_gitignore", respect_gitignore)
        put(self, "per_file_ignores", {} if per_file_ignores is None else per_file_ignores)
        put(self, "baseline", baseline)
