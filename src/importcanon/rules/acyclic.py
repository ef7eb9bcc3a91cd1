"""kind = "acyclic": no circular imports (IMC301 module cycles, IMC302 package cycles)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, NamedTuple

from importcanon.analysis.noqa import ALL, suppressed
from importcanon.config.fields import module_name_check
from importcanon.config.schema import option
from importcanon.model.diagnostic import Diagnostic
from importcanon.model.paths import covers
from importcanon.rules.base import Context, Kind, Place, Rule, Template
from importcanon.rules.view import Cycles

if TYPE_CHECKING:
    import networkx as nx

    from importcanon.model.facts import Span

NAME = "acyclic"


@dataclass(frozen=True)
class Options:
    """The options of an ``acyclic`` contract."""

    packages: tuple[str, ...] = option(
        (),
        help="the packages whose modules must not form cycles",
        check=module_name_check,
        shown="the root packages",
        scope="module path",
    )
    granularity: Literal["module", "package"] = option(
        "module",
        help='`"module"`: cycles between modules (IMC301); `"package"`: between sibling '
        "subpackages at each level (IMC302)",
    )
    include_type_checking: bool = option(False, help="count the imports under `if TYPE_CHECKING:`")
    ignore_deferred: bool = option(False, help="leave out the imports inside functions")


IMPORT_CYCLE = Rule(
    "IMC301",
    "import-cycle",
    NAME,
    "A group of modules that import each other in a cycle",
    """
    ## What it does
    Finds every group of two or more modules that import each other, directly or through a
    chain (a strongly connected component of the import graph). Each group is reported
    once, at the import the checker suggests removing: the one through which the most short
    cycles of the group pass. The message shows a shortest cycle through that import
    (when several are as short, the first in the order of module names), and says so when
    that cycle passes through only some of the group's modules.

    Imports under `if TYPE_CHECKING:` do not count unless `include_type_checking = true`;
    imports inside functions do not count when `ignore_deferred = true`; an import marked
    `# noqa: IMC301` or matched by `ignore_imports` is taken out of the graph first.

    ## Why is this bad?
    Circular imports make import order matter, break with `ImportError: cannot import name`
    when a module is first imported from another entry point, and weld modules together so
    they can only be understood, tested and moved as one.

    ## Example
    ```python
    # ml_playground/training/trainer.py
    from ml_playground.training.ema import EMA
    # ml_playground/training/ema.py
    from ml_playground.training.trainer import Trainer
    ```

    Use instead: move what both need into a third module, or pass it in.
    """,
)
PACKAGE_CYCLE = Rule(
    "IMC302",
    "package-cycle",
    NAME,
    "Sibling subpackages that import each other",
    """
    ## What it does
    With `granularity = "package"`, looks at each level below `packages`: sibling
    subpackages (and modules) that import each other, directly or through a chain of
    siblings. One diagnostic per group of siblings, with an example import for each step.

    ## Why is this bad?
    Subpackages that depend on each other are not layers: neither can be understood,
    tested or extracted without the other.

    ## Example
    ```text
    ml_playground.training imports ml_playground.data
    ml_playground.data imports ml_playground.training
    ```

    Use instead: let one of them depend on the other only.
    """,
)
RULES = (IMPORT_CYCLE, PACKAGE_CYCLE)


class Step(NamedTuple):
    importer: str
    imported: str
    row: int


def kept_edges(ctx: Context, options: Options, scope: set[str]) -> dict[tuple[str, str], int]:
    """Edges that count for this contract, each with the first line that keeps it."""
    return _kept(ctx, options, ctx.view.edges(scope))


def kept_edges_from(
    ctx: Context, options: Options, importer: str, scope: set[str]
) -> dict[tuple[str, str], int]:
    """The edges of one importer that count (an analysis kept resident redoes only these
    for an edited module)."""
    return _kept(ctx, options, ctx.view.edges_from(importer, scope))


def scope_of(ctx: Context, options: Options) -> set[str]:
    packages = options.packages or ctx.view.root_packages
    return {m for m in ctx.view.modules if any(covers(p, m) for p in packages)}


def _kept(
    ctx: Context, options: Options, edges: dict[tuple[str, str], list[int]]
) -> dict[tuple[str, str], int]:
    view = ctx.view
    kept: dict[tuple[str, str], int] = {}
    for (importer, imported), rows in edges.items():
        if ctx.ignores.ignores_import(importer, imported):
            continue
        file = view.modules[importer]
        for row in rows:
            stmt = view.statement_at(file, row)
            if stmt is not None:
                if stmt.type_checking and not options.include_type_checking:
                    continue
                if stmt.in_function and options.ignore_deferred:
                    continue
                codes = view.noqa(file, stmt.span.row, stmt.span.end_row)
                if codes is not ALL and suppressed(IMPORT_CYCLE.code, codes):
                    continue  # only an explicit IMC301 noqa code cuts the graph
            kept[(importer, imported)] = row
            break
    return kept


def check(ctx: Context, options: Options) -> Iterator[Diagnostic]:
    yield from cycles(ctx, options, kept_edges(ctx, options, scope_of(ctx, options)))


def cycles(
    ctx: Context, options: Options, edges: dict[tuple[str, str], int]
) -> Iterator[Diagnostic]:
    """The diagnostics of the edges that count (from ``kept_edges``)."""
    if options.granularity == "package":
        yield from package_cycles(ctx, edges)
    else:
        yield from module_cycles(ctx, edges)


def groups(search: Cycles, edges: dict[tuple[str, str], int]) -> list[tuple[nx.DiGraph, list[str]]]:
    # networkx comes from the view (``search``): it costs a tenth of a second to load, and
    # every run imports this module (its Options validate the contracts), a cached one too
    digraph = search.digraph(edges)
    found = []
    for component in search.components(digraph):
        if len(component) >= 2:
            found.append((digraph.subgraph(component).copy(), sorted(component)))
    return sorted(found, key=lambda item: item[1])


def suggest_cut(
    group: nx.DiGraph, quiet: frozenset[tuple[str, str]] = frozenset()
) -> tuple[str, str]:
    """The edge through which most 2- and 3-cycles pass; ties by in*out degree, then name.
    Edges in ``quiet`` (their statement carries a bare ``# noqa``) are chosen last, so that
    a comment meant for another linter does not hide a whole group."""

    successors = {node: set(group.successors(node)) for node in group}
    predecessors = {node: set(group.predecessors(node)) for node in group}

    def rank(edge: tuple[str, str]) -> tuple[bool, int, int, tuple[str, str]]:
        u, v = edge
        short = int(u in successors[v])
        short += len(successors[v] & predecessors[u])
        spread = len(predecessors[u]) * len(successors[v])
        return (edge in quiet, -short, -spread, edge)

    cut: tuple[str, str] = min(group.edges, key=rank)
    return cut


def shortest_cycle(group: nx.DiGraph, cut: tuple[str, str]) -> list[str]:
    """``cut`` closed by a shortest path back; among equally short paths, the one whose
    module names come first in order, so that the output never depends on the order of
    sets (hash seeds) or of the graph's adjacency."""
    u, v = cut
    remaining = _distances_to(group, u)
    path = [v]
    while path[-1] != u:
        here = remaining[path[-1]]
        path.append(min(w for w in group.successors(path[-1]) if remaining.get(w) == here - 1))
    return [u, *path]


def _distances_to(group: nx.DiGraph, target: str) -> dict[str, int]:
    """Breadth-first over reversed edges: each node's distance to ``target``."""
    distance = {target: 0}
    frontier = [target]
    while frontier:
        following = []
        for node in frontier:
            for previous in group.predecessors(node):
                if previous not in distance:
                    distance[previous] = distance[node] + 1
                    following.append(previous)
        frontier = following
    return distance


def _location(ctx: Context, importer: str, row: int) -> tuple[Span | Place, tuple[int, int]]:
    file = ctx.view.modules[importer]
    stmt = ctx.view.statement_at(file, row)
    if stmt is None:
        return Place(row, 1, row, 1), (row, row)
    return stmt.span, (stmt.span.row, stmt.span.end_row)


def quiet_edges(ctx: Context, edges: dict[tuple[str, str], int]) -> frozenset[tuple[str, str]]:
    """Edges whose counted statement carries a noqa that would hide a diagnostic there."""
    quiet = set()
    for (importer, imported), row in edges.items():
        file = ctx.view.modules[importer]
        stmt = ctx.view.statement_at(file, row)
        first, last = (stmt.span.row, stmt.span.end_row) if stmt else (row, row)
        if suppressed(IMPORT_CYCLE.code, ctx.view.noqa(file, first, last)):
            quiet.add((importer, imported))
    return frozenset(quiet)


def components(search: Cycles, digraph: nx.DiGraph) -> list[tuple[nx.DiGraph, list[str]]]:
    """The cycle groups of a graph kept by the caller (as views of it)."""
    found = [
        (digraph.subgraph(component), sorted(component))
        for component in search.components(digraph)
        if len(component) >= 2
    ]
    return sorted(found, key=lambda item: item[1])


def _own_graph(search: Cycles, digraph: nx.DiGraph, members: list[str]) -> nx.DiGraph:
    """The group's edges as a graph of its own (quicker to make than a view's copy)."""
    inside = set(members)
    return search.digraph((u, v) for u in members for v in digraph.successors(u) if v in inside)


def module_cycles(
    ctx: Context,
    edges: dict[tuple[str, str], int],
    *,
    digraph: nx.DiGraph | None = None,
    known: Callable[[list[str]], Diagnostic | None] | None = None,
    quiet_known: frozenset[tuple[str, str]] | None = None,
) -> Iterator[Diagnostic]:
    """One diagnostic per cycle group. An analysis kept resident passes its own graph of
    ``edges``, ``known`` (a group's diagnostic when it is sure to be unchanged) and the
    quiet edges it keeps (see ``quiet_edges``)."""
    search = ctx.view.cycles
    found = groups(search, edges) if digraph is None else components(search, digraph)
    kept = {tuple(m): known(m) for _, m in found} if known is not None else {}
    found = [(g, m) for g, m in found if kept.get(tuple(m)) is None]
    group_of = {m: index for index, (_, members) in enumerate(found) for m in members}
    inside = {e: r for e, r in edges.items() if group_of.get(e[0], -1) == group_of.get(e[1])}
    quiet = quiet_edges(ctx, inside) if quiet_known is None else quiet_known & inside.keys()
    yield from (d for d in kept.values() if d is not None)
    for group, members in found:
        if digraph is not None:
            group = _own_graph(search, digraph, members)
        cut = suggest_cut(group, quiet)
        cycle = shortest_cycle(group, cut)
        span, noqa_rows = _location(ctx, cut[0], edges[cut])
        chain = " -> ".join(cycle)
        yield ctx.diagnostic(
            IMPORT_CYCLE,
            ctx.view.modules[cut[0]],
            span,
            f"import cycle among {len(members)} modules{_partial(cycle, members)}: {chain}; "
            f"suggested cut: this import of `{cut[1]}`",
            details={
                "modules": members,
                "cycle": cycle,
                "cut": {"importer": cut[0], "imported": cut[1], "row": edges[cut]},
            },
            noqa_rows=noqa_rows,
        )


def sibling_edges(edges: dict[tuple[str, str], int]) -> dict[tuple[str, str], Step]:
    """Project module edges onto the deepest level where importer and imported differ."""
    found: dict[tuple[str, str], Step] = {}
    for (importer, imported), row in sorted(edges.items()):
        a, b = importer.split("."), imported.split(".")
        common = 0
        while common < min(len(a), len(b)) and a[common] == b[common]:
            common += 1
        if common in (len(a), len(b)) or common == 0:
            continue  # an ancestor and its descendant, or different root packages
        key = (".".join(a[: common + 1]), ".".join(b[: common + 1]))
        found.setdefault(key, Step(importer, imported, row))
    return found


def _partial(cycle: list[str], members: list[str]) -> str:
    """Said when the cycle shown passes through only some of the group's modules."""
    shown = len(cycle) - 1
    if shown == len(members):
        return ""
    return f" (the shortest cycle through the suggested cut, {shown} of them)"


def package_cycles(ctx: Context, edges: dict[tuple[str, str], int]) -> Iterator[Diagnostic]:
    siblings = sibling_edges(edges)
    for group, members in groups(ctx.view.cycles, {key: 0 for key in siblings}):
        cut = suggest_cut(group)
        cycle = shortest_cycle(group, cut)
        steps = [siblings[(cycle[i], cycle[i + 1])] for i in range(len(cycle) - 1)]
        first = steps[0]
        span, noqa_rows = _location(ctx, first.importer, first.row)
        described = "; ".join(f"{s.importer} imports {s.imported} (line {s.row})" for s in steps)
        yield ctx.diagnostic(
            PACKAGE_CYCLE,
            ctx.view.modules[first.importer],
            span,
            f"packages import each other: {' -> '.join(cycle)} ({described})",
            details={
                "packages": members,
                "cycle": cycle,
                "steps": [
                    {"importer": s.importer, "imported": s.imported, "row": s.row} for s in steps
                ],
            },
            noqa_rows=noqa_rows,
        )


TEMPLATE = Template(
    "20-acyclic.toml",
    """
[[contract]]
id = "acyclic"
name = "No circular imports"
kind = "acyclic"
acceptance = "No circular imports between the modules of the root packages."
# packages = {packages}   # default: the root packages
# granularity = "package"   # stricter: subpackages must not import each other in a cycle
""",
)
KIND = Kind(NAME, Options, RULES, check, template=TEMPLATE)
