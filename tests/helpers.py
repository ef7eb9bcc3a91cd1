"""Shared test helpers: the real CLI in a subprocess, projects written to disk."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TESTS = Path(__file__).parent
BIN = Path(sys.executable).parent  # the tools installed beside the interpreter (flake8, ...)
PROJECTS = TESTS / "projects"
EXAMPLE = TESTS.parent / "examples" / "ml_playground"
# an .importlinter that runs importcanon's contracts inside lint-imports (package `pkg`)
IMPORTLINTER = """
[importlinter]
root_package = pkg
contract_types =
    importcanon: importcanon.integrations.importlinter.ImportCanonContract

[importlinter:contract:canon]
name = Acceptance criteria
type = importcanon
"""
_EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>IMC\d+(?:\s*,\s*IMC\d+)*)")


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def run_cli(
    *args: str,
    cwd: Path,
    stdin: str | None = None,
    cache: Path | None = None,
    debug_log: Path | None = None,
    env: dict[str, str] | None = None,
) -> Result:
    """Run ``python -m importcanon`` for real. Without ``cache``, caching is off; with
    ``debug_log``, its debug events are appended there; ``env``: more variables."""
    extra: list[str] = []
    if args and args[0] in ("check", "status") and "--cache-dir" not in args:
        extra = ["--cache-dir", str(cache)] if cache else ["--no-cache"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")} | (env or {})
    if debug_log is not None:
        env["IMPORTCANON_DEBUG_LOG"] = str(debug_log)
    proc = subprocess.run(
        [sys.executable, "-m", "importcanon", *args[:1], *extra, *args[1:]],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def copy_project(name: str, dest: Path) -> Path:
    source = EXAMPLE if name == "example" else PROJECTS / name
    target = dest / name
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*_cache", "__pycache__"))
    return target


def expected(project: Path) -> set[tuple[str, int, str]]:
    """``# expect: CODE`` markers in Python files, plus ``expected.txt`` lines."""
    found: set[tuple[str, int, str]] = set()
    for path in sorted(project.rglob("*.py")):
        rel = path.relative_to(project).as_posix()
        for row, line in enumerate(
            path.read_text(encoding="utf-8", errors="replace").splitlines(), 1
        ):
            match = _EXPECT.search(line)
            if match:
                for code in re.split(r"\s*,\s*", match.group("codes")):
                    found.add((rel, row, code))
    listing = project / "expected.txt"
    if listing.exists():
        for line in listing.read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                rel, row, code = line.strip().rsplit(":", 2)
                found.add((rel, int(row), code))
    return found


def reported(project: Path, diagnostics: list[dict[str, Any]]) -> set[tuple[str, int, str]]:
    return {
        (Path(d["filename"]).relative_to(project).as_posix(), d["location"]["row"], d["code"])
        for d in diagnostics
    }


def tool(
    name: str,
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run an installed tool (flake8, lint-imports, pre-commit) on a project on disk, with
    the project's ``src`` importable."""
    return subprocess.run(
        [str(BIN / name), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(cwd / "src"), **(env or {})},
        timeout=timeout,
        check=False,
    )


GIT_IDENTITY = ["-c", "user.email=dev@example.invalid", "-c", "user.name=dev"]
TreeState = tuple[dict[str, bytes | None], str, str]


def git_out(project: Path, *args: str) -> str:
    """What a git command prints (run with a throwaway identity)."""
    return subprocess.run(
        ["git", *GIT_IDENTITY, *args], cwd=project, capture_output=True, text=True, check=True
    ).stdout


def tree_state(project: Path) -> TreeState:
    """Every path (a folder as None) with its bytes, git's index and `git status`."""
    paths: dict[str, bytes | None] = {}
    for path in sorted(project.rglob("*")):
        rel = path.relative_to(project).as_posix()
        if rel == ".git" or rel.startswith(".git/"):
            continue
        paths[rel] = None if path.is_dir() and not path.is_symlink() else path.read_bytes()
    return paths, git_out(project, "ls-files", "-s"), git_out(project, "status", "--porcelain")
