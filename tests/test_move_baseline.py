"""`importcanon move` keeps the baseline valid: what was recorded before the move is still
recorded after it (file paths and module identities follow the move), so a move on a
project adopted with `importcanon init --baseline` does not turn old violations into new
ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import run_cli, write_tree

CONTRACTS = (
    '[[contract]]\nid = "acyclic"\nname = "No cycles"\nkind = "acyclic"\n\n'
    '[[contract]]\nid = "absolute-init"\nname = "Absolute"\nkind = "no-relative-imports"\n'
    'scope = "init"\n'
)
PROJECT = {
    "pyproject.toml": '[tool.importcanon]\nroot_packages = ["app"]\n'
    'baseline = "importcanon-baseline.json"\n',
    "contracts/c.toml": CONTRACTS,
    "src/app/__init__.py": "from .util import helper\nfrom .a import A\n",
    "src/app/util.py": "def helper() -> int:\n    return 1\n",
    "src/app/a.py": "import app.b\nA = 1\n",
    "src/app/b.py": "import app.a\n",
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = write_tree(tmp_path / "p", PROJECT)
    recorded = run_cli("baseline", cwd=root)
    assert recorded.code == 0, recorded.stderr
    assert run_cli("check", cwd=root).code == 0
    return root


def identities(root: Path) -> set[tuple[str, str, str]]:
    document = json.loads((root / "importcanon-baseline.json").read_text(encoding="utf-8"))
    return {(e["file"], e["code"], e["identity"]) for e in document["entries"]}


def test_a_module_move_renames_the_identities_it_changes(project: Path) -> None:
    moved = run_cli("move", "app.util", "app.sub.util", cwd=project)
    assert moved.code == 0, moved.stderr
    assert "rewrite importcanon-baseline.json" in moved.stdout
    assert ("src/app/__init__.py", "IMC201", "app.sub.util") in identities(project)
    checked = run_cli("check", cwd=project)
    assert checked.code == 0, checked.stdout + checked.stderr


def test_a_cycle_member_that_moves_keeps_its_cycle_recorded(project: Path) -> None:
    # app.a -> app.z.a sorts after app.b: the recorded member list must be sorted again
    moved = run_cli("move", "app.a", "app.z.a", cwd=project)
    assert moved.code == 0, moved.stderr
    assert ("src/app/z/a.py", "IMC301", "app.b,app.z.a") in identities(project)
    checked = run_cli("check", cwd=project)
    assert checked.code == 0, checked.stdout + checked.stderr
    assert "no longer occur" not in checked.stderr


def test_a_package_rename_moves_every_entry_to_the_new_files(project: Path) -> None:
    moved = run_cli("move", "app", "app2", cwd=project)
    assert moved.code == 0, moved.stderr
    assert {file for file, _, _ in identities(project)} == {
        "src/app2/__init__.py",
        "src/app2/a.py",
    }
    checked = run_cli("check", cwd=project)
    assert checked.code == 0, checked.stdout + checked.stderr
    assert "no longer occur" not in checked.stderr


def test_a_dry_run_leaves_the_baseline_alone(project: Path) -> None:
    before = (project / "importcanon-baseline.json").read_bytes()
    shown = run_cli("move", "app", "app2", "--dry-run", cwd=project)
    assert shown.code == 0, shown.stderr
    assert '"identity": "app2.util"' in shown.stdout
    assert (project / "importcanon-baseline.json").read_bytes() == before


def test_a_baseline_that_is_not_one_is_left_as_it_is(project: Path) -> None:
    (project / "importcanon-baseline.json").write_text("{not json", encoding="utf-8")
    moved = run_cli("move", "app.util", "app.sub.util", cwd=project)
    assert "Traceback" not in moved.stderr
    assert (project / "importcanon-baseline.json").read_text(encoding="utf-8") == "{not json"
