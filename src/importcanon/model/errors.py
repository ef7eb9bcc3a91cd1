"""Errors about the configuration itself (exit code 2), distinct from diagnostics."""

from __future__ import annotations

from pathlib import Path

from importcanon.model.escape import printable


class ConfigError(Exception):
    """A malformed configuration or contract: names the file, contract, field and line."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | None = None,
        line: int | None = None,
        contract: str | None = None,
        position: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.contract = contract
        self.position = position  # the contract's place in its file, when it has no id
        self.field = field
        super().__init__(self.render())

    def render(self) -> str:
        """One line, whatever the file, key or value named in it holds."""
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        parts = []
        if self.contract:
            parts.append(f"contract `{self.contract}`")
        elif self.position:
            parts.append(f"contract #{self.position}")
        if self.field:
            parts.append(f"field `{self.field}`")
        context = (", ".join(parts) + ": ") if parts else ""
        return printable(f"{where}{context}{self.message}")


class UsageError(Exception):
    """A command-line usage error (exit code 2)."""
