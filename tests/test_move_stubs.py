"""`importcanon move` on a package that ships stubs beside its modules (as more-itertools:
`recipes.py` + `recipes.pyi`, `__init__.pyi`): the stub moves with its module and the
imports in stubs are rewritten, so type checkers see the moved module as before."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.helpers import run_cli, write_tree

FILES = {
    "pyproject.toml": '[tool.importcanon]\nroot_packages = ["app"]\n',
    "app/__init__.py": "from .util import helper\nfrom .core import run\n",
    "app/__init__.pyi": "from .util import helper as helper\nfrom .core import run as run\n",
    "app/py.typed": "",
    "app/util.py": "from .core import run\n\ndef helper():\n    return run()\n",
    "app/util.pyi": "from .core import run as run\n\ndef helper() -> int: ...\n",
    "app/core.py": "def run():\n    return 1\n",
    "app/core.pyi": "from app.util import helper as helper\n\ndef run() -> int: ...\n",
}
GIT = ["git", "-c", "user.email=dev@example.invalid", "-c", "user.name=dev"]


def test_the_stub_moves_with_its_module_and_stub_imports_follow(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", FILES)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "init"]):
        subprocess.run([*GIT, *args], cwd=project, check=True, capture_output=True)
    result = run_cli("move", "app.util", "app.sub.util", cwd=project)
    assert result.code == 0, result.stderr
    assert "move app/util.pyi -> app/sub/util.pyi" in result.stdout
    assert not (project / "app/util.pyi").exists()
    stub = (project / "app/sub/util.pyi").read_text(encoding="utf-8")
    assert stub.startswith("from ..core import run as run\n")
    assert "from .sub.util import helper as helper\n" in (project / "app/__init__.pyi").read_text()
    assert "from app.sub.util import helper" in (project / "app/core.pyi").read_text()
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True, check=True
    ).stdout
    assert "app/util.pyi -> app/sub/util.pyi" in status, status  # a git rename
    assert run_cli("check", cwd=project).code == 0


def test_a_taken_stub_at_the_target_refuses_the_move(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", {**FILES, "app/tools.pyi": "X: int\n"})
    result = run_cli("move", "app.util", "app.tools", cwd=project)
    assert result.code == 2, result.stdout + result.stderr
    assert "already exists: app/tools.pyi" in result.stderr
    assert (project / "app/util.pyi").is_file() and (project / "app/util.py").is_file()


def test_a_dry_run_shows_the_stub_and_moves_nothing(tmp_path: Path) -> None:
    files = {**FILES, "app/core.pyi": "def run() -> int: ...\n"}
    files["app/util.pyi"] = "def helper() -> int: ...\n"
    project = write_tree(tmp_path / "p", files)
    result = run_cli("move", "app.util", "app.sub.util", "--dry-run", cwd=project)
    assert result.code == 0, result.stderr
    assert "rename from app/util.pyi\nrename to app/sub/util.pyi\n" in result.stdout
    assert (project / "app/util.pyi").is_file()
