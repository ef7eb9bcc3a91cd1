"""IMC001-IMC004 on the in-memory view; text is read only as the kind declares."""

from __future__ import annotations

import pytest

from importcanon.rules.base import Context
from importcanon.rules.memory import MemoryView, check, contract
from importcanon.rules.moved_modules import KIND
from importcanon.rules.view import TextNotDeclared

SOURCES = {
    "app/__init__.py": "",
    "app/ema.py": "class EMA: ...\n",
    "app/training/__init__.py": "",
    "app/training/ema.py": "class EMA: ...\n",
    "app/user.py": 'from app.ema import EMA\nNAME = "app.ema"  # app.ema in a comment\n',
    "README.md": "See app/ema.py and app.ema.\n",
}
MOVES = {"moves": {"app.ema": "app.training.ema"}, "text_files": ["README.md"]}


def _codes(options: dict[str, object]) -> list[tuple[str, str, int]]:
    found = check(KIND, MemoryView(SOURCES), options)
    return [(d.code, d.path.name, d.location.row) for d in found]


def test_legacy_imports_modules_and_references() -> None:
    assert _codes(MOVES) == [
        ("IMC003", "README.md", 1),
        ("IMC003", "README.md", 1),
        ("IMC002", "ema.py", 1),
        ("IMC001", "user.py", 1),
        ("IMC003", "user.py", 2),  # in the string, not in the comment
    ]


def test_a_legacy_import_is_fixed_only_towards_a_module_that_exists() -> None:
    found = check(KIND, MemoryView(SOURCES), MOVES)
    legacy = next(d for d in found if d.code == "IMC001")
    assert legacy.plan is not None and legacy.plan.applicability == "safe"


def test_a_canonical_path_that_does_not_exist() -> None:
    found = _codes({"moves": {"app.ema": "app.trainig.ema"}})
    assert ("IMC004", "c.toml", 1) in found
    legacy = next(d for d in check(KIND, MemoryView(SOURCES), {"moves": {"app.ema": "app.x"}}))
    assert legacy.code != "IMC001" or legacy.plan is None


def test_the_kind_reads_only_the_text_it_declares() -> None:
    assert KIND.needles(contract(KIND, MOVES)) == {b"app.ema"}
    ctx = Context(MemoryView(SOURCES), contract(KIND, MOVES))  # a view with no needles
    with pytest.raises(TextNotDeclared):
        list(KIND.check(ctx, KIND.options_of(ctx.contract)))
