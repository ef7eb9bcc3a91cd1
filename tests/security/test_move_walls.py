"""`importcanon move` against hostile layouts (issue 22): nothing is written through a link
to outside the root, the repository's git hooks never run, every printed name is escaped,
and deep trees or deeply nested sources are reports, not tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run_cli, write_tree

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

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


# -- 11: no write through a symbolic link -------------------------------------------------


@pytest.mark.parametrize("git", [False, True], ids=["plain", "git"])
def test_move_never_writes_through_a_folder_linked_outside(tmp_path: Path, git: bool) -> None:
    project = write_tree(tmp_path / "p", FILES)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "src/pkg/vendor").symlink_to(elsewhere, target_is_directory=True)
    if git:
        _git_init(project)
    before = _state(project)
    index = (project / ".git/index").read_bytes() if git else b""
    result = run_cli("move", "pkg.old", "pkg.vendor.extra.old", cwd=project)
    assert result.code == 2, (result.stdout, result.stderr)
    errors = [line for line in result.stderr.splitlines() if "warning:" not in line]
    assert len(errors) == 1 and "src/pkg/vendor" in errors[0], result.stderr
    assert "Traceback" not in result.stderr
    assert list(elsewhere.iterdir()) == []
    assert _state(project) == before
    if git:
        assert (project / ".git/index").read_bytes() == index


def test_move_refuses_a_target_reached_through_a_link_inside_the_root(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", {**FILES, "src/pkg/real/__init__.py": ""})
    (project / "src/pkg/alias").symlink_to("real", target_is_directory=True)
    before = _state(project)
    result = run_cli("move", "pkg.old", "pkg.alias.old", cwd=project)
    assert result.code == 2, (result.stdout, result.stderr)
    assert "src/pkg/alias" in result.stderr and "symbolic link" in result.stderr
    assert _state(project) == before


def test_move_never_creates_its_contract_file_through_a_link(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", FILES)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "contracts").mkdir()
    (project / "contracts/moves.toml").symlink_to(elsewhere / "moves.toml")  # dangling
    before = _state(project)
    result = run_cli("move", "pkg.old", "pkg.new", cwd=project)
    assert result.code == 2, (result.stdout, result.stderr)
    assert "contracts/moves.toml" in result.stderr
    assert list(elsewhere.iterdir()) == []
    assert _state(project) == before


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


# -- 13: every printed name is escaped -----------------------------------------------------


@pytest.mark.parametrize("root", ["src\n::error file=x::pwned", "\x1b[31m"])
def test_dry_run_prints_hostile_names_escaped(tmp_path: Path, root: str) -> None:
    quoted = root.replace("\n", "\\n").replace("\x1b", "\\u001b")
    files = {
        "pyproject.toml": f'[tool.importcanon]\nsource_roots = ["{quoted}"]\n',
        f"{root}/pkg/__init__.py": "",
        f"{root}/pkg/old.py": "X = 1\n",
        f"{root}/pkg/old.pyi": "X: int\n",
        f"{root}/pkg/user.py": "import pkg.old\n",
        "README.md": "See src/pkg/old.py.\n",
        "docs/notes.md": "\x1b[2J\x1b]0;title\x07 `pkg.old`\r::error file=y::forged\n",
    }
    project = write_tree(tmp_path / "p", files)
    result = run_cli("move", "pkg.old", "pkg.new", "--dry-run", cwd=project)
    assert result.code == 0, result.stderr
    assert "rename from" in result.stdout and "docs/notes.md" in result.stdout
    for line in (result.stdout + result.stderr).splitlines():
        assert not line.startswith("::"), line
        assert "\x1b" not in line and "\x07" not in line, line


def test_a_new_source_root_with_control_characters_is_escaped_everywhere(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", FILES)
    result = run_cli(
        "move", "pkg.old", "pkg.old", "--source-root", "lib\n::error x\x1b[2J", "--dry-run",
        cwd=project,
    )  # fmt: skip
    assert "Traceback" not in result.stderr
    for line in (result.stdout + result.stderr).splitlines():
        assert not line.startswith("::") and "\x1b" not in line, line


def test_an_undecodable_source_root_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", FILES)
    name = os.fsdecode(b"lib\xff")
    result = run_cli("move", "pkg", "pkg", "--source-root", name, cwd=project)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.code == 2, (result.stdout, result.stderr)
    assert "\\udcff" in result.stderr or "\\xff" in result.stderr, result.stderr
    assert not (project / name).exists()


# -- 14: the right TOML table is edited -------------------------------------------------

DECOY = '[tool.other]\ntemplate = """\n[tool.importcanon]\nsource_roots = ["decoy"]\n"""\n\n'


def test_move_edits_the_real_table_not_one_inside_a_string(tmp_path: Path) -> None:
    pyproject = DECOY + '[tool.importcanon]\nsource_roots = ["src"]\n'
    project = write_tree(tmp_path / "p", {**FILES, "pyproject.toml": pyproject})
    result = run_cli("move", "pkg", "pkg", "--source-root", "lib", cwd=project)
    assert result.code == 0, result.stderr
    data = tomllib.loads((project / "pyproject.toml").read_text())
    assert data["tool"]["other"] == tomllib.loads(pyproject)["tool"]["other"]
    assert data["tool"]["importcanon"] == {"source_roots": ["src", "lib"]}


def test_move_refuses_a_table_it_cannot_edit_and_changes_nothing(tmp_path: Path) -> None:
    pyproject = 'tool = {importcanon = {source_roots = ["src"]}}\n'
    project = write_tree(tmp_path / "p", {**FILES, "pyproject.toml": pyproject})
    before = _state(project)
    for extra in (["--dry-run"], []):
        result = run_cli("move", "pkg", "pkg", "--source-root", "lib", *extra, cwd=project)
        assert result.code == 2, (result.stdout, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "pyproject.toml" in lines[0], result.stderr
        assert 'source_roots = ["src", "lib"]' in lines[0]
        assert _state(project) == before


def test_move_records_the_move_in_the_real_moves_table(tmp_path: Path) -> None:
    contract = (
        '[[contract]]\nid = "m"\nname = "m"\nkind = "moved-modules"\n'
        'acceptance = """\n[contract.moves]\n"""\n[contract.moves]\n"pkg.gone" = "pkg.user"\n'
    )
    project = write_tree(tmp_path / "p", {**FILES, "contracts/m.toml": contract})
    result = run_cli("move", "pkg.old", "pkg.new", cwd=project)
    assert result.code == 0, result.stderr
    data = tomllib.loads((project / "contracts/m.toml").read_text())["contract"][0]
    assert data["acceptance"] == "[contract.moves]\n"
    assert data["moves"] == {"pkg.gone": "pkg.user", "pkg.old": "pkg.new"}


# -- 15: deep trees and deeply nested sources ----------------------------------------------

DEPTH = 1_100


def _deep_tree(base: Path, depth: int = DEPTH) -> Path:
    folder = base
    folder.mkdir(parents=True, exist_ok=True)
    for _ in range(depth):
        folder = folder / "d"
        folder.mkdir()
    (folder / "notes.md").write_text("see src/pkg/old.py\n")
    return folder


def _remove_deep(base: Path) -> None:
    """Removed bottom-up without recursion (shutil.rmtree recurses on Python 3.11)."""
    folders = [base]
    while (folders[-1] / "d").is_dir():
        folders.append(folders[-1] / "d")
    for folder in reversed(folders):
        for entry in folder.iterdir():
            if not entry.is_dir() or entry.is_symlink():
                entry.unlink()
        folder.rmdir()


@pytest.mark.parametrize("where", ["docs", "src/pkg/sub/data"])
def test_move_walks_a_deep_tree_without_a_recursion_error(tmp_path: Path, where: str) -> None:
    files = {**FILES, "src/pkg/sub/__init__.py": "", "src/pkg/sub/m.py": "import pkg.old\n"}
    project = write_tree(tmp_path / "p", files)
    deepest = _deep_tree(project / where)
    try:
        moved = "pkg.sub" if where.startswith("src") else "pkg.old"
        result = run_cli("move", moved, "pkg.other", cwd=project)
        assert "Traceback" not in result.stderr, result.stderr[-2000:]
        assert result.code == 0, result.stderr[-2000:]
        if moved == "pkg.old":
            assert (deepest / "notes.md").read_text() == "see src/pkg/other.py\n"
    finally:
        base = project / where
        _remove_deep(base if base.exists() else project / "src/pkg/other/data")


@pytest.mark.parametrize(
    "body",
    [
        "x = " + "[" * 150 + "pkg.old.X" + "]" * 150,
        "x = pkg.old.X" + " + pkg.old.X" * 3000,
    ],
    ids=["nested", "long-chain"],
)
def test_move_reports_a_source_too_deep_to_rewrite(tmp_path: Path, body: str) -> None:
    project = write_tree(tmp_path / "p", {**FILES, "src/pkg/deep.py": f"import pkg.old\n{body}\n"})
    result = run_cli("move", "pkg.old", "pkg.new", "--dry-run", cwd=project)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.code == 0, result.stderr[-2000:]
    assert "src/pkg/deep.py:1:1: IMC900" in result.stdout
