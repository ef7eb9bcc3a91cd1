"""The one table from codes to rules and from contract kinds to their checks."""

from __future__ import annotations

from importcanon.rules import (
    acyclic,
    banned_imports,
    layout,
    meta,
    moved_modules,
    reexports,
    relative_imports,
)
from importcanon.rules.base import Check, Rule

_MODULES = (moved_modules, reexports, relative_imports, acyclic, layout, banned_imports, meta)

RULES: dict[str, Rule] = {rule.code: rule for module in _MODULES for rule in module.RULES}

CHECKS: dict[str, Check] = {
    "moved-modules": moved_modules.check,
    "no-reexports": reexports.check,
    "no-relative-imports": relative_imports.check,
    "acyclic": acyclic.check,
    "layout": layout.check,
    "banned-imports": banned_imports.check,
}


def rule(code: str) -> Rule | None:
    return RULES.get(code.upper())
