"""Per-file facts from one ``ast`` pass: imports, string spans and module-level names."""

from __future__ import annotations

import ast
import bisect
import sys
from collections.abc import Callable, Iterator

from importcanon.analysis.source import char_column, decode, split_lines
from importcanon.model.facts import Binding, FileFacts, ImportStmt, Span


def resolve_relative(module: str | None, level: int, package: str | None) -> str | None:
    """Absolute dotted path of ``from <dots><module>`` written in ``package``."""
    if level == 0:
        return module
    if package is None:
        return None
    parts = package.split(".") if package else []
    if level - 1 > len(parts) or (level - 1 == len(parts) and not module):
        return None
    base = parts[: len(parts) - (level - 1)]
    if module:
        base.append(module)
    return ".".join(base) or None


# facts of a module's text without a full syntax tree, or why not (analysis/reducedparse.py)
Reduced = Callable[[str, list[str], str | None], FileFacts | str]


def extract(data: bytes, *, module: str | None, is_init: bool) -> FileFacts:
    """Facts of one file. A file that does not decode or parse yields ``syntax_error``."""
    return extract_with(data, module=module, is_init=is_init, reduced=None)[0]


def extract_with(
    data: bytes, *, module: str | None, is_init: bool, reduced: Reduced | None
) -> tuple[FileFacts, str | None]:
    """``extract``'s facts, found by ``reduced`` where it can (not for a package), and why
    the full parse made them (None when it did not)."""
    try:
        text = decode(data)
    except (SyntaxError, UnicodeDecodeError) as exc:
        return FileFacts(syntax_error=_error_position(exc)), "does not decode"
    lines = split_lines(text)
    # what rules read of the raw text, so that facts alone decide a run's result
    width = len(lines[0]) if lines else 0
    noqa: tuple[tuple[int, str], ...] = ()
    if "noqa" in text.lower():
        noqa = tuple((i + 1, line) for i, line in enumerate(lines) if "noqa" in line.lower())
    package = module if is_init else (module.rpartition(".")[0] if module else None)
    reason = "package (used_names reads the whole tree)" if is_init else "full parse asked"
    if reduced is not None and not is_init:
        found = reduced(text, lines, package)
        if isinstance(found, FileFacts):
            return found.with_text(first_width=width, noqa=noqa), None
        reason = found
    facts = _full_facts(text, lines, package, is_init)
    return facts.with_text(first_width=width, noqa=noqa), reason


def _full_facts(text: str, lines: list[str], package: str | None, is_init: bool) -> FileFacts:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return FileFacts(syntax_error=_error_position(exc))
    collector = Collector(lines, package, is_init)
    try:
        collector.walk(tree)
    except RecursionError as exc:  # pragma: no cover - defensive, the walk is iterative
        return FileFacts(syntax_error=_error_position(exc))
    return collector.facts(tree)


def _error_position(exc: BaseException) -> tuple[int, int, str]:
    if isinstance(exc, SyntaxError):
        return (exc.lineno or 1, max(exc.offset or 1, 1), exc.msg or "invalid syntax")
    if isinstance(exc, UnicodeDecodeError):
        return (1, 1, f"cannot decode file: {exc.reason} at byte {exc.start}")
    if isinstance(exc, RecursionError | MemoryError):
        return (1, 1, "file is too deeply nested to parse")
    return (1, 1, str(exc) or type(exc).__name__)


def is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


