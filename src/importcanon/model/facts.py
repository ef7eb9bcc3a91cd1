"""What the analysis learns about one source file; plain values, cacheable by content hash."""

from __future__ import annotations

from dataclasses import dataclass

from importcanon.model.record import Record


@dataclass(frozen=True, slots=True)
class Span(Record):
    """1-based rows and columns of a statement or expression (end column exclusive + 1)."""

    row: int
    col: int
    end_row: int
    end_col: int

    @property
    def tuple(self) -> tuple[int, int, int, int]:
        return (self.row, self.col, self.end_row, self.end_col)


@dataclass(frozen=True, slots=True)
class ImportStmt(Record):
    """One import statement.

    ``module`` is the text after ``from`` (None for ``import``), ``level`` the number of
    leading dots, ``names`` the imported (name, alias) pairs (for ``import a.b as c``:
    ``[("a.b", "c")]``), ``base`` the absolute dotted path of the ``from`` part (None when a
    relative import cannot be resolved).
    """

    span: Span
    module: str | None
    level: int
    names: tuple[tuple[str, str | None], ...]
    base: str | None
    in_function: bool
    type_checking: bool
    module_level: bool

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


@dataclass(frozen=True, slots=True)
class Binding(Record):
    """A module-level name bound by an import: ``name`` from ``source`` (``source.original``)."""

    name: str
    source: str
    original: str | None
    stmt: int  # index into FileFacts.imports


@dataclass(frozen=True, slots=True)
class FileFacts(Record):
    """Everything the rules read of one file."""

    imports: tuple[ImportStmt, ...] = ()
    syntax_error: tuple[int, int, str] | None = None
    # name-level facts (module level only)
    defined: frozenset[str] = frozenset()
    bindings: tuple[Binding, ...] = ()
    star_imports: tuple[int, ...] = ()  # indexes into imports
    all_names: tuple[str, ...] | None = None
    all_extends: tuple[str, ...] = ()  # modules whose __all__ is added to ours
    used_names: frozenset[str] = frozenset()
    shim: bool = False
    noqa: tuple[tuple[int, str], ...] = ()  # (row, text) of the lines that mention "noqa"
    first_width: int = 0  # characters on line 1 (a whole-file diagnostic spans it)
