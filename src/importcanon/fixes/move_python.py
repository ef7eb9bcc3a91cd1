"""Rewriting one Python file for `importcanon move OLD NEW`: every import of OLD (any form,
relative or not, whatever `noqa` says), the attribute chains the imports bind (scope-aware,
with libcst's scope analysis), strings that are exactly a dotted path under OLD, and strings
that are exactly a file path to the moved file or folder.

`check --fix` uses the same engine for one `import OLD` statement and the uses of the names
it binds (``rewrite_import``): one rewrite engine for `move` and `--fix`."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import (
    Access,
    Assignment,
    BaseAssignment,
    CodeRange,
    ImportAssignment,
    MetadataWrapper,
    ParentNodeProvider,
    PositionProvider,
    Scope,
    ScopeProvider,
)

from importcanon.fixes.move_text import PathMove, rename_path
from importcanon.model.paths import covers, follow, names_a_file

DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\Z")
ENTRY_POINT = re.compile(r"(?P<module>[A-Za-z_][\w.]*)(?P<attr>:[\w.]+)?\Z")
GROUP_CALLS = frozenset({"iter_entry_points", "get_group_all", "get_entry_map", "select"})
DISTRIBUTION_CALLS = frozenset(
    {"version", "distribution", "metadata", "requires", "files", "get_distribution", "require"}
)
JOIN_CALLS = frozenset({"join", "joinpath", "Path", "PurePath", "PosixPath"})
IMPORT_CALLS = frozenset({"import_module", "__import__", "find_spec", "importorskip"})


@dataclass(frozen=True)
class Rename:
    """The move: OLD and NEW dotted paths. ``keep``: strings that are never rewritten although
    they lie under OLD (entry-point group names, an interface other distributions register
    under). ``chain``: the declared moves (legacy -> canonical) a path under OLD follows to
    its end, when some of it moved again (`check --fix` on chained moves,
    ``model.paths.follow``); empty: OLD -> NEW alone."""

    old: str
    new: str
    keep: frozenset[str] = frozenset()
    chain: tuple[tuple[str, str], ...] = ()

    def __call__(self, dotted: str) -> str:
        if not covers(self.old, dotted):
            return dotted
        if not self.chain:
            return self.new + dotted[len(self.old) :]
        path, looped = follow(dict(self.chain), dotted)
        if looped:
            raise ValueError(f"the moves of `{dotted}` loop")
        return path[-1]

    def moves(self, dotted: str) -> bool:
        return covers(self.old, dotted)


@dataclass(frozen=True)
class Unsure:
    """A reference that could not be rewritten safely."""

    row: int
    col: int
    text: str
    why: str
    blocking: bool = False  # code (not a string) that would break: the move must not happen


@dataclass
class PyResult:
    text: str
    unsure: list[Unsure] = field(default_factory=list)
    changes: int = 0


def resolve_relative(module: str | None, *, is_init: bool, level: int, name: str | None) -> str:
    """The absolute module a relative import names ('' when it cannot be resolved)."""
    if not module:
        return ""
    package = module.split(".") if is_init else module.split(".")[:-1]
    if level - 1 > len(package) - 1 or not package:
        return ""
    anchor = package[: len(package) - (level - 1)]
    return ".".join([*anchor, *([name] if name else [])])


def relative_form(package: list[str], target: str) -> tuple[int, str | None] | None:
    """(level, module) of a relative import of ``target`` from ``package``, or None when
    they share no top-level package."""
    parts = target.split(".")
    common = 0
    while common < min(len(package), len(parts)) and package[common] == parts[common]:
        common += 1
    if common == 0:
        return None
    level = len(package) - common + 1
    rest = ".".join(parts[common:])
    return level, rest or None


def dotted_node(dotted: str) -> cst.Attribute | cst.Name:
    parts = dotted.split(".")
    node: cst.Attribute | cst.Name = cst.Name(parts[0])
    for part in parts[1:]:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


def node_dotted(node: cst.BaseExpression | None) -> str | None:
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


@dataclass(frozen=True)
class Where:
    """The file being rewritten: its module before and after the move."""

    module: str | None
    is_init: bool
    new_module: str | None

    def new_package(self) -> list[str]:
        name = self.new_module or self.module or ""
        parts = name.split(".") if name else []
        return parts if self.is_init else parts[:-1]


def rewrite_python(
    text: str,
    *,
    where: Where,
    rename: Rename,
    unsafe: bool = False,
    paths: Sequence[PathMove] = (),
) -> PyResult:
    """The file's text with every reference to ``rename.old`` rewritten; with ``paths``
    (moves relative to the project root), also every string that is exactly a path, with a
    ``/``, to the moved file or folder (``"src/pkg/_version.py"``)."""
    try:
        tree = cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError, ValueError) as exc:
        raise UnparsableFile(str(exc).splitlines()[0] if str(exc) else "syntax error") from exc
    try:
        return _rewrite(tree, text, where=where, rename=rename, unsafe=unsafe, paths=paths)
    except RecursionError as exc:  # libcst's visitors recurse once per level of nesting
        raise UnparsableFile("nested too deeply to rewrite") from exc


def _rewrite(
    tree: cst.Module,
    text: str,
    *,
    where: Where,
    rename: Rename,
    unsafe: bool,
    paths: Sequence[PathMove],
) -> PyResult:
    wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
    planner = _Planner(wrapper, where=where, rename=rename, unsafe=unsafe, text=text)
    planner.paths = list(paths)
    planner.plan()
    if not planner.replacements and not planner.splits:
        return PyResult(text, planner.unsure)
    new_tree = wrapper.module.visit(_Apply(planner.replacements, planner.splits))
    count = len(planner.replacements) + len(planner.splits)
    return PyResult(new_tree.code, planner.unsure, count)


class UnparsableFile(Exception):
    """libcst could not parse the file."""


# An edit of ``rewrite_import``: (row, col, end_row, end_col) 1-based, end exclusive, text.
Replacement = tuple[int, int, int, int, str]


def rewrite_import(text: str, *, stmt: tuple[int, int], rename: Rename) -> list[Replacement]:
    """The edits that rewrite the `import OLD[.sub]` statement that starts at ``stmt`` (its
    row and 1-based column) for ``rename``, with every other `import OLD[.sub]` (no `as`:
    they bind the same name) and every use of the name they bind (scope-aware); nothing
    else (`from` imports, aliased imports and strings have fixes of their own). ValueError
    when a use cannot be rewritten safely (its name bound by these imports and by
    something else, or no longer bound once they are rewritten)."""
    try:
        tree = cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError) as exc:
        raise ValueError("libcst cannot parse the file") from exc
    wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
    where = Where(None, is_init=False, new_module=None)
    planner = _Planner(wrapper, where=where, rename=rename, unsafe=False, text=text)
    planner.only = stmt
    planner.plan()
    blocking = [u for u in planner.unsure if u.blocking]
    if blocking:
        raise ValueError(f"{blocking[0].text}: {blocking[0].why}")
    edits = []
    for node, new in planner.replacements.items():
        where_ = planner.positions[node]
        edits.append(
            (
                where_.start.line,
                where_.start.column + 1,
                where_.end.line,
                where_.end.column + 1,
                _EMPTY.code_for_node(new),
            )
        )
    return sorted(edits)


_EMPTY = cst.Module([])


class _Planner:
    def __init__(
        self, wrapper: MetadataWrapper, *, where: Where, rename: Rename, unsafe: bool, text: str
    ) -> None:
        self.wrapper = wrapper
        self.text = text
        self.unsafe = unsafe
        self.where = where
        self.rename = rename
        self.replacements: dict[cst.CSTNode, cst.CSTNode] = {}
        self.splits: dict[cst.ImportFrom, list[cst.ImportFrom]] = {}
        self.unsure: list[Unsure] = []
        self.paths: list[PathMove] = []
        # (row, 1-based column) of the import statement to rewrite (`check --fix`), with
        # the uses it binds (``rewrite_import``); None: every reference in the file (`move`)
        self.only: tuple[int, int] | None = None
        self._scopes: Mapping[cst.CSTNode, Scope | None] | None = None
        self._parents: Mapping[cst.CSTNode, cst.CSTNode] | None = None
        self._positions: Mapping[cst.CSTNode, CodeRange] | None = None

    # metadata is resolved only when needed: each provider is a walk of the whole tree
    @property
    def scopes(self) -> Mapping[cst.CSTNode, Scope | None]:
        if self._scopes is None:
            self._scopes = self.wrapper.resolve(ScopeProvider)
        return self._scopes

    @property
    def parents(self) -> Mapping[cst.CSTNode, cst.CSTNode]:
        if self._parents is None:
            self._parents = self.wrapper.resolve(ParentNodeProvider)
        return self._parents

    @property
    def positions(self) -> Mapping[cst.CSTNode, CodeRange]:
        if self._positions is None:
            self._positions = self.wrapper.resolve(PositionProvider)
        return self._positions

    # -- imports -----------------------------------------------------------------------
    def plan(self) -> None:
        collector = _Collector()
        self.wrapper.module.visit(collector)
        if self.only is not None:
            collector.nodes = [n for n in collector.nodes if self._selected(n)]
            if not any(self._at_only(n) for n in collector.nodes):
                raise ValueError("no `import` of the old path where the fix was planned")
        if self.paths and self.only is None:
            self._joined_paths(collector.joins)
        for node in collector.nodes:
            if node in self.replacements:
                continue  # a segment of a joined path, rewritten with its neighbours
            if isinstance(node, cst.Import):
                self._import(node)
            elif isinstance(node, cst.ImportFrom):
                self._import_from(node)
            elif isinstance(node, cst.SimpleString):
                self._string(node)
            elif isinstance(node, cst.FormattedString):
                self._fstring(node)
        if any(self._may_bind(node) for node in collector.nodes):
            self._chains()

    def _selected(self, node: cst.CSTNode) -> bool:
        """Is ``node`` rewritten with the statement ``only`` names? Every `import OLD[.sub]`
        without `as` is: they bind one name, whose uses follow all of them or none."""
        return isinstance(node, cst.Import) and any(
            alias.asname is None and self.rename.moves(node_dotted(alias.name) or "")
            for alias in node.names
        )

    def _at_only(self, node: cst.CSTNode) -> bool:
        position = self.positions.get(node)
        return position is not None and self.only == (
            position.start.line,
            position.start.column + 1,
        )

    def _may_bind(self, node: cst.CSTNode) -> bool:
        """Could a name this statement binds need rewriting where it is used? Only when the
        name itself changes (`import click` -> `import clack`), or when it stands for a
        package above OLD and the text uses it on the way to OLD (`click.termui`)."""
        if isinstance(node, cst.Import):
            for alias in node.names:
                dotted = node_dotted(alias.name) or ""
                name = _alias_name(alias)
                if name is None:
                    name = dotted.split(".")[0]
                    if self.rename(dotted).split(".")[0] != name:
                        return True
                    if self._reaches_old(name, name):
                        return True
                elif self._reaches_old(name, dotted):
                    return True
        elif isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
            base = self._from_base(node)
            for alias in node.names:
                dotted = node_dotted(alias.name) or ""
                if base and self._reaches_old(_alias_name(alias) or dotted, f"{base}.{dotted}"):
                    return True
        return False

    def _reaches_old(self, name: str, module: str) -> bool:
        old = self.rename.old
        if module == old or not covers(module, old):
            return False
        step = old[len(module) + 1 :].split(".")[0]
        pattern = rf"(?<![\w.]){re.escape(name)}\s*\.\s*{re.escape(step)}(?!\w)"
        return re.search(pattern, self.text) is not None

    def _import(self, node: cst.Import) -> None:
        names = list(node.names)
        changed = False
        for index, alias in enumerate(names):
            dotted = node_dotted(alias.name)
            if dotted is None or not self.rename.moves(dotted):
                continue
            names[index] = alias.with_changes(name=dotted_node(self.rename(dotted)))
            changed = True
        if changed:
            self.replacements[node] = node.with_changes(names=names)

    def _from_base(self, node: cst.ImportFrom) -> str:
        name = node_dotted(node.module) if node.module is not None else None
        if not node.relative:
            return name or ""
        w = self.where
        return resolve_relative(w.module, is_init=w.is_init, level=len(node.relative), name=name)

    def _import_from(self, node: cst.ImportFrom) -> None:
        base = self._from_base(node)
        if not base:
            return
        groups = self._groups(node, base)
        if groups is None:
            return
        statements = [self._statement(node, target, aliases) for target, aliases in groups]
        if len(statements) == 1:
            if not _same(statements[0], node):
                self.replacements[node] = statements[0]
        else:
            self.splits[node] = statements

    def _groups(
        self, node: cst.ImportFrom, base: str
    ) -> list[tuple[str, list[cst.ImportAlias]]] | None:
        """The statements the import becomes: (absolute module, names)."""
        if isinstance(node.names, cst.ImportStar) or self.rename.moves(base):
            return [
                (
                    self.rename(base),
                    [] if isinstance(node.names, cst.ImportStar) else list(node.names),
                )
            ]
        order: list[str] = []
        groups: dict[str, list[cst.ImportAlias]] = {}
        for alias in node.names:
            name = node_dotted(alias.name) or ""
            full = f"{base}.{name}"
            target, item = base, alias
            if self.rename.moves(full):
                moved = self.rename(full)
                target, _, last = moved.rpartition(".")
                if not target:
                    self._unsure(
                        node,
                        f"`{full}` would become a top-level module; use `import {moved}`",
                        blocking=True,
                    )
                    return None
                asname = alias.asname
                if last != name and asname is None:
                    asname = cst.AsName(name=cst.Name(name))
                item = alias.with_changes(name=cst.Name(last), asname=asname)
            if target not in groups:
                order.append(target)
                groups[target] = []
            groups[target].append(item)
        return [(target, groups[target]) for target in order]

    def _statement(
        self, node: cst.ImportFrom, target: str, aliases: list[cst.ImportAlias]
    ) -> cst.ImportFrom:
        module: cst.Attribute | cst.Name | None
        relative: Sequence[cst.Dot] = ()
        form = relative_form(self.where.new_package(), target) if node.relative else None
        if form is not None:
            level, rest = form
            relative = [cst.Dot() for _ in range(level)]
            module = dotted_node(rest) if rest else None
        else:
            module = dotted_node(target)
        if aliases and not isinstance(node.names, cst.ImportStar):
            last = aliases[-1]
            if node.lpar is None:
                aliases[-1] = last.with_changes(comma=cst.MaybeSentinel.DEFAULT)
            names: Sequence[cst.ImportAlias] | cst.ImportStar = aliases
        else:
            names = node.names
        if module is None and not relative:
            raise AssertionError("an import needs a module")
        return node.with_changes(module=module, relative=relative, names=names)

    # -- strings ----------------------------------------------------------------------
    def _joined_paths(self, joins: list[list[cst.BaseExpression]]) -> None:
        """Paths built from string segments (`root / "src" / "pkg"`, `os.path.join(root,
        "src", "pkg")`) whose segments, joined, name the moved file or folder relative to
        the project root: the segments follow the move (the last one takes what the new
        path has more)."""
        for parts in sorted(joins, key=len, reverse=True):
            run: list[cst.SimpleString] = []
            for part in [*parts, None]:
                value = _plain_value(part) if isinstance(part, cst.SimpleString) else None
                if value is not None and part not in self.replacements:
                    run.append(part)  # type: ignore[arg-type]
                    continue
                self._segments(run)
                run = []

    def _segments(self, run: list[cst.SimpleString]) -> None:
        values = [_plain_value(node) or "" for node in run]
        for start in range(len(run)):
            joined = "/".join(v.strip("/") for v in values[start:])
            new = rename_path(joined, self.paths) if joined else None
            if new is None:
                continue
            old_parts, new_parts = joined.split("/"), new.split("/")
            count = len(run) - start
            if len(new_parts) < len(old_parts) or count > len(new_parts):
                return
            pieces = [*new_parts[: count - 1], "/".join(new_parts[count - 1 :])]
            for node, value, piece in zip(run[start:], values[start:], pieces, strict=True):
                if piece != value.strip("/"):
                    self.replacements[node] = node.with_changes(
                        value=node.prefix + node.quote + piece + node.quote
                    )
            return

    def _string(self, node: cst.SimpleString) -> None:
        value = _plain_value(node)
        if value is None:
            return
        new = self._string_value(value, node)
        if new is not None and new != value:
            self.replacements[node] = node.with_changes(
                value=node.prefix + node.quote + new + node.quote
            )

    def _string_value(self, value: str, node: cst.SimpleString) -> str | None:
        if value in self.rename.keep or self._group_argument(node):
            return None
        if value == self.rename.old and self._distribution_argument(node):
            return None  # a distribution's name (`version("pkg")`), which the move keeps
        if DOTTED.match(value):
            if not self.rename.moves(value):
                return None
            if names_a_file(value) and value != self.rename.old:
                self._unsure(node, f"the string `{value}` looks like a file name")
                return None
            if (
                "." in value
                or "." in self.rename.old
                or self.unsafe
                or self._import_call(node)
                or self._after_dash_m(node)
            ):
                return self.rename(value)
            self._unsure(node, f"the string `{value}` may name the package or be a word")
            return None
        entry = ENTRY_POINT.match(value)
        if entry and entry.group("attr") and self.rename.moves(entry.group("module")):
            return self.rename(entry.group("module")) + entry.group("attr")
        if "/" in value.strip("/") and self.paths:
            return rename_path(value, self.paths)
        return None

    def _first_argument_of(self, node: cst.CSTNode) -> str:
        """The name of the function ``node`` is the first positional argument of ('' when
        it is none)."""
        parent = self.parents.get(node)
        call = self.parents.get(parent) if isinstance(parent, cst.Arg) else None
        if not isinstance(call, cst.Call) or not call.args or call.args[0] is not parent:
            return ""
        if parent.keyword is not None:
            return ""
        func = call.func
        name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", "")
        return str(name)

    def _distribution_argument(self, node: cst.CSTNode) -> bool:
        """The first argument of `importlib.metadata.version("pkg")` and its kin: the name
        of a distribution, which a move leaves as it is (`[project] name` stays)."""
        return self._first_argument_of(node) in DISTRIBUTION_CALLS

    def _after_dash_m(self, node: cst.CSTNode) -> bool:
        """The item after `"-m"` in a literal list or tuple (`[sys.executable, "-m", "pkg"]`):
        the module Python runs."""
        element = self.parents.get(node)
        sequence = self.parents.get(element) if isinstance(element, cst.Element) else None
        if not isinstance(sequence, (cst.List, cst.Tuple)):
            return False
        items = list(sequence.elements)
        index = next((i for i, e in enumerate(items) if e is element), 0)
        before = items[index - 1].value if index > 0 else None
        return isinstance(before, cst.SimpleString) and _plain_value(before) == "-m"

    def _group_argument(self, node: cst.CSTNode) -> bool:
        """An entry-point group passed to a call (`entry_points(group="x.plugins")`,
        `iter_entry_points("x.plugins")`): an interface name, not a module path."""
        parent = self.parents.get(node)
        if not isinstance(parent, cst.Arg):
            return False
        if parent.keyword is not None:
            return parent.keyword.value == "group"
        return self._first_argument_of(node) in GROUP_CALLS

    def _import_call(self, node: cst.CSTNode) -> bool:
        parent = self.parents.get(node)
        call = self.parents.get(parent) if isinstance(parent, cst.Arg) else None
        if not isinstance(call, cst.Call):
            return False
        func = call.func
        name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", "")
        return name in IMPORT_CALLS

    def _fstring(self, node: cst.FormattedString) -> None:
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText) and _mentions(part.value, self.rename.old):
                self._unsure(node, "an f-string names the moved path")
                return

    # -- names bound by imports ----------------------------------------------------------
    def _chains(self) -> None:
        heads: set[cst.Name] = set()
        for scope in set(self.scopes.values()):
            if scope is None:
                continue
            for access in scope.accesses:
                head = _head(access)
                if head is not None:
                    heads.add(head)
        for head in sorted(heads, key=lambda h: self._where(h)):
            scope = self.scopes.get(head)
            if scope is not None and head.value in scope:
                self._chain(head, set(scope[head.value]))

    def _where(self, node: cst.CSTNode) -> tuple[int, int]:
        position = self.positions.get(node)
        return (position.start.line, position.start.column) if position else (0, 0)

    def _chain(self, head: cst.Name, referents: set[BaseAssignment]) -> None:
        imports = [r for r in referents if isinstance(r, ImportAssignment)]
        if self.only is not None:
            # some statements are rewritten: a use they do not bind stays; one that another
            # import binds too keeps its text there (below: `referents` outnumber them)
            imports = [r for r in imports if self._selected(r.node)]
            if not imports:
                return
        bindings = [b for b in (self._binding(r, head.value) for r in imports) if b is not None]
        if not bindings:
            return
        outer, parts = self._outer(head)
        original = ".".join([head.value, *parts])
        found = {self._expression(head, b, parts, imports) for b in bindings}
        results = {e for e in found if e is not None}
        if len(referents) > len(imports):  # a local variable or parameter shares the name
            results.add(original)
        if len(results) > 1:
            self._unsure(
                head, f"`{head.value}` is bound by an import and by something else", blocking=True
            )
            return
        if not results:
            self._unsure(outer, "no import binds the new path here", blocking=True)
            return
        (expression,) = results
        if expression != original:
            self.replacements[outer] = _keep_parens(outer, dotted_node(expression))

    def _outer(self, head: cst.Name) -> tuple[cst.CSTNode, list[str]]:
        node: cst.CSTNode = head
        parts: list[str] = []
        while True:
            parent = self.parents.get(node)
            if isinstance(parent, cst.Attribute) and parent.value is node:
                parts.append(parent.attr.value)
                node = parent
            else:
                return node, parts

    def _binding(self, referent: BaseAssignment, name: str) -> tuple[str, str | None] | None:
        """(module the name stands for, the module it stands for after the move or None
        when the rewritten import no longer binds the name)."""
        if not isinstance(referent, ImportAssignment):
            return None
        node = referent.node
        if isinstance(node, cst.Import):
            for alias in node.names:
                dotted = node_dotted(alias.name) or ""
                bound = _alias_name(alias) or dotted.split(".")[0]
                if bound != name:
                    continue
                if alias.asname is not None:
                    return dotted, self.rename(dotted)
                after = self.rename(dotted).split(".")[0]
                return name, (name if after == name else None)
            return None
        if isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
            base = self._from_base(node)
            for alias in node.names:
                dotted = node_dotted(alias.name) or ""
                bound = _alias_name(alias) or dotted
                if bound == name and base:
                    full = f"{base}.{dotted}"
                    return full, self.rename(full)
        return None

    def _expression(
        self,
        head: cst.Name,
        binding: tuple[str, str | None],
        parts: list[str],
        imports: list[ImportAssignment],
    ) -> str | None:
        module, after = binding
        full = ".".join([module, *parts])
        new_full = self.rename(full)
        if after is not None and covers(after, new_full):
            return head.value + new_full[len(after) :]
        if not self.rename.moves(full):
            return None
        top = new_full.split(".")[0]
        return new_full if self._binds_top(head, top, imports) else None

    def _binds_top(self, head: cst.Name, top: str, imports: list[ImportAssignment]) -> bool:
        """Does a rewritten `import` statement that binds ``head`` bind ``top`` instead,
        with nothing else named ``top`` where ``head`` is?"""
        scope = self.scopes.get(head)
        if (
            scope is not None
            and top != head.value
            and top in scope
            and any(not isinstance(a, ImportAssignment) for a in scope[top])
        ):
            return False
        for assignment in imports:
            if isinstance(assignment.node, cst.Import):
                aliases = [a for a in assignment.node.names if a.asname is None]
                if top in {self.rename(node_dotted(a.name) or "").split(".")[0] for a in aliases}:
                    return True
        return False

    def _unsure(self, node: cst.CSTNode, why: str, *, blocking: bool = False) -> None:
        position = self.positions.get(node)
        row, col = (position.start.line, position.start.column + 1) if position else (1, 1)
        text = cst.Module([]).code_for_node(node).splitlines()[0] if node is not None else ""
        self.unsure.append(Unsure(row, col, text[:80], why, blocking))


def _alias_name(alias: cst.ImportAlias) -> str | None:
    """The name an `as` clause binds, if any."""
    if alias.asname is None or not isinstance(alias.asname.name, cst.Name):
        return None
    return alias.asname.name.value


def _head(access: Access) -> cst.Name | None:
    node: cst.CSTNode = access.node
    while isinstance(node, cst.Attribute):
        node = node.value
    return node if isinstance(node, cst.Name) else None


def _keep_parens(old: cst.CSTNode, new: cst.Attribute | cst.Name) -> cst.CSTNode:
    lpar = getattr(old, "lpar", ())
    rpar = getattr(old, "rpar", ())
    return new.with_changes(lpar=lpar, rpar=rpar)


def _same(a: cst.CSTNode, b: cst.CSTNode) -> bool:
    return a.deep_equals(b)


def _plain_value(node: cst.SimpleString) -> str | None:
    """The string's value when its source holds no escapes (so it can be edited in place)."""
    if "b" in node.prefix.lower():
        return None
    raw = node.raw_value
    if "\\" in raw:
        return None
    return raw


