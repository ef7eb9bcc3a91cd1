"""What a rule reports: a located message with an optional fix and machine-readable details.

(Records written by hand: an editor's save imports this module, and a dataclass costs more
to make at import than the record's methods cost to write; see model/record.py. Each
behaves as the frozen, slotted dataclass it was: tests/unit/test_records.py.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from importcanon.model.record import Value, put

Severity = Literal["error", "warning"]
Applicability = Literal["safe", "unsafe"]


class Location(Value):
    """A 1-based row and column (ordered as the pair is)."""

    __slots__ = ("row", "column")  # noqa: RUF023 - the fields, in order
    row: int
    column: int

    def __init__(self, row: int, column: int) -> None:
        put(self, "row", row)
        put(self, "column", column)

    def __lt__(self, other: Location) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.row, self.column) < (other.row, other.column)

    def __le__(self, other: Location) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.row, self.column) <= (other.row, other.column)

    def __gt__(self, other: Location) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.row, self.column) > (other.row, other.column)

    def __ge__(self, other: Location) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.row, self.column) >= (other.row, other.column)


class Edit(Value):
    """Replace the text between ``location`` and ``end_location`` with ``content``."""

    __slots__ = ("content", "location", "end_location")  # noqa: RUF023 - the fields, in order
    content: str
    location: Location
    end_location: Location

    def __init__(self, content: str, location: Location, end_location: Location) -> None:
        put(self, "content", content)
        put(self, "location", location)
        put(self, "end_location", end_location)


class Fix(Value):
    """Text edits that fix a diagnostic."""

    __slots__ = ("applicability", "message", "edits")  # noqa: RUF023 - the fields, in order
    applicability: Applicability
    message: str
    edits: tuple[Edit, ...]

    def __init__(self, applicability: Applicability, message: str, edits: tuple[Edit, ...]) -> None:
        put(self, "applicability", applicability)
        put(self, "message", message)
        put(self, "edits", edits)


class Diagnostic(Value):
    """One finding of one rule, located in one file. ``details`` and ``plan`` are not
    compared or hashed (``details``: a new dictionary when not given)."""

    # the fields, in order
    __slots__ = (  # noqa: RUF023
        "code",
        "rule",
        "contract",
        "severity",
        "message",
        "path",
        "location",
        "end_location",
        "noqa_rows",
        "fix",
        "details",
        "plan",
    )
    compared = 10
    code: str
    rule: str
    contract: str
    severity: Severity
    message: str
    path: Path
    location: Location
    end_location: Location
    noqa_rows: tuple[int, int]
    fix: Fix | None
    details: dict[str, Any]
    plan: FixPlan | None

    def __init__(
        self,
        code: str,
        rule: str,
        contract: str,
        severity: Severity,
        message: str,
        path: Path,
        location: Location,
        end_location: Location,
        noqa_rows: tuple[int, int] = (0, 0),
        fix: Fix | None = None,
        details: dict[str, Any] | None = None,
        plan: FixPlan | None = None,
    ) -> None:
        put(self, "code", code)
        put(self, "rule", rule)
        put(self, "contract", contract)
        put(self, "severity", severity)
        put(self, "message", message)
        put(self, "path", path)
        put(self, "location", location)
        put(self, "end_location", end_location)
        put(self, "noqa_rows", noqa_rows)
        put(self, "fix", fix)
        put(self, "details", {} if details is None else details)
        put(self, "plan", plan)

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (str(self.path), self.location.row, self.location.column, self.code, self.message)

    @property
    def noqa_row(self) -> int:
        return self.noqa_rows[0] or self.location.row


Stmt = tuple[int, int, int, int]


class ReplaceModule(Value):
    """Rewrite the module of an import statement: ``from <new> import ...`` (relative dots
    removed), or, for ``import old[.sub] [as x]``, the dotted name ``old`` -> ``new``."""

    __slots__ = ("stmt", "new_module", "old_module")  # noqa: RUF023 - the fields, in order
    stmt: Stmt
    new_module: str
    old_module: str | None  # for `import` statements: the dotted name to replace

    def __init__(self, stmt: Stmt, new_module: str, old_module: str | None = None) -> None:
        put(self, "stmt", stmt)
        put(self, "new_module", new_module)
        put(self, "old_module", old_module)


class SplitName(Value):
    """Import one name of a ``from`` statement from another module, as ``new_name``
    (keeping the name it binds); the other names stay where they are."""

    # the fields, in order
    __slots__ = ("stmt", "name", "alias", "new_module", "new_name")  # noqa: RUF023
    stmt: Stmt
    name: str
    alias: str | None
    new_module: str
    new_name: str

    def __init__(
        self, stmt: Stmt, name: str, alias: str | None, new_module: str, new_name: str
    ) -> None:
        put(self, "stmt", stmt)
        put(self, "name", name)
        put(self, "alias", alias)
        put(self, "new_module", new_module)
        put(self, "new_name", new_name)


class RewriteDotted(Value):
    """``import old`` -> ``import new``, and every use of the name it binds. ``chain``: the
    declared moves (legacy, canonical) that a path under ``old`` follows to its end, when
    some of it moved again (``model.paths.follow``); empty: ``old`` -> ``new`` alone."""

    __slots__ = ("stmt", "old", "new", "chain")  # noqa: RUF023 - the fields, in order
    stmt: Stmt
    old: str
    new: str
    chain: tuple[tuple[str, str], ...]

    def __init__(
        self, stmt: Stmt, old: str, new: str, chain: tuple[tuple[str, str], ...] = ()
    ) -> None:
        put(self, "stmt", stmt)
        put(self, "old", old)
        put(self, "new", new)
        put(self, "chain", chain)


class ReplaceText(Value):
    """Replace the text of ``span`` with ``text``."""

    __slots__ = ("span", "text")
    span: Stmt
    text: str

    def __init__(self, span: Stmt, text: str) -> None:
        put(self, "span", span)
        put(self, "text", text)


Action = ReplaceModule | SplitName | RewriteDotted | ReplaceText


class FixPlan(Value):
    """What a fix will do, cheap to make; turned into text edits only when needed."""

    __slots__ = ("applicability", "message", "action")  # noqa: RUF023 - the fields, in order
    applicability: Applicability
    message: str
    action: Action

    def __init__(self, applicability: Applicability, message: str, action: Action) -> None:
        put(self, "applicability", applicability)
        put(self, "message", message)
        put(self, "action", action)
