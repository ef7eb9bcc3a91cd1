"""Cycle groups and the suggested cut, on graphs built in memory."""

from __future__ import annotations

import sys
from pathlib import Path

import grimp

from importcanon.analysis.cycles import CycleSearch
from importcanon.analysis.graph import build_from_facts, edges, resolve_targets
from importcanon.analysis.parse import extract
from importcanon.rules.acyclic import groups, shortest_cycle, sibling_edges, suggest_cut
from tests.helpers import write_tree


def test_groups_are_strongly_connected_components() -> None:
    found = groups(
        CycleSearch(), {("a", "b"): 1, ("b", "a"): 1, ("b", "c"): 1, ("d", "e"): 1, ("e", "d"): 1}
    )
    assert [members for _, members in found] == [["a", "b"], ["d", "e"]]


def test_the_cycle_shown_is_the_shortest_first_in_name_order() -> None:
    # a -> b -> {z, c, m} -> a, and a longer way round through x: three shortest cycles tie
    pairs = [("a", "b"), ("b", "z"), ("b", "m"), ("b", "c"), ("b", "x"), ("x", "y"), ("y", "a")]
    pairs += [("z", "a"), ("m", "a"), ("c", "a")]
    for ordering in (pairs, list(reversed(pairs))):
        ((group, _),) = groups(CycleSearch(), {pair: 1 for pair in ordering})
        assert shortest_cycle(group, ("a", "b")) == ["a", "b", "c", "a"]


def test_cut_breaks_the_most_short_cycles() -> None:
    # hub <-> x, hub <-> y, hub <-> z share hub; the edge that closes most 2/3-cycles wins
    pairs = [("a", "b"), ("b", "c"), ("c", "a"), ("b", "a"), ("c", "b")]
    ((group, _),) = groups(CycleSearch(), {pair: 1 for pair in pairs})
    cut = suggest_cut(group)
    assert cut in {("a", "b"), ("b", "c"), ("c", "b"), ("b", "a")}
    cycle = shortest_cycle(group, cut)
    assert cycle[0] == cycle[-1] == cut[0] and cycle[1] == cut[1]


def test_sibling_edges_project_onto_the_deepest_differing_level() -> None:
    found = sibling_edges({("p.a.x", "p.b.y"): 3, ("p.a", "p.a.x"): 1, ("p.c.d.e", "p.c.f"): 2})
    assert set(found) == {("p.a", "p.b"), ("p.c.d", "p.c.f")}
    assert found[("p.a", "p.b")].row == 3


def test_own_graph_matches_grimp_resolution() -> None:
    modules = {
        "pkg": extract(b"", module="pkg", is_init=True),
        "pkg.a": extract(
            b"from pkg import b, VALUE\nimport pkg.c\nimport os\n", module="pkg.a", is_init=False
        ),
        "pkg.b": extract(b"from . import a\n", module="pkg.b", is_init=False),
        "pkg.c": extract(b"", module="pkg.c", is_init=False),
    }
    graph = build_from_facts(modules)
    assert edges(graph, modules) == {
        ("pkg.a", "pkg"): [1],
        ("pkg.a", "pkg.b"): [1],
        ("pkg.a", "pkg.c"): [2],
        ("pkg.b", "pkg.a"): [1],
    }
    assert resolve_targets(True, None, (("x", None),), set(modules)) == []


def test_edges_read_a_hand_built_grimp_graph() -> None:
    graph = grimp.ImportGraph()
    for name in ("p", "p.a", "p.b"):
        graph.add_module(name)
    graph.add_import(importer="p.a", imported="p.b", line_number=4, line_contents="import p.b")
    assert edges(graph, ["p", "p.a", "p.b"]) == {("p.a", "p.b"): [4]}


def test_own_graph_equals_grimps_build_on_disk(tmp_path: Path) -> None:
    """The graph importcanon fills from its facts has the edges and lines of grimp's own
    build (self-imports aside, which no rule counts)."""
    files = {
        "pkg/__init__.py": "from pkg.sub import a\n",
        "pkg/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg.c\n",
        "pkg/c.py": "def f():\n    from pkg import b\n    return b\n\nimport pkg.c\n",
        "pkg/sub/__init__.py": "from . import *\nfrom .a import *\n",
        "pkg/sub/a.py": (
            "import pkg.sub.missing\nimport pkg.sub.other.deep\nfrom pkg.sub import nothing\n"
            "from pkg.sub.gone import x\nimport pkg.b as bb\nfrom .. import b, c\n"
            "try:\n    from . import d\nexcept ImportError:\n    d = None\n"
            "from pkg import (\n    sub,  # comment\n    VALUE,\n)\n"
        ),
        "pkg/sub/d.py": "import pkg, os, pkg.sub.a\n",
    }
    write_tree(tmp_path, files)
    sys.path.insert(0, str(tmp_path))
    try:
        theirs = grimp.build_graph("pkg", cache_dir=None)
    finally:
        sys.path.remove(str(tmp_path))
    modules = {}
    for rel, text in files.items():
        parts = rel.removesuffix(".py").split("/")
        is_init = parts[-1] == "__init__"
        name = ".".join(parts[:-1] if is_init else parts)
        modules[name] = extract(text.encode(), module=name, is_init=is_init)
    ours = build_from_facts(modules)
    assert set(ours.modules) == set(theirs.modules)
    assert edges(ours, modules) == edges(theirs, modules)
