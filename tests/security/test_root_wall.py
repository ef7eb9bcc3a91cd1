"""The project root is a wall: nothing outside it is read into output, written or deleted;
configured paths that leave it are configuration errors; links that leave it, FIFOs and
hostile patterns neither leak nor hang. Each test runs the real CLI on a project on disk,
next to an ``outside`` folder holding a secret."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import Result, run_cli, write_tree

SECRET = "SECRET-7f3a9c-do-not-print"
HANG_LIMIT = 60  # seconds; a run of these projects takes well under one

CONTRACT = """[[contract]]
id = "moves"
name = "Moves"
kind = "moved-modules"
text_files = {text_files}
[contract.moves]
"pkg.old" = "pkg.new"
"""


def _files(text_files: str = '["docs/*.md"]') -> dict[str, str]:
    return {
        "pyproject.toml": "[tool.importcanon]\n",
        "contracts/moves.toml": CONTRACT.format(text_files=text_files),
        "src/pkg/__init__.py": "",
        "src/pkg/old.py": "",
        "src/pkg/new.py": "",
        "src/pkg/user.py": "import pkg.old\n",
        "docs/guide.md": "See pkg.old for details.\n",
    }


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the project, holding secrets in every form a run could read."""
    return write_tree(
        tmp_path / "outside",
        {
            "secret.py": f'TOKEN = "{SECRET}"\nimport pkg.old\ndef (:\n',
            "secret.md": f"{SECRET}: pkg.old\n",
            "creds.toml": f'[[contract]]\nid = "creds"\nname = "{SECRET}"\nkind = "acyclic"\n',
            "pkgdir/__init__.py": f'"{SECRET}"\nimport pkg.old\n',
            "pkgdir/mod.py": f"def (:  # {SECRET}\n",
        },
    )


def _state(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b"<dir>"
        for p in sorted(folder.rglob("*"))
    }


