"""More attacks of a hostile repository, beyond those of the issue's list: each runs the real
CLI (or flake8, lint-imports) in a subprocess on a project on disk and checks that nothing
runs, nothing outside the project changes or leaks, and no run dies or hangs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import IMPORTLINTER, Result, run_cli, tool, write_tree

HANG_LIMIT = 30  # seconds; each of these projects is checked in well under one
FORMATS = ("full", "concise", "json", "sarif", "github")

CONTRACT = """[[contract]]
id = "moves"
name = "Moves"
kind = "moved-modules"
[contract.moves]
"pkg.old" = "pkg.new"
"""

BASE = {
    "pyproject.toml": "[tool.importcanon]\n",
    "contracts/moves.toml": CONTRACT,
    "src/pkg/__init__.py": "",
    "src/pkg/new.py": "X = 1\n",
    "src/pkg/user.py": "from pkg.old import X\n",
}


def _project(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    root = tmp_path / "project"
    write_tree(root, {k: v for k, v in {**BASE, **files}.items() if isinstance(v, str)})
    for rel, data in files.items():
        if isinstance(data, bytes):
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
    return root


def _no_traceback(*results: Result | subprocess.CompletedProcess[str]) -> None:
    for result in results:
        assert "Traceback" not in result.stderr, result.stderr
        assert "Traceback" not in result.stdout, result.stdout


# --- a coding cookie naming a codec that is not a text encoding ---------------------------

ROT13 = b"# coding: rot13\nimport pkg.old\n"


def test_a_coding_cookie_naming_a_non_text_codec_is_an_unparsable_file(tmp_path: Path) -> None:
    """`# coding: rot13` (or `hex`, `zlib`): a codec Python knows but that does not decode
    bytes to text. Every command reports the file as IMC900 and checks the rest."""
    project = _project(tmp_path, {"src/pkg/rot.py": ROT13})
    for output in FORMATS:
        result = run_cli("check", "--output-format", output, cwd=project)
        _no_traceback(result)
        assert result.code == 1 and "IMC900" in result.stdout and "IMC001" in result.stdout
    results = [
        run_cli("check", "--diff", "--unsafe-fixes", cwd=project),
        run_cli("status", cwd=project),
        run_cli("move", "pkg.new", "pkg.newer", "--dry-run", cwd=project),
        run_cli("check", "--fix", "--unsafe-fixes", cwd=project),
    ]
    _no_traceback(*results)
    assert (project / "src/pkg/rot.py").read_bytes() == ROT13
    assert (project / "src/pkg/user.py").read_text() == "from pkg.new import X\n"
    # (flake8 itself dies reading such a file before any plugin runs, and grimp refuses
    # to build lint-imports' graph: neither is tried here)


# --- a file name holding a newline, in a diff ----------------------------------------------

INJECTED = "x\n::error title=pwned::forged\x1b[31m.py"


def test_a_newline_in_a_file_name_cannot_start_a_line_of_a_diff(tmp_path: Path) -> None:
    """`--diff` (and `move --dry-run`) print file names in their `---`/`+++` headers: a
    name with a newline must not put `::error ...` (a GitHub workflow command) or a
    terminal escape at the start of a line of a CI log."""
    project = _project(tmp_path, {f"src/pkg/{INJECTED}": "from pkg.old import X\nimport pkg.new\n"})
    before = (project / "src/pkg" / INJECTED).read_bytes()
    diff = run_cli("check", "--diff", cwd=project)
    plan = run_cli("move", "pkg.new", "pkg.newer", "--dry-run", cwd=project)
    _no_traceback(diff, plan)
    assert "+from pkg.new import X" in diff.stdout, diff.stdout
    assert "+import pkg.newer" in plan.stdout, plan.stdout
    for result in (diff, plan):
        assert "\x1b" not in result.stdout
        assert not any(line.startswith("::") for line in result.stdout.splitlines())
        assert "x\\n::error" in result.stdout  # shown escaped
    assert (project / "src/pkg" / INJECTED).read_bytes() == before


# --- git, asked about .gitignore and to move files, runs nothing the repository names -----


def _git_project(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    project = _project(tmp_path, files)
    for args in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"],
    ):
        subprocess.run(["git", *args], cwd=project, check=True, capture_output=True)
    return project


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_repository_s_git_config_cannot_run_a_program(tmp_path: Path) -> None:
    """An unpacked archive carries its `.git/config`: a `core.fsmonitor` hook there is a
    program git runs on any command that reads the index. `check` (asking git what is
    ignored), flake8, lint-imports and `move` (git ls-files, git mv) never run it."""
    project = _git_project(tmp_path, {".importlinter": IMPORTLINTER})
    marker = tmp_path / "pwned"
    hook = f"touch {marker}; false"
    subprocess.run(["git", "config", "core.fsmonitor", hook], cwd=project, check=True)
    results = [
        run_cli("check", cwd=project),
        run_cli("check", "--fix", cwd=project),
        run_cli("status", cwd=project),
        run_cli("move", "pkg.new", "pkg.newer", cwd=project),
    ]
    _no_traceback(*results)
    assert results[3].code == 0, results[3].stderr
    assert (project / "src/pkg/newer.py").exists()
    _no_traceback(
        tool(
            "flake8",
            "--select",
            "IMC",
            "src",
            cwd=project,
            env={"COLUMNS": "400"},
            timeout=HANG_LIMIT * 4,
        )
    )
    _no_traceback(
        tool(
            "lint-imports",
            "--no-cache",
            cwd=project,
            env={"COLUMNS": "400"},
            timeout=HANG_LIMIT * 4,
        )
    )
    assert not marker.exists()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("driver", ["evil", "a=b"])
def test_move_runs_no_content_filter_the_repository_configures(tmp_path: Path, driver: str) -> None:
    """`move` stages what it creates with `git add`, which runs the clean filter that
    `.gitattributes` (committed) names and `.git/config` (an unpacked archive) defines.
    The repository's own filters are switched off, whatever the driver is named."""
    project = _git_project(tmp_path, {".gitattributes": f"* filter={driver}\n"})
    marker = tmp_path / "pwned"
    command = f"touch {marker}; cat"
    subprocess.run(["git", "config", f"filter.{driver}.clean", command], cwd=project, check=True)
    result = run_cli("move", "pkg.new", "pkg.newer", cwd=project)
    _no_traceback(result)
    assert result.code == 0, result.stderr
    assert (project / "src/pkg/newer.py").exists()
    assert not marker.exists()


