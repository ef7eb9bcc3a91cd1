"""A move's journal on disk: a move stopped after any step (as a kill would leave it) is
finished or undone by the next run, byte for byte; a journal that does not validate, or a
file someone else changed since, stops recovery before anything changes.

A stopped move is made with importcanon's own parts (the planner, the journal, the steps),
run up to a step and left there with the journal's lock released, as a killed process
leaves it; recovery then runs through the real command line.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from importcanon.analysis.project import Project
from importcanon.config.contracts import load_contracts
from importcanon.config.project import load_project
from importcanon.engine.move import git_index, journal, planner
from importcanon.engine.move.ledger import NAME, Ledger
from importcanon.engine.move.steps import Tree
from importcanon.rules.registry import Registry
from tests.helpers import git_out, run_cli, tree_state, write_tree

FILES = {
    "pyproject.toml": '[project]\nname = "app"\nversion = "1"\n\n'
    '[tool.importcanon]\nroot_packages = ["app"]\n',
    "src/app/__init__.py": "",
    "src/app/util.py": "from . import config\n\ndef helper() -> int:\n    return config.X\n",
    "src/app/config.py": "X = 1\n",
    **{f"src/app/user{i}.py": "from app.util import helper\n" for i in range(6)},
    "README.md": "See src/app/util.py.\n",
}


def project_at(tmp_path: Path, name: str = "p") -> Path:
    project = write_tree(tmp_path / name, FILES)
    git_out(project, "init", "-q")
    git_out(project, "add", "-A")
    git_out(project, "commit", "-qm", "init")
    return project


def moved(tmp_path: Path) -> tuple[dict[str, bytes | None], str, str]:
    """The tree after a clean move, made in a copy."""
    other = project_at(tmp_path, "clean")
    result = run_cli("move", "app.util", "app.core.util", cwd=other)
    assert result.code == 0, result.stderr
    return tree_state(other)


def stopped(project: Path, *, after: int, commit: bool = False) -> list[str]:
    """Begin the move and stop it after ``after`` steps (all of them, the index set and
    the journal committed, with ``commit``), as a kill would; the steps' paths."""
    kinds = Registry()
    config = load_project(project, codes=kinds.codes())
    plan = planner.make_plan(
        Project(config, load_contracts(config, kinds=kinds)),
        "app.util", "app.core.util", source_root=None, unsafe=False,
    )  # fmt: skip
    root, steps, blobs, index = journal.prepare(plan)
    ledger = Ledger.create(root, move=("app.util", "app.core.util"), steps=steps, index=index,
                           blobs=blobs)  # fmt: skip
    Tree(root, steps[:after], blobs.__getitem__).forward()
    if commit:
        assert index is not None
        git_index.move(root, index, forward=True)
        ledger.commit()
    ledger.release()
    return [s.path for s in steps]


def test_a_finished_move_leaves_no_journal_and_renames_in_git(tmp_path: Path) -> None:
    tree, index, status = moved(tmp_path)
    assert not any(p.startswith(NAME) for p in tree)
    assert "RM src/app/util.py -> src/app/core/util.py" in status
    assert "src/app/core/util.py" in index and "src/app/util.py" not in index


@pytest.mark.parametrize("after", [0, 1, 2, 3, 5, 99])
@pytest.mark.parametrize("how", [("move", "--recover"), ("check",), ("status",)])
def test_a_stopped_move_is_undone_by_the_next_run(
    tmp_path: Path, after: int, how: tuple[str, ...]
) -> None:
    project = project_at(tmp_path)
    before = tree_state(project)
    (project / "src/app/.user0.py.abcd1234.importcanon-tmp").write_text("left by a kill")
    stopped(project, after=after)
    result = run_cli(*how, cwd=project)
    assert "Traceback" not in result.stderr
    assert "an interrupted move of `app.util` to `app.core.util` was rolled back" in result.stderr
    assert tree_state(project) == before


@pytest.mark.parametrize("how", [("move", "--recover"), ("check",)])
def test_a_committed_move_is_finished_by_the_next_run(tmp_path: Path, how: tuple[str, ...]) -> None:
    project = project_at(tmp_path)
    stopped(project, after=99, commit=True)
    (project / "src/app/user5.py").write_text("from app.util import helper\n")  # back to before
    result = run_cli(*how, cwd=project)
    assert "was finished" in result.stderr, result.stderr
    assert tree_state(project) == moved(tmp_path)


def test_recovery_stopped_halfway_is_recovered_again(tmp_path: Path) -> None:
    project = project_at(tmp_path)
    before = tree_state(project)
    stopped(project, after=99)
    ledger = Ledger.open(project)
    _, steps, _, _ = ledger.load()
    Tree(project, steps[-3:], ledger.load()[3]).backward()  # a recovery killed midway
    ledger.release()
    assert run_cli("move", "--recover", cwd=project).code == 0
    assert tree_state(project) == before
    again = run_cli("move", "--recover", cwd=project)
    assert again.code == 0 and "no interrupted move" in again.stderr


