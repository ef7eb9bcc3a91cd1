"""Globs, module expressions, code selection and noqa parsing."""

from __future__ import annotations

from importcanon.analysis.noqa import ALL, noqa_codes, suppressed
from importcanon.config.fields import is_module_expression
from importcanon.engine.selection import Selection, ignored_by_file
from importcanon.model.paths import covers, matches_expression, matches_glob


def test_covers() -> None:
    assert covers("a.b", "a.b") and covers("a.b", "a.b.c")
    assert not covers("a.b", "a.bc") and not covers("a.b", "a")


def test_module_expressions() -> None:
    assert matches_expression("a.*", "a.b") and not matches_expression("a.*", "a.b.c")
    assert matches_expression("a.**", "a.b.c") and not matches_expression("a.**", "a")
    assert matches_expression("a.*.c", "a.b.c")
    assert is_module_expression("a.**.c") and not is_module_expression("a..b")
    assert not is_module_expression("a.**.**") and not is_module_expression("a-b")


def test_globs() -> None:
    assert matches_glob("tests/legacy/*", "tests/legacy/test_x.py")
    # a pattern that matches a directory matches everything below it, as in .gitignore
    assert matches_glob("tests/legacy/*", "tests/legacy/deep/test_x.py")
    assert not matches_glob("tests/legacy/*.py", "tests/legacy/deep/test_x.py")
    assert matches_glob("**/migrations/**", "app/migrations/0001.py")
    assert matches_glob("migrations", "app/migrations/0001.py")
    assert matches_glob("tests", "tests/a/b.py")
    assert matches_glob("*.py", "a/b.py")
    assert not matches_glob("src/*.py", "src/a/b.py")


def test_selection_prefers_the_most_specific_prefix() -> None:
    assert Selection().allows("IMC001")
    assert not Selection(select=("IMC1",)).allows("IMC001")
    assert Selection(select=("IMC0",), ignore=("IMC001",)).allows("IMC002")
    assert not Selection(select=("IMC0",), ignore=("IMC001",)).allows("IMC001")
    assert Selection(select=("IMC001",), ignore=("IMC0",)).allows("IMC001")
    assert Selection(select=("IMC2",), extend_select=("IMC3",)).allows("IMC301")
    assert not Selection(ignore=("ALL",)).allows("IMC001")


def test_per_file_ignores() -> None:
    table = {"tests/legacy/*": ("IMC001",), "scripts/**": ("IMC",)}
    assert ignored_by_file("tests/legacy/t.py", "IMC001", table)
    assert not ignored_by_file("tests/legacy/t.py", "IMC003", table)
    assert ignored_by_file("scripts/a/b.py", "IMC301", table)


def test_noqa_comments() -> None:
    texts = ["import a  # noqa: IMC001, IMC102", "import b  # noqa", "import c", "x  # NOQA:IMC3"]
    lines = dict(enumerate(texts, start=1))
    assert noqa_codes(lines, 1, 1) == {"IMC001", "IMC102"}
    assert noqa_codes(lines, 2, 2) is ALL
    assert noqa_codes(lines, 3, 3) is None
    assert suppressed("IMC301", noqa_codes(lines, 4, 4))
    assert suppressed("IMC001", noqa_codes(lines, 1, 3))
    assert not suppressed("IMC002", noqa_codes(lines, 1, 1))
