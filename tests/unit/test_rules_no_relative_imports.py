"""IMC201 and IMC202 on the in-memory view."""

from __future__ import annotations

from importcanon.rules.memory import MemoryView, check
from importcanon.rules.no_relative_imports import KIND

VIEW = MemoryView(
    {
        "app/__init__.py": "from .core import run\n",
        "app/core.py": "from . import util\ndef run() -> None: ...\n",
        "app/util.py": "",
    }
)


def test_relative_imports_in_init_only_by_default() -> None:
    found = check(KIND, VIEW, {})
    assert [(d.code, d.path.name) for d in found] == [("IMC201", "__init__.py")]
    assert found[0].plan is not None and found[0].details["absolute"] == "app.core"


def test_scope_all_reports_every_file() -> None:
    found = check(KIND, VIEW, {"scope": "all"})
    assert [(d.code, d.path.name) for d in found] == [
        ("IMC201", "__init__.py"),
        ("IMC202", "core.py"),
    ]


def test_ignore_imports_matches_module_and_name() -> None:
    found = check(KIND, VIEW, {"scope": "all"}, ignore_imports=["app.core -> app.util"])
    assert [d.code for d in found] == ["IMC201"]
