"""`importcanon init`: draft `[tool.importcanon]` and `contracts/` from the tree.

pyproject.toml is extended, never rewritten: its text is kept byte for byte and the new
lines are appended (or inserted under an existing `[tool.importcanon]` header); the result
must parse to the same document plus the new keys, or nothing is written. Existing
contract files are never overwritten, and no contract of a kind the project already has
is drafted again.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from importcanon.analysis.atomic import write_atomically
from importcanon.config.contracts import load_file
from importcanon.config.scope import packages_under
from importcanon.config.wall import read_regular
from importcanon.model.errors import ConfigError
from importcanon.rules.registry import Registry

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

BASELINE = "importcanon-baseline.json"
# Top-level directories that hold packages but are not the project's code.
NOT_CODE = frozenset({"tests", "test", "docs", "doc", "examples", "scripts", "benchmarks"})
_HEADER = re.compile(r"^[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*importcanon[ \t]*\][ \t]*(#.*)?$")


@dataclass(frozen=True)
class Layout:
    source_roots: tuple[str, ...]
    root_packages: tuple[str, ...]


@dataclass
class Drafted:
    written: list[str] = field(default_factory=list)  # root-relative paths
    kept: list[str] = field(default_factory=list)  # why something was not written
    baseline: str | None = None  # the baseline file the configuration names


def detect(root: Path) -> Layout:
    """src layout when src/ holds packages, else flat; packages minus tests, docs, ..."""
    for roots in (("src",), (".",)):
        found = [
            name
            for name in packages_under(root, roots)
            if (root / roots[0] / name / "__init__.py").is_file() and name not in NOT_CODE
        ]
        if found:
            return Layout(roots, tuple(found))
    raise ConfigError(f"no Python package found in {root} (looked in src/ and at the top level)")


def _string_list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


def config_lines(layout: Layout, *, baseline: str | None) -> list[str]:
    lines = [
        f"root_packages = {_string_list(layout.root_packages)}",
        f"source_roots = {_string_list(layout.source_roots)}",
        'contracts = "contracts"',
    ]
    if baseline:
        lines.append(f'baseline = "{baseline}"')
    return lines


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def extend_pyproject(text: str, layout: Layout, *, baseline: str | None) -> str | None:
    """The new text of pyproject.toml (None when nothing needs adding)."""
    nl = _newline(text)
    table = _table(text)
    if table is None:
        block = ["[tool.importcanon]", *config_lines(layout, baseline=baseline)]
        gap = "" if not text else (nl if text.endswith(("\n", "\r")) else nl + nl)
        return text + gap + nl.join(block) + nl
    if not baseline or "baseline" in table:
        return None
    line = f'baseline = "{baseline}"'
    lines = text.splitlines(keepends=True)
    header = next((i for i, raw in enumerate(lines) if _HEADER.match(raw.rstrip("\r\n"))), None)
    if header is None:  # only sub-tables or dotted keys so far: a header of its own
        gap = nl if text.endswith(("\n", "\r")) else nl + nl
        return text + gap + "[tool.importcanon]" + nl + line + nl
    if not lines[header].endswith(("\n", "\r")):
        lines[header] += nl
    lines.insert(header + 1, line + nl)
    return "".join(lines)


def _table(text: str) -> dict[str, Any] | None:
    tool = tomllib.loads(text).get("tool")
    found = tool.get("importcanon") if isinstance(tool, dict) else None
    return found if isinstance(found, dict) else None


def _verified(path: Path, old: str, new: str) -> None:
    """The new document is the old one plus keys in [tool.importcanon], or a ConfigError."""
    try:
        before, after = tomllib.loads(old), tomllib.loads(new)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"cannot add [tool.importcanon] here without rewriting the file ({exc}); "
            "add it yourself",
            path=path,
        ) from None
    old_table, new_table = _pop_table(before), _pop_table(after)
    kept = all(new_table.get(k) == v for k, v in old_table.items())
    if before != after or not kept:
        raise ConfigError("adding [tool.importcanon] would change other settings", path=path)


def _pop_table(document: dict[str, Any]) -> dict[str, Any]:
    tool = document.get("tool")
    if not isinstance(tool, dict):
        return {}
    table = tool.pop("importcanon", {})
    if not tool:
        document.pop("tool")
    return table if isinstance(table, dict) else {}


def write_pyproject(root: Path, layout: Layout, *, baseline: bool, drafted: Drafted) -> str:
    """Create or extend pyproject.toml; returns the contracts folder it names."""
    path = root / "pyproject.toml"
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise ConfigError("not a regular file; edit it yourself", path=path)
    try:
        data = read_regular(path, root=root) if path.exists() else b""
        text = data.decode("utf-8")
        table = _table(text) or {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path=path) from None
    except (RecursionError, MemoryError):  # tomllib recurses once per level of nesting
        raise ConfigError("cannot read: nested too deeply", path=path) from None
    folder = table.get("contracts", "contracts")
    folder = folder if isinstance(folder, str) else "contracts"
    if not (root / folder).resolve().is_relative_to(root.resolve()):
        raise ConfigError(f"the contracts folder `{folder}` is outside the project root")
    configured = table.get("baseline")
    wanted = BASELINE if baseline and not isinstance(configured, str) else None
    new = extend_pyproject(text, layout, baseline=wanted)
    if new is None:
        drafted.kept.append("pyproject.toml: [tool.importcanon] already configured")
    else:
        _verified(path, text, new)
        write_atomically(path, new.encode("utf-8"))
        drafted.written.append("pyproject.toml")
    drafted.baseline = configured if isinstance(configured, str) else wanted
    return folder


def contract_files(layout: Layout, kinds: Registry) -> dict[str, tuple[str | None, str]]:
    """file name -> (the kind of the contract it drafts, None for a commented-out example;
    its text): each kind's template (``Kind.template``), in file-name order."""
    public = _string_list(layout.root_packages)
    values = {"package": layout.root_packages[0], "packages": public, "public": public}
    found = {}
    for kind in kinds.kinds().values():
        template = kind.template
        if template is not None:
            text = HEAD + template.text.format(**values)
            found[template.file] = (kind.name if template.active else None, text)
    return dict(sorted(found.items()))


