"""Nothing silently checks nothing: unknown codes are errors, scopes that match nothing
are reported, and every option explains itself."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from importcanon.cli import parser
from importcanon.config import schema
from importcanon.config.contracts import COMMON
from importcanon.config.project import PROJECT_FIELDS
from importcanon.config.reference import COMMON_DOCS, PROJECT_DOCS
from importcanon.model.codes import CODES
from importcanon.rules.registry import Registry
from tests.helpers import TESTS, run_cli, write_tree

BASE = {
    "pyproject.toml": '[tool.importcanon]\nroot_packages = ["httpx"]\n',
    "contracts/c.toml": '[[contract]]\nid = "acyclic"\nname = "No cycles"\nkind = "acyclic"\n',
    "src/httpx/__init__.py": "",
    "src/httpx/api.py": "import httpx.client\n\nY = 2\n",
    "src/httpx/client.py": "X = 1\n",
    "tests/test_api.py": "import httpx.api\n",
}


def project(tmp_path: Path, **changes: str) -> Path:
    return write_tree(tmp_path / "p", {**BASE, **changes})


def one_error_line(result_stderr: str) -> str:
    lines = result_stderr.strip().splitlines()
    assert len(lines) == 1, result_stderr
    assert "Traceback" not in result_stderr
    return lines[0]


def test_the_code_table_agrees_with_the_registry() -> None:
    """``CODES`` is only a fast path: each of its codes is a rule of that name, and every
    rule of a built-in kind (in ``CODES`` or not) can be selected."""
    known = Registry().rules()
    assert {code: known[code].name if code in known else None for code in CODES} == CODES
    codes = Registry().codes()
    builtin = [rule for kind in Registry().kinds().values() for rule in kind.rules]
    assert builtin and all(codes.is_selector(rule.code) for rule in builtin)
    assert all(codes.code_of(rule.name) == rule.code for rule in builtin)


# A root package that is not one is a configuration error.


@pytest.mark.parametrize(
    ("packages", "hint"),
    [('["htpx"]', "did you mean `httpx`?"), ('["httpx", "nope"]', "found: httpx"),
     ('["httpx.api"]', "top-level package")],
)  # fmt: skip
def test_a_root_package_that_is_not_a_package(tmp_path: Path, packages: str, hint: str) -> None:
    root = project(
        tmp_path, **{"pyproject.toml": f"[tool.importcanon]\nroot_packages = {packages}\n"}
    )
    for command in ("check", "status"):
        result = run_cli(command, cwd=root)
        assert result.code == 2
        line = one_error_line(result.stderr)
        assert "pyproject.toml:2: field `root_packages`:" in line and hint in line, line


def test_a_module_is_a_root_package_too(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {"pyproject.toml": '[tool.importcanon]\nroot_packages = ["solo"]\nsource_roots = ["."]\n',
         "contracts/c.toml": BASE["contracts/c.toml"], "solo.py": "import os\n"},
    )  # fmt: skip
    assert run_cli("check", cwd=root).code == 0


# IMC903: contract fields that match nothing.

NOTHING = [
    ("paths", 'kind = "acyclic"\npaths = ["lib/**"]\n', True),
    ("paths", 'kind = "acyclic"\npaths = ["src/**", "lib/**"]\n', False),
    ("modules", 'kind = "no-reexports"\nmodules = ["httpx.nothing.**"]\n', True),
    ("public_modules", 'kind = "no-reexports"\npublic_modules = ["htpx"]\n', False),
    ("package", 'kind = "layout"\npackage = "htpx"\nroot_modules = ["__init__"]\n', True),
    ("package", 'kind = "layout"\npackage = "httpx.api"\nroot_modules = ["x"]\n', True),
    ("packages", 'kind = "acyclic"\npackages = ["httpx.gone"]\n', True),
]


@pytest.mark.parametrize(("field", "body", "empty"), NOTHING)
def test_a_contract_field_that_matches_nothing_is_imc903(
    tmp_path: Path, field: str, body: str, empty: bool
) -> None:
    contract = f'[[contract]]\nid = "c"\nname = "C"\n{body}'
    root = project(tmp_path, **{"contracts/c.toml": contract})
    result = run_cli("check", "--output-format", "json", cwd=root)
    assert result.code == 0, result.stdout + result.stderr  # a warning
    (found,) = [d for d in result.json() if d["code"] == "IMC903"]
    assert found["filename"] == str(root / "contracts/c.toml")
    assert found["severity"] == "warning" and found["rule"] == "contract-checks-nothing"
    assert found["details"]["field"] == field and found["details"]["checks_nothing"] is empty
    line = next(i for i, text in enumerate(contract.splitlines(), 1) if text.startswith(field))
    assert found["location"]["row"] == line
    status = run_cli("status", cwd=root)
    verdict = "KEPT (checks nothing)" if empty else "KEPT "
    assert status.stdout.startswith(verdict), status.stdout
    assert status.code == 0
    (row,) = run_cli("status", "--output-format", "json", cwd=root).json()["contracts"]
    assert row["checks_nothing"] is empty


def test_a_contract_that_checks_something_is_plain_kept(tmp_path: Path) -> None:
    root = project(tmp_path)
    result = run_cli("status", cwd=root)
    assert result.stdout.startswith("KEPT              acyclic"), result.stdout
    assert "checks nothing" not in result.stdout


# Unknown codes in options: exit 2, one line, did-you-mean.


@pytest.mark.parametrize(
    ("args", "where", "hint"),
    [
        (("--select", "IMC999"), "--select", "did you mean `IMC90"),
        (("--select", "XYZ"), "--select", None),
        (("--ignore", "IMC001,IMC0O1"), "--ignore", "did you mean `IMC00"),
        (("--extend-select", "legacy-import"), "--extend-select", "`IMC001` (legacy-import)"),
    ],
)
def test_unknown_codes_on_the_command_line(
    tmp_path: Path, args: tuple[str, ...], where: str, hint: str | None
) -> None:
    result = run_cli("check", *args, cwd=project(tmp_path))
    assert result.code == 2
    line = one_error_line(result.stderr)
    assert f"unknown rule code or prefix `{args[1].split(',')[-1]}` in {where}" in line
    assert (hint in line) if hint else ("did you mean" not in line)


def test_known_prefixes_and_all_are_accepted(tmp_path: Path) -> None:
    root = project(tmp_path)
    for selector in ("IMC", "IMC3", "IMC301", "ALL", "imc1"):
        assert run_cli("check", "--select", selector, cwd=root).code == 0, selector


@pytest.mark.parametrize("codes", ['["IMC01"]', '"IMC001, IMCX"', '["E501"]'])
def test_unknown_codes_in_per_file_ignores(tmp_path: Path, codes: str) -> None:
    config = (
        '[tool.importcanon]\nroot_packages = ["httpx"]\n\n'
        f'[tool.importcanon.per-file-ignores]\n"tests/*" = {codes}\n'
    )
    result = run_cli("check", cwd=project(tmp_path, **{"pyproject.toml": config}))
    assert result.code == 2
    line = one_error_line(result.stderr)
    assert "pyproject.toml:5: field `per-file-ignores`: unknown rule code or prefix" in line


def test_an_unknown_code_in_a_noqa_comment_stays_a_warning(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        **{"src/httpx/api.py": "import httpx.client  # noqa: IMC999, E501\nY = 2\n"},
    )
    result = run_cli("check", cwd=root)
    assert result.code == 0
    assert one_error_line(result.stderr) == (
        "importcanon: warning: src/httpx/api.py:1: unknown rule code `IMC999` in "
        "`# noqa` (did you mean `IMC903`?)"
    )
    cached = run_cli("check", cwd=root, cache=tmp_path / "cache")
    again = run_cli("check", cwd=root, cache=tmp_path / "cache")
    assert cached.stderr == again.stderr == result.stderr


# `importcanon rule` by name, and the reference.


def test_rule_by_name_or_code() -> None:
    by_name = run_cli("rule", "legacy-import", cwd=TESTS)
    assert by_name.code == 0
    assert by_name.stdout == run_cli("rule", "IMC001", cwd=TESTS).stdout
    unknown = run_cli("rule", "legacy-imprt", cwd=TESTS)
    assert unknown.code == 2 and "did you mean `legacy-import`?" in unknown.stderr


def test_every_field_is_in_the_reference() -> None:
    assert set(PROJECT_DOCS) == set(PROJECT_FIELDS)
    assert set(COMMON_DOCS) == set(COMMON)
    page = run_cli("rule", "--all", cwd=TESTS).stdout
    assert "(undocumented)" not in page
    for kind in Registry().kinds().values():
        assert f'## kind = "{kind.name}"' in page
        for doc in schema.docs(kind.options):
            assert doc.help and f"| `{doc.name}` |" in page


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


@pytest.mark.parametrize("command", ["check", "status", "move", "baseline", "init", "rule"])
def test_every_option_has_a_help_line(command: str) -> None:
    actions = _subcommands()[command]._actions
    missing = [a.dest for a in actions if not a.help and a.dest != "help"]
    assert missing == []


def test_a_noqa_inside_a_string_is_no_noqa_comment(tmp_path: Path) -> None:
    text = 'TEXT = "# noqa: IMC999"\nDOC = """\n# noqa: IMC998\n"""  # noqa: IMC997\n'
    result = run_cli("check", cwd=project(tmp_path, **{"src/httpx/client.py": text}))
    assert result.code == 0
    assert ":4: unknown rule code `IMC997` in `# noqa`" in one_error_line(result.stderr)
