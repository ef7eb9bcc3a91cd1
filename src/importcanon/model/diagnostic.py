"""What a rule reports: a located message with an optional fix and machine-readable details."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from importcanon.model.record import Record

Severity = Literal["error", "warning"]
Applicability = Literal["safe", "unsafe"]


@dataclass(frozen=True, order=True, slots=True)
class Location(Record):
    """A 1-based row and column."""

    row: int
    column: int


@dataclass(frozen=True, slots=True)
class Edit(Record):
    """Replace the text between ``location`` and ``end_location`` with ``content``."""

    content: str
    location: Location
    end_location: Location


@dataclass(frozen=True, slots=True)
class Fix(Record):
    """Text edits that fix a diagnostic."""

    applicability: Applicability
    message: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True, slots=True)
class Diagnostic(Record):
    """One finding of one rule, located in one file."""

    code: str
    rule: str
    contract: str
    severity: Severity
    message: str
    path: Path
    location: Location
    end_location: Location
    noqa_rows: tuple[int, int] = (0, 0)
    fix: Fix | None = None
    details: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    plan: FixPlan | None = field(default=None, compare=False, hash=False)

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (str(self.path), self.location.row, self.location.column, self.code, self.message)

    @property
    def noqa_row(self) -> int:
        return self.noqa_rows[0] or self.location.row


@dataclass(frozen=True, slots=True)
class ReplaceModule(Record):
    """Rewrite the module of an import statement: ``from <new> import ...`` (relative dots
    removed), or, for ``import old[.sub] [as x]``, the dotted name ``old`` -> ``new``."""

    stmt: tuple[int, int, int, int]
    new_module: str
    old_module: str | None = None  # for `import` statements: the dotted name to replace


@dataclass(frozen=True, slots=True)
class SplitName(Record):
    """Import one name of a ``from`` statement from another module, as ``new_name``
    (keeping the name it binds); the other names stay where they are."""

    stmt: tuple[int, int, int, int]
    name: str
    alias: str | None
    new_module: str
    new_name: str


@dataclass(frozen=True, slots=True)
class RewriteDotted(Record):
    """``import old`` -> ``import new``, and every ``old.x`` attribute chain in the file."""

    stmt: tuple[int, int, int, int]
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class ReplaceText(Record):
    """Replace the text of ``span`` with ``text``."""

    span: tuple[int, int, int, int]
    text: str


Action = ReplaceModule | SplitName | RewriteDotted | ReplaceText


@dataclass(frozen=True, slots=True)
class FixPlan(Record):
    """What a fix will do, cheap to make; turned into text edits only when needed."""

    applicability: Applicability
    message: str
    action: Action
