"""IMC501 on the in-memory view."""

from __future__ import annotations

from importcanon.rules.banned_imports import KIND
from importcanon.rules.memory import MemoryView, check

SOURCES = {
    "app/__init__.py": "",
    "app/a.py": "from unittest.mock import patch\nimport json\n",
    "app/b.py": "from unittest import mock\n",
    "app/c.py": "import unittest\n",
}


def test_an_import_of_a_banned_module_or_below_it_is_reported() -> None:
    found = check(KIND, MemoryView(SOURCES), {"modules": ["unittest.mock"], "message": "fakes"})
    assert [(d.code, d.path.name, d.location.row) for d in found] == [
        ("IMC501", "a.py", 1),
        ("IMC501", "b.py", 1),
    ]
    assert found[0].message == "`unittest.mock` is banned: fakes"


def test_ignore_imports_matches_the_statement() -> None:
    found = check(
        KIND,
        MemoryView(SOURCES),
        {"modules": ["unittest.mock"]},
        ignore_imports=["app.b -> unittest.mock"],  # `from unittest import mock`
    )
    assert [d.path.name for d in found] == ["a.py"]
