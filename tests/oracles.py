"""Independent oracles the tests compare importcanon with."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import grimp
import networkx as nx


def grimp_cycle_groups(source_root: Path, package: str) -> set[frozenset[str]]:
    """Strongly connected components (2 or more modules) that networkx finds in grimp's
    graph of ``package``, built without TYPE_CHECKING imports."""
    importlib.invalidate_caches()
    sys.path.insert(0, str(source_root))
    try:
        graph = grimp.build_graph(package, exclude_type_checking_imports=True, cache_dir=None)
    finally:
        sys.path.remove(str(source_root))
    digraph = nx.DiGraph()
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            digraph.add_edge(importer, imported)
    return {frozenset(c) for c in nx.strongly_connected_components(digraph) if len(c) >= 2}
