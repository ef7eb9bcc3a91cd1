"""Finding the project root and reading `[tool.importcanon]` (SPEC section 1)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from importcanon.config import fields as f
from importcanon.config.toml import key_line, read_toml
from importcanon.config.wall import read_regular, resolves_inside, shown, unsafe_file, warn
from importcanon.model.contract import ProjectConfig
from importcanon.model.errors import ConfigError


def _glob_key_check(key: str, value: str) -> str | None:
    problem = f.relative_path_check(key)
    return f"entry `{shown(key)}`: {problem}" if problem else None


PROJECT_FIELDS: dict[str, f.FieldSpec] = {
    "root_packages": f.FieldSpec("array", f.string_list(f.module_name_check)),
    "source_roots": f.FieldSpec("array", f.string_list(f.relative_path_check)),
    "contracts": f.FieldSpec("string", f.relative_path()),
    "exclude": f.FieldSpec("array", f.string_list(f.relative_path_check)),
    "respect_gitignore": f.FieldSpec("boolean", f.boolean()),
    "per-file-ignores": f.FieldSpec("table", f.string_table(_glob_key_check)),
}


def find_project_root(start: Path) -> tuple[Path, Path | None]:
    """Walk up from ``start``: the first pyproject.toml with [tool.importcanon], else the
    first directory holding a ``contracts/`` folder. Returns (root, pyproject or None)."""
    start = start.resolve()
    candidates = [start, *start.parents]
    for directory in candidates:
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _has_section(pyproject):
            return directory, pyproject
    for directory in candidates:
        if (directory / "contracts").is_dir():
            return directory, None
    raise ConfigError(
        f"no project found from {start}: no pyproject.toml with [tool.importcanon] "
        "and no contracts/ folder in it or its parents"
    )


def _has_section(pyproject: Path) -> bool:
    problem = unsafe_file(pyproject, root=pyproject.parent)
    if problem:
        warn(f"skipped `{shown(str(pyproject))}`: {problem}")
        return False
    try:
        text = read_regular(pyproject, root=pyproject.parent).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return "[tool.importcanon" in text and "importcanon" in read_toml(pyproject)[0].get("tool", {})


def load_project(start: Path, config: Path | None = None) -> ProjectConfig:
    pyproject: Path | None
    if config is not None:
        if not config.is_file():
            raise ConfigError(f"configuration file not found: {config}")
        root, pyproject = config.resolve().parent, config.resolve()
    else:
        root, pyproject = find_project_root(start)
    table: dict[str, Any] = {}
    lines: list[str] = []
    if pyproject is not None:
        data, lines = read_toml(pyproject)
        table = data.get("tool", {}).get("importcanon", {})
    _validate(table, pyproject, lines)
    source_roots = table.get("source_roots")
    if source_roots is None:
        source_roots = ["src"] if (root / "src").is_dir() else ["."]
    per_file = table.get("per-file-ignores", {})
    contracts_dir = table.get("contracts", "contracts")
    for key, folder in [*(("source_roots", r) for r in source_roots), ("contracts", contracts_dir)]:
        if not resolves_inside(root / folder, root):
            line = key_line(lines, key, _section(lines)) if lines else None
            raise ConfigError(
                f"`{shown(folder)}` leads outside the project root through a symbolic link",
                path=pyproject or root / folder,
                line=line,
                field=key,
            )
    return ProjectConfig(
        root=root,
        pyproject=pyproject,
        root_packages=tuple(table["root_packages"]) if "root_packages" in table else None,
        source_roots=tuple(source_roots),
        contracts_dir=contracts_dir,
        exclude=tuple(table.get("exclude", ())),
        respect_gitignore=table.get("respect_gitignore", True),
        per_file_ignores={glob: _codes(codes) for glob, codes in per_file.items()},
    )


def _codes(value: str) -> tuple[str, ...]:
    return tuple(code.strip() for code in value.replace(",", " ").split() if code.strip())


def _section(lines: list[str]) -> int:
    return next((i for i, line in enumerate(lines) if line.strip() == "[tool.importcanon]"), 0)


def _validate(table: dict[str, Any], pyproject: Path | None, lines: list[str]) -> None:
    section = _section(lines)
    for key, value in table.items():
        spec = PROJECT_FIELDS.get(key)
        line = key_line(lines, key, section) if lines else None
        if spec is None:
            hint = f.did_you_mean(key, PROJECT_FIELDS)
            raise ConfigError(
                f"unknown field in [tool.importcanon]{hint}", path=pyproject, line=line, field=key
            )
        if key == "per-file-ignores" and isinstance(value, dict):
            value = {k: _joined(v) for k, v in value.items()}
            table[key] = value
        problem = spec.check(value)
        if problem:
            entry = re.match(r"entry `([^`]+)`", problem)
            if entry and lines:  # a table's entry: its own line
                line = key_line(lines, entry.group(1), section) or line
            raise ConfigError(problem, path=pyproject, line=line, field=key)


def _joined(value: Any) -> Any:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return " ".join(value)
    return value
