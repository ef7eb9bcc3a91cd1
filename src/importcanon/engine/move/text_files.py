"""The edits to text files (documentation, build and tool files) that name the moved path."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from importcanon.analysis.project import Project
from importcanon.config.wall import git_command
from importcanon.engine.move.history import is_history
from importcanon.engine.move.plan import (
    Plan,
    emptied_root_moves,
    read_file,
)
from importcanon.engine.move.tree import entries
from importcanon.fixes.move_examples import rewrite_document
from importcanon.fixes.move_python import Rename
from importcanon.fixes.move_text import (
    PathMove,
    plausible_references,
    rewrite_code_spans,
    rewrite_paths,
    rewrite_references,
)
from importcanon.model.lines import lines_with_ends

TEXT_SUFFIXES = frozenset(
    {".md", ".rst", ".txt", ".cfg", ".ini", ".toml", ".yaml", ".yml", ".in", ".json", ".sh", ".mk"}
)
DOC_SUFFIXES = frozenset({".md", ".rst", ".txt"})


TEXT_NAMES = frozenset(
    {
        "Makefile",
        "makefile",
        "GNUmakefile",
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


# files that hold commands: a bare top-level name left there is reported (it may be the
# package's folder, as in `flake8 markdown tests`)
COMMAND_NAMES = frozenset({"Makefile", "makefile", "GNUmakefile", "tox.ini", "noxfile.py"})
COMMAND_SUFFIXES = frozenset({".mk", ".sh"})
INI_NAMES = frozenset({".coveragerc", ".flake8"})
IGNORE_NAMES = frozenset({".gitignore", ".dockerignore", "MANIFEST.in", ".gitattributes"})


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
    return sorted(
        p
        for p in candidates
        if (p.suffix in TEXT_SUFFIXES or p.name in TEXT_NAMES) and not _generated(p)
    )


def _generated(path: Path) -> bool:
    """A build's metadata (`pkg.egg-info/SOURCES.txt`): made again by the next build."""
    return any(part.endswith((".egg-info", ".dist-info")) for part in path.parts)


def _skipped(folder: str) -> bool:
    return (folder.startswith(".") and folder != ".github") or folder in SKIPPED_FOLDERS


def text_edits(project: Project, plan: Plan, moves: list[PathMove]) -> None:
    config_files = config_paths(project, plan)
    for path in _text_files(plan):
        if path in config_files or path.suffix == ".py":
            continue
        data = read_file(plan, path)
        if data is None or len(data) > MAX_TEXT_BYTES:
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if is_history(plan.rel(path), text):
            continue
        new_text, count = _text_file(plan, path, text, moves)
        if count:
            plan.edits[path] = (data, new_text.encode("utf-8"))
            plan.references += count


def _text_file(plan: Plan, path: Path, text: str, moves: list[PathMove]) -> tuple[str, int]:
    """One text file rewritten: the examples of a documentation page (Python code, doctests)
    by the Python rewrite; file paths everywhere; module references in the rest."""
    rename = Rename(plan.old, plan.new)
    count = 0
    owned: set[int] = set()
    needle = plan.old.rpartition(".")[2]
    if path.suffix in DOC_SUFFIXES and plan.old != plan.new and needle in text:
        examples = rewrite_document(text, rename, suffix=path.suffix)
        text, count, owned = examples.text, examples.changes, examples.owned
        _report(plan, path, [(u.row, u.col, u.why, u.text) for u in examples.unsure])
    out: list[str] = []
    found: list[tuple[int, int, str, str]] = []
    ini = path.suffix in {".ini", ".cfg"} or path.name in INI_NAMES
    if path.name in IGNORE_NAMES:  # patterns over the source root (`src/*/_version.py`)
        moves = [*moves, *emptied_root_moves(plan)]
    for row, line in enumerate(lines_with_ends(text)):
        line, n = rewrite_paths(line, moves)
        count += n
        if row not in owned and plan.old != plan.new:
            if path.suffix in {".md", ".rst"}:
                line, n = rewrite_code_spans(line, plan.old, plan.new)
                count += n
            line, n = rewrite_references(line, plan.old, plan.new, ini=ini)
            count += n
            found += _left(path, row, line, plan.old)
        out.append(line)
    _report(plan, path, found)
    return "".join(out), count


