"""`importcanon init` drafts a configuration that loads and checks, and disturbs nothing."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE, run_cli, write_tree

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

PYPROJECT = (
    '[project]\r\nname = "demo"  # keep this comment\r\nversion = "1"\r\n\r\n'
    "[tool.ruff]\r\nline-length = 99"  # no final newline
)
LAYOUT = (
    '[[contract]]\nid = "ID"\nname = "Mine"\nkind = "layout"\npackage = "demo"\n'
    'root_modules = ["cli", "core"]\n'
)
DRAFTED = ["10-moves.toml", "20-acyclic.toml", "30-absolute-init.toml", "40-no-facades.toml"]


def flat(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "flat",
        {
            "demo/__init__.py": "from .core import run\n",
            "demo/core.py": "def run() -> None: ...\n",
            "demo/cli.py": "from demo import run\n",
            "tests/__init__.py": "",
            "tests/test_core.py": "from demo.core import run\n",
            "setup.py": "",
        },
    )


def check_loads_and_runs(root: Path) -> None:
    result = run_cli("check", "--output-format", "concise", cwd=root)
    assert result.code in (0, 1), result.stderr
    status = run_cli("status", cwd=root)
    assert status.code in (0, 1) and "contracts kept" in status.stdout, status.stderr


def test_init_in_a_flat_layout_extends_pyproject_byte_for_byte(tmp_path: Path) -> None:
    root = flat(tmp_path)
    (root / "pyproject.toml").write_bytes(PYPROJECT.encode())
    result = run_cli("init", cwd=root)
    assert result.code == 0, result.stderr
    data = (root / "pyproject.toml").read_bytes()
    assert data.startswith(PYPROJECT.encode() + b"\r\n\r\n[tool.importcanon]\r\n")
    table = tomllib.loads(data.decode())["tool"]["importcanon"]
    assert table == {"root_packages": ["demo"], "source_roots": ["."], "contracts": "contracts"}
    assert sorted(p.name for p in (root / "contracts").iterdir()) == DRAFTED
    for name in DRAFTED[1:]:
        (contract,) = tomllib.loads((root / "contracts" / name).read_text())["contract"]
        assert contract["acceptance"]
    assert "id =" not in (root / "contracts/10-moves.toml").read_text().replace("# id =", "")
    assert "acceptance" in (root / "contracts/10-moves.toml").read_text()
    (facades,) = tomllib.loads((root / "contracts/40-no-facades.toml").read_text())["contract"]
    assert facades["public_modules"] == ["demo"]
    (relative,) = tomllib.loads((root / "contracts/30-absolute-init.toml").read_text())["contract"]
    assert relative["scope"] == "init"
    found = run_cli("check", "--output-format", "concise", cwd=root)
    assert found.code == 1 and "demo/__init__.py:1:1: IMC201" in found.stdout, found.stdout


def test_init_in_a_src_layout_creates_pyproject(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {"src/one/__init__.py": "", "src/two/__init__.py": "import one\n", "docs/x.md": ""},
    )
    assert run_cli("init", cwd=root).code == 0
    table = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["importcanon"]
    assert (table["root_packages"], table["source_roots"]) == (["one", "two"], ["src"])
    check_loads_and_runs(root)


def test_init_never_overwrites_contracts_and_is_idempotent(tmp_path: Path) -> None:
    root = flat(tmp_path)
    mine = LAYOUT.replace("ID", "acyclic")
    write_tree(root, {"contracts/20-acyclic.toml": "# mine\n", "contracts/mine.toml": mine})
    result = run_cli("init", cwd=root)
    assert result.code == 0, result.stderr
    assert (root / "contracts/20-acyclic.toml").read_text() == "# mine\n"
    assert "kept contracts/20-acyclic.toml: exists, not overwritten" in result.stdout
    assert (root / "contracts/mine.toml").read_text() == mine
    snapshot = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    again = run_cli("init", cwd=root)
    assert again.code == 0 and "wrote" not in again.stdout
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == snapshot
    check_loads_and_runs(root)


def test_init_skips_a_contract_whose_id_is_taken(tmp_path: Path) -> None:
    root = flat(tmp_path)
    taken = LAYOUT.replace("ID", "no-facades")
    write_tree(root, {"contracts/00-mine.toml": taken})
    result = run_cli("init", cwd=root)
    assert "40-no-facades.toml: not drafted, its contract id is taken" in result.stdout
    check_loads_and_runs(root)


@pytest.mark.parametrize(
    "pyproject",
    ['[tool.importcanon]\nroot_packages = ["demo"]\n',
     '[tool.importcanon.per-file-ignores]\n"tests/*" = ["IMC001"]\n',
     '[tool.importcanon]\r\nsource_roots = ["."]  # flat\r\n\r\n[tool.other]\r\nx = 1\r\n'],
)  # fmt: skip
def test_init_baseline_adds_the_key_and_keeps_everything_else(
    tmp_path: Path, pyproject: str
) -> None:
    root = flat(tmp_path)
    (root / "pyproject.toml").write_bytes(pyproject.encode())
    before = tomllib.loads(pyproject)
    result = run_cli("init", "--baseline", cwd=root)
    assert result.code == 0, result.stderr
    text = (root / "pyproject.toml").read_bytes().decode()
    after = tomllib.loads(text)
    assert after["tool"]["importcanon"].pop("baseline") == "importcanon-baseline.json"
    assert after == before
    assert sorted(text.splitlines()) == sorted(
        [*pyproject.splitlines(), 'baseline = "importcanon-baseline.json"']
        + (["", "[tool.importcanon]"] if "[tool.importcanon]" not in pyproject else [])
    )
    assert run_cli("check", cwd=root).code == 0


def test_init_refuses_what_it_cannot_extend_safely(tmp_path: Path) -> None:
    root = flat(tmp_path)
    odd = 'tool = {importcanon = {root_packages = ["demo"]}}\n'
    (root / "pyproject.toml").write_text(odd)
    result = run_cli("init", "--baseline", cwd=root)
    assert result.code == 2 and "Traceback" not in result.stderr
    assert (root / "pyproject.toml").read_text() == odd
    (root / "pyproject.toml").write_text("[broken\n")
    assert run_cli("init", cwd=root).code == 2
    assert (root / "pyproject.toml").read_text() == "[broken\n"


def test_init_without_any_package_is_a_clear_error(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"script.py": "print(1)\n", "tests/__init__.py": ""})
    result = run_cli("init", cwd=root)
    assert result.code == 2 and "no Python package found" in result.stderr
    assert not (root / "pyproject.toml").exists() and not (root / "contracts").exists()


def example_copy(tmp_path: Path, *, fresh: bool) -> Path:
    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("*_cache", "__pycache__"))
    if fresh:
        shutil.rmtree(root / "contracts")
        (root / "pyproject.toml").write_text(
            '[project]\nname = "ml-playground"\n\n[tool.pytest.ini_options]\npythonpath = ["src"]\n'
        )
    return root


@pytest.mark.parametrize("fresh", [True, False])
def test_init_on_the_example(tmp_path: Path, fresh: bool) -> None:
    root = example_copy(tmp_path, fresh=fresh)
    contracts = (
        {p.name: p.read_bytes() for p in (root / "contracts").glob("*")} if not fresh else {}
    )
    result = run_cli("init", cwd=root)
    assert result.code == 0, result.stderr
    for name, data in contracts.items():
        assert (root / "contracts" / name).read_bytes() == data
    check_loads_and_runs(root)
    assert run_cli("check", cwd=root).code == 1
    baseline = run_cli("init", "--baseline", cwd=root)
    assert baseline.code == 0, baseline.stderr
    result = run_cli("check", cwd=root)
    assert (result.code, result.stdout) == (0, "All checks passed!\n"), result.stdout


@pytest.mark.realworld
def test_init_on_sqlalchemy(tmp_path: Path) -> None:
    from tests.realworld.corpus import install

    source = install("sqlalchemy")
    root = tmp_path / "project"
    shutil.copytree(source / "sqlalchemy", root / "sqlalchemy")
    result = run_cli("init", cwd=root)
    assert result.code == 0, result.stderr
    table = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["importcanon"]
    assert table["root_packages"] == ["sqlalchemy"] and table["source_roots"] == ["."]
    first = run_cli("check", "--output-format", "concise", cwd=root)
    assert first.code == 1 and first.stderr == "", first.stderr
    status = run_cli("status", cwd=root)
    assert "BROKEN" in status.stdout and status.stderr == ""
    baseline = run_cli("init", "--baseline", cwd=root)
    assert baseline.code == 0, baseline.stderr
    cache = tmp_path / "cache"
    for _ in range(2):  # cold, then from the cache
        result = run_cli("check", cwd=root, cache=cache)
        assert (result.code, result.stdout) == (0, "All checks passed!\n"), result.stdout
    left = run_cli("status", cwd=root)
    assert " left of " in left.stdout and left.code == 0


def test_init_leaves_a_pyproject_that_is_not_a_plain_file_alone(tmp_path: Path) -> None:
    outside = tmp_path / "outside.toml"
    outside.write_text('[project]\nname = "x"\n')
    root = flat(tmp_path)
    (root / "pyproject.toml").symlink_to(outside)
    result = run_cli("init", cwd=root)
    assert result.code == 2 and "not a regular file" in result.stderr
    assert outside.read_text() == '[project]\nname = "x"\n'
    assert (root / "pyproject.toml").is_symlink()


def test_init_writes_no_contract_outside_the_root(tmp_path: Path) -> None:
    root = flat(tmp_path)
    config = '[tool.importcanon]\ncontracts = "../elsewhere"\n'
    (root / "pyproject.toml").write_text(config)
    result = run_cli("init", "--baseline", cwd=root)
    assert result.code == 2 and "outside the project root" in result.stderr
    assert not (tmp_path / "elsewhere").exists()
    assert (root / "pyproject.toml").read_text() == config  # nothing written
