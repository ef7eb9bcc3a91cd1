"""Entry-point group names: an interface other distributions register under
(`[project.entry-points."pkg.plugins"]`, `entry_points(group="pkg.plugins")`). A move leaves
them as they are on both sides, code and configuration, so that plugins written against the
old name keep loading: renaming one side only would load no plugin at all."""

from __future__ import annotations

import ast
import configparser

from importcanon.engine.move.build import Tree, Unknown, pyproject_data, setup_call


def groups(tree: Tree) -> frozenset[str]:
    """Every entry-point group the project's settings declare."""
    found: set[str] = set()
    try:
        data = pyproject_data(tree)
    except Unknown:
        data = {}
    for keys in (("project", "entry-points"), ("tool", "poetry", "plugins")):
        table: object = data
        for key in keys:
            table = table.get(key, {}) if isinstance(table, dict) else {}
        if isinstance(table, dict):
            found.update(str(k) for k in table)
    found.update(_setup_cfg_groups(tree.setup_cfg))
    found.update(_setup_py_groups(tree.setup_py))
    return frozenset(found)


def _setup_cfg_groups(text: str | None) -> set[str]:
    if text is None:
        return set()
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return set()
    section = "options.entry_points"
    return set(parser.options(section)) if parser.has_section(section) else set()


def _setup_py_groups(text: str | None) -> set[str]:
    if text is None:
        return set()
    try:
        call = setup_call(text)
    except Unknown:
        return set()
    node = next((k.value for k in call.keywords if k.arg == "entry_points"), None) if call else None
    if node is None:
        return set()
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
        return set()
    if isinstance(value, dict):
        return {k for k in value if isinstance(k, str)}
    if isinstance(value, str):
        return _ini_groups(value)
    return set()


def _ini_groups(text: str) -> set[str]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return set()
    return set(parser.sections())