def _left(path: Path, row: int, line: str, old: str) -> list[tuple[int, int, str, str]]:
    """What is left in a line that probably names the module."""
    text = line.rstrip("\r\n")
    for col in plausible_references(text, old):
        return [(row + 1, col + 1, "code in text", text.strip())]
    if not _command_file(path) or text.lstrip().startswith("#"):
        return []
    for match in re.finditer(rf"(?<![\w./:@+$=-]){re.escape(old)}(?![\w./@=:-])", text):
        if not re.search(r"\binstall\b[^;&|]*\Z", text[: match.start()]):
            why = "may name the package or its folder"
            return [(row + 1, match.start() + 1, why, text.strip())]
    return []


def _command_file(path: Path) -> bool:
    return (
        path.name in COMMAND_NAMES
        or path.suffix in COMMAND_SUFFIXES
        or (path.parent.name == "workflows" and path.parent.parent.name == ".github")
    )


def _report(plan: Plan, path: Path, found: list[tuple[int, int, str, str]]) -> None:
    for row, col, why, text in found:
        plan.reports.append(
            f"{plan.rel(path)}:{row}:{col}: IMC003 not rewritten ({why}): {text[:80]}"
        )


def config_paths(project: Project, plan: Plan) -> set[Path]:
    root = plan.root
    folder = root / project.config.contracts_dir
    found = {root / "pyproject.toml", root / ".importlinter", root / "setup.cfg"}
    if folder.is_dir():
        found.update(folder.glob("*.toml"))
    if project.config.baseline:
        found.add(root / project.config.baseline)
    return found


DOC_FOLDERS = ("docs", "doc")
TOOL_FILES = ("tox.ini", "Makefile", "makefile", "GNUmakefile", "mkdocs.yml", "mkdocs.yaml")


def contract_text_files(project: Project, plan: Plan) -> list[str]:
    """`text_files` for the contract that records the move, so that `check` reports what a page
    still says of the old path: `README*`, the documentation pages (`docs/**/*.md`, ...:
    a glob when no history file matches it, else the pages one by one), the tool files that
    exist (tox, make, mkdocs, CI workflows), and every other text file the move rewrote or
    reported. History is never listed."""
    config_files = config_paths(project, plan)
    listed = [p for p in _text_files(plan) if p not in config_files and p.suffix != ".py"]
    rels = {plan.rel(p): p for p in listed}
    history = {rel for rel, p in rels.items() if _history(plan, p)}
    touched = {plan.rel(p) for p in plan.edits if plan.rel(p) in rels}
    touched |= {r.split(":", 1)[0] for r in plan.reports if r.split(":", 1)[0] in rels}
    globs: list[str] = []
    covered: set[str] = set()

    def add(glob: str, members: list[str]) -> None:
        members = [m for m in members if m not in covered]
        if not members:
            return
        if any(m in history for m in members) or glob in members:
            kept = [m for m in members if m not in history]
            globs.extend(kept)
            covered.update(kept)
        else:
            globs.append(glob)
            covered.update(members)

    add("README*", [r for r in rels if "/" not in r and r.upper().startswith("README")])
    for folder in DOC_FOLDERS:
        for suffix in sorted(DOC_SUFFIXES):
            members = [r for r in rels if r.startswith(folder + "/") and r.endswith(suffix)]
            add(f"{folder}/**/*{suffix}", members)
    for name in TOOL_FILES:
        add(name, [name] if name in rels else [])
    add(".github/workflows/*.yml", [r for r in rels if _workflow(r)])
    for rel in sorted(touched - covered - history):
        add(rel, [rel])
    return globs


def _history(plan: Plan, path: Path) -> bool:
    data = read_file(plan, path)
    text = data.decode("utf-8", "replace") if data is not None else ""
    return is_history(plan.rel(path), text)


def _workflow(rel: str) -> bool:
    folder, _, name = rel.rpartition("/")
    return folder == ".github/workflows" and name.endswith((".yml", ".yaml"))
