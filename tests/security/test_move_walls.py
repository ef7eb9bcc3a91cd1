"""`importcanon move` against hostile layouts (issue 22): nothing is written through a link
to outside the root, the repository's git hooks never run, every printed name is escaped,
and deep trees or deeply nested sources are reports, not tracebacks."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.helpers import run_cli, write_tree

FILES = {
    "pyproject.toml": "[tool.importcanon]\n",
    "src/pkg/__init__.py": "",
    "src/pkg/old.py": "X = 1\n",
    "src/pkg/user.py": "import pkg.old\n",
}


def _state(folder: Path) -> dict[str, bytes]:
    """Every entry below ``folder`` (links not followed), with its content or kind."""
    found: dict[str, bytes] = {}
    stack = [folder]
    while stack:
        directory = stack.pop()
        for entry in os.scandir(directory):
            rel = os.path.relpath(entry.path, folder)
            if entry.is_symlink():
                found[rel] = b"-> " + os.readlink(entry.path).encode()
            elif entry.is_dir():
                found[rel] = b"<dir>"
                stack.append(Path(entry.path))
            else:
                found[rel] = Path(entry.path).read_bytes()
    return found


def _git(project: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=project, check=True, capture_output=True)


def _git_init(project: Path) -> None:
    _git(project, "init", "-q")
    _git(project, "add", "-A")


# -- 12: the repository's git hooks never run ---------------------------------------------


def test_move_runs_no_git_hook_of_the_repository(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", FILES)
    _git_init(project)
    marker = tmp_path / "hook-ran"
    for name in ("post-index-change", "pre-commit", "post-checkout", "reference-transaction"):
        hook = project / ".git/hooks" / name
        hook.write_text(f"#!/bin/sh\necho {name} >> '{marker}'\n")
        hook.chmod(0o755)
    result = run_cli("move", "pkg.old", "pkg.core.old", cwd=project)
    assert result.code == 0, result.stderr
    assert (project / "src/pkg/core/old.py").is_file()
    assert not marker.exists(), marker.read_text()
