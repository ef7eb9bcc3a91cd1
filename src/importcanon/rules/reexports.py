"""kind = "no-reexports": no re-export facades (IMC101-IMC103)."""

from __future__ import annotations

from collections.abc import Iterator

from importcanon.model.diagnostic import Diagnostic
from importcanon.rules.base import Context, Rule

RULES: tuple[Rule, ...] = ()


def check(ctx: Context) -> Iterator[Diagnostic]:
    return iter(())