# --- .gitignore files that stall git --------------------------------------------------------

LONG = "a" * 200 + ".py"


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("where", [".gitignore", "src/pkg/.gitignore"])
def test_a_gitignore_pattern_that_backtracks_in_git_does_not_stall_a_run(
    tmp_path: Path, where: str
) -> None:
    """git matches `.gitignore` patterns by backtracking: `*a*a*a*...*b` takes minutes on
    a long file name. The run does not wait for git; it says why .gitignore is not used."""
    project = _git_project(tmp_path, {f"src/pkg/{LONG}": "import pkg.old\n"})
    (project / where).write_text("*a" * 12 + "*b\n")
    start = time.monotonic()
    result = run_cli("check", "--output-format", "concise", cwd=project)
    assert time.monotonic() - start < HANG_LIMIT
    _no_traceback(result)
    assert f"src/pkg/{LONG}:1:1: IMC001" in result.stdout
    assert f"`{where}` has a pattern with more than" in result.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_gitignore_that_is_a_fifo_does_not_stall_a_run(tmp_path: Path) -> None:
    """git opens `.gitignore` and waits on a FIFO for a writer that never comes."""
    project = _git_project(tmp_path, {})
    os.mkfifo(project / "src/pkg/.gitignore")
    start = time.monotonic()
    result = run_cli("check", "--output-format", "concise", cwd=project)
    assert time.monotonic() - start < HANG_LIMIT
    _no_traceback(result)
    assert "src/pkg/user.py:1:1: IMC001" in result.stdout
    assert "`src/pkg/.gitignore` is not a regular file" in result.stderr


# --- a source file larger than memory would like -----------------------------------------

MEMORY_LIMIT = 1536 << 20  # bytes of address space for the run: far more than it needs


