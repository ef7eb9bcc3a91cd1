"""The edits to text files (documentation, build and tool files) that name the moved path."""

from __future__ import annotations

import subprocess
from pathlib import Path

from importcanon.analysis.project import Project
from importcanon.config.wall import git_command
from importcanon.engine.move.plan import (
    Plan,
    read_file,
)
from importcanon.engine.move.tree import entries
from importcanon.fixes.move_text import (
    PathMove,
    rewrite_code_spans,
    rewrite_paths,
)

TEXT_SUFFIXES = frozenset(
    {".md", ".rst", ".txt", ".cfg", ".ini", ".toml", ".yaml", ".yml", ".in", ".json", ".sh"}
)


TEXT_NAMES = frozenset(
    {
        "Makefile",
        "Dockerfile",
        "MANIFEST.in",
        ".coveragerc",
        ".flake8",
        ".gitignore",
        ".dockerignore",
    }
)


MAX_TEXT_BYTES = 2_000_000


SKIPPED_FOLDERS = frozenset({"build", "dist", "venv", "node_modules", "__pycache__"})


HISTORY_NAMES = ("CHANGES", "CHANGELOG", "HISTORY", "NEWS")


def _text_files(plan: Plan) -> list[Path]:
    if plan.git:
        try:
            listed = subprocess.run(
                git_command("ls-files", "-z"),
                cwd=plan.root,
                capture_output=True,
                check=True,
                timeout=60,
            ).stdout.decode("utf-8", "surrogateescape")
        except (OSError, subprocess.SubprocessError):
            listed = ""
        candidates = [plan.root / p for p in listed.split("\0") if p]
    else:
        candidates = [path for path, folder in entries(plan.root, skip=_skipped) if not folder]
    return sorted(p for p in candidates if p.suffix in TEXT_SUFFIXES or p.name in TEXT_NAMES)


def _skipped(folder: str) -> bool:
    return folder.startswith(".") or folder in SKIPPED_FOLDERS


def text_edits(project: Project, plan: Plan, moves: list[PathMove]) -> None:
    config_files = config_paths(project, plan)
    for path in _text_files(plan):
        if path in config_files or path.suffix == ".py" or _is_history(path):
            continue
        data = read_file(plan, path)
        if data is None or len(data) > MAX_TEXT_BYTES:
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        new_text, count = rewrite_paths(text, moves)
        if path.suffix in {".md", ".rst"}:
            new_text, spans = rewrite_code_spans(new_text, plan.old, plan.new)
            count += spans
        if count:
            plan.edits[path] = (data, new_text.encode("utf-8"))
            plan.references += count


def _is_history(path: Path) -> bool:
    """A changelog (CHANGES.rst, CHANGELOG.md, HISTORY.txt, NEWS): what it says of the old
    names was true when it was written, and stays as it is."""
    return path.name.upper().startswith(HISTORY_NAMES)


def config_paths(project: Project, plan: Plan) -> set[Path]:
    root = plan.root
    folder = root / project.config.contracts_dir
    found = {root / "pyproject.toml", root / ".importlinter", root / "setup.cfg"}
    if folder.is_dir():
        found.update(folder.glob("*.toml"))
    return found
