"""The build settings a move needs, and the proof that the moved project ships what it did.

After every other edit is planned, `settle` reads what the backend ships before the move and
what it would ship after it (`engine/move/build.py`). Where they differ it adds what the
backend needs: a new subpackage to an explicit `packages` list, `package-dir` for a src
layout, the package's new name where the backend found it by the project's name (flit,
hatch, poetry, uv). Then it proves the result: every module shipped before is shipped after,
renamed, and nothing else but what the move brought. A move it cannot prove is refused with
one line, and nothing is changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

from importcanon.engine.move.build import (
    TOOL_FOLDERS,
    Tree,
    Unknown,
    pyproject_data,
    read_setup_cfg,
    setuptools_settings,
    shipped,
)
from importcanon.engine.move.config_files import edit_text
from importcanon.engine.move.plan import Plan, read_file, shown
from importcanon.engine.move.settings_text import (
    cfg_append,
    setup_py_has,
    setup_py_list,
    setup_py_package_dir,
    toml_append,
    toml_replace,
    toml_set,
)
from importcanon.engine.move.tree import entries
from importcanon.fixes.move_python import Rename
from importcanon.model.errors import UsageError

SETTINGS = ("pyproject.toml", "setup.cfg", "setup.py")
MAX_FILES = 200_000


def settle(plan: Plan, rename: Rename) -> None:
    """Add the build settings the move needs to ``plan.edits``, or refuse the move."""
    try:
        _settle(plan, rename)
    except Unknown as exc:
        raise UsageError(
            f"cannot prove the build after the move: {exc}; nothing was changed"
        ) from exc


def _settle(plan: Plan, rename: Rename) -> None:
    trees = Trees(plan)
    before = shipped(trees.before())
    if before is None:
        return
    allowed = _brought(plan, trees.files)
    must = frozenset(rename(m) for m in before.modules)
    for repair in REPAIRS[before.backend]:
        after = shipped(trees.after())
        if after is not None and _proven(after.modules, must, allowed):
            return
        repair(plan, trees, rename, must)
    after = shipped(trees.after())
    if after is None or not _proven(after.modules, must, allowed):
        lost = sorted(must - (after.modules if after else frozenset()))
        extra = sorted((after.modules if after else frozenset()) - must - allowed)
        what = f"it would no longer ship {_few(lost)}" if lost else f"it would ship {_few(extra)}"
        raise Unknown(f"{before.backend}: {what}")


def _few(names: list[str]) -> str:
    shown_names = ", ".join(f"`{shown(n)}`" for n in names[:3])
    return shown_names + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _proven(after: frozenset[str], must: frozenset[str], allowed: frozenset[str]) -> bool:
    return must <= after and after - must <= allowed


def _brought(plan: Plan, files: list[str]) -> frozenset[str]:
    """The modules the move brings that may ship now: the moved ones, at their new names,
    and the packages it creates for them (``files``: the project's Python files)."""
    found = set()
    new_root = plan.new_root
    for path in [*plan.init_files]:
        found.add(".".join(path.parent.relative_to(new_root).parts))
    if not plan.retire:
        target = plan.target
        if plan.is_package:
            found.add(plan.new)
            source = plan.rel(plan.source) + "/"
            for file in files:
                if not file.startswith(source):
                    continue
                rel = Path(file[len(source) :])
                parts = [*plan.new.split("."), *rel.with_suffix("").parts]
                found.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
        elif target.suffix == ".py":
            found.add(plan.new)
    return frozenset(found)


# -- the tree before and after -------------------------------------------------------------


def _python_files(folder: Path, root: Path) -> list[str]:
    """The `.py` files under ``folder`` (relative to ``root``, POSIX), walked without
    recursion and without entering links to folders or tool folders."""
    found: list[str] = []
    for path, is_folder in entries(folder, skip=_skipped):
        if not is_folder and path.suffix == ".py" and not path.is_symlink():
            found.append(path.relative_to(root).as_posix())
            if len(found) > MAX_FILES:
                raise Unknown("the project holds too many Python files to model its build")
    return found


def _skipped(name: str) -> bool:
    return name in TOOL_FOLDERS or name.startswith(".")


def _settings_text(plan: Plan, name: str, *, after: bool) -> str | None:
    path = plan.root / name
    if after and path in plan.edits:
        data: bytes | None = plan.edits[path][1]
    elif after and path in plan.creates:
        data = plan.creates[path]
    else:
        data = read_file(plan, path)
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unknown(f"{name} is not UTF-8") from exc


class Trees:
    """The tree before and after the planned move: its Python files walked once, its build
    settings read as they stand (the repairs edit them)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan

    @cached_property
    def files(self) -> list[str]:
        return _python_files(self.plan.root, self.plan.root)

    @cached_property
    def moved(self) -> frozenset[str]:
        plan = self.plan
        moved = [
            plan.rel(plan.moved_path(plan.root / rel))
            for rel in self.files
            if not (plan.retire and plan.root / rel == plan.source)
        ]
        moved += [plan.rel(p) for p in plan.init_files]
        moved += [plan.rel(p) for p in plan.creates if p.suffix == ".py"]
        return frozenset(moved)

    def before(self) -> Tree:
        return Tree(frozenset(self.files), *settings_texts(self.plan, after=False))

    def after(self) -> Tree:
        return Tree(self.moved, *settings_texts(self.plan, after=True))


def settings_texts(plan: Plan, *, after: bool) -> list[str | None]:
    """pyproject.toml, setup.cfg and setup.py, before the move or as planned."""
    return [_settings_text(plan, name, after=after) for name in SETTINGS]


# -- repairs -------------------------------------------------------------------------------


def _set_text(plan: Plan, name: str, text: str) -> None:
    path = plan.root / name
    if path in plan.creates:
        plan.creates[path] = text.encode("utf-8")
        return
    if path not in plan.edits and read_file(plan, path) is None:
        plan.creates[path] = text.encode("utf-8")
        return
    edit_text(plan, path, lambda _: text)


def _parents(modules: frozenset[str]) -> set[str]:
    """The packages that hold the modules."""
    return {m.rpartition(".")[0] for m in modules if "." in m}


def _setuptools_packages(plan: Plan, trees: Trees, rename: Rename, want: frozenset[str]) -> None:
    """An explicit `packages` list gains the packages that must ship and lacks."""
    tree = trees.after()
    data = pyproject_data(tree)
    settings = setuptools_settings(tree, data)
    if settings.packages is None:
        return
    renamed = {p: rename(p) for p in settings.packages if rename.moves(p)}
    listed = {renamed.get(p, p) for p in settings.packages}
    missing = sorted(p for p in _parents(want) if p not in listed and _is_a_package(tree, p))
    if not missing and not renamed:
        return
    if tree.setup_py is not None and setup_py_has(tree.setup_py, "packages"):
        _set_text(plan, "setup.py", setup_py_list(tree.setup_py, "packages", renamed, missing))
    elif "packages" in data.get("tool", {}).get("setuptools", {}):
        text = tree.pyproject or ""
        _set_text(
            plan, "pyproject.toml", toml_append(text, ("tool", "setuptools", "packages"), missing)
        )
    elif tree.setup_cfg is not None:
        _set_text(plan, "setup.cfg", cfg_append(tree.setup_cfg, "options", "packages", missing))


def _is_a_package(tree: Tree, dotted: str) -> bool:
    tail = dotted.replace(".", "/") + "/__init__.py"
    return any(path == tail or path.endswith("/" + tail) for path in tree.files)


def _setuptools_dir(plan: Plan, trees: Trees, rename: Rename, want: frozenset[str]) -> None:
    """A package that moved to another source root is found there through `package-dir`."""
    if plan.new_root == plan.old_root:
        return
    tree = trees.after()
    data = pyproject_data(tree)
    settings = setuptools_settings(tree, data)
    if settings.find is not None:
        _setuptools_where(plan, tree, data)
        return
    new_rel = plan.rel(plan.new_root)
    mapping = dict(settings.package_dir or {})
    top = plan.new.split(".")[0]
    if settings.packages is None and settings.py_modules is None:
        if "" not in mapping and new_rel == "src":
            return  # discovery finds a src layout by itself
        key, value = "", new_rel  # discovery looks where package-dir's "" says
    elif mapping.get("", ".") in (plan.rel(plan.old_root), ".", "") and _only_root(
        plan, tree, settings, top
    ):
        key, value = "", new_rel
    else:
        key, value = top, f"{new_rel}/{top}"
    if mapping.get(key) != value:
        _write_package_dir(plan, tree, data, key, value)


def _write_package_dir(plan: Plan, tree: Tree, data: dict[str, Any], key: str, value: str) -> None:
    """`package-dir` written where the project keeps its setuptools settings."""
    tool = data.get("tool", {}).get("setuptools", {})
    setup_py = tree.setup_py
    if setup_py is not None and any(
        setup_py_has(setup_py, k) for k in ("packages", "package_dir", "py_modules")
    ):
        _set_text(plan, "setup.py", setup_py_package_dir(setup_py, key, value))
    elif tree.pyproject is not None and (tool or "project" in data):
        _set_text(plan, "pyproject.toml", _package_dir_entry(tree.pyproject, data, key, value))
    elif tree.setup_cfg is not None:
        entry = f"{key}={value}" if key else f"={value}"
        _set_text(plan, "setup.cfg", cfg_append(tree.setup_cfg, "options", "package_dir", [entry]))
    elif setup_py is not None:
        _set_text(plan, "setup.py", setup_py_package_dir(setup_py, key, value))
    else:
        raise Unknown(f"no setuptools settings to add package-dir {{{key!r}: {value!r}}} to")


def _package_dir_entry(text: str, data: dict[str, Any], key: str, value: str) -> str:
    tool = data.get("tool", {}).get("setuptools", {})
    if "package-dir" not in tool:
        entry = f"{{{json.dumps(key)} = {json.dumps(value)}}}"
        return toml_set(text, ("tool", "setuptools"), "package-dir", entry)
    return toml_set(text, ("tool", "setuptools", "package-dir"), key, json.dumps(value))


def _only_root(plan: Plan, tree: Tree, settings: Any, top: str) -> bool:
    """Every listed package but the moved one is under the new source root too."""
    new_rel = plan.rel(plan.new_root)
    for package in settings.packages or []:
        head = package.split(".")[0]
        if head != top and f"{new_rel}/{head}/__init__.py" not in tree.files:
            return False
    return True


def _setuptools_where(plan: Plan, tree: Tree, data: dict[str, Any]) -> None:
    """`find` with a `where` the moved package left: the new root takes its place when the
    old one ships nothing else."""
    old_rel, new_rel = plan.rel(plan.old_root), plan.rel(plan.new_root)
    packages = data.get("tool", {}).get("setuptools", {}).get("packages", {})
    find = packages.get("find") if isinstance(packages, dict) else None
    if find is None and tree.setup_cfg is not None:
        _setup_cfg_where(plan, tree.setup_cfg)
        return
    if not isinstance(find, dict) or not isinstance(find.get("where", ["."]), list):
        return
    keys = ("tool", "setuptools", "packages", "find", "where")
    for where in find.get("where", ["."]):
        if isinstance(where, str) and (where.strip("/") or ".") == old_rel:
            text = tree.pyproject or ""
            if "where" not in find:
                text = toml_set(text, keys[:-1], "where", json.dumps([new_rel]))
            else:
                text = toml_replace(text, keys, where, new_rel)
            _set_text(plan, "pyproject.toml", text)
            return


def _setup_cfg_where(plan: Plan, text: str) -> None:
    """setup.cfg's `find:` looking in the project root is told the new source root, in
    `[options.packages.find]` and `package_dir` (a `where` it names is renamed with the
    other source-root settings when the old root is left empty)."""
    parser = read_setup_cfg(text)
    new_rel = plan.rel(plan.new_root)
    if plan.rel(plan.old_root) != "." or parser.has_option("options.packages.find", "where"):
        return
    text = cfg_append(text, "options.packages.find", "where", [new_rel])
    if not parser.has_option("options", "package_dir"):
        text = cfg_append(text, "options", "package_dir", [f"={new_rel}"])
    _set_text(plan, "setup.cfg", text)


Repair = Callable[[Plan, Trees, Rename, frozenset[str]], None]


def _implicit_name(table: tuple[str, ...], key: str, value: Callable[[Plan], str]) -> Repair:
    """A backend that found the package by the project's name is told the new one."""

    def repair(plan: Plan, trees: Trees, rename: Rename, want: frozenset[str]) -> None:
        text = _settings_text(plan, "pyproject.toml", after=True) or ""
        _set_text(plan, "pyproject.toml", toml_set(text, table, key, value(plan)))

    return repair


def _top(plan: Plan) -> str:
    return plan.new.split(".")[0]


def _package_path(plan: Plan) -> str:
    top = _top(plan)
    rel = plan.rel(plan.new_root)
    return top if rel == "." else f"{rel}/{top}"


def _poetry_packages(plan: Plan) -> str:
    rel = plan.rel(plan.new_root)
    top = _top(plan)
    if rel == ".":
        return f'[{{ include = "{top}" }}]'
    return f'[{{ include = "{top}", from = "{rel}" }}]'


REPAIRS: dict[str, list[Repair]] = {
    "setuptools": [_setuptools_packages, _setuptools_dir],
    "flit": [_implicit_name(("tool", "flit", "module"), "name", lambda p: json.dumps(_top(p)))],
    "hatch": [
        _implicit_name(
            ("tool", "hatch", "build", "targets", "wheel"),
            "packages",
            lambda p: json.dumps([_package_path(p)]),
        )
    ],
    "poetry": [_implicit_name(("tool", "poetry"), "packages", _poetry_packages)],
    "uv": [
        _implicit_name(
            ("tool", "uv", "build-backend"), "module-name", lambda p: json.dumps(_top(p))
        ),
        _implicit_name(
            ("tool", "uv", "build-backend"),
            "module-root",
            lambda p: json.dumps(p.rel(p.new_root) if p.rel(p.new_root) != "." else ""),
        ),
    ],
    "pdm": [],
    "maturin": [],
    "scikit-build": [],
}
