"""`importcanon move` against hostile names, targets and trees: it validates everything
before it touches anything, never reads or writes outside the project root, never hangs,
and a refused move leaves the tree byte for byte as it was."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import run_cli, write_tree

FILES = {
    "pyproject.toml": "[tool.importcanon]\n",
    "src/pkg/__init__.py": "",
    "src/pkg/a.py": "from . import b\n",
    "src/pkg/b.py": "import pkg.a\n",
}


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes() if not p.is_symlink() else b"->")
        for p in sorted(root.rglob("*"))
        if p.is_file() or p.is_symlink()
    }


def refused(project: Path, *args: str, timeout: float = 60) -> str:
    """Run a move that must be refused: exit 2, one line, no traceback, nothing changed."""
    before = snapshot(project)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    proc = subprocess.run(
        [sys.executable, "-m", "importcanon", "move", *args],
        cwd=project, capture_output=True, text=True, timeout=timeout, env=env, check=False,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()  # warnings (a link skipped) may come first
    errors = [line for line in lines if not line.startswith("importcanon: warning:")]
    assert len(errors) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert snapshot(project) == before
    return proc.stderr


@pytest.mark.parametrize(
    "new",
    ["pkg.class", "pkg.b-c", "pkg.ñ", "pkg.a.sub", "pkg.None", "pkg.", ".pkg"],
)
def test_invalid_or_shadowing_targets_are_refused_before_anything_moves(
    tmp_path: Path, new: str
) -> None:
    project = write_tree(tmp_path / "p", FILES)
    refused(project, "pkg.b", new)


def test_a_path_as_target_is_refused_at_once(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", FILES)
    outside = tmp_path / "outside"
    outside.mkdir()
    started = time.monotonic()
    message = refused(project, "pkg.a", str(outside / "x"), timeout=30)
    assert time.monotonic() - started < 30
    assert "not an ASCII identifier" in message
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("where", ["../outside", "ABSOLUTE", "link"])
def test_a_source_root_outside_the_project_is_refused(tmp_path: Path, where: str) -> None:
    project = write_tree(tmp_path / "p", FILES)
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / "link").symlink_to(outside, target_is_directory=True)
    root = str(outside) if where == "ABSOLUTE" else where
    message = refused(project, "pkg.a", "other.a", "--source-root", root)
    assert "outside the project root" in message
    assert list(outside.iterdir()) == []


def test_a_linked_text_file_outside_the_root_is_never_rewritten(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("pkg/a.py and src/pkg/a.py\n")
    files = {
        **FILES,
        "contracts/c.toml": '[[contract]]\nid = "m"\nname = "m"\nkind = "moved-modules"\n'
        'text_files = ["README.md"]\n[contract.moves]\n"pkg.old" = "pkg.b"\n',
    }
    project = write_tree(tmp_path / "p", files)
    (project / "README.md").symlink_to(outside)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    result = run_cli("move", "pkg.a", "pkg.core.a", cwd=project)
    assert result.code == 0, result.stderr
    assert outside.read_text() == "pkg/a.py and src/pkg/a.py\n"
    assert (project / "README.md").is_symlink()


def test_a_package_holding_a_link_to_outside_is_not_moved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.py"
    secret.write_text("import pkg.a\n")
    project = write_tree(tmp_path / "p", FILES)
    (project / "src/pkg/leak.py").symlink_to(secret)
    message = refused(project, "pkg", "pkg2")
    assert "outside the project root" in message
    assert secret.read_text() == "import pkg.a\n"


def test_control_characters_in_names_are_refused_and_not_echoed_raw(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", FILES)
    message = refused(project, "pkg.a", "pkg.\x1b[31mred")
    assert "\x1b" not in message
    message = refused(project, "pkg.a", "pkg.b\n::error::injected")
    assert "::error::" not in message.splitlines()[0] or "\n" not in message.strip()


def test_ten_thousand_moves_validate_quickly(tmp_path: Path) -> None:
    entries = "".join(f'"pkg.old{i}" = "pkg.new{i}"\n' for i in range(10_000))
    contract = (
        f'[[contract]]\nid = "m"\nname = "m"\nkind = "moved-modules"\n[contract.moves]\n{entries}'
    )
    project = write_tree(tmp_path / "p", {**FILES, "contracts/m.toml": contract})
    started = time.monotonic()
    result = run_cli("check", "--statistics", cwd=project)
    elapsed = time.monotonic() - started
    assert result.code == 1 and "IMC004" in result.stdout, result.stderr
    assert elapsed < 15, elapsed