def _mentions(text: str, dotted: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(dotted)}(?!\w)", text) is not None


class _Collector(cst.CSTVisitor):
    """The imports and strings of a module, in source order."""

    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[cst.CSTNode] = []
        self.joins: list[list[cst.BaseExpression]] = []  # the parts of paths joined in code

    def visit_Import(self, node: cst.Import) -> bool:
        self.nodes.append(node)
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        self.nodes.append(node)
        return False

    def visit_SimpleString(self, node: cst.SimpleString) -> bool:
        self.nodes.append(node)
        return False

    def visit_FormattedString(self, node: cst.FormattedString) -> bool:
        self.nodes.append(node)
        return True

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> bool:
        if isinstance(node.operator, cst.Divide):  # pathlib: root / "src" / "pkg"
            self.joins.append(_operands(node))
        return True

    def visit_Call(self, node: cst.Call) -> bool:
        func = node.func
        name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", "")
        if name in JOIN_CALLS and all(a.keyword is None and not a.star for a in node.args):
            self.joins.append([a.value for a in node.args])
        return True


def _operands(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The operands of a chain of `/` (left to right)."""
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
        return [*_operands(node.left), node.right]
    return [node]


class _Apply(cst.CSTTransformer):
    def __init__(
        self,
        replacements: dict[cst.CSTNode, cst.CSTNode],
        splits: dict[cst.ImportFrom, list[cst.ImportFrom]],
    ) -> None:
        super().__init__()
        self.replacements = replacements
        self.splits = splits

    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode | cst.FlattenSentinel[cst.CSTNode] | cst.RemovalSentinel:
        found = self.replacements.get(original_node)
        if found is not None:
            return found
        return super().on_leave(original_node, updated_node)

    def leave_SimpleStatementSuite(
        self, original_node: cst.SimpleStatementSuite, updated_node: cst.SimpleStatementSuite
    ) -> cst.SimpleStatementSuite:
        body: list[cst.BaseSmallStatement] = []
        for small, updated in zip(original_node.body, updated_node.body, strict=True):
            if isinstance(small, cst.ImportFrom) and small in self.splits:
                body.extend(self.splits[small])
            else:
                body.append(updated)
        return updated_node.with_changes(body=body)

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.FlattenSentinel[cst.SimpleStatementLine]:
        body: list[cst.BaseSmallStatement] = []
        extra: list[cst.ImportFrom] = []
        for small in original_node.body:
            index = original_node.body.index(small)
            updated = updated_node.body[index]
            if isinstance(small, cst.ImportFrom) and small in self.splits:
                first, *rest = self.splits[small]
                body.append(first)
                extra.extend(rest)
            else:
                body.append(updated)
        if not extra:
            return updated_node
        if len(body) > 1:
            return updated_node.with_changes(body=[*body, *extra])
        lines = [updated_node.with_changes(body=body)]
        lines += [cst.SimpleStatementLine(body=[statement]) for statement in extra]
        return cst.FlattenSentinel(lines)


__all__ = ["Assignment", "PyResult", "Rename", "Unsure", "Where", "rewrite_python"]
