"""`importcanon move OLD NEW` end to end on small projects, with and without git."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.helpers import run_cli, write_tree

FILES = {
    "pyproject.toml": "[tool.importcanon]\n",
    "src/app/__init__.py": "",
    "src/app/util.py": '"""Helpers."""\nfrom . import config\nfrom .config import X\n\n'
    "def helper() -> int:\n    return X + config.X\n",
    "src/app/config.py": "X = 1\n",
    "src/app/main.py": "from app.util import helper\nfrom . import util\nimport app.util\n\n"
    "def run() -> int:\n    return helper() + util.helper() + app.util.helper()\n",
    "tests/test_app.py": 'from app import util\n\nTARGET = "app.util.helper"\n',
    "README.md": "See app/util.py.\n",
}


def test_move_rewrites_everything_and_records_the_contract(tmp_path: Path) -> None:
    project = write_tree(tmp_path, FILES)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    identity = ["-c", "user.email=dev@example.invalid", "-c", "user.name=dev"]
    subprocess.run(["git", *identity, "commit", "-qm", "init"], cwd=project, check=True)
    result = run_cli("move", "app.util", "app.core.util", cwd=project)
    assert result.code == 0, result.stdout + result.stderr
    assert not (project / "src/app/util.py").exists()
    moved = (project / "src/app/core/util.py").read_text()
    assert "from app import config\nfrom app.config import X\n" in moved
    assert (project / "src/app/core/__init__.py").exists()
    assert (
        (project / "src/app/main.py")
        .read_text()
        .startswith(
            "from app.core.util import helper\nfrom app.core import util\nimport app.core.util\n"
        )
    )
    assert "app.core.util.helper()" in (project / "src/app/main.py").read_text()
    assert 'TARGET = "app.core.util.helper"' in (project / "tests/test_app.py").read_text()
    contract = (project / "contracts/moves.toml").read_text()
    assert '"app.util" = "app.core.util"' in contract
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True, check=True
    ).stdout
    assert "R  src/app/util.py -> src/app/core/util.py" in status or (
        "RM src/app/util.py -> src/app/core/util.py" in status
    )
    check = run_cli("check", "--output-format", "json", "--select", "IMC001", cwd=project)
    assert check.json() == []
    for path in project.rglob("*.py"):
        compile(path.read_bytes(), str(path), "exec")


def test_move_adds_to_an_existing_contract(tmp_path: Path) -> None:
    existing = (
        '[[contract]]\nid = "moves"\nname = "m"\nkind = "moved-modules"\n\n'
        '[contract.moves]\n"app.config_old" = "app.config"\n'
    )
    project = write_tree(tmp_path, {**FILES, "contracts/moves.toml": existing})
    assert run_cli("move", "app.util", "app.core.util", cwd=project).code == 0
    text = (project / "contracts/moves.toml").read_text()
    assert text.count("[[contract]]") == 1
    assert '"app.util" = "app.core.util"' in text and '"app.config_old"' in text


def test_dry_run_changes_nothing(tmp_path: Path) -> None:
    project = write_tree(tmp_path, FILES)
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    result = run_cli("move", "app.util", "app.core.util", "--dry-run", cwd=project)
    assert result.code == 0
    assert "move src/app/util.py -> src/app/core/util.py" in result.stdout
    assert "rewrite 5 imports and references in 2 files" in result.stdout
    after = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    assert after == before


def test_move_of_an_unknown_module_is_a_usage_error(tmp_path: Path) -> None:
    project = write_tree(tmp_path, FILES)
    result = run_cli("move", "app.nothing", "app.core.nothing", cwd=project)
    assert result.code == 2 and "no module `app.nothing`" in result.stderr