def _project(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    return write_tree(tmp_path / "project", files or _files())


def _never_leaks(*results: Result) -> None:
    for result in results:
        assert SECRET not in result.stdout and SECRET not in result.stderr
        assert "Traceback" not in result.stderr


def _one_line_error(result: Result, *names: str) -> str:
    assert result.code == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for name in names:
        assert name in lines[0], (name, lines[0])
    return lines[0]


def _bounded(*args: str, cwd: Path) -> Result:
    """The CLI with a short time limit: a hang fails the test instead of stalling it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "importcanon", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            env=env,
            timeout=HANG_LIMIT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"importcanon {' '.join(args)} hung for {HANG_LIMIT} s")
    return Result(proc.returncode, proc.stdout, proc.stderr)


# --- configured paths and globs that leave the root: exit 2, one line ------------------


@pytest.mark.parametrize(
    "glob",
    ["../outside/*.md", "{outside}/*.md", "docs/../../outside/*.md", "**/../../outside/*"],
)
def test_text_files_outside_the_root_are_a_configuration_error(
    tmp_path: Path, outside: Path, glob: str
) -> None:
    text_files = f'["{glob.format(outside=outside)}"]'
    project = _project(tmp_path, _files(text_files))
    before = _state(outside), _state(project)
    results = [
        run_cli("check", cwd=project),
        run_cli("check", "--fix", "--unsafe-fixes", cwd=project),
        run_cli("move", "pkg.user", "pkg.moved", cwd=project),
    ]
    for result in results:
        _one_line_error(result, "moves.toml:5:", "`moves`", "`text_files`", "outside")
    _never_leaks(*results)
    assert (_state(outside), _state(project)) == before


@pytest.mark.parametrize(
    ("table", "field"),
    [
        ('source_roots = ["../outside"]', "source_roots"),
        ('contracts = "../outside"', "contracts"),
        ('contracts = "{outside}"', "contracts"),
        ('exclude = ["/tmp/**"]', "exclude"),
        ('[tool.importcanon.per-file-ignores]\n"../outside/*" = ["IMC001"]', "per-file-ignores"),
    ],
)
def test_project_paths_outside_the_root_are_a_configuration_error(
    tmp_path: Path, outside: Path, table: str, field: str
) -> None:
    files = _files()
    files["pyproject.toml"] = "[tool.importcanon]\n" + table.format(outside=outside) + "\n"
    project = _project(tmp_path, files)
    result = run_cli("check", cwd=project)
    _one_line_error(result, "pyproject.toml:", f"`{field}`", "outside the project root")
    _never_leaks(result)


@pytest.mark.parametrize("field", ["paths", "exclude"])
def test_contract_globs_outside_the_root_are_a_configuration_error(
    tmp_path: Path, field: str
) -> None:
    files = _files()
    files["contracts/moves.toml"] += '[[contract]]\nid = "b"\nname = "b"\nkind = "acyclic"\n'
    files["contracts/moves.toml"] += f'{field} = ["/etc/**"]\n'
    result = run_cli("check", cwd=_project(tmp_path, files))
    _one_line_error(result, "moves.toml:12:", "contract `b`", f"`{field}`", "outside")


@pytest.mark.parametrize(("link", "field"), [("src", "source_roots"), ("contracts", "contracts")])
def test_configured_folders_linked_outside_are_a_configuration_error(
    tmp_path: Path, outside: Path, link: str, field: str
) -> None:
    files = {k: v for k, v in _files().items() if not k.startswith(f"{link}/")}
    files["pyproject.toml"] = (
        '[tool.importcanon]\nsource_roots = ["src"]\ncontracts = "contracts"\n'
    )
    project = _project(tmp_path, files)
    os.symlink(outside, project / link)
    (outside / "pkg").mkdir()
    (outside / "pkg" / "__init__.py").write_text(f"def (:  # {SECRET}\n")
    (outside / "evil.toml").write_text((outside / "creds.toml").read_text())
    before = _state(outside)
    for command in (["check"], ["status"], ["check", "--fix", "--unsafe-fixes"]):
        result = run_cli(*command, cwd=project)
        _one_line_error(result, "pyproject.toml:", f"`{field}`", "outside the project root")
        _never_leaks(result)
    assert _state(outside) == before


# --- links that leave the root are skipped with a warning, never read ---------------------


@pytest.mark.parametrize("fmt", ["full", "concise", "json", "sarif", "github"])
def test_a_source_file_linked_outside_is_never_read(
    tmp_path: Path, outside: Path, fmt: str
) -> None:
    project = _project(tmp_path)
    os.symlink(outside / "secret.py", project / "src" / "pkg" / "leak.py")
    before = _state(outside)
    cache = tmp_path / "cache"
    first = run_cli("check", "--output-format", fmt, cwd=project, cache=cache)
    again = run_cli("check", "--output-format", fmt, cwd=project, cache=cache)
    fixed = run_cli("check", "--fix", "--unsafe-fixes", cwd=project)
    _never_leaks(first, again, fixed)
    assert first.code == 1 and "src/pkg/user.py" in first.stdout  # the rest is checked
    assert "leak.py" not in first.stdout
    assert "warning: skipped `src/pkg/leak.py`: a symbolic link" in first.stderr
    assert _state(outside) == before


def test_a_source_file_linked_to_the_environment_is_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    environ = Path("/proc/self/environ")
    if not environ.exists():
        pytest.skip("no /proc/self/environ here")
    monkeypatch.setenv("IMPORTCANON_TEST_TOKEN", SECRET)
    project = _project(tmp_path)
    os.symlink(environ, project / "src" / "pkg" / "environ.py")
    for fmt in ("full", "json"):
        result = run_cli("check", "--output-format", fmt, cwd=project)
        _never_leaks(result)
        assert "warning: skipped `src/pkg/environ.py`" in result.stderr


def test_a_folder_linked_outside_is_never_walked(tmp_path: Path, outside: Path) -> None:
    project = _project(tmp_path)
    os.symlink(outside / "pkgdir", project / "src" / "pkg" / "sub")
    os.symlink(outside, project / "tools")
    result = run_cli("check", "--output-format", "json", cwd=project)
    _never_leaks(result)
    assert {Path(d["filename"]).name for d in result.json()} == {"user.py", "old.py", "guide.md"}
    assert "skipped `src/pkg/sub`" in result.stderr and "skipped `tools`" in result.stderr


def test_a_text_file_linked_outside_is_never_read_nor_rewritten(
    tmp_path: Path, outside: Path
) -> None:
    project = _project(tmp_path, _files('["docs/*.md", "NOTES.md"]'))
    os.symlink(outside / "secret.md", project / "docs" / "leak.md")
    os.symlink(outside / "secret.md", project / "NOTES.md")
    before = _state(outside)
    results = [
        run_cli("check", cwd=project),
        run_cli("check", "--output-format", "json", cwd=project),
        run_cli("check", "--diff", "--unsafe-fixes", cwd=project),
        run_cli("check", "--fix", "--unsafe-fixes", cwd=project),
    ]
    _never_leaks(*results)
    assert "docs/guide.md" in results[0].stdout
    assert "skipped `docs/leak.md`" in results[0].stderr
    assert "skipped `NOTES.md`" in results[0].stderr
    assert _state(outside) == before
    assert (project / "docs" / "leak.md").is_symlink() and (project / "NOTES.md").is_symlink()
    assert (project / "docs" / "guide.md").read_text() == "See pkg.new for details.\n"


def test_move_never_rewrites_a_text_file_linked_outside(tmp_path: Path, outside: Path) -> None:
    project = _project(tmp_path, _files('["docs/*.md"]'))
    (project / "docs" / "guide.md").write_text("See `pkg.user` for details.\n")
    (outside / "secret.md").write_text(f"{SECRET}: `pkg.user`\n")
    os.symlink(outside / "secret.md", project / "docs" / "leak.md")
    before = _state(outside)
    result = run_cli("move", "pkg.user", "pkg.moved", cwd=project)
    _never_leaks(result)
    assert result.code == 0, result.stderr
    assert _state(outside) == before
    assert (project / "docs" / "leak.md").is_symlink()  # not replaced by a copy of the secret
    assert (project / "docs" / "guide.md").read_text() == "See `pkg.moved` for details.\n"


def test_a_contract_file_linked_outside_is_never_read(tmp_path: Path, outside: Path) -> None:
    project = _project(tmp_path)
    os.symlink(outside / "creds.toml", project / "contracts" / "creds.toml")
    results = [
        run_cli("status", cwd=project),
        run_cli("status", "--output-format", "json", cwd=project),
        run_cli("check", cwd=project),
    ]
    _never_leaks(*results)
    assert "moves" in results[0].stdout and "creds" not in results[0].stdout
    assert "skipped `contracts/creds.toml`" in results[0].stderr


# --- special files and hostile patterns never hang ----------------------------------------


def test_fifos_are_skipped_not_waited_on(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    project = _project(tmp_path, _files('["docs/*.md", "PIPE.md"]'))
    os.mkfifo(project / "src" / "pkg" / "a.py")
    os.mkfifo(project / "docs" / "pipe.md")
    os.mkfifo(project / "PIPE.md")
    os.mkfifo(project / "contracts" / "pipe.toml")
    result = _bounded("check", "--no-cache", cwd=project)
    for name in ("src/pkg/a.py", "docs/pipe.md", "PIPE.md", "contracts/pipe.toml"):
        assert f"skipped `{name}`: not a regular file" in result.stderr, name
    assert "docs/guide.md" in result.stdout
    for args in (["status", "--no-cache"], ["check", "--no-cache", "--fix", "--unsafe-fixes"]):
        result = _bounded(*args, cwd=project)
        assert result.code in (0, 1), result.stderr
        assert "Traceback" not in result.stderr
    assert (project / "docs" / "guide.md").read_text() == "See pkg.new for details.\n"


HOSTILE_GLOB = "*a" * 11 + "*b"  # a backtracking matcher takes hours on a long name of a's
HOSTILE_EXPRESSION = ".".join(["**", "a"] * 12 + ["b"])


@pytest.mark.parametrize(
    "where",
    ["exclude", "per-file-ignores", "paths", "ignore_imports"],
)
def test_hostile_patterns_match_in_linear_time(tmp_path: Path, where: str) -> None:
    deep = "/".join(["a"] * 40)
    files = {
        "pyproject.toml": "[tool.importcanon]\n",
        "contracts/c.toml": '[[contract]]\nid = "c"\nname = "c"\nkind = "banned-imports"\n'
        'modules = ["json"]\n',
        **{f"src/{deep[: 2 * i + 1]}/__init__.py": "" for i in range(40)},
        f"src/{deep}/{'a' * 40}.py": "import json\n",
    }
    if where == "exclude":
        files["pyproject.toml"] += f'exclude = ["{HOSTILE_GLOB}"]\n'
    elif where == "per-file-ignores":
        files["pyproject.toml"] += (
            f'[tool.importcanon.per-file-ignores]\n"{HOSTILE_GLOB}" = ["IMC5"]\n'
        )
    elif where == "paths":
        files["contracts/c.toml"] += f'paths = ["{HOSTILE_GLOB}"]\n'
    else:
        files["contracts/c.toml"] += f'ignore_imports = ["{HOSTILE_EXPRESSION} -> json"]\n'
    project = write_tree(tmp_path / "project", files)
    result = _bounded("check", "--no-cache", "--output-format", "concise", cwd=project)
    assert "Traceback" not in result.stderr
    expected = 0 if where == "paths" else 1  # the glob names no file
    assert result.code == expected, result.stdout + result.stderr


def test_warnings_print_hostile_names_escaped(tmp_path: Path, outside: Path) -> None:
    project = _project(tmp_path)
    os.symlink(outside / "secret.py", project / "src" / "pkg" / "\x1b[2J\n::error::x.py")
    result = run_cli("check", cwd=project)
    _never_leaks(result)
    assert "\x1b" not in result.stderr
    assert not any(line.startswith("::") for line in result.stderr.splitlines())
    assert "skipped `src/pkg/\\x1b[2J\\x0a::error::x.py`" in result.stderr
