"""`importcanon move PKG PKG --source-root src`: switching a flat project to a src layout
without renaming it (as more-itertools): the package moves, the paths follow, nothing is
declared legacy, and nothing is reported about the unchanged name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers import run_cli, write_tree

FILES = {
    "pyproject.toml": '[project]\nname = "app"\nversion = "1"\n\n'
    '[tool.flit.module]\nname = "app"\n\n[tool.importcanon]\nroot_packages = ["app"]\n',
    "contracts/c.toml": '[[contract]]\nid = "acyclic"\nname = "No cycles"\nkind = "acyclic"\n',
    "app/__init__.py": 'from .util import helper\nNAME = "app"\n',
    "app/util.py": "def helper() -> int:\n    return 1\n",
    "tests/test_app.py": "from app import helper\n\n\ndef test_it() -> None:\n"
    "    assert helper() == 1\n",
    "Makefile": 'cov:\n\tcoverage run --include="app/*.py" -m pytest\n',
}


def test_a_flat_package_moves_into_src_under_its_own_name(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", FILES)
    result = run_cli("move", "app", "app", "--source-root", "src", cwd=project)
    assert result.code == 0, result.stderr
    assert "IMC003" not in result.stdout + result.stderr
    assert (project / "src/app/util.py").is_file() and not (project / "app").exists()
    assert not (project / "contracts/moves.toml").exists()
    assert 'source_roots = [".", "src"]' in (project / "pyproject.toml").read_text()
    assert '--include="src/app/*.py"' in (project / "Makefile").read_text()
    checked = run_cli("check", cwd=project)
    assert checked.code == 0, checked.stdout + checked.stderr
    ran = subprocess.run(
        [sys.executable, "-c", "from app import helper; assert helper() == 1"],
        cwd=project, env={"PYTHONPATH": "src"}, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr


def test_the_same_name_in_the_same_root_is_refused_clearly(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", FILES)
    result = run_cli("move", "app", "app", cwd=project)
    assert result.code == 2
    assert "`app` is already there; give a new name or a new --source-root" in result.stderr
    assert (project / "app/util.py").is_file()
