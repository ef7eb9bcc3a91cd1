"""The module import graph of the root packages, built by grimp.

grimp parses in Rust; when it cannot (a file with a syntax error makes grimp give up on the
whole build), the same graph is assembled from the per-file facts, with grimp's resolution
rules, so that one broken file never hides the rest of the project.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import grimp

from importcanon.model.facts import FileFacts


def build_with_grimp(
    packages: tuple[str, ...], source_roots: Iterable[Path], cache_dir: Path | None
) -> Any:
    """grimp's graph (type-checking imports included; rules filter edges themselves)."""
    added = [str(p) for p in source_roots if str(p) not in sys.path]
    sys.path[:0] = added
    try:
        return grimp.build_graph(
            *packages, cache_dir=str(cache_dir) if cache_dir is not None else None
        )
    finally:
        for entry in added:
            sys.path.remove(entry)


def build_from_facts(modules: dict[str, FileFacts]) -> Any:
    """The same graph as grimp builds, from our own facts (the fallback)."""
    graph = grimp.ImportGraph()
    for module in modules:
        graph.add_module(module)
    for module, facts in modules.items():
        add_imports(graph, module, facts, modules)
    return graph


def add_imports(
    graph: Any, module: str, facts: FileFacts, modules: dict[str, FileFacts] | set[str]
) -> None:
    """Add the edges of ``module``'s import statements, resolved as grimp resolves them."""
    for stmt in facts.imports:
        for target in resolve_targets(stmt.is_from, stmt.base, stmt.names, modules):
            if target != module:
                graph.add_import(
                    importer=module, imported=target, line_number=stmt.span.row, line_contents=""
                )


def resolve_targets(
    is_from: bool,
    base: str | None,
    names: tuple[tuple[str, str | None], ...],
    modules: dict[str, FileFacts] | set[str],
) -> list[str]:
    """Modules an import statement names, as grimp resolves them."""
    if not is_from:
        return [name for name, _ in names if name in modules]
    if base is None:
        return []
    found = []
    for name, _ in names:
        candidate = f"{base}.{name}"
        if name != "*" and candidate in modules:
            found.append(candidate)
        elif base in modules:
            found.append(base)
    return list(dict.fromkeys(found))


def edges(graph: Any, modules: Iterable[str]) -> dict[tuple[str, str], list[int]]:
    """Every direct import among ``modules`` with the line numbers of its statements."""
    wanted = set(modules)
    found: dict[tuple[str, str], list[int]] = {}
    for importer in sorted(wanted):
        for imported in graph.find_modules_directly_imported_by(importer):
            if imported in wanted and imported != importer:
                details = graph.get_import_details(importer=importer, imported=imported)
                found[(importer, imported)] = sorted({d["line_number"] for d in details})
    return found
