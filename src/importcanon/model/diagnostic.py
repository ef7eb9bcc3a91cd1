"""What a rule reports: a located message with an optional fix and machine-readable details."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Severity = Literal["error", "warning"]
Applicability = Literal["safe", "unsafe"]


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based row and column."""

    row: int
    column: int


@dataclass(frozen=True)
class Edit:
    """Replace the text between ``location`` and ``end_location`` with ``content``."""

    content: str
    location: Location
    end_location: Location


@dataclass(frozen=True)
class Fix:
    applicability: Applicability
    message: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class Diagnostic:
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

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (str(self.path), self.location.row, self.location.column, self.code, self.message)

    @property
    def noqa_row(self) -> int:
        return self.noqa_rows[0] or self.location.row