class Collector:
    """(Plain classes here and below: the parser is imported by every run that parses,
    an editor's save included, and a dataclass costs more to make than a save to parse.)"""

    def __init__(self, lines: list[str], package: str | None, is_init: bool) -> None:
        self.lines = lines
        self.package = package
        self.is_init = is_init
        self.imports: list[ImportStmt] = []
        self.index_of: dict[int, int] = {}

    def span(self, node: ast.stmt | ast.expr) -> Span:
        end_row = node.end_lineno or node.lineno
        end_col = node.end_col_offset if node.end_col_offset is not None else node.col_offset
        return Span(
            row=node.lineno,
            col=char_column(self.lines[node.lineno - 1], node.col_offset),
            end_row=end_row,
            end_col=char_column(self.lines[end_row - 1], end_col),
        )

    def walk(self, tree: ast.Module) -> None:
        """Every import statement, wherever it is (function and class bodies too). A
        compound statement none of whose lines holds the word ``import`` is not entered:
        an import statement's keyword is on one of its enclosing statements' lines."""
        rows = [row for row, line in enumerate(self.lines, 1) if "import" in line]

        def holds_import(node: ast.stmt) -> bool:
            index = bisect.bisect_left(rows, node.lineno)
            return index < len(rows) and rows[index] <= (node.end_lineno or node.lineno)

        for node, in_function, type_checking, module_level in statements(
            tree.body, definitions=True, enter=holds_import
        ):
            if isinstance(node, ast.Import | ast.ImportFrom):
                self.add_import(node, in_function, type_checking, module_level)

    def add_import(
        self, node: ast.Import | ast.ImportFrom, in_function: bool, tc: bool, level_: bool
    ) -> None:
        # dotted names recur across thousands of files: interned, each is pickled and kept once
        names = tuple((sys.intern(alias.name), alias.asname) for alias in node.names)
        module: str | None = None
        level, base = 0, None
        if isinstance(node, ast.ImportFrom):
            module, level = sys.intern(node.module or ""), node.level
            base = resolve_relative(node.module, level, self.package)
            base = sys.intern(base) if base is not None else None
        self.index_of[id(node)] = len(self.imports)
        self.imports.append(
            ImportStmt(
                span=self.span(node),
                module=module,
                level=level,
                names=names,
                base=base,
                in_function=in_function,
                type_checking=tc,
                module_level=level_,
            )
        )

    def facts(self, tree: ast.Module) -> FileFacts:
        names = _ModuleNames(self.imports, self.index_of)
        names.scan(tree.body)
        return FileFacts(
            imports=tuple(self.imports),
            defined=frozenset(names.defined),
            bindings=tuple(names.bindings),
            star_imports=tuple(names.stars),
            all_names=tuple(names.all_names) if names.all_names is not None else None,
            all_extends=tuple(names.all_extends),
            used_names=_used_names(tree) if self.is_init else frozenset(),
            shim=_is_shim(tree.body),
        )


class _ModuleNames:
    """Module-level bindings (including inside module-level if/try/with) and ``__all__``."""

    def __init__(self, imports: list[ImportStmt], index_of: dict[int, int]) -> None:
        self.imports = imports
        self.index_of = index_of
        self.defined: set[str] = set()
        self.bindings: list[Binding] = []
        self.stars: list[int] = []
        self.all_names: list[str] | None = None
        self.all_extends: list[str] = []

    def scan(self, body: list[ast.stmt]) -> None:
        for stmt, _, _, _ in statements(body, definitions=False):
            if isinstance(stmt, ast.Import | ast.ImportFrom):
                self.bind_import(self.index_of[id(stmt)])
            elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                self.defined.add(stmt.name)
            else:
                self.bind_targets(stmt)
                self.read_all(stmt)

    def bind_import(self, index: int) -> None:
        stmt = self.imports[index]
        for name, alias in stmt.names:
            if name == "*":
                self.stars.append(index)
            elif not stmt.is_from:
                bound = alias or name.split(".")[0]
                source = name if alias else name.split(".")[0]
                self.bindings.append(Binding(bound, source, None, index))
            elif stmt.base is not None:
                self.bindings.append(Binding(alias or name, stmt.base, name, index))

    def bind_targets(self, stmt: ast.stmt) -> None:
        """The names a statement binds by assignment, or in a compound statement's header:
        a ``for`` target, ``with ... as``, ``except ... as``, a ``case`` pattern's captures."""
        targets: list[ast.expr] = []
        if isinstance(stmt, ast.Assign):
            targets = list(stmt.targets)
        elif isinstance(stmt, ast.AugAssign | ast.AnnAssign | ast.For | ast.AsyncFor):
            targets = [stmt.target]
        elif isinstance(stmt, ast.With | ast.AsyncWith):
            targets = [item.optional_vars for item in stmt.items if item.optional_vars]
        elif type(stmt) in _TRY:
            handlers: list[ast.ExceptHandler] = getattr(stmt, "handlers", [])
            self.defined.update(h.name for h in handlers if h.name)
        elif isinstance(stmt, ast.Match):
            for case in stmt.cases:
                self.defined.update(_captures(case.pattern))
        for target in targets:
            for node in ast.walk(target):
                if isinstance(node, ast.Name) and node.id != "__all__":
                    self.defined.add(node.id)

    def read_all(self, stmt: ast.stmt) -> None:
        assigned = isinstance(stmt, ast.Assign) and any(_is_all(t) for t in stmt.targets)
        annotated = isinstance(stmt, ast.AnnAssign) and _is_all(stmt.target)
        if (assigned or annotated) and isinstance(stmt, ast.Assign | ast.AnnAssign) and stmt.value:
            self.all_names = []
            self.add_all(stmt.value)
        elif isinstance(stmt, ast.AugAssign) and _is_all(stmt.target):
            self.add_all(stmt.value)
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            func = stmt.value.func
            if isinstance(func, ast.Attribute) and _is_all(func.value) and stmt.value.args:
                if func.attr == "extend":
                    self.add_all(stmt.value.args[0])
                elif func.attr == "append":
                    self.add_all(ast.List(elts=[stmt.value.args[0]]))

    def add_all(self, value: ast.expr) -> None:
        """The names of an ``__all__`` expression: lists, tuples and sets of strings,
        ``other.__all__``, joined by ``+`` to any length (left to right, no recursion)."""
        if self.all_names is None:
            self.all_names = []
        stack = [value]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
                stack += (node.right, node.left)
            elif isinstance(node, ast.List | ast.Tuple | ast.Set):
                for item in node.elts:
                    if isinstance(item, ast.Constant) and isinstance(item.value, str):
                        self.all_names.append(item.value)
            elif (
                isinstance(node, ast.Attribute)
                and node.attr == "__all__"
                and isinstance(node.value, ast.Name)
            ):
                self.all_extends.append(node.value.id)