def write_contracts(
    root: Path, folder: str, layout: Layout, drafted: Drafted, *, kinds: Registry
) -> None:
    directory = root / folder
    if not directory.resolve().is_relative_to(root.resolve()):
        raise ConfigError(f"the contracts folder `{folder}` is outside the project root")
    existing, ids = _existing(directory, kinds)
    directory.mkdir(parents=True, exist_ok=True)
    for name, (kind, text) in contract_files(layout, kinds).items():
        rel = f"{folder.rstrip('/')}/{name}"
        target = directory / name
        if target.exists() or target.is_symlink():
            drafted.kept.append(f"{rel}: exists, not overwritten")
        elif kind is not None and kind in existing:
            drafted.kept.append(f"{rel}: not drafted, a contract of kind `{kind}` exists already")
        elif any(f'id = "{i}"' in text for i in ids):
            drafted.kept.append(f"{rel}: not drafted, its contract id is taken")
        else:
            write_atomically(target, text.encode("utf-8"))
            drafted.written.append(rel)


def _existing(directory: Path, kinds: Registry) -> tuple[set[str], set[str]]:
    """The kinds and ids of the contracts already there."""
    if not directory.is_dir():
        return set(), set()
    contracts = [
        c for path in sorted(directory.glob("*.toml")) for c in load_file(path, kinds=kinds)
    ]
    return {c.kind for c in contracts}, {c.id for c in contracts}


def draft(root: Path, *, kinds: Registry, baseline: bool = False) -> Drafted:
    """Draft the configuration and contracts of the project at ``root``; ``kinds``: the
    kinds whose templates are drafted."""
    layout = detect(root)
    drafted = Drafted()
    folder = write_pyproject(root, layout, baseline=baseline, drafted=drafted)
    write_contracts(root, folder, layout, drafted, kinds=kinds)
    return drafted


HEAD = "# Drafted by `importcanon init`: review it, then commit it.\n"
