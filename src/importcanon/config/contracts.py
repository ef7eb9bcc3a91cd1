"""Loading and validating the contract files of `contracts/` (SPEC section 2)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from importcanon.config import fields as f
from importcanon.config import wall
from importcanon.config.toml import (
    array_table_starts,
    key_line,
    key_lines,
    locate,
    read_toml,
    string_lines,
    text_line,
)
from importcanon.model.contract import KINDS, Contract, IgnoreImport, ProjectConfig
from importcanon.model.errors import ConfigError

CONTRACT_ID = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")


def _ignore_check(item: str) -> str | None:
    parts = item.split(" -> ")
    if len(parts) != 2 or not all(f.is_module_expression(p.strip()) for p in parts):
        return f'`{item}` is not a valid import expression ("importer -> imported")'
    return None


def _moves_check(legacy: str, canonical: str) -> str | None:
    return f.module_name_check(legacy) or f.module_name_check(canonical)


COMMON: dict[str, f.FieldSpec] = {
    "id": f.FieldSpec("string", f.string(), required=True),
    "name": f.FieldSpec("string", f.string(), required=True),
    "kind": f.FieldSpec("string", f.choice(*KINDS), required=True),
    "acceptance": f.FieldSpec("string", f.string()),
    "severity": f.FieldSpec("string", f.choice("error", "warning")),
    "paths": f.FieldSpec("array", f.string_list(f.relative_path_check)),
    "exclude": f.FieldSpec("array", f.string_list(f.relative_path_check)),
    "ignore_imports": f.FieldSpec("array", f.string_list(_ignore_check)),
}

BY_KIND: dict[str, dict[str, f.FieldSpec]] = {
    "moved-modules": {
        "moves": f.FieldSpec("table", f.string_table(_moves_check), required=True),
        "text_files": f.FieldSpec("array", f.string_list(f.relative_path_check)),
    },
    "no-reexports": {
        "modules": f.FieldSpec("array", f.string_list(f.module_expression_check)),
        "public_modules": f.FieldSpec("array", f.string_list(f.module_expression_check)),
    },
    "no-relative-imports": {"scope": f.FieldSpec("string", f.choice("init", "all"))},
    "acyclic": {
        "packages": f.FieldSpec("array", f.string_list(f.module_name_check)),
        "granularity": f.FieldSpec("string", f.choice("module", "package")),
        "include_type_checking": f.FieldSpec("boolean", f.boolean()),
        "ignore_deferred": f.FieldSpec("boolean", f.boolean()),
    },
    "layout": {
        "package": f.FieldSpec("string", f.string(), required=True),
        "root_modules": f.FieldSpec("array", f.string_list(), required=True),
    },
    "banned-imports": {
        "modules": f.FieldSpec("array", f.string_list(f.module_name_check), required=True),
        "message": f.FieldSpec("string", f.string()),
    },
}


def load_contracts(config: ProjectConfig) -> list[Contract]:
    """Every contract of every ``*.toml`` in the contracts folder, in file-name order."""
    folder = config.root / config.contracts_dir
    if not folder.is_dir():
        return []
    contracts: list[Contract] = []
    seen: dict[str, Path] = {}
    for path in contract_files(folder, root=config.root):
        for contract in load_file(path, root=config.root):
            if contract.id in seen:
                raise ConfigError(
                    f"duplicate contract id (also defined in {seen[contract.id].name})",
                    path=path,
                    line=contract.line_of("id"),
                    contract=contract.id,
                    field="id",
                )
            seen[contract.id] = path
            contracts.append(contract)
    return contracts


def contract_files(folder: Path, *, root: Path) -> list[Path]:
    """The folder's ``*.toml`` files, in name order; a FIFO, device or socket, or a link
    that leads outside the project root, is skipped with a warning."""
    found = []
    for path in sorted(folder.glob("*.toml")):
        problem = wall.unsafe_file(path, root=root)
        if problem:
            wall.warn(f"skipped `{wall.shown(str(path.relative_to(root)))}`: {problem}")
        else:
            found.append(path)
    return found


def load_file(path: Path, *, root: Path | None = None) -> list[Contract]:
    data, lines = read_toml(path, root=root)
    for key in data:
        if key != "contract":
            hint = f.did_you_mean(key, ["contract"])
            raise ConfigError(
                f"unknown top-level key; contracts are [[contract]] tables{hint}",
                path=path,
                line=locate(lines, key) or 1,
                field=key,
            )
    tables = data.get("contract", [])
    if not isinstance(tables, list):
        raise ConfigError(
            f"expected an array of tables ([[contract]]), got {f.type_name(tables)}",
            path=path,
            line=locate(lines, "contract") or 1,
            field="contract",
        )
    starts = array_table_starts(lines, "contract")
    bounds = [
        (s, starts[i + 1] if i + 1 < len(starts) else len(lines)) for i, s in enumerate(starts)
    ]
    contracts = []
    for index, table in enumerate(tables):
        start, end = bounds[index] if index < len(bounds) else (0, len(lines))
        if not isinstance(table, dict):
            raise ConfigError(
                f"expected a table ([[contract]]), got {f.type_name(table)}",
                path=path,
                line=locate(lines, "contract") or 1,
                position=index + 1,
                field="contract",
            )
        contracts.append(_contract(table, path, lines, start, end, position=index + 1))
    return contracts


def _contract(
    table: dict[str, Any], path: Path, lines: list[str], start: int, end: int, *, position: int
) -> Contract:
    raw_id = table.get("id")
    cid = raw_id if isinstance(raw_id, str) and CONTRACT_ID.match(raw_id) else None

    def fail(message: str, field: str | None, line: int | None = None) -> ConfigError:
        if line is None and field:
            line = _field_line(lines, field, message, start, end)
        return ConfigError(
            message,
            path=path,
            line=line or start + 1,
            contract=cid,
            position=position,
            field=field,
        )

    kind = table.get("kind")
    specs = dict(COMMON)
    if isinstance(kind, str) and kind in BY_KIND:
        specs.update(BY_KIND[kind])
    for key, value in table.items():
        spec = specs.get(key)
        if spec is None:
            known = list(specs) if kind in BY_KIND else [*COMMON, *_all_kind_fields()]
            raise fail(f"unknown field{f.did_you_mean(key, known)}", key)
        problem = spec.check(value)
        if problem:
            raise fail(problem, key)
    for key, spec in specs.items():
        if spec.required and key not in table:
            raise fail(f"missing required field `{key}`", key, start + 1)
    if not CONTRACT_ID.match(table["id"]):
        raise fail(f"`{table['id']}` is not a valid id (lowercase letters, digits, - and _)", "id")
    line_map = _lines(table, lines, start, end)
    _check_kind(table, fail, line_map)
    return Contract(
        id=table["id"],
        name=table["name"],
        kind=table["kind"],
        file=path,
        line=start + 1,
        acceptance=table.get("acceptance", ""),
        severity=table.get("severity", "error"),
        paths=tuple(table.get("paths", ())),
        exclude=tuple(table.get("exclude", ())),
        ignore_imports=tuple(
            IgnoreImport(
                expression=expr,
                importer=expr.split(" -> ")[0].strip(),
                imported=expr.split(" -> ")[1].strip(),
                line=line_map.get(f"ignore_imports.{expr}", start + 1),
            )
            for expr in table.get("ignore_imports", ())
        ),
        options={k: v for k, v in table.items() if k not in COMMON},
        lines=line_map,
    )


def _field_line(lines: list[str], field: str, message: str, start: int, end: int) -> int | None:
    """The line of a table entry named in ``message``, else of the field or its table."""
    entry = re.match(r"entry `([^`]+)`", message)
    if entry:
        found = key_line(lines, entry.group(1), start, end)
        if found:
            return found
    return (
        key_line(lines, field, start, end)
        or text_line(lines, f"contract.{field}]", start, end)
        or locate(lines, field, start, end)
    )


def _all_kind_fields() -> list[str]:
    return sorted({name for specs in BY_KIND.values() for name in specs})


def _lines(table: Mapping[str, Any], lines: list[str], start: int, end: int) -> dict[str, int]:
    keys = key_lines(lines, start, end)
    strings: dict[str, int] | None = None  # read only when a field is an array
    found: dict[str, int] = {}
    for key, value in table.items():
        line = keys.get(key)
        if line is None and isinstance(value, dict):
            line = text_line(lines, f"contract.{key}]", start, end)
        found[key] = line or start + 1
        if isinstance(value, dict):
            for entry in value:
                found[f"{key}.{entry}"] = keys.get(entry) or found[key]
        elif isinstance(value, list):
            if strings is None:
                strings = string_lines(lines, start, end)
            for item in value:
                if isinstance(item, str):
                    line = strings.get(f'"{item}"') or strings.get(f"'{item}'")
                    found[f"{key}.{item}"] = line or found[key]
    return found


def _check_kind(table: Mapping[str, Any], fail: Any, line_map: Mapping[str, int]) -> None:
    """Legacy paths that overlap, and canonical paths that a legacy path covers: each path
    is checked against its own dotted prefixes (O(n) for n moves, not O(n²))."""
    if table["kind"] != "moved-modules":
        return
    moves: dict[str, str] = table["moves"]
    if not moves:
        raise fail("`moves` must name at least one legacy path", "moves")
    legacy = set(moves)
    for path in sorted(moves):
        outer = next((p for p in _prefixes(path) if p in legacy), None)
        if outer is not None:
            raise fail(
                f"legacy paths overlap: `{outer}` covers `{path}`",
                "moves",
                line_map[f"moves.{path}"],
            )
    for old, new in moves.items():
        other = next((p for p in [*_prefixes(new), new] if p in legacy), None)
        if other is not None:
            raise fail(
                f"canonical path `{new}` is covered by legacy path `{other}`",
                "moves",
                line_map[f"moves.{old}"],
            )


def _prefixes(path: str) -> list[str]:
    """``a.b.c`` -> ``a``, ``a.b``: the dotted paths that cover it, itself left out."""
    parts = path.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]
