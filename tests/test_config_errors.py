"""Malformed configuration: exit 2, one line naming file, contract, field and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run_cli, write_tree

BASE = {
    "pyproject.toml": "[tool.importcanon]\n",
    "src/pkg/__init__.py": "",
    "src/pkg/a.py": "import pkg\n",
}

GOOD = '[[contract]]\nid = "ok"\nname = "ok"\nkind = "acyclic"\n\n'

# (contract file text, expected fragments of the one-line message, expected line)
CASES = {
    "toml-syntax": ('[[contract]]\nid = "x"\nname = "x\n', ["invalid TOML"], 3),
    "missing-id": ('[[contract]]\nname = "x"\nkind = "acyclic"\n', ["`id`", "missing"], 1),
    "missing-name": ('[[contract]]\nid = "x"\nkind = "acyclic"\n', ["`name`", "contract `x`"], 1),
    "missing-kind": ('[[contract]]\nid = "x"\nname = "x"\n', ["`kind`", "missing"], 1),
    "unknown-kind": (
        '[[contract]]\nid = "x"\nname = "x"\nkind = "acylic"\n',
        ["`acylic`", "did you mean `acyclic`", "field `kind`"],
        4,
    ),
    "unknown-field-near-miss": (
        '[[contract]]\nid = "x"\nname = "x"\nkind = "acyclic"\ngranulrity = "module"\n',
        ["field `granulrity`", "did you mean `granularity`"],
        5,
    ),
    "wrong-type": (
        '[[contract]]\nid = "x"\nname = "x"\nkind = "acyclic"\nignore_deferred = "yes"\n',
        ["field `ignore_deferred`", "expected a boolean"],
        5,
    ),
    "bad-choice": (
        '[[contract]]\nid = "x"\nname = "x"\nkind = "acyclic"\ngranularity = "modules"\n',
        ["field `granularity`", "did you mean `module`"],
        5,
    ),
    "bad-id": ('[[contract]]\nid = "Bad Id"\nname = "x"\nkind = "acyclic"\n', ["valid id"], 2),
    "duplicate-id": (GOOD + GOOD.replace("\n\n", "\n"), ["duplicate contract id", "`ok`"], 7),
    "bad-module-expression": (
        '[[contract]]\nid = "x"\nname = "x"\nkind = "no-reexports"\nmodules = ["pkg.*.-x"]\n',
        ["field `modules`", "not a valid module expression"],
        5,
    ),
    "bad-ignore-expression": (
        '[[contract]]\nid = "x"\nname = "x"\nkind = "acyclic"\nignore_imports = ["pkg.a"]\n',
        ["field `ignore_imports`", "import expression"],
        5,
    ),
    "moves-overlap": (
        '[[contract]]\nid = "m"\nname = "m"\nkind = "moved-modules"\n[contract.moves]\n'
        '"pkg.a" = "pkg.new.a"\n"pkg.a.b" = "pkg.new.b"\n',
        ["overlap", "field `moves`"],
        7,
    ),
    "canonical-under-legacy": (
        '[[contract]]\nid = "m"\nname = "m"\nkind = "moved-modules"\n[contract.moves]\n'
        '"pkg.a" = "pkg.a.inner"\n',
        ["covered by legacy path", "contract `m`"],
        6,
    ),
    "moves-missing": (
        '[[contract]]\nid = "m"\nname = "m"\nkind = "moved-modules"\n',
        ["`moves`", "missing"],
        1,
    ),
    "moves-not-strings": (
        '[[contract]]\nid = "m"\nname = "m"\nkind = "moved-modules"\n[contract.moves]\n'
        '"pkg.a" = 3\n',
        ["entry `pkg.a`", "expected a string"],
        6,
    ),
    "layout-without-package": (
        '[[contract]]\nid = "l"\nname = "l"\nkind = "layout"\nroot_modules = []\n',
        ["`package`", "missing"],
        1,
    ),
    "bad-severity": (
        '[[contract]]\nid = "x"\nname = "x"\nkind = "acyclic"\nseverity = "fatal"\n',
        ["field `severity`", '"error", "warning"'],
        5,
    ),
    "paths-not-a-list": (
        '[[contract]]\nid = "x"\nname = "x"\nkind = "acyclic"\npaths = "src/**"\n',
        ["field `paths`", "expected an array"],
        5,
    ),
    "top-level-typo": ('[[contracts]]\nid = "x"\n', ["did you mean `contract`"], 1),
    "second-contract-unknown-field": (
        GOOD + '[[contract]]\nid = "y"\nname = "y"\nkind = "layout"\npackage = "pkg"\n'
        "root_modules = []\nroot_module = []\n",
        ["contract `y`", "field `root_module`", "did you mean `root_modules`"],
        12,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_contract_is_a_configuration_error(case: str, tmp_path: Path) -> None:
    text, fragments, line = CASES[case]
    project = write_tree(tmp_path, {**BASE, "contracts/bad.toml": text})
    result = run_cli("check", cwd=project)
    assert result.code == 2
    assert result.stdout == ""
    message = result.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    assert f"contracts/bad.toml:{line}:" in message
    for fragment in fragments:
        assert fragment in message


def test_project_table_error_names_field_and_line(tmp_path: Path) -> None:
    project = write_tree(
        tmp_path,
        {
            **BASE,
            "pyproject.toml": '[tool.importcanon]\nsource_root = ["src"]\n',
            "contracts/c.toml": GOOD,
        },
    )
    result = run_cli("check", cwd=project)
    assert result.code == 2
    assert "pyproject.toml:2:" in result.stderr
    assert "did you mean `source_roots`" in result.stderr


def test_no_project_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("check", cwd=tmp_path)
    assert result.code == 2
    assert "no project found" in result.stderr
