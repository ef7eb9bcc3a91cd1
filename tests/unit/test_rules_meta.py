"""IMC900, IMC902 and IMC903 (the checker's own rules) on the in-memory view."""

from __future__ import annotations

from importcanon.rules import layout, meta, no_relative_imports
from importcanon.rules.base import Context
from importcanon.rules.memory import MemoryView, check, contract

SOURCES = {
    "app/__init__.py": "from .a import x\n",
    "app/a.py": "x = (\n",
}


def test_a_file_that_does_not_parse() -> None:
    found = list(meta.syntax_errors(MemoryView(SOURCES)))
    assert [(d.code, d.path.name, d.location.row) for d in found] == [("IMC900", "a.py", 1)]


def test_an_ignore_expression_that_matches_nothing() -> None:
    kind = no_relative_imports.KIND
    found = contract(kind, {}, ignore_imports=["app -> app.a", "app.b -> app.c"])
    ctx = Context(MemoryView(SOURCES), found)
    assert list(kind.check(ctx, kind.options_of(found))) == []  # `from .a import x` ignored
    unmatched = list(meta.unmatched_ignores(ctx))
    assert [(d.code, d.details["expression"]) for d in unmatched] == [("IMC902", "app.b -> app.c")]


def test_a_field_entry_that_matches_nothing() -> None:
    kind = layout.KIND
    found = contract(kind, {"package": "ap", "root_modules": []})
    ctx = Context(MemoryView(SOURCES), found)
    assert check(kind, MemoryView(SOURCES), found.options) == []
    nothing = list(meta.checks_nothing(ctx, kind.options))
    assert [(d.code, d.details["field"], d.details["checks_nothing"]) for d in nothing] == [
        ("IMC903", "package", True)
    ]
