"""The edits to Python files: imports, the uses they bind, strings naming the module."""

from __future__ import annotations

import ast
from pathlib import Path

from importcanon.analysis.project import Project
from importcanon.analysis.source import decode, encoding_of
from importcanon.engine.move.plan import (
    Plan,
    read_file,
    shown,
    stub_of,
)
from importcanon.fixes.move_examples import binds_otherwise, rewrite_docstrings
from importcanon.fixes.move_python import Rename, UnparsableFile, Where, rewrite_python
from importcanon.fixes.move_text import (
    PathMove,
)
from importcanon.model.errors import UsageError


def python_edits(
    project: Project, plan: Plan, rename: Rename, *, unsafe: bool, paths: list[PathMove]
) -> None:
    """Every Python file's references, and those of its stub (`mod.pyi` beside `mod.py`);
    `paths` holds the move relative to the project root (the only paths a string can
    name unambiguously)."""
    for file in project.files:
        if plan.retire and file.path == plan.source:
            continue
        moved = plan.moved_path(file.path) != file.path
        module = file.module
        where = Where(module, file.is_init, rename(module) if moved and module else None)
        stub = stub_of(plan, file.path)
        for path in (file.path, stub) if stub is not None else (file.path,):
            _python_file(plan, path, where, rename, unsafe=unsafe, paths=paths)


def _python_file(
    plan: Plan, path: Path, where: Where, rename: Rename, *, unsafe: bool, paths: list[PathMove]
) -> None:
    needle = plan.old.rpartition(".")[2].encode()
    moved = plan.moved_path(path) != path
    rel = plan.rel(path)
    data = read_file(plan, path)
    if data is None and moved:
        plan.reports.append(f"{rel}:1:1: IMC900 not rewritten, cannot be read")
    if data is None or (not moved and needle not in data):
        return
    try:
        encoding = encoding_of(data)
        text = decode(data)
        result = rewrite_python(text, where=where, rename=rename, unsafe=unsafe, paths=paths)
    except (UnicodeDecodeError, SyntaxError, UnparsableFile) as exc:
        if moved or needle in data:
            plan.reports.append(f"{rel}:1:1: IMC900 not rewritten, cannot be parsed: {exc}")
        return
    examples = rewrite_docstrings(
        result.text, rename, bound_elsewhere=binds_otherwise(text, rename.old)
    )
    result.text, result.changes = examples.text, result.changes + examples.changes
    for unsure in result.unsure + examples.unsure if plan.old != plan.new else []:
        if unsure.blocking:
            raise UsageError(
                f"{rel}:{unsure.row}:{unsure.col}: cannot rewrite `{shown(unsure.text)}`"
                f" safely ({unsure.why}); nothing was changed"
            )
        plan.reports.append(
            f"{plan.rel(plan.moved_path(path))}:{unsure.row}:{unsure.col}: "
            f"IMC003 not rewritten ({unsure.why}): " + unsure.text
        )
    if result.text != text:
        _must_compile(plan, path, result.text)
        plan.edits[path] = (data, result.text.encode(encoding))
        plan.references += result.changes


def _must_compile(plan: Plan, path: Path, text: str) -> None:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError) as exc:
        raise UsageError(f"{plan.rel(path)}: the rewritten file would not compile ({exc})") from exc
