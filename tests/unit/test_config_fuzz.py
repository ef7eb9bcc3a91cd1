"""Any TOML value in any configuration field: the configuration loads, or raises a
ConfigError whose message is one line naming the file, the line and the field. Nothing
else (no TypeError, no AttributeError, no RecursionError)."""

from __future__ import annotations

import datetime
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importcanon.config import schema
from importcanon.config.contracts import COMMON, load_file
from importcanon.config.project import PROJECT_FIELDS, load_project
from importcanon.model.errors import ConfigError
from importcanon.rules.registry import Registry


def toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's, DEL aside)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    pairs = (f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items())
    return "{" + ", ".join(pairs) + "}"


scalars = (
    st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
    | st.text(max_size=8)
    | st.sampled_from(["pkg", "pkg.a", "**", "error", "module", "init", "a -> b"])
    | st.datetimes(
        min_value=datetime.datetime(1900, 1, 1), max_value=datetime.datetime(2100, 1, 1)
    ).map(lambda d: d.replace(microsecond=0))
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
KIND_FIELDS = sorted(
    {
        (kind.name, name)
        for kind in Registry().kinds().values()
        for name in schema.specs(kind.options)
    }
)
FIELDS = [("acyclic", name) for name in COMMON] + KIND_FIELDS


def _one_line(exc: ConfigError, path: Path, field: str) -> None:
    text = str(exc)
    assert "\n" not in text and "\r" not in text, text
    assert text.startswith(f"{path}:"), text
    assert exc.line is not None
    assert exc.field is not None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FIELDS), values)
def test_any_value_in_any_contract_field(case: tuple[str, str], value: Any) -> None:
    kind, field = case
    head = {"id": '"x"', "name": '"x"', "kind": toml_string(kind)}
    if field in head:
        head[field] = toml_value(value)
    lines = ["[[contract]]", *(f"{k} = {v}" for k, v in head.items())]
    if field not in head:
        lines.append(f"{field} = {toml_value(value)}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        try:
            load_file(path, kinds=Registry())
        except ConfigError as exc:
            _one_line(exc, path, field)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(PROJECT_FIELDS)), values)
def test_any_value_in_any_project_field(field: str, value: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pyproject.toml"
        path.write_text(f"[tool.importcanon]\n{field} = {toml_value(value)}\n", encoding="utf-8")
        try:
            load_project(Path(folder), path, codes=Registry().codes())
        except ConfigError as exc:
            _one_line(exc, path, field)


@settings(max_examples=100, deadline=None)
@given(values)
def test_any_value_as_the_tool_section_or_the_contract_array(value: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        pyproject = Path(folder) / "pyproject.toml"
        pyproject.write_text(f"[tool]\nimportcanon = {toml_value(value)}\n", encoding="utf-8")
        contracts = Path(folder) / "c.toml"
        contracts.write_text(f"contract = {toml_value(value)}\n", encoding="utf-8")
        for load in (
            lambda: load_project(Path(folder), pyproject, codes=Registry().codes()),
            lambda: load_file(contracts, kinds=Registry()),
        ):
            try:
                load()
            except ConfigError as exc:
                assert "\n" not in str(exc) and exc.line is not None, str(exc)
