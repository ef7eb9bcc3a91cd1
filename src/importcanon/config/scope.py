"""What `[tool.importcanon]` points at must exist: each root package under the source
roots, each code of `per-file-ignores`, a baseline file inside the project root.
A configuration that would silently check nothing is an error (exit 2)."""

from __future__ import annotations

from pathlib import Path

from importcanon.config.fields import did_you_mean
from importcanon.config.toml import key_line, text_line
from importcanon.model.codes import Codes
from importcanon.model.contract import ProjectConfig
from importcanon.model.errors import ConfigError


def check_scope(config: ProjectConfig, lines: list[str], *, codes: Codes) -> None:
    _check_root_packages(config, lines)
    _check_per_file_ignores(config, lines, codes=codes)
    _check_baseline(config, lines)


def _section(lines: list[str]) -> int:
    return next((i for i, line in enumerate(lines) if line.strip() == "[tool.importcanon]"), 0)


def packages_under(root: Path, source_roots: tuple[str, ...]) -> list[str]:
    """Top-level packages (and modules) under the source roots: what a root package may be."""
    found: set[str] = set()
    for source_root in source_roots:
        base = root / source_root
        try:
            children = list(base.iterdir()) if base.is_dir() else []
        except OSError:
            continue
        for child in children:
            if child.name.endswith(".py") and child.stem.isidentifier() and child.is_file():
                found.add(child.stem)
            elif child.name.isidentifier() and (child / "__init__.py").is_file():
                found.add(child.name)
    return sorted(found)


def _is_package(root: Path, source_roots: tuple[str, ...], name: str) -> bool:
    for source_root in source_roots:
        base = root / source_root
        if (base / name / "__init__.py").is_file() or (base / f"{name}.py").is_file():
            return True
    return False


def _check_root_packages(config: ProjectConfig, lines: list[str]) -> None:
    for name in config.root_packages or ():
        if "." not in name and _is_package(config.root, config.source_roots, name):
            continue
        known = packages_under(config.root, config.source_roots)
        roots = ", ".join(config.source_roots)
        what = "a top-level package" if "." in name else "a package"
        hint = did_you_mean(name, known) or (f" (found: {', '.join(known)})" if known else "")
        line = _item_line(lines, "root_packages", name)
        raise ConfigError(
            f"`{name}` is not {what} under the source roots ({roots}); "
            f"it would check nothing{hint}",
            path=config.pyproject,
            line=line,
            field="root_packages",
        )


def _item_line(lines: list[str], key: str, item: str) -> int | None:
    start = _section(lines)
    found = key_line(lines, key, start) if lines else None
    if found is None:
        return None
    return text_line(lines, f'"{item}"', found - 1) or text_line(lines, f"'{item}'", found - 1)


def _check_per_file_ignores(config: ProjectConfig, lines: list[str], *, codes: Codes) -> None:
    for pattern, ignored in config.per_file_ignores.items():
        for code in ignored:
            if codes.is_selector(code):
                continue
            line = None
            if lines:
                start = text_line(lines, "per-file-ignores") or 1
                line = key_line(lines, pattern, start - 1) or start
            raise ConfigError(
                codes.unknown_selector_message(code, f"entry `{pattern}`"),
                path=config.pyproject,
                line=line,
                field="per-file-ignores",
            )


def _check_baseline(config: ProjectConfig, lines: list[str]) -> None:
    if config.baseline is None:
        return
    line = key_line(lines, "baseline", _section(lines)) if lines else None
    target = (config.root / config.baseline).resolve()
    problem = None
    if not config.baseline.strip() or Path(config.baseline).is_absolute():
        problem = "must be a path relative to the project root"
    elif not target.is_relative_to(config.root.resolve()):
        problem = "points outside the project root"
    elif target.is_dir():
        problem = "is a directory, not a file"
    if problem:
        raise ConfigError(
            f"`{config.baseline}` {problem}", path=config.pyproject, line=line, field="baseline"
        )
