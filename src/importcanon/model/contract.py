"""Contracts and project configuration, as loaded and validated from TOML."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from importcanon.model.diagnostic import Severity


@dataclass(frozen=True)
class IgnoreImport:
    """One ``"importer -> imported"`` expression of a contract's ``ignore_imports``."""

    expression: str
    importer: str
    imported: str
    line: int


@dataclass(frozen=True)
class Contract:
    """One contract, as loaded from its TOML table."""

    id: str
    name: str
    kind: str
    file: Path
    line: int
    acceptance: str = ""
    severity: Severity = "error"
    paths: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    ignore_imports: tuple[IgnoreImport, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)  # validated by its kind's Options
    # line of each field (and of each table entry, keyed "field.key") in ``file``
    lines: Mapping[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


@dataclass(frozen=True)
class ProjectConfig:
    """The project's settings, from ``pyproject.toml``."""

    root: Path
    pyproject: Path | None
    root_packages: tuple[str, ...] | None
    source_roots: tuple[str, ...]
    contracts_dir: str = "contracts"
    exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    baseline: str | None = None  # the baseline file, relative to the root