_TRY: tuple[type[ast.stmt], ...] = (
    ast.Try, *([ast.TryStar] if hasattr(ast, "TryStar") else []),  # try/except* (3.11+)
)  # fmt: skip
# the statements that hold others: the compound statements and the definitions
_NESTING: frozenset[type[ast.stmt]] = frozenset(
    (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Match, *_TRY,
     ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
)  # fmt: skip

# A statement, and where it is: (statement, in a function body, under ``if TYPE_CHECKING:``,
# at module level, that is in no function or class body)
Visit = tuple[ast.stmt, bool, bool, bool]


def statements(
    body: list[ast.stmt],
    *,
    definitions: bool,
    enter: Callable[[ast.stmt], bool] | None = None,
) -> Iterator[Visit]:
    """The statements of ``body`` and every statement nested in them, depth first in
    source order, each with where it is. Every compound statement is entered: if/elif/else,
    for and while with their else, try/except/except*/else/finally, with, their async forms
    and match/case; the bodies of functions and classes only with ``definitions``; with
    ``enter``, only the compound statements for which it is true. Expressions are not
    entered (they hold no statement). Iterative, so deep nesting
    cannot overflow the stack."""
    stack: list[Visit] = [(stmt, False, False, True) for stmt in reversed(body)]
    while stack:
        visit = stack.pop()
        yield visit
        node, in_function, type_checking, module_level = visit
        if type(node) not in _NESTING or (enter is not None and not enter(node)):
            continue  # a simple statement holds no other
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if not definitions:
                continue
            # a function's body is in a function; a class's body is where the class is
            nested = in_function or not isinstance(node, ast.ClassDef)
            inner = [(c, nested, type_checking, False) for c in node.body]
        elif isinstance(node, ast.If) and is_type_checking(node.test):
            inner = [(c, in_function, True, module_level) for c in node.body]
            inner += [(c, in_function, type_checking, module_level) for c in node.orelse]
        else:
            children = _child_statements(node)
            inner = [(c, in_function, type_checking, module_level) for c in children]
        stack.extend(reversed(inner))


def _child_statements(node: ast.stmt) -> list[ast.stmt]:
    """The statements directly nested in a compound statement, in source order: a body,
    then the handlers, the else and the finally of a ``try``, or the cases of a ``match``."""
    found: list[ast.stmt] = list(getattr(node, "body", ()))
    for handler in getattr(node, "handlers", ()):
        found.extend(handler.body)
    found.extend(getattr(node, "orelse", ()))
    found.extend(getattr(node, "finalbody", ()))
    for case in getattr(node, "cases", ()):
        found.extend(case.body)
    return found


def _captures(pattern: ast.pattern) -> list[str]:
    """The names a ``case`` pattern binds (``case Point(x=px) | [px, *rest]``)."""
    found = []
    for node in ast.walk(pattern):
        if isinstance(node, ast.MatchAs | ast.MatchStar) and node.name:
            found.append(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            found.append(node.rest)
    return found


def _used_names(tree: ast.Module) -> frozenset[str]:
    """Names read anywhere in the module (needed for ``__init__.py`` files only)."""
    return frozenset(
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    )


def _is_all(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "__all__"


def _is_shim(body: list[ast.stmt]) -> bool:
    """Nothing but imports once the docstring, __all__, __future__ and TYPE_CHECKING go."""
    found = False
    for index, stmt in enumerate(body):
        if index == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
            continue
        if isinstance(stmt, ast.If) and is_type_checking(stmt.test) and not stmt.orelse:
            continue
        if isinstance(stmt, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if all(_is_all(t) for t in targets):
                continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            func = stmt.value.func
            if isinstance(func, ast.Attribute) and _is_all(func.value):
                continue
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            found = True
            continue
        return False
    return found