def _limited(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return subprocess.run(
        [sys.executable, "-m", "importcanon", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**env, "XDG_CACHE_HOME": str(cwd.parent / "cache")},
        timeout=HANG_LIMIT * 4,
        preexec_fn=limit,
        check=False,
    )


@pytest.mark.skipif(sys.platform != "linux", reason="sparse files and RLIMIT_AS")
def test_a_sparse_file_of_gigabytes_is_not_read(tmp_path: Path) -> None:
    """A sparse `huge.py` of 4 GiB costs the repository no disk; read whole, it would
    exhaust the memory of the machine (here: MemoryError under a limit). It is reported
    as a file too large to read; the rest is checked, and `move` moves it unread."""
    project = _project(tmp_path, {"src/pkg/huge.py": ""})
    os.truncate(project / "src/pkg/huge.py", 4 << 30)
    for args in (
        ("check", "--no-cache", "--output-format", "concise"),
        ("check", "--output-format", "json"),
        ("check", "--output-format", "json"),  # from the cache
        ("check", "--fix", "--no-cache"),
        ("status", "--no-cache"),
        ("move", "pkg.new", "pkg.newer", "--dry-run"),
    ):
        result = _limited(*args, cwd=project)
        _no_traceback(result)
        assert "MemoryError" not in result.stderr
        if args[0] == "check":
            assert "huge.py" in result.stdout and "larger than 64 MiB" in result.stdout
            assert "IMC001" in result.stdout or "Fixed 1 error" in result.stdout
    moved = _limited("move", "pkg.huge", "pkg.giant", cwd=project)
    _no_traceback(moved)
    assert moved.returncode == 0, moved.stderr
    assert (project / "src/pkg/giant.py").stat().st_size == 4 << 30


# --- lint-imports: the contracts folder named in .importlinter ----------------------------

SECRET = "SECRET-5be1-do-not-print"


@pytest.mark.parametrize("folder", ["../outside", "{outside}", "linked"])
def test_importlinter_contracts_folder_stays_inside_the_root(tmp_path: Path, folder: str) -> None:
    """`.importlinter` names importcanon's contracts folder (`contracts = ...`). Like
    `[tool.importcanon] contracts`, one outside the root (by its text, or through a link)
    is a configuration error: no contract file outside is read, nor its text printed."""
    outside = write_tree(
        tmp_path / "outside",
        {"c.toml": CONTRACT.replace('name = "Moves"', f'name = "{SECRET}"')},
    )
    named = folder.format(outside=outside)
    project = _project(tmp_path, {".importlinter": IMPORTLINTER + f"contracts = {named}\n"})
    os.symlink(outside, project / "linked")
    lint = tool(
        "lint-imports", "--no-cache", cwd=project, env={"COLUMNS": "400"}, timeout=HANG_LIMIT * 4
    )
    _no_traceback(lint)
    assert SECRET not in lint.stdout + lint.stderr
    assert lint.returncode == 1
    assert "field `contracts`" in lint.stdout and "outside the project root" in lint.stdout


# --- init on a hostile pyproject.toml -------------------------------------------------------


@pytest.mark.parametrize("kind", ["nested", "sparse"])
def test_init_refuses_a_hostile_pyproject_in_one_line(tmp_path: Path, kind: str) -> None:
    """`init` extends an existing pyproject.toml: one nested 600 deep (the TOML parser
    recurses per level) or a sparse file of gigabytes is one error line, exit 2, and the
    project is left as it was."""
    project = write_tree(tmp_path / "project", {"src/pkg/__init__.py": "", "src/pkg/a.py": ""})
    pyproject = project / "pyproject.toml"
    if kind == "nested":
        pyproject.write_text("a = " + "[" * 600 + "]" * 600 + "\n")
    else:
        pyproject.touch()
        os.truncate(pyproject, 4 << 30)
    result = _limited("init", cwd=project)
    _no_traceback(result)
    assert result.returncode == 2, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "pyproject.toml: cannot read" in line
    assert sorted(p.name for p in project.iterdir()) == ["pyproject.toml", "src"]


# --- --add-noqa writes as a fix does -------------------------------------------------------


def test_add_noqa_keeps_hard_links_and_mode(tmp_path: Path) -> None:
    """`check --add-noqa` rewrites files like `--fix`: a file with two names stays one
    file (the comment is seen under both), and its mode is kept."""
    project = _project(tmp_path, {})
    user = project / "src/pkg/user.py"
    os.chmod(user, 0o640)
    os.link(user, project / "src/pkg/alias.py")
    result = run_cli("check", "--add-noqa", cwd=project)
    _no_traceback(result)
    assert result.code == 0, result.stderr
    info = user.stat()
    assert info.st_nlink == 2 and info.st_mode & 0o777 == 0o640
    assert (project / "src/pkg/alias.py").read_text() == user.read_text()
    assert user.read_text() == "from pkg.old import X  # noqa: IMC001\n"
    assert run_cli("check", cwd=project).code == 0
