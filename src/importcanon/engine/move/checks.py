"""Validation before anything is planned: the names, the target, the source, the backend."""

from __future__ import annotations

import ast
import keyword
import os
import stat
import sys
from pathlib import Path

from importcanon.analysis.files import SourceFile
from importcanon.analysis.project import Project
from importcanon.engine.move.plan import (
    Plan,
    inside,
    read_file,
    shown,
)
from importcanon.engine.move.tree import entries
from importcanon.model.errors import UsageError
from importcanon.model.paths import covers


def check_name(name: str, *, role: str) -> None:
    """A dotted module name: ASCII identifiers, no keywords, no empty segment."""
    if not name or len(name) > 1000:
        raise UsageError(f"{role} `{shown(name[:80])}` is not a module name")
    for part in name.split("."):
        if not part:
            raise UsageError(f"{role} `{shown(name)}` has an empty segment")
        if not part.isascii() or not part.isidentifier():
            raise UsageError(f"{role} `{shown(name)}`: `{shown(part)}` is not an ASCII identifier")
        if keyword.iskeyword(part):
            raise UsageError(f"{role} `{name}`: `{part}` is a Python keyword")


def choose_new_root(project: Project, source_root: str | None, default: Path) -> Path:
    root = project.config.root
    if source_root is None:
        return default
    if not source_root.isprintable():  # a name to write into configuration and text files
        raise UsageError(f"--source-root `{shown(source_root)}` is not a printable name")
    given = Path(source_root)
    candidate = given if given.is_absolute() else root / given
    if ".." in given.parts or not inside(candidate, root):
        raise UsageError(f"--source-root `{shown(source_root)}` lies outside the project root")
    candidate = Path(os.path.normpath(candidate))
    if candidate.exists() and not candidate.is_dir():
        raise UsageError(f"--source-root `{shown(source_root)}` is not a folder")
    if (candidate / "__init__.py").exists():
        raise UsageError(f"--source-root `{shown(source_root)}` is a package, not a source root")
    return candidate


def validate_target(project: Project, plan: Plan) -> None:
    old, new = plan.old, plan.new
    relayout = old == new  # the same module to another source root (a src layout)
    if old == new and plan.new_root == plan.old_root:
        raise UsageError(f"`{old}` is already there; give a new name or a new --source-root")
    if not relayout and (covers(old, new) or covers(new, old)):
        raise UsageError(f"`{new}` and `{old}` lie inside one another")
    if not inside(plan.target.parent, plan.root) and plan.target.parent.exists():
        raise UsageError(f"`{new}` would land outside the project root")
    parts = new.split(".")
    directory = plan.new_root
    for part in parts[:-1]:
        if (directory / f"{part}.py").exists():
            raise UsageError(f"`{new}` would lie inside module {plan.rel(directory / part)}.py")
        directory = directory / part
        if directory.exists() and not directory.is_dir():
            raise UsageError(f"`{new}`: {plan.rel(directory)} is not a folder")
    last = plan.new_root.joinpath(*parts)
    for taken in (last, last.with_name(last.name + ".py"), last.with_name(last.name + ".pyi")):
        if taken.exists() or taken.is_symlink():
            raise UsageError(f"`{new}` already exists: {plan.rel(taken)}")
    for module in project.modules:
        if covers(new, module) and not relayout:
            raise UsageError(f"`{new}` already exists as module `{module}`")
    top = parts[0]
    if top in sys.stdlib_module_names or top in sys.builtin_module_names:
        raise UsageError(f"`{new}` would shadow the standard library's `{top}`")
    for source_root in project.config.source_roots:
        base = Path(os.path.normpath(plan.root / source_root))
        if base == plan.new_root:
            continue
        if (base / top).is_dir() or (base / f"{top}.py").exists():
            if covers(old, top) and base == plan.old_root:
                continue
            raise UsageError(f"`{top}` already exists in source root `{source_root}`")


def is_shim(project: Project, file: SourceFile, new: str) -> bool:
    """A module whose only statements re-export names of NEW (an existing module):
    `from NEW import X`, a docstring, `__all__`, `from __future__ import ...`."""
    if file.is_init or new not in project.modules:
        return False

    try:
        tree = ast.parse(project.read(file))
    except (SyntaxError, ValueError, RecursionError, OSError):
        return False
    found = False
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom) and statement.level == 0:
            if statement.module == "__future__":
                continue
            if statement.module != new or any(a.name == "*" for a in statement.names):
                return False
            found = True
        elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            if not all(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                return False
        else:
            return False
    return found


def validate_source(plan: Plan) -> None:
    paths = [plan.source]
    if plan.is_package:
        paths += [path for path, _ in entries(plan.source)]
    for path in paths:
        if path.is_symlink() and not inside(path, plan.root):
            raise UsageError(f"{plan.rel(path)} is a link to outside the project root")
    if plan.source.is_symlink():
        raise UsageError(f"{plan.rel(plan.source)} is a symbolic link; move its target instead")


def check_writes(plan: Plan) -> None:
    """Every folder the move creates and every file it moves, creates or rewrites lies
    inside the project root once links are resolved; and no symbolic link lies on the way
    to what is created or moved (a folder linked inside the root is refused too: `git mv`
    and `git add` do not go through links, and the tree would not be the one git sees)."""
    made = [*plan.new_dirs, *plan.init_files, *plan.creates]
    if not plan.retire:
        made.append(plan.target)
        if plan.stub is not None:
            made.append(plan.moved_path(plan.stub))
    for path in made:
        if not path.is_relative_to(plan.root):
            raise UsageError(f"{shown(str(path))} would lie outside the project root")
        link = _link_on_the_way(plan.root, path)
        if link is not None:
            where = "outside the project root" if not inside(link, plan.root) else "a folder"
            raise UsageError(
                f"{shown(plan.rel(path))} would be written through {shown(plan.rel(link))}, "
                f"a symbolic link to {where}; nothing was changed"
            )
    for path in plan.edits:
        if not inside(path, plan.root):
            raise UsageError(f"{shown(plan.rel(path))} lies outside the project root")


def _link_on_the_way(root: Path, path: Path) -> Path | None:
    """The first symbolic link among ``path`` and its folders below ``root``, if any."""
    current = root
    for part in path.relative_to(root).parts:
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            return None  # nothing below a missing name exists
        except OSError as exc:
            raise UsageError(f"{shown(str(current))}: {exc.strerror}") from exc
        if stat.S_ISLNK(mode):
            return current
    return None


def check_flit(plan: Plan, path: Path) -> None:
    data = plan.edits[path][1] if path in plan.edits else read_file(plan, path)
    if data is None or b"flit_core" not in data or plan.new_root == plan.old_root:
        return
    if plan.rel(plan.new_root) not in {".", "src"}:
        raise UsageError(
            "the build backend (flit_core) finds packages only in the project root or src/; "
            f"moving to `{plan.rel(plan.new_root)}` would break `pip install .`"
        )