def test_a_file_changed_by_someone_else_is_never_overwritten(tmp_path: Path) -> None:
    project = project_at(tmp_path)
    stopped(project, after=99)
    (project / "src/app/user5.py").write_text("# someone's own edit\n")
    held = tree_state(project)
    result = run_cli("check", cwd=project)
    assert result.code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "src/app/user5.py was changed by someone else" in result.stderr
    assert tree_state(project) == held  # nothing written, the journal kept
    (project / "src/app/user5.py").write_text("from app.util import helper\n")  # they undo it
    assert run_cli("move", "--recover", cwd=project).code == 0
    assert not (project / NAME).exists()


def test_a_move_begun_over_a_journal_recovers_it_first(tmp_path: Path) -> None:
    project = project_at(tmp_path)
    stopped(project, after=4)
    result = run_cli("move", "app.util", "app.core.util", cwd=project)
    assert result.code == 0, result.stderr
    assert "was rolled back" in result.stderr
    assert tree_state(project) == moved(tmp_path)


def test_an_empty_journal_folder_is_removed(tmp_path: Path) -> None:
    project = project_at(tmp_path)
    before = tree_state(project)
    (project / NAME).mkdir()
    (project / NAME / "lock").write_text("")
    result = run_cli("status", cwd=project)
    assert "removed the journal" in result.stderr
    assert tree_state(project) == before


def test_recover_takes_no_names(tmp_path: Path) -> None:
    project = project_at(tmp_path)
    result = run_cli("move", "app.util", "--recover", cwd=project)
    assert result.code == 2 and "--recover takes no OLD" in result.stderr
    assert run_cli("move", cwd=project).code == 2


HOSTILE = {
    "a path up and out": ("src/app/user0.py", "../outside/victim.py"),
    "an absolute path": ("src/app/user0.py", "/tmp/victim.py"),
    "a path into .git": ("src/app/user0.py", ".git/hooks/pre-commit"),
    "a path into .GIT": ("src/app/user0.py", ".GIT/hooks/pre-commit"),
    "the journal itself": ("src/app/user0.py", f"{NAME}/blobs"),
}


@pytest.mark.parametrize("swap", HOSTILE.values(), ids=list(HOSTILE))
def test_a_journal_naming_a_path_it_may_not_is_refused_whole(
    tmp_path: Path, swap: tuple[str, str]
) -> None:
    project = project_at(tmp_path)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside/victim.py").write_text("from app.util import helper\n")
    stopped(project, after=99)
    record = project / NAME / "journal.json"
    record.write_text(record.read_text().replace(*swap))
    held = tree_state(project)
    result = run_cli("move", "--recover", cwd=project)
    assert result.code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "names a path it may not" in result.stderr or "names" in result.stderr
    assert tree_state(project) == held
    assert (tmp_path / "outside/victim.py").read_text() == "from app.util import helper\n"


def test_a_journal_naming_a_symbolic_link_is_refused(tmp_path: Path) -> None:
    project = project_at(tmp_path)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside/user0.py").write_text("from app.util import helper\n")
    stopped(project, after=99)
    os.rename(project / "src/app", project / "src/real")
    (project / "src/app").symlink_to(tmp_path / "outside")  # src/app now leads outside
    result = run_cli("move", "--recover", cwd=project)
    assert result.code == 2 and "a symbolic link" in result.stderr
    assert (tmp_path / "outside/user0.py").read_text() == "from app.util import helper\n"


def test_a_journal_folder_that_is_a_link_or_holds_strangers_is_refused(tmp_path: Path) -> None:
    project = project_at(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    (project / NAME).symlink_to(tmp_path / "elsewhere")
    result = run_cli("check", cwd=project)
    assert result.code == 2 and "not a folder (a symbolic link?)" in result.stderr
    (project / NAME).unlink()
    (project / NAME).mkdir()
    (project / NAME / "payload.sh").write_text("echo hi\n")
    result = run_cli("check", cwd=project)
    assert result.code == 2 and "payload.sh" in result.stderr
    assert (project / NAME / "payload.sh").exists()


def test_damaged_blobs_or_an_unknown_step_are_refused(tmp_path: Path) -> None:
    project = project_at(tmp_path)
    stopped(project, after=99)
    blobs = project / NAME / "blobs"
    good = blobs.read_bytes()
    blobs.write_bytes(bytes([good[0] ^ 0xFF]) + good[1:])
    held = tree_state(project)
    result = run_cli("move", "--recover", cwd=project)
    assert result.code == 2 and "damaged" in result.stderr
    assert tree_state(project) == held
    blobs.write_bytes(good)
    record = project / NAME / "journal.json"
    loaded = json.loads(record.read_text())
    loaded["steps"][0]["op"] = "chmod"
    record.write_text(json.dumps(loaded))
    result = run_cli("move", "--recover", cwd=project)
    assert result.code == 2 and "a step it does not know" in result.stderr
    assert {p: d for p, d in tree_state(project)[0].items() if not p.startswith(NAME)} == {
        p: d for p, d in held[0].items() if not p.startswith(NAME)
    }
