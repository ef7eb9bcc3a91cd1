"""Fixes keep the user's file and never break imports (docs/security.md, "Fixes keep the
user's file"): the real CLI in a subprocess, on projects written to disk."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import run_cli, write_tree

CONTRACTS = """
[[contract]]
id = "moves"
name = "moves"
kind = "moved-modules"
text_files = ["docs/*.md"]
[contract.moves]
"ml.ema" = "ml.training.ema"
"""

PACKAGE = {
    "pyproject.toml": "[tool.importcanon]\n",
    "contracts/c.toml": CONTRACTS,
    "src/ml/__init__.py": "",
    "src/ml/training/__init__.py": "",
    "src/ml/training/ema.py": "class EMA: ...\n",
}
LEGACY = "from ml.ema import EMA\n"
CANONICAL = "from ml.training.ema import EMA\n"


def project_with(tmp_path: Path, files: dict[str, str]) -> Path:
    return write_tree(tmp_path / "p", {**PACKAGE, **files})


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and modification time."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# --- standard input: editor semantics ---------------------------------------------------

UNSAVED = "import os\n\n" + LEGACY + "print(os.sep, EMA)  # not saved yet\n"


def test_stdin_fix_prints_the_fixed_buffer_and_never_touches_disk(tmp_path: Path) -> None:
    project = project_with(tmp_path, {"src/ml/user.py": LEGACY, "src/ml/other.py": LEGACY})
    before = snapshot(project)
    result = run_cli(
        "check", "--fix", "--stdin-filename", "src/ml/user.py", "-", cwd=project, stdin=UNSAVED
    )
    assert result.stdout == UNSAVED.replace(LEGACY, CANONICAL)
    assert snapshot(project) == before  # neither the buffer's file nor any other
    assert "Traceback" not in result.stderr


def test_stdin_fix_reports_what_is_left_on_stderr(tmp_path: Path) -> None:
    moves = CONTRACTS.replace('"ml.ema" = "ml.training.ema"', '"ml.ema" = "ml.gone.ema"')
    project = project_with(tmp_path, {"contracts/c.toml": moves, "src/ml/user.py": LEGACY})
    before = snapshot(project)
    result = run_cli(
        "check", "--fix", "--stdin-filename", "src/ml/user.py", "--output-format", "concise",
        "-", cwd=project, stdin=UNSAVED,
    )  # fmt: skip
    assert result.stdout == UNSAVED  # nothing can be fixed: the buffer comes back as it was
    assert "src/ml/user.py:3:1: IMC001" in result.stderr
    assert result.code == 1
    assert snapshot(project) == before


def test_stdin_diff_is_the_diff_of_the_buffer_only(tmp_path: Path) -> None:
    project = project_with(tmp_path, {"src/ml/user.py": LEGACY, "src/ml/other.py": LEGACY})
    before = snapshot(project)
    result = run_cli(
        "check", "--diff", "--stdin-filename", "src/ml/user.py", "-", cwd=project, stdin=UNSAVED
    )
    assert result.code == 1
    assert "-" + LEGACY in result.stdout and "+" + CANONICAL in result.stdout
    assert " print(os.sep, EMA)  # not saved yet\n" in result.stdout  # the buffer's context
    assert "other.py" not in result.stdout
    assert snapshot(project) == before


# --- the written file keeps its identity ----------------------------------------------


def test_a_symlink_stays_a_symlink_and_its_target_is_rewritten(tmp_path: Path) -> None:
    project = project_with(tmp_path, {"shared/user_source": LEGACY})
    link = project / "src/ml/user.py"
    link.symlink_to("../../shared/user_source")
    result = run_cli("check", "--fix", cwd=project)
    assert result.code == 0, result.stdout + result.stderr
    assert link.is_symlink() and os.readlink(link) == "../../shared/user_source"
    assert (project / "shared/user_source").read_text() == CANONICAL


def test_mode_hard_links_and_owner_are_kept(tmp_path: Path) -> None:
    project = project_with(
        tmp_path, {"src/ml/linked.py": LEGACY, "src/ml/moded.py": LEGACY, "src/ml/owned.py": LEGACY}
    )
    linked, moded, owned = (project / f"src/ml/{n}.py" for n in ("linked", "moded", "owned"))
    other_name = project / "backup" / "linked.keep"
    other_name.parent.mkdir()
    os.link(linked, other_name)
    moded.chmod(0o750)
    expected_owner = (owned.stat().st_uid, owned.stat().st_gid)
    if os.geteuid() == 0:  # root could take any file over: give it to someone else first
        os.chown(owned, 4242, 4343)
        expected_owner = (4242, 4343)
    inodes = {p: p.stat().st_ino for p in (linked, moded, owned)}
    result = run_cli("check", "--fix", cwd=project)
    assert result.code == 0, result.stdout + result.stderr
    for path in (linked, moded, owned):
        assert path.read_text() == CANONICAL
    assert other_name.read_text() == CANONICAL  # still the same file
    assert linked.stat().st_ino == inodes[linked] == other_name.stat().st_ino
    assert linked.stat().st_nlink == 2
    assert stat.S_IMODE(moded.stat().st_mode) == 0o750
    assert (owned.stat().st_uid, owned.stat().st_gid) == expected_owner


def _make_unwritable(path: Path) -> None:
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: no file is unwritable")
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
        if done.returncode != 0:
            pytest.skip("running as root on a file system without immutable files")
    else:
        path.chmod(0o444)
        path.parent.chmod(0o555)


def _make_writable(path: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True, check=False)
    else:
        path.parent.chmod(0o755)
        path.chmod(0o644)


def test_an_unwritable_file_is_reported_and_the_others_are_still_fixed(tmp_path: Path) -> None:
    project = project_with(
        tmp_path,
        {"src/ml/locked/__init__.py": "", "src/ml/locked/a.py": LEGACY, "src/ml/z.py": LEGACY},
    )
    locked = project / "src/ml/locked/a.py"
    _make_unwritable(locked)
    try:
        result = run_cli("check", "--fix", "--output-format", "concise", cwd=project)
    finally:
        _make_writable(locked)
    assert "Traceback" not in result.stderr
    warnings = [line for line in result.stderr.splitlines() if "src/ml/locked/a.py" in line]
    assert len(warnings) == 1 and "cannot write" in warnings[0]
    assert locked.read_text() == LEGACY
    assert (project / "src/ml/z.py").read_text() == CANONICAL  # a later file: still written
    assert "src/ml/locked/a.py:1:1: IMC001" in result.stdout  # what is left is reported
    assert result.code == 1
    assert not list(project.rglob("*importcanon-tmp"))


def test_no_temporary_file_survives_and_a_stale_one_is_cleaned_up(tmp_path: Path) -> None:
    project = project_with(tmp_path, {"src/ml/user.py": LEGACY})
    folder = project / "src/ml"
    stale = folder / ".user.py.k3j4h5g6.importcanon-tmp"  # left by a killed run
    stale.write_text("half of a file")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    unrelated = folder / ".user.py.tmp"  # not our name scheme: not ours to delete
    unrelated.write_text("someone else's")
    result = run_cli("check", "--fix", cwd=project)
    assert result.code == 0, result.stdout + result.stderr
    assert not stale.exists()
    assert unrelated.read_text() == "someone else's"
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == [".user.py.tmp"]


# --- one definition of a line ----------------------------------------------------------

ODD = "intro\u2028more\x0cform feed\x85next\n"


def test_rows_count_only_python_line_ends_and_a_text_fix_adds_no_line(tmp_path: Path) -> None:
    doc = ODD + "see ml/ema.py here\n"
    source = f'"""{ODD.strip()}"""\n\x0c\n' + LEGACY
    project = project_with(tmp_path, {"docs/notes.md": doc, "src/ml/user.py": source})
    result = run_cli("check", "--output-format", "concise", cwd=project)
    assert "docs/notes.md:2:5: IMC003" in result.stdout
    assert "src/ml/user.py:3:1: IMC001" in result.stdout
    fixed = run_cli("check", "--fix", "--unsafe-fixes", cwd=project)
    assert "Traceback" not in fixed.stderr
    assert (project / "docs/notes.md").read_bytes().decode() == doc.replace(
        "ml/ema.py", "ml/training/ema.py"
    )
    assert (project / "src/ml/user.py").read_bytes().decode() == source.replace(LEGACY, CANONICAL)


def test_contract_rows_count_only_python_line_ends(tmp_path: Path) -> None:
    moves = CONTRACTS.replace(
        "[contract.moves]\n", "# a comment\u2028with a line separator\n[contract.moves]\n"
    ).replace('"ml.training.ema"', '"ml.gone.ema"')
    project = project_with(tmp_path, {"contracts/c.toml": moves})
    result = run_cli("check", "--output-format", "concise", cwd=project)
    row = moves.split("\n").index('"ml.ema" = "ml.gone.ema"') + 1
    assert f"contracts/c.toml:{row}:1: IMC004" in result.stdout


# --- fixes never break imports ----------------------------------------------------------


def test_relative_fix_in_a_namespace_package_uses_the_real_absolute_name(tmp_path: Path) -> None:
    project = write_tree(
        tmp_path / "p",
        {
            "pyproject.toml": '[tool.importcanon]\nsource_roots = ["src"]\n',
            "contracts/c.toml": (
                '[[contract]]\nid = "rel"\nname = "rel"\nkind = "no-relative-imports"\n'
                'scope = "all"\n'
            ),
            "src/acme/w/__init__.py": "",  # no src/acme/__init__.py: a PEP 420 namespace
            "src/acme/w/b.py": "X = 1\n",
            "src/acme/w/a.py": "from .b import X\n",
        },
    )
    result = run_cli("check", "--fix", cwd=project)
    assert result.code == 0, result.stdout + result.stderr
    assert (project / "src/acme/w/a.py").read_text() == "from acme.w.b import X\n"
    imported = subprocess.run(
        [sys.executable, "-c", "import acme.w.a; print(acme.w.a.X)"],
        cwd=project / "src",
        capture_output=True,
        text=True,
        check=False,
    )
    assert imported.stdout == "1\n", imported.stderr


def test_no_fix_rewrites_to_a_canonical_module_that_does_not_exist(tmp_path: Path) -> None:
    moves = CONTRACTS.replace('"ml.training.ema"', '"ml.gone.ema"')
    files = {
        "contracts/c.toml": moves,
        "src/ml/user.py": LEGACY,
        "src/ml/plain.py": "import ml.ema\n",
        "src/ml/aliased.py": "import ml.ema as e\n",
        "src/ml/parent.py": "from ml import ema\n",
    }
    project = project_with(tmp_path, files)
    before = snapshot(project)
    report = run_cli("check", "--output-format", "json", cwd=project).json()
    assert {d["code"] for d in report} >= {"IMC001", "IMC004"}
    assert all(d["fix"] is None for d in report if d["code"] == "IMC001")
    result = run_cli("check", "--fix", "--unsafe-fixes", cwd=project)
    assert result.code == 1
    assert snapshot(project) == before


def test_a_fix_to_a_missing_submodule_of_an_existing_canonical_is_not_made(tmp_path: Path) -> None:
    project = project_with(tmp_path, {"src/ml/user.py": "from ml.ema.sub import X\n"})
    write_tree(project, {"src/ml/ema/__init__.py": "", "src/ml/ema/sub.py": "X = 1\n"})
    report = run_cli("check", "--output-format", "json", cwd=project).json()
    legacy = [d for d in report if d["code"] == "IMC001"]
    assert legacy and legacy[0]["fix"] is None  # ml.training.ema.sub does not exist


# --- bounded work ------------------------------------------------------------------------


def test_twenty_thousand_fixes_in_one_file_finish(tmp_path: Path) -> None:
    doc = "".join(f"line {i}: see ml/ema.py\n" for i in range(20_000))
    project = project_with(tmp_path, {"docs/many.md": doc})
    proc = subprocess.run(
        [sys.executable, "-m", "importcanon", "check", "--no-cache", "--fix", "--unsafe-fixes"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=90,  # generous: it takes a few seconds; comparing every pair took minutes
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert (project / "docs/many.md").read_text() == doc.replace("ml/ema.py", "ml/training/ema.py")


def test_edits_are_not_applied_to_a_file_that_changed_after_its_analysis(tmp_path: Path) -> None:
    """(In process: the edit has to land between the analysis and the fix.)"""
    from importcanon.analysis.project import Project
    from importcanon.config.contracts import load_contracts
    from importcanon.config.project import load_project
    from importcanon.engine import fixing
    from importcanon.engine.run import Options
    from importcanon.fixes import cst_edits
    from importcanon.fixes.materialize import materialize
    from importcanon.rules.registry import Registry

    project_dir = project_with(tmp_path, {"src/ml/user.py": "import os\n" + LEGACY})
    target = project_dir / "src/ml/user.py"
    config = load_project(project_dir, codes=Registry().codes())
    contracts = load_contracts(config, kinds=Registry())

    def analysed_then_edited(overrides: dict[Path, bytes]) -> Project:
        project = Project(config, contracts, overrides=overrides)
        project.prefetch()
        project.lines(project.by_path[target])
        target.write_text(LEGACY + "import os\n")  # the user saves meanwhile
        return project

    result = fixing.fix(
        analysed_then_edited,
        Options(),
        unsafe=False,
        make=lambda plan, lines: materialize(plan, lines, fallback=lambda: cst_edits),
    )
    assert target not in result.fixed
    assert any("changed on disk while being fixed" in m for m in result.skipped)
