"""IMC301 and IMC302 on the in-memory view."""

from __future__ import annotations

from importcanon.rules.acyclic import KIND
from importcanon.rules.memory import MemoryView, check

CYCLE = {
    "app/__init__.py": "",
    "app/a.py": "import app.b\n",
    "app/b.py": "from app import a\n",
    "app/c.py": "import app.a\n",
}


def test_a_module_cycle_is_one_diagnostic_at_the_suggested_cut() -> None:
    found = check(KIND, MemoryView(CYCLE), {})
    assert [(d.code, d.path.name, d.location.row) for d in found] == [("IMC301", "a.py", 1)]
    assert found[0].details["modules"] == ["app.a", "app.b"]


def test_type_checking_and_deferred_imports() -> None:
    sources = dict(CYCLE)
    sources["app/b.py"] = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import app.a\n"
    assert check(KIND, MemoryView(sources), {}) == []
    assert len(check(KIND, MemoryView(sources), {"include_type_checking": True})) == 1
    sources["app/b.py"] = "def f() -> None:\n    import app.a\n"
    assert len(check(KIND, MemoryView(sources), {})) == 1
    assert check(KIND, MemoryView(sources), {"ignore_deferred": True}) == []


def test_a_noqa_or_an_ignored_import_cuts_the_cycle() -> None:
    sources = dict(CYCLE)
    sources["app/b.py"] = "from app import a  # noqa: IMC301\n"
    assert check(KIND, MemoryView(sources), {}) == []
    view = MemoryView(CYCLE)
    assert check(KIND, view, {}, ignore_imports=["app.b -> app.a"]) == []


def test_sibling_packages_that_import_each_other() -> None:
    view = MemoryView(
        {
            "app/__init__.py": "",
            "app/x/__init__.py": "",
            "app/x/one.py": "import app.y.two\n",
            "app/y/__init__.py": "",
            "app/y/two.py": "import app.x.three\n",
            "app/x/three.py": "",
        }
    )
    assert check(KIND, view, {}) == []  # no module cycle
    found = check(KIND, view, {"granularity": "package"})
    assert [(d.code, d.path.name) for d in found] == [("IMC302", "one.py")]
    assert found[0].details["packages"] == ["app.x", "app.y"]
