"""The plan of a move: what moves where, and the edits and files it makes; the paths it
works with and how it reads a file."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from importcanon.analysis.files import SourceFile
from importcanon.config.wall import git_command, read_regular
from importcanon.fixes.move_text import (
    PathMove,
)


@dataclass
class Plan:
    old: str
    new: str
    root: Path
    source: Path
    target: Path
    is_package: bool
    old_root: Path
    new_root: Path
    git: bool
    retire: bool = False  # OLD is a re-export shim of an existing NEW: delete it
    stub: Path | None = None  # OLD's stub (`mod.pyi` beside `mod.py`), moved with it
    new_dirs: list[Path] = field(default_factory=list)
    init_files: list[Path] = field(default_factory=list)
    edits: dict[Path, tuple[bytes, bytes]] = field(default_factory=dict)  # at the old path
    creates: dict[Path, bytes] = field(default_factory=dict)
    reports: list[str] = field(default_factory=list)
    references: int = 0

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix() or "."

    def moved_path(self, path: Path) -> Path:
        """Where a file is after the move."""
        if self.retire:
            return path
        if self.stub is not None and path == self.stub:
            return self.target.with_suffix(".pyi")
        if path == self.source or path.is_relative_to(self.source):
            return self.target / path.relative_to(self.source) if self.is_package else self.target
        return path

    def describe(self) -> list[str]:
        if self.retire:
            lines = [f"remove {self.rel(self.source)} (a re-export shim of `{self.new}`)"]
        else:
            lines = [f"move {self.rel(self.source)} -> {self.rel(self.target)}"]
            if self.stub is not None:
                lines.append(
                    f"move {self.rel(self.stub)} -> {self.rel(self.moved_path(self.stub))}"
                )
        lines += [f"create {self.rel(p)}/" for p in self.new_dirs]
        lines += [f"create {self.rel(p)}" for p in [*self.init_files, *self.creates]]
        lines += [f"rewrite {self.rel(self.moved_path(p))}" for p in sorted(self.edits)]
        return lines


def shown(text: str) -> str:
    """A name as it may be printed: control and non-ASCII characters escaped."""
    return text.encode("unicode_escape").decode("ascii")


def inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):
        return False


def read_file(plan: Plan, path: Path) -> bytes | None:
    """A regular file's bytes, read as every file of the project is (a link to outside the
    root, a FIFO, a file too large to hold: None)."""
    try:
        return read_regular(path, root=plan.root)
    except OSError:
        return None


def stub_of(plan: Plan, path: Path) -> Path | None:
    """The stub beside a module (`mod.pyi` for `mod.py`), if it is a file of the project."""
    stub = path.with_suffix(".pyi")
    if stub.is_symlink() or not stub.is_file() or not inside(stub, plan.root):
        return None
    return stub


def path_moves_of(plan: Plan) -> list[PathMove]:
    old_full, new_full = plan.rel(plan.source), plan.rel(plan.target)
    moves = [PathMove(old_full, new_full, bare=plan.old_root == plan.root)]
    old_bare = plan.source.relative_to(plan.old_root).as_posix()
    new_bare = plan.target.relative_to(plan.new_root).as_posix()
    if plan.old_root != plan.root and old_bare != old_full:
        moves.append(PathMove(old_bare, new_bare, bare=True))
    return moves


def emptied_root_moves(plan: Plan) -> list[PathMove]:
    """The old source root is renamed in build settings when the move empties it."""
    if plan.old_root == plan.new_root:
        return []
    others = [
        p
        for p in plan.old_root.iterdir()
        if p != plan.source
        and not p.name.startswith(".")
        and not p.name.endswith((".egg-info", ".dist-info"))
        and p.name != "__pycache__"
    ]
    if any(p.is_dir() or p.suffix == ".py" for p in others):
        return []
    return [PathMove(plan.rel(plan.old_root), plan.rel(plan.new_root), bare=False)]


def source_root_of(file: SourceFile, module: str) -> Path:
    depth = len(module.split(".")) + (1 if file.is_init else 0)
    return file.path.parents[depth - 1]


def in_git(root: Path, path: Path) -> bool:
    try:
        result = subprocess.run(
            git_command("ls-files", "-z", "--", str(path)),
            cwd=root, capture_output=True, check=False, timeout=60,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0 and bool(result.stdout)


def plan_parents(plan: Plan) -> None:
    """Folders to create, and the `__init__.py` of each new parent package (never one in
    a source root)."""
    if not plan.new_root.exists():
        plan.new_dirs.append(plan.new_root)
    directory = plan.new_root
    for part in plan.new.split(".")[:-1]:
        directory = directory / part
        if not directory.exists():
            plan.new_dirs.append(directory)
            plan.init_files.append(directory / "__init__.py")
