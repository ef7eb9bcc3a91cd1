"""Every registered code is unique, documented, and exercised by a fixture."""

from __future__ import annotations

import re

from importcanon.rules.registry import Registry
from tests.helpers import EXAMPLE, PROJECTS, expected

RULES = Registry().rules()
SECTIONS = ("## What it does", "## Why is this bad?", "## Example")


def test_codes_and_names_are_unique_and_well_formed() -> None:
    names = [rule.name for rule in RULES.values()]
    assert len(names) == len(set(names))
    for code, rule in RULES.items():
        assert re.fullmatch(r"IMC\d{3}", code) and rule.code == code
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name)
        assert not rule.name.startswith("no-")


def test_every_rule_is_documented_with_examples() -> None:
    for rule in RULES.values():
        for section in SECTIONS:
            assert section in rule.text, (rule.code, section)
        assert "Use instead" in rule.text, rule.code


def test_every_kind_module_is_a_kind_with_its_rules() -> None:
    found = Registry().kinds()
    assert list(found) == [
        "moved-modules",
        "no-reexports",
        "no-relative-imports",
        "acyclic",
        "layout",
        "banned-imports",
    ]
    for name, kind in found.items():
        assert kind.name == name and kind.rules and callable(kind.check)
        assert all(rule.kind == name for rule in kind.rules)


def test_every_code_is_exercised_by_a_fixture() -> None:
    seen = {code for project in PROJECTS.iterdir() for _, _, code in expected(project)}
    seen |= {code for _, _, code in expected(EXAMPLE)}
    assert set(RULES) <= seen, sorted(set(RULES) - seen)


def test_rules_page_is_current() -> None:
    """docs/rules.md is `importcanon rule --all`; regenerate it with `make docs`."""
    from tests.helpers import TESTS, run_cli

    page = (TESTS.parent / "docs" / "rules.md").read_text()
    assert page == run_cli("rule", "--all", cwd=TESTS).stdout
