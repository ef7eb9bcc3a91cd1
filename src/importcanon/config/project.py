"""Finding the project root and reading `[tool.importcanon]` (SPEC section 1)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from importcanon.config import fields as f
from importcanon.config.scope import check_scope
from importcanon.config.toml import key_line, locate, read_toml
from importcanon.config.wall import read_regular, resolves_inside, shown, unsafe_file, warn
from importcanon.model.codes import Codes
from importcanon.model.contract import ProjectConfig
from importcanon.model.errors import ConfigError


def _glob_key_check(key: str, value: str) -> str | None:
    problem = f.relative_path_check(key)
    return f"entry `{shown(key)}`: {problem}" if problem else None


def _per_file_check(value: Any) -> str | None:
    """A table of globs (inside the root) to a string or an array of strings of codes."""
    problem = f.strings_by_key(value)
    if problem is None:
        problem = next((p for k, v in value.items() if (p := _glob_key_check(k, v))), None)
    return problem


PROJECT_FIELDS: dict[str, f.FieldSpec] = {
    "root_packages": f.FieldSpec("array", f.string_list(f.module_name_check)),
    "source_roots": f.FieldSpec("array", f.string_list(f.relative_path_check)),
    "contracts": f.FieldSpec("string", f.relative_path()),
    "exclude": f.FieldSpec("array", f.string_list(f.relative_path_check)),
    "respect_gitignore": f.FieldSpec("boolean", f.boolean()),
    "per-file-ignores": f.FieldSpec("table", _per_file_check),
    "baseline": f.FieldSpec("string", f.string()),
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
    """Whether ``pyproject`` has a ``tool.importcanon`` key, however it is written
    (``[tool.importcanon]``, ``[tool]`` with ``importcanon = ...``, dotted keys)."""
    problem = unsafe_file(pyproject, root=pyproject.parent)
    if problem:
        warn(f"skipped `{shown(str(pyproject))}`: {problem}")
        return False
    try:
        text = read_regular(pyproject, root=pyproject.parent).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if "importcanon" not in text:
        return False  # no need to parse
    tool = read_toml(pyproject)[0].get("tool")
    return isinstance(tool, dict) and "importcanon" in tool


def load_project(start: Path, config: Path | None = None, *, codes: Codes) -> ProjectConfig:
    """The project's configuration; ``codes`` are the rule codes ``per-file-ignores`` may
    name (the composition root passes the registry's, ``Registry().codes()``)."""
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
        table = _section(data, pyproject, lines)
    _validate(table, pyproject, lines)
    source_roots = table.get("source_roots")
    if source_roots is None:
        source_roots = ["src"] if (root / "src").is_dir() else ["."]
    per_file = table.get("per-file-ignores", {})
    contracts_dir = table.get("contracts", "contracts")
    for key, folder in [*(("source_roots", r) for r in source_roots), ("contracts", contracts_dir)]:
        if not resolves_inside(root / folder, root):
            line = key_line(lines, key, _section_line(lines)) if lines else None
            raise ConfigError(
                f"`{shown(folder)}` leads outside the project root through a symbolic link",
                path=pyproject or root / folder,
                line=line,
                field=key,
            )
    loaded = ProjectConfig(
        root=root,
        pyproject=pyproject,
        root_packages=tuple(table["root_packages"]) if "root_packages" in table else None,
        source_roots=tuple(source_roots),
        contracts_dir=contracts_dir,
        exclude=tuple(table.get("exclude", ())),
        respect_gitignore=table.get("respect_gitignore", True),
        per_file_ignores={glob: _codes(codes) for glob, codes in per_file.items()},
        baseline=table.get("baseline"),
    )
    check_scope(loaded, lines, codes=codes)
    return loaded


def _section(data: dict[str, Any], pyproject: Path, lines: list[str]) -> dict[str, Any]:
    """``[tool.importcanon]``; an empty table when absent; a table, or an error."""
    tool = data.get("tool")
    if not isinstance(tool, dict) or "importcanon" not in tool:
        return {}
    table = tool["importcanon"]
    if not isinstance(table, dict):
        raise ConfigError(
            f"expected a table ([tool.importcanon]), got {f.type_name(table)}",
            path=pyproject,
            line=locate(lines, "importcanon") or 1,
            field="tool.importcanon",
        )
    return table


def _codes(value: str | list[str]) -> tuple[str, ...]:
    joined = value if isinstance(value, str) else " ".join(value)
    return tuple(code.strip() for code in joined.replace(",", " ").split() if code.strip())


def _section_line(lines: list[str]) -> int:
    return next((i for i, line in enumerate(lines) if line.strip() == "[tool.importcanon]"), 0)


def _validate(table: dict[str, Any], pyproject: Path | None, lines: list[str]) -> None:
    start = _section_line(lines)
    for key, value in table.items():
        spec = PROJECT_FIELDS.get(key)
        if spec is None:
            problem: str | None = (
                f"unknown field in [tool.importcanon]{f.did_you_mean(key, PROJECT_FIELDS)}"
            )
        else:
            problem = spec.check(value)
        if problem:
            line = locate(lines, key, start) or locate(lines, key) or (start + 1 if lines else None)
            entry = re.match(r"entry `([^`]+)`", problem)
            if entry and lines:  # a table's entry: its own line
                line = key_line(lines, entry.group(1), start) or line
            raise ConfigError(problem, path=pyproject, line=line, field=key)
