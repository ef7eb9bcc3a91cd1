"""IMC101-IMC103 on the in-memory view."""

from __future__ import annotations

from importcanon.rules.memory import MemoryView, check
from importcanon.rules.no_reexports import KIND

SOURCES = {
    "app/__init__.py": "",
    "app/training/__init__.py": 'from app.training.ema import EMA\n__all__ = ["EMA"]\n',
    "app/training/ema.py": "class EMA: ...\n",
    "app/user.py": "from app.training import EMA\n\nema = EMA()\n",
    "app/shim.py": "from app.training.ema import EMA\n",
}


def _found(options: dict[str, object], **kw: list[str]) -> list[tuple[str, str]]:
    return [(d.code, d.path.name) for d in check(KIND, MemoryView(SOURCES), options, **kw)]


def test_reexport_import_via_reexport_and_shim() -> None:
    assert sorted(_found({})) == [
        ("IMC101", "__init__.py"),
        ("IMC102", "user.py"),
        ("IMC103", "shim.py"),
    ]


def test_public_modules_may_reexport() -> None:
    assert sorted(_found({"public_modules": ["app.training"]})) == [("IMC103", "shim.py")]


def test_import_via_reexport_is_fixable_and_yields_to_a_legacy_import() -> None:
    found = check(KIND, MemoryView(SOURCES), {})
    via = next(d for d in found if d.code == "IMC102")
    assert via.details["defined_in"] == "app.training.ema" and via.plan is not None
    rule = next(r for r in KIND.rules if r.code == "IMC102")
    assert rule.yields_to == ("IMC001",)


def test_ignore_imports_has_the_statement_meaning_for_every_rule() -> None:
    # IMC101: the statement `from app.training.ema import EMA` of app.training
    kept = _found({}, ignore_imports=["app.training -> app.training.ema.EMA"])
    assert ("IMC101", "__init__.py") not in kept
    # IMC102: the statement `from app.training import EMA` of app.user
    kept = _found({}, ignore_imports=["app.user -> app.training"])
    assert ("IMC102", "user.py") not in kept
