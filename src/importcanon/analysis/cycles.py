"""The graph algorithms of the cycle search (networkx): a directed graph of import edges
and its strongly connected components.

networkx costs a tenth of a second to load, and only a cycle search needs it, so this
module is loaded by the project (``Project.cycles``, the store's facade) when a rule or
the resident analysis first asks for it; rules reach it through their view.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx


class CycleSearch:
    """``rules.view.Cycles`` over networkx."""

    def digraph(self, edges: Iterable[tuple[str, str]]) -> nx.DiGraph:
        """A directed graph of ``edges``."""
        graph = nx.DiGraph()
        graph.add_edges_from(edges)
        return graph

    def components(self, digraph: nx.DiGraph) -> Iterable[set[str]]:
        """The strongly connected components of ``digraph``."""
        found: Iterable[set[str]] = nx.strongly_connected_components(digraph)
        return found
