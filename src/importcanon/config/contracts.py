"""Loading and validating the contract files of `contracts/` (SPEC section 2)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

from importcanon.config import fields as f
from importcanon.config import schema, wall
from importcanon.config.toml import (
    array_table_starts,
    key_line,
    key_lines,
    locate,
    read_toml,
    string_lines,
    text_line,
)
from importcanon.model.contract import Contract, IgnoreImport, ProjectConfig
from importcanon.model.errors import ConfigError

CONTRACT_ID = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")


def _ignore_check(item: str) -> str | None:
    parts = item.split(" -> ")
    if len(parts) != 2 or not all(f.is_module_expression(p.strip()) for p in parts):
        return f'`{item}` is not a valid import expression ("importer -> imported")'
    return None


class Kinds(Protocol):
    """The contract kinds, given by a layer above (their options are ``config.schema``
    dataclasses): the configuration knows no kind by itself."""

    def options(self, name: str) -> type[Any] | None:
        """The ``Options`` class of kind ``name``; None for no such kind."""
        ...

    def names(self) -> list[str]:
        """Every kind's name, in the order error messages list them."""
        ...


COMMON: dict[str, f.FieldSpec] = {
    "id": f.FieldSpec("string", f.string(), required=True),
    "name": f.FieldSpec("string", f.string(), required=True),
    "kind": f.FieldSpec("string", f.string(), required=True),  # one of the given kinds
    "acceptance": f.FieldSpec("string", f.string()),
    "severity": f.FieldSpec("string", f.choice("error", "warning")),
    "paths": f.FieldSpec("array", f.string_list(f.relative_path_check)),
    "exclude": f.FieldSpec("array", f.string_list(f.relative_path_check)),
    "ignore_imports": f.FieldSpec("array", f.string_list(_ignore_check)),
}


def load_contracts(config: ProjectConfig, *, kinds: Kinds) -> list[Contract]:
    """Every contract of every ``*.toml`` in the contracts folder, in file-name order."""
    folder = config.root / config.contracts_dir
    if not folder.is_dir():
        return []
    contracts: list[Contract] = []
    seen: dict[str, Path] = {}
    for path in contract_files(folder, root=config.root):
        for contract in load_file(path, kinds=kinds, root=config.root):
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


def load_file(path: Path, *, kinds: Kinds, root: Path | None = None) -> list[Contract]:
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
        contracts.append(_contract(table, path, lines, start, end, position=index + 1, kinds=kinds))
    return contracts


def _contract(
    table: dict[str, Any],
    path: Path,
    lines: list[str],
    start: int,
    end: int,
    *,
    position: int,
    kinds: Kinds,
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
    options = kinds.options(kind) if isinstance(kind, str) else None
    specs = dict(COMMON)
    specs["kind"] = f.FieldSpec("string", _kind_check(kinds), required=True)
    if options is not None:
        specs.update(schema.specs(options))
    for key, value in table.items():
        spec = specs.get(key)
        if spec is None:
            known = list(specs) if options else [*COMMON, *_all_kind_fields(kinds)]
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
    found = schema.problem(schema.build(options, table)) if options is not None else None
    if found is not None:
        raise fail(found.message, found.field, line_map.get(found.line_key))
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


def _kind_check(kinds: Kinds) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if isinstance(value, str) and kinds.options(value) is not None:
            return None
        return f.choice(*kinds.names())(value)

    return check


def _all_kind_fields(kinds: Kinds) -> list[str]:
    found: set[str] = set()
    for name in kinds.names():
        options = kinds.options(name)
        found |= set(schema.specs(options)) if options is not None else set()
    return sorted(found)


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
