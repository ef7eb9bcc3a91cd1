"""What the analysis learns about one source file; plain values, cacheable by content hash."""

from __future__ import annotations

from importcanon.model.record import Value

# (Records written by hand: an editor's save imports this module, and a dataclass costs
# more to make at import than the record's methods cost to write; see model/record.py.)


class Span(Value):
    """1-based rows and columns of a statement or expression (end column exclusive + 1)."""

    # the fields, in order
    __slots__ = ("row", "col", "end_row", "end_col")  # noqa: RUF023
    row: int
    col: int
    end_row: int
    end_col: int

    def __init__(self, row: int, col: int, end_row: int, end_col: int) -> None:
        put = object.__setattr__
        put(self, "row", row)
        put(self, "col", col)
        put(self, "end_row", end_row)
        put(self, "end_col", end_col)

    @property
    def tuple(self) -> tuple[int, int, int, int]:
        return (self.row, self.col, self.end_row, self.end_col)


class ImportStmt(Value):
    """One import statement.

    ``module`` is the text after ``from`` (None for ``import``), ``level`` the number of
    leading dots, ``names`` the imported (name, alias) pairs (for ``import a.b as c``:
    ``[("a.b", "c")]``), ``base`` the absolute dotted path of the ``from`` part (None when a
    relative import cannot be resolved).
    """

    # the fields, in order
    __slots__ = (  # noqa: RUF023
        "span",
        "module",
        "level",
        "names",
        "base",
        "in_function",
        "type_checking",
        "module_level",
    )
    span: Span
    module: str | None
    level: int
    names: tuple[tuple[str, str | None], ...]
    base: str | None
    in_function: bool
    type_checking: bool
    module_level: bool

    def __init__(
        self,
        span: Span,
        module: str | None,
        level: int,
        names: tuple[tuple[str, str | None], ...],
        base: str | None,
        in_function: bool,
        type_checking: bool,
        module_level: bool,
    ) -> None:
        put = object.__setattr__
        put(self, "span", span)
        put(self, "module", module)
        put(self, "level", level)
        put(self, "names", names)
        put(self, "base", base)
        put(self, "in_function", in_function)
        put(self, "type_checking", type_checking)
        put(self, "module_level", module_level)

    @property
    def is_from(self) -> bool:
        return self.module is not None or self.level > 0

    def targets(self) -> list[str]:
        """Absolute dotted paths this statement imports (``from X import n``: ``X.n``)."""
        if not self.is_from:
            return [name for name, _ in self.names]
        if self.base is None:
            return []
        return [f"{self.base}.{name}" if name != "*" else self.base for name, _ in self.names]

    def touched_paths(self) -> list[str]:
        """Every path an import of which this statement is: the base and each target."""
        if not self.is_from:
            return self.targets()
        if self.base is None:
            return []
        return [self.base, *[t for t in self.targets() if t != self.base]]


class Binding(Value):
    """A module-level name bound by an import: ``name`` from ``source`` (``source.original``)."""

    # the fields, in order
    __slots__ = ("name", "source", "original", "stmt")  # noqa: RUF023
    name: str
    source: str
    original: str | None
    stmt: int  # index into FileFacts.imports

    def __init__(self, name: str, source: str, original: str | None, stmt: int) -> None:
        put = object.__setattr__
        put(self, "name", name)
        put(self, "source", source)
        put(self, "original", original)
        put(self, "stmt", stmt)


class FileFacts(Value):
    """Everything the rules read of one file."""

    # the fields, in order
    __slots__ = (  # noqa: RUF023
        "imports",
        "syntax_error",
        "defined",
        "bindings",
        "star_imports",
        "all_names",
        "all_extends",
        "used_names",
        "shim",
        "noqa",
        "first_width",
    )
    imports: tuple[ImportStmt, ...]
    syntax_error: tuple[int, int, str] | None
    # name-level facts (module level only)
    defined: frozenset[str]
    bindings: tuple[Binding, ...]
    star_imports: tuple[int, ...]  # indexes into imports
    all_names: tuple[str, ...] | None
    all_extends: tuple[str, ...]  # modules whose __all__ is added to ours
    used_names: frozenset[str]
    shim: bool
    noqa: tuple[tuple[int, str], ...]  # (row, text) of the lines that mention "noqa"
    first_width: int  # characters on line 1 (a whole-file diagnostic spans it)

    def __init__(
        self,
        imports: tuple[ImportStmt, ...] = (),
        syntax_error: tuple[int, int, str] | None = None,
        defined: frozenset[str] = frozenset(),
        bindings: tuple[Binding, ...] = (),
        star_imports: tuple[int, ...] = (),
        all_names: tuple[str, ...] | None = None,
        all_extends: tuple[str, ...] = (),
        used_names: frozenset[str] = frozenset(),
        shim: bool = False,
        noqa: tuple[tuple[int, str], ...] = (),
        first_width: int = 0,
    ) -> None:
        put = object.__setattr__
        put(self, "imports", imports)
        put(self, "syntax_error", syntax_error)
        put(self, "defined", defined)
        put(self, "bindings", bindings)
        put(self, "star_imports", star_imports)
        put(self, "all_names", all_names)
        put(self, "all_extends", all_extends)
        put(self, "used_names", used_names)
        put(self, "shim", shim)
        put(self, "noqa", noqa)
        put(self, "first_width", first_width)

    def with_text(self, *, first_width: int, noqa: tuple[tuple[int, str], ...]) -> FileFacts:
        """These facts with the two read from the raw text (``dataclasses.replace``)."""
        return FileFacts(
            self.imports,
            self.syntax_error,
            self.defined,
            self.bindings,
            self.star_imports,
            self.all_names,
            self.all_extends,
            self.used_names,
            self.shim,
            noqa,
            first_width,
        )
