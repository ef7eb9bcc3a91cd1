"""Imports inside functions (loaded on first use, for start-up time) live only in the store
and the composition roots (docs/design.md, "Where dependencies come from"): everywhere
else a module imports at its top, and a dependency that is costly to load and needed only
sometimes is passed down as an object or a factory."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers import TESTS

SRC = TESTS.parent / "src" / "importcanon"

# the store (the facts store, the cache files and their formats, the result cache, and
# the Project facade over them) and the composition roots
ALLOWED = frozenset(
    {
        "analysis/store.py",
        "analysis/cache.py",
        "analysis/cacheformat.py",
        "analysis/results.py",
        "analysis/project.py",
        "cli.py",
        "integrations/flake8.py",
        "integrations/importlinter.py",
        "integrations/lsp/server.py",
    }
)


def function_level_imports(source: str) -> list[int]:
    """The lines of the import statements inside a function (of any depth) of ``source``."""
    rows: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    rows.add(inner.lineno)
    return sorted(rows)


def offenders(root: Path, allowed: frozenset[str]) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel not in allowed:
            rows = function_level_imports(path.read_text(encoding="utf-8"))
            found.extend(f"{rel}:{row}" for row in rows)
    return found


def test_imports_inside_functions_only_in_the_store_and_the_composition_roots() -> None:
    assert offenders(SRC, ALLOWED) == []


def test_every_allowed_module_exists() -> None:
    """(A module renamed away must not leave a stale exemption behind.)"""
    assert sorted(rel for rel in ALLOWED if not (SRC / rel).is_file()) == []


def test_the_scan_finds_an_import_inside_a_function(tmp_path: Path) -> None:
    """(The first test can fail: nested functions, methods and `from` imports count; a
    module-level import, one under `if TYPE_CHECKING:` included, does not.)"""
    source = (
        "import os\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    import json\n"
        "def f():\n"
        "    import difflib\n"
        "class C:\n"
        "    def m(self):\n"
        "        def inner():\n"
        "            from textwrap import dedent\n"
        "async def g():\n"
        "    import tempfile\n"
    )
    assert function_level_imports(source) == [6, 10, 12]
    (tmp_path / "engine").mkdir()
    (tmp_path / "engine" / "x.py").write_text(source)
    (tmp_path / "cli.py").write_text(source)
    assert offenders(tmp_path, frozenset({"cli.py"})) == [
        "engine/x.py:6",
        "engine/x.py:10",
        "engine/x.py:12",
    ]
