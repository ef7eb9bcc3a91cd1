"""IMC401 on the in-memory view."""

from __future__ import annotations

from importcanon.rules.layout import KIND
from importcanon.rules.memory import MemoryView, check


def test_a_module_at_the_root_that_is_not_listed_is_misplaced() -> None:
    view = MemoryView(
        {
            "app/__init__.py": "",
            "app/cli.py": "",
            "app/ema.py": "x = 1\n",
            "app/training/__init__.py": "",
            "app/training/ema.py": "",
        }
    )
    found = check(KIND, view, {"package": "app", "root_modules": ["cli"]})
    assert [(d.code, d.path.name, d.location.row, d.end_location.column) for d in found] == [
        ("IMC401", "ema.py", 1, 6)
    ]
    assert found[0].details == {"package": "app", "module": "app.ema"}
