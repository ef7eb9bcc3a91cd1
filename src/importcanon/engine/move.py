"""`importcanon move OLD NEW`: validate, compute every edit, then apply all of it or none.

Nothing is touched before the whole move is known: names and target are validated, every
Python file, text file and configuration file is rewritten in memory (and checked to parse),
and only then are folders created, the module moved (`git mv` in a git repository) and the
files written. If anything fails while applying, every step taken is undone in reverse.
"""

from __future__ import annotations

import ast
import difflib
import keyword
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from importcanon.analysis.files import SourceFile
from importcanon.analysis.project import Project
from importcanon.analysis.rewrite import WriteRefused, replace_contents
from importcanon.analysis.source import decode, encoding_of
from importcanon.config.contracts import load_contracts
from importcanon.config.project import load_project
from importcanon.config.wall import git_command, read_regular
from importcanon.engine import baseline
from importcanon.fixes.move_python import Rename, UnparsableFile, Where, rewrite_python
from importcanon.fixes.move_text import (
    KeyPath,
    PathMove,
    TomlEditError,
    edit_ini,
    edit_toml,
    mentions,
    rename_expression,
    rename_path,
    rewrite_code_spans,
    rewrite_paths,
)
from importcanon.model.errors import ConfigError, UsageError
from importcanon.model.lines import lines_with_ends, split_lines
from importcanon.model.paths import covers
from importcanon.rules.registry import Registry

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

MOVES_FILE = "moves.toml"
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
HISTORY_NAMES = ("CHANGES", "CHANGELOG", "HISTORY", "NEWS")
ENTRY_TABLES: tuple[KeyPath, ...] = (
    ("project", "scripts"),
    ("project", "gui-scripts"),
    ("project", "entry-points"),
    ("tool", "poetry", "scripts"),
    ("tool", "poetry", "plugins"),
)
PROSE_FIELDS = frozenset({"id", "name", "kind", "acceptance", "severity"})


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


# -- validation --------------------------------------------------------------------------


def shown(text: str) -> str:
    """A name as it may be printed: control and non-ASCII characters escaped."""
    return text.encode("unicode_escape").decode("ascii")


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


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):
        return False


def _source_root(file: SourceFile, module: str) -> Path:
    depth = len(module.split(".")) + (1 if file.is_init else 0)
    return file.path.parents[depth - 1]


def _new_root(project: Project, source_root: str | None, default: Path) -> Path:
    root = project.config.root
    if source_root is None:
        return default
    given = Path(source_root)
    candidate = given if given.is_absolute() else root / given
    if ".." in given.parts or not _inside(candidate, root):
        raise UsageError(f"--source-root `{shown(source_root)}` lies outside the project root")
    candidate = Path(os.path.normpath(candidate))
    if candidate.exists() and not candidate.is_dir():
        raise UsageError(f"--source-root `{shown(source_root)}` is not a folder")
    if (candidate / "__init__.py").exists():
        raise UsageError(f"--source-root `{shown(source_root)}` is a package, not a source root")
    return candidate


def _validate_target(project: Project, plan: Plan) -> None:
    old, new = plan.old, plan.new
    relayout = old == new  # the same module to another source root (a src layout)
    if old == new and plan.new_root == plan.old_root:
        raise UsageError(f"`{old}` is already there; give a new name or a new --source-root")
    if not relayout and (covers(old, new) or covers(new, old)):
        raise UsageError(f"`{new}` and `{old}` lie inside one another")
    if not _inside(plan.target.parent, plan.root) and plan.target.parent.exists():
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


def _is_shim(project: Project, file: SourceFile, new: str) -> bool:
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


def _validate_source(plan: Plan) -> None:
    paths = [plan.source] if not plan.is_package else [plan.source, *plan.source.rglob("*")]
    for path in paths:
        if path.is_symlink() and not _inside(path, plan.root):
            raise UsageError(f"{plan.rel(path)} is a link to outside the project root")
    if plan.source.is_symlink():
        raise UsageError(f"{plan.rel(plan.source)} is a symbolic link; move its target instead")


def _in_git(root: Path, path: Path) -> bool:
    try:
        result = subprocess.run(
            git_command("ls-files", "-z", "--", str(path)),
            cwd=root, capture_output=True, check=False, timeout=60,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0 and bool(result.stdout)


def make_plan(
    project: Project, old: str, new: str, *, source_root: str | None, unsafe: bool
) -> Plan:
    check_name(old, role="OLD")
    check_name(new, role="NEW")
    file = project.modules.get(old)
    if file is None:
        raise UsageError(f"no module `{old}` in the project")
    root = project.config.root
    old_root = _source_root(file, old)
    source = file.path.parent if file.is_init else file.path
    new_root = _new_root(project, source_root, old_root)
    target = new_root.joinpath(*new.split("."))
    if not file.is_init:
        target = target.with_name(target.name + ".py")
    plan = Plan(old, new, root, source, target, file.is_init, old_root, new_root, git=False)
    plan.retire = _is_shim(project, file, new)
    if not file.is_init and not plan.retire:
        plan.stub = _stub(plan, plan.source)
    if not plan.retire:
        _validate_target(project, plan)
    _validate_source(plan)
    _check_flit(plan, root / "pyproject.toml")
    plan.git = _in_git(root, source)
    if not plan.retire:
        _parents(plan)
    rename = Rename(old, new)
    moves = _path_moves(plan)
    _python_edits(project, plan, rename, unsafe=unsafe, paths=moves[:1])
    _text_edits(project, plan, moves)
    _config_edits(project, plan, rename, moves)
    return plan


def _parents(plan: Plan) -> None:
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


# -- computing the edits -------------------------------------------------------------------


def _read(plan: Plan, path: Path) -> bytes | None:
    """A regular file's bytes, read as every file of the project is (a link to outside the
    root, a FIFO, a file too large to hold: None)."""
    try:
        return read_regular(path, root=plan.root)
    except OSError:
        return None


def _python_edits(
    project: Project, plan: Plan, rename: Rename, *, unsafe: bool, paths: list[PathMove]
) -> None:
    """Every Python file's references, and those of its stub (`mod.pyi` beside `mod.py`);
    `paths` holds the move relative to the project root (the only paths a string can
    name unambiguously)."""
    for file in project.files:
        if plan.retire and file.path == plan.source:
            continue
        moved = plan.moved_path(file.path) != file.path
        module = file.module
        where = Where(module, file.is_init, rename(module) if moved and module else None)
        stub = _stub(plan, file.path)
        for path in (file.path, stub) if stub is not None else (file.path,):
            _python_file(plan, path, where, rename, unsafe=unsafe, paths=paths)


def _stub(plan: Plan, path: Path) -> Path | None:
    """The stub beside a module (`mod.pyi` for `mod.py`), if it is a file of the project."""
    stub = path.with_suffix(".pyi")
    if stub.is_symlink() or not stub.is_file() or not _inside(stub, plan.root):
        return None
    return stub


def _python_file(
    plan: Plan, path: Path, where: Where, rename: Rename, *, unsafe: bool, paths: list[PathMove]
) -> None:
    needle = plan.old.rpartition(".")[2].encode()
    moved = plan.moved_path(path) != path
    rel = plan.rel(path)
    data = _read(plan, path)
    if data is None and moved:
        plan.reports.append(f"{rel}:1:1: IMC900 not rewritten, cannot be read")
    if data is None or (not moved and needle not in data):
        return
    try:
        encoding = encoding_of(data)
        text = decode(data)
        result = rewrite_python(text, where=where, rename=rename, unsafe=unsafe, paths=paths)
    except (UnicodeDecodeError, SyntaxError, UnparsableFile) as exc:
        if moved or needle in data:
            plan.reports.append(f"{rel}:1:1: IMC900 not rewritten, cannot be parsed: {exc}")
        return
    for unsure in result.unsure if plan.old != plan.new else []:
        if unsure.blocking:
            raise UsageError(
                f"{rel}:{unsure.row}:{unsure.col}: cannot rewrite `{shown(unsure.text)}`"
                f" safely ({unsure.why}); nothing was changed"
            )
        plan.reports.append(
            f"{plan.rel(plan.moved_path(path))}:{unsure.row}:{unsure.col}: "
            f"IMC003 not rewritten ({unsure.why}): " + unsure.text
        )
    if result.text != text:
        _must_compile(plan, path, result.text)
        plan.edits[path] = (data, result.text.encode(encoding))
        plan.references += result.changes


def _must_compile(plan: Plan, path: Path, text: str) -> None:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError) as exc:
        raise UsageError(f"{plan.rel(path)}: the rewritten file would not compile ({exc})") from exc


def _path_moves(plan: Plan) -> list[PathMove]:
    old_full, new_full = plan.rel(plan.source), plan.rel(plan.target)
    moves = [PathMove(old_full, new_full, bare=plan.old_root == plan.root)]
    old_bare = plan.source.relative_to(plan.old_root).as_posix()
    new_bare = plan.target.relative_to(plan.new_root).as_posix()
    if plan.old_root != plan.root and old_bare != old_full:
        moves.append(PathMove(old_bare, new_bare, bare=True))
    return moves


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
        candidates = []
        for directory, dirnames, filenames in os.walk(plan.root):
            dirnames[:] = [
                d
                for d in dirnames
                if not d.startswith(".")
                and d not in {"build", "dist", "venv", "node_modules", "__pycache__"}
            ]
            candidates += [Path(directory) / name for name in filenames]
    return sorted(p for p in candidates if p.suffix in TEXT_SUFFIXES or p.name in TEXT_NAMES)


def _text_edits(project: Project, plan: Plan, moves: list[PathMove]) -> None:
    config_files = _config_files(project, plan)
    for path in _text_files(plan):
        if path in config_files or path.suffix == ".py" or _is_history(path):
            continue
        data = _read(plan, path)
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


def _config_files(project: Project, plan: Plan) -> set[Path]:
    root = plan.root
    folder = root / project.config.contracts_dir
    found = {root / "pyproject.toml", root / ".importlinter", root / "setup.cfg"}
    if folder.is_dir():
        found.update(folder.glob("*.toml"))
    return found


def _config_edits(project: Project, plan: Plan, rename: Rename, moves: list[PathMove]) -> None:
    root = plan.root
    for name in (".importlinter", "setup.cfg"):
        _ini_edit(plan, root / name, rename)
        _edit(plan, root / name, lambda text: rewrite_paths(text, moves)[0])
    _edit(plan, root / "setup.cfg", lambda text: _setup_cfg_roots(text, _root_moves(plan)))
    _pyproject_edit(project, plan, rename, moves)
    _contracts_edit(project, plan, rename, moves)
    _baseline_edit(project, plan, rename)


# Identity fields that are not module paths (see baseline.IDENTITY): never renamed.
NOT_MODULES = frozenset({"name", "field", "value"})


def _baseline_edit(project: Project, plan: Plan, rename: Rename) -> None:
    """The baseline follows the move: entries of moved files name their new paths, and
    identities that are module paths name the new modules, so that what was recorded
    before is still recorded (not reported as new) after."""
    if not project.config.baseline:
        return
    path = plan.root / project.config.baseline
    data = plan.edits[path][1] if path in plan.edits else _read(plan, path)
    if data is None:
        return
    try:
        entries = baseline.parse(data)
    except (ValueError, RecursionError):
        return  # not a baseline file: `check` reports it; the move leaves it as it is
    renamed: Counter[baseline.Key] = Counter()
    for key, n in entries.items():
        at = plan.root / key.file
        file = plan.rel(plan.moved_path(at)) if plan.moved_path(at) != at else key.file
        identity = _renamed_identity(key, rename)
        renamed[baseline.Key(file, key.code, key.contract, identity)] += n
    if renamed != entries:
        original = plan.edits[path][0] if path in plan.edits else data
        plan.edits[path] = (original, baseline.render(renamed).encode("utf-8"))


def _renamed_identity(key: baseline.Key, rename: Rename) -> str:
    names = baseline.IDENTITY.get(key.code)
    fields = key.identity.split(" ")
    if names is None or len(names) != len(fields):
        return key.identity  # a message, not a structured identity
    renamed = []
    for name, value in zip(names, fields, strict=True):
        if name in NOT_MODULES:
            renamed.append(value)
            continue
        items = value.split(",")
        new = [rename(item) for item in items]
        renamed.append(",".join(sorted(new) if items == sorted(items) else new))
    return " ".join(renamed)


def _edit(plan: Plan, path: Path, change: Callable[[str], str]) -> None:
    data = plan.edits[path][1] if path in plan.edits else _read(plan, path)
    if data is None:
        return
    try:
        text = data.decode("utf-8")
        new_text = change(text)
    except UnicodeDecodeError as exc:
        raise UsageError(f"{plan.rel(path)}: not UTF-8; cannot update it") from exc
    except TomlEditError as exc:
        raise UsageError(f"{plan.rel(path)}: cannot update it safely ({exc})") from exc
    if new_text != text:
        original = plan.edits[path][0] if path in plan.edits else data
        plan.edits[path] = (original, new_text.encode("utf-8"))
        plan.references += 1


_SETUP_ROOT = re.compile(
    r"(?m)^([ \t]*where[ \t]*=[ \t]*|[ \t]*package_dir[ \t]*=[ \t]*=|[ \t]+=)(\S+)[ \t]*$"
)


def _setup_cfg_roots(text: str, root_moves: list[PathMove]) -> str:
    """setup.cfg's `where = src` and `package_dir = =src` follow a source root the move
    empties."""
    if not root_moves:
        return text

    def replace(match: re.Match[str]) -> str:
        renamed = rename_path(match.group(2), root_moves)
        return match.group(1) + (renamed or match.group(2))

    return _SETUP_ROOT.sub(replace, text)


def _ini_edit(plan: Plan, path: Path, rename: Rename) -> None:
    def sections(name: str) -> bool:
        return name.startswith(("importlinter", "options", "entry_points"))

    _edit(
        plan, path, lambda text: edit_ini(text, old=rename.old, new=rename.new, sections=sections)
    )


def _report_mentions(plan: Plan, path: Path, old: str) -> None:
    data = plan.edits[path][1] if path in plan.edits else _read(plan, path)
    if data is None:
        return
    for row, line in enumerate(split_lines(data.decode("utf-8", "replace")), 1):
        if line.lstrip().startswith("#"):
            continue
        for col in mentions(line, old):
            if col and line[col - 1] in "/-":
                continue  # a URL or a distribution-like name: not a module path
            plan.reports.append(
                f"{plan.rel(path)}:{row}:{col + 1}: IMC003 not rewritten (unknown setting): "
                + line.strip()[:80]
            )


def _pyproject_edit(project: Project, plan: Plan, rename: Rename, moves: list[PathMove]) -> None:
    path = plan.root / "pyproject.toml"
    root_moves = _root_moves(plan)

    def value(keys: KeyPath, text: str) -> str | None:
        return _pyproject_value(keys, text, rename=rename, moves=moves, root_moves=root_moves)

    def key(table: KeyPath, name: str) -> str | None:
        if table[:2] == ("tool", "setuptools") and table[2:3] in {
            ("package-data",),
            ("exclude-package-data",),
            ("package-dir",),
        }:
            return rename(name) if rename.moves(name) else None
        if table[:3] == ("tool", "importcanon", "per-file-ignores"):
            return rename_path(name, moves)
        return None

    if path.is_file():
        _edit(plan, path, lambda text: edit_toml(text, value_rule=value, key_rule=key))
        _edit(plan, path, lambda text: _toml_paths(text, moves))
        _edit(plan, path, lambda text: _importcanon_settings(project, plan, text))
        if rename.old != rename.new:
            _report_mentions(plan, path, rename.old)
    elif _needs_source_root(project, plan):
        plan.creates[path] = (
            f"[tool.importcanon]\nsource_roots = {_roots(project, plan)}\n".encode()
        )


def _toml_paths(text: str, moves: list[PathMove]) -> str:
    """File paths to the moved module anywhere in a TOML file (`files = ["src/a"]` of a
    type checker, say), checked to parse to the same shape afterwards."""
    new_text, count = rewrite_paths(text, moves)
    if not count:
        return text
    try:
        tomllib.loads(new_text)
    except tomllib.TOMLDecodeError as exc:
        raise TomlEditError(f"the edited file would not parse: {exc}") from exc
    return new_text


def _root_moves(plan: Plan) -> list[PathMove]:
    """The old source root is renamed in build settings when the move empties it."""
    if plan.old_root == plan.new_root:
        return []
    others = [p for p in plan.old_root.iterdir() if p != plan.source and not p.name.startswith(".")]
    if any(p.is_dir() or p.suffix == ".py" for p in others):
        return []
    return [PathMove(plan.rel(plan.old_root), plan.rel(plan.new_root), bare=False)]


def _pyproject_value(
    keys: KeyPath, text: str, *, rename: Rename, moves: list[PathMove], root_moves: list[PathMove]
) -> str | None:
    dotted = rename(text) if rename.moves(text) else None
    if keys[:2] == ("tool", "importcanon"):
        if keys[2:] == ("root_packages",):
            return rename.new.split(".")[0] if text == rename.old else None
        return None
    if any(keys[: len(t)] == t for t in ENTRY_TABLES):
        module, colon, attr = text.partition(":")
        return rename(module.strip()) + colon + attr if rename.moves(module.strip()) else None
    if keys == ("tool", "flit", "module", "name"):
        return dotted
    if keys[:2] == ("tool", "setuptools"):
        if keys[2:] in {("packages",), ("py-modules",)} or keys[-1] == "attr":
            return dotted
        if keys[2:] == ("packages", "find", "where") or keys[2:3] == ("package-dir",):
            return rename_path(text, [*moves, *root_moves])
        if keys[2:] == ("packages", "find", "include"):
            return rename_expression(text, rename.old, rename.new)
        return None
    if keys[:2] in {("tool", "hatch"), ("tool", "pdm")}:
        return rename_path(text, [*moves, *root_moves])
    if keys[:3] == ("tool", "poetry", "packages"):
        if keys[3:] == ("include",):
            return rename_path(text, moves) or dotted
        if keys[3:] == ("from",):
            return rename_path(text, root_moves)
    return None


def _roots(project: Project, plan: Plan) -> str:
    roots = list(project.config.source_roots)
    rel = plan.rel(plan.new_root)
    if rel not in roots:
        roots.append(rel)
    return "[" + ", ".join(f'"{r}"' for r in roots) + "]"


def _needs_source_root(project: Project, plan: Plan) -> bool:
    roots = {Path(os.path.normpath(plan.root / r)) for r in project.config.source_roots}
    return plan.new_root not in roots


def _importcanon_settings(project: Project, plan: Plan, text: str) -> str:
    """`source_roots` gains a new source root; `root_packages` gains a new top-level
    package (a renamed one is renamed by the value rule)."""
    lines = lines_with_ends(text)
    header = next((i for i, line in enumerate(lines) if line.strip() == "[tool.importcanon]"), None)
    additions: list[tuple[str, str]] = []
    if _needs_source_root(project, plan):
        additions.append(("source_roots", _roots(project, plan)))
    top = plan.new.split(".")[0]
    packages = project.config.root_packages
    if packages is not None and top not in packages and plan.old not in packages:
        listed = ", ".join(f'"{p}"' for p in (*packages, top))
        additions.append(("root_packages", f"[{listed}]"))
    if not additions:
        return text
    if header is None:
        block = "".join(f"{k} = {v}\n" for k, v in additions)
        return (
            text
            + ("\n" if text and not text.endswith("\n\n") else "")
            + "[tool.importcanon]\n"
            + block
        )
    end = next(
        (i for i in range(header + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines)
    )
    for key, value in additions:
        found = next(
            (i for i in range(header + 1, end) if lines[i].split("=")[0].strip() == key), None
        )
        if found is not None and "]" not in lines[found]:
            raise UsageError(
                f"pyproject.toml: cannot update a multi-line `{key}`; write it on one line"
            )
        line = f"{key} = {value}\n"
        if found is None:
            lines.insert(header + 1, line)
        else:
            lines[found] = line
    return "".join(lines)


def _check_flit(plan: Plan, path: Path) -> None:
    data = plan.edits[path][1] if path in plan.edits else _read(plan, path)
    if data is None or b"flit_core" not in data or plan.new_root == plan.old_root:
        return
    if plan.rel(plan.new_root) not in {".", "src"}:
        raise UsageError(
            "the build backend (flit_core) finds packages only in the project root or src/; "
            f"moving to `{plan.rel(plan.new_root)}` would break `pip install .`"
        )


def _contracts_edit(project: Project, plan: Plan, rename: Rename, moves: list[PathMove]) -> None:
    def value(keys: KeyPath, text: str) -> str | None:
        if keys[:1] != ("contract",) or (len(keys) == 2 and keys[1] in PROSE_FIELDS):
            return None
        if keys[1:2] == ("moves",):
            if len(keys) == 3 and keys[2] == rename.old:
                return rename.new
            return rename(text) if rename.moves(text) else None
        if keys[1:] in {("paths",), ("exclude",), ("text_files",)}:
            return rename_path(text, moves)
        if " -> " in text:
            sides = [s.strip() for s in text.split("->")]
            renamed = [rename_expression(s, rename.old, rename.new) or s for s in sides]
            return " -> ".join(renamed)
        return rename_expression(text, rename.old, rename.new)

    def key(table: KeyPath, name: str) -> str | None:
        if table == ("contract", "moves") and name != rename.old and rename.moves(name):
            return rename(name)
        return None

    folder = plan.root / project.config.contracts_dir
    files = sorted(folder.glob("*.toml")) if folder.is_dir() else []
    for path in files:
        _edit(plan, path, lambda text: edit_toml(text, value_rule=value, key_rule=key))
    _record(project, plan, folder)


def _record(project: Project, plan: Plan, folder: Path) -> None:
    """Declare `"OLD" = "NEW"` once: reuse a moved-modules contract that declares OLD, else
    add the entry to the first moved-modules contract (contracts/moves.toml first), else a
    new contract in contracts/moves.toml."""
    moved = [c for c in project.contracts if c.kind == "moved-modules"]
    if plan.old == plan.new or any(plan.old in c.options.get("moves", {}) for c in moved):
        return  # a move to another source root only is no legacy path: nothing to declare
    moved.sort(key=lambda c: c.file.name != MOVES_FILE)
    entry = f'"{plan.old}" = "{plan.new}"\n'
    for contract in moved:
        if not contract.file.is_relative_to(folder):
            continue
        data = (
            plan.edits[contract.file][1]
            if contract.file in plan.edits
            else _read(plan, contract.file)
        )
        if data is None:
            continue
        lines = lines_with_ends(data.decode("utf-8"))
        header = _moves_header(lines, contract.line)
        if header is None:
            continue
        lines.insert(header + 1, entry)
        plan.edits[contract.file] = (
            plan.edits[contract.file][0] if contract.file in plan.edits else data,
            "".join(lines).encode("utf-8"),
        )
        return
    ids = {c.id for c in project.contracts}
    new_id = next(i for i in ("moves", *(f"moves-{n}" for n in range(2, 10_000))) if i not in ids)
    block = (
        f'[[contract]]\nid = "{new_id}"\n'
        'name = "Moved modules live at their canonical paths"\nkind = "moved-modules"\n'
        'acceptance = "All imports reference canonical modules; no legacy paths remain."\n\n'
        f"[contract.moves]\n{entry}"
    )
    path = folder / MOVES_FILE
    existing = plan.edits[path][1] if path in plan.edits else _read(plan, path)
    if existing is None:
        plan.creates[path] = block.encode("utf-8")
        if not folder.exists():
            plan.new_dirs.append(folder)
        return
    before = existing.decode("utf-8")
    separator = (
        "" if not before or before.endswith("\n\n") else ("\n" if before.endswith("\n") else "\n\n")
    )
    plan.edits[path] = (
        plan.edits[path][0] if path in plan.edits else existing,
        (before + separator + block).encode("utf-8"),
    )


def _moves_header(lines: list[str], start_line: int) -> int | None:
    start = start_line - 1
    for index in range(start, len(lines)):
        if index > start and lines[index].strip().startswith("[[contract]]"):
            return None
        if lines[index].strip() == "[contract.moves]":
            return index
    return None


# -- applying, all or nothing ---------------------------------------------------------------


@dataclass
class Journal:
    """What has been done, to be undone in reverse on failure."""

    root: Path
    undo: list[Callable[[], None]] = field(default_factory=list)

    def rollback(self) -> list[str]:
        problems = []
        for step in reversed(self.undo):
            try:
                step()
            except (OSError, subprocess.SubprocessError, WriteRefused) as exc:
                problems.append(str(exc))
        self.undo.clear()
        return problems


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, **_filters_off(root)}
    subprocess.run(
        git_command(*args), cwd=root, check=True, capture_output=True, timeout=120, env=env
    )


def _filters_off(root: Path) -> dict[str, str]:
    """Environment blanking the content filters that the repository's own configuration
    defines (``filter.NAME.clean``, ``.smudge``, ``.process``, matched by a committed
    ``.gitattributes``): `git add` would run them. The user's own (global, system) filters,
    git-lfs say, are kept. Passed as GIT_CONFIG_KEY_n / GIT_CONFIG_VALUE_n, so that no
    driver name (one holding ``=``) can escape its key."""
    try:
        listed = subprocess.run(
            git_command("config", "--show-scope", "--includes", "-z", "--get-regexp", r"^filter\."),
            cwd=root, capture_output=True, check=False, timeout=60,
        ).stdout.decode("utf-8", "surrogateescape")  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return {}
    items = listed.split("\0")
    names = {
        key.split("\n", 1)[0][len("filter.") :].rpartition(".")[0]
        for scope, key in zip(items[0::2], items[1::2], strict=False)
        if scope in ("local", "worktree")
    }
    keys = [
        f"filter.{name}.{part}" for name in sorted(names) for part in ("clean", "smudge", "process")
    ]
    env = {"GIT_CONFIG_COUNT": str(len(keys))}
    for index, key in enumerate(keys):
        env[f"GIT_CONFIG_KEY_{index}"], env[f"GIT_CONFIG_VALUE_{index}"] = key, ""
    return env if keys else {}


def apply(plan: Plan, *, kinds: Registry) -> None:
    """Carry the plan out; on any failure restore the tree and raise UsageError
    (``kinds``: what the contracts, loaded again at the end, may use)."""
    journal = Journal(plan.root)
    try:
        _apply(plan, journal)
        _verify(plan, kinds)
    except (OSError, subprocess.SubprocessError, ConfigError, UsageError, WriteRefused) as exc:
        problems = journal.rollback()
        reason = exc.render() if isinstance(exc, ConfigError) else str(exc)
        if isinstance(exc, subprocess.CalledProcessError):
            reason = (exc.stderr or b"").decode(errors="replace").strip() or str(exc)
        tail = f"; could not undo: {problems[0]}" if problems else "; nothing was changed"
        raise UsageError(
            f"move failed: {reason.splitlines()[0] if reason else type(exc).__name__}{tail}"
        ) from exc


def _apply(plan: Plan, journal: Journal) -> None:
    for directory in plan.new_dirs:
        directory.mkdir()
        journal.undo.append(lambda d=directory: d.rmdir())  # type: ignore[misc]
    for path, data in sorted(plan.creates.items()):
        _create(path, data, journal)
    for init in plan.init_files:
        _create(init, b"", journal)
    _rename(plan, journal)
    for path, (before, after) in sorted(plan.edits.items()):
        destination = plan.moved_path(path)
        if _current(destination) != before:
            raise UsageError(f"{plan.rel(path)} changed on disk while the move was planned")
        # the file keeps its identity (a symlink stays one; mode, owner and links are kept)
        replace_contents(destination, after, expected=before, root=plan.root)
        journal.undo.append(_restore(destination, before, after, root=plan.root))
    if plan.git:
        added = [str(p) for p in [*plan.init_files, *plan.creates] if p.exists()]
        if added:
            _git(plan.root, "add", "--", *added)


def _restore(path: Path, before: bytes, after: bytes, *, root: Path) -> Callable[[], None]:
    def undo() -> None:
        replace_contents(path, before, expected=after, root=root)

    return undo


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _create(path: Path, data: bytes, journal: Journal) -> None:
    with path.open("xb") as handle:
        handle.write(data)
    journal.undo.append(path.unlink)


def _remove(plan: Plan, journal: Journal) -> None:
    data = plan.source.read_bytes()
    plan.source.unlink()
    journal.undo.append(lambda: _create(plan.source, data, Journal(plan.root)))
    if plan.git:
        _git(plan.root, "rm", "--cached", "--quiet", "--", str(plan.source))
        journal.undo.append(lambda: _git(plan.root, "reset", "-q", "--", str(plan.source)))


def _rename(plan: Plan, journal: Journal) -> None:
    if plan.retire:
        _remove(plan, journal)
        return
    source, target = plan.source, plan.target
    if plan.git:
        _git(plan.root, "mv", "--", str(source), str(target))
        journal.undo.append(lambda: _git(plan.root, "mv", "--", str(target), str(source)))
    else:
        os.rename(source, target)
        journal.undo.append(lambda: os.rename(target, source))
    if plan.stub is not None:
        stub, moved = plan.stub, plan.moved_path(plan.stub)
        if plan.git and _in_git(plan.root, stub):
            _git(plan.root, "mv", "--", str(stub), str(moved))
            journal.undo.append(lambda: _git(plan.root, "mv", "--", str(moved), str(stub)))
        else:
            os.rename(stub, moved)
            journal.undo.append(lambda: os.rename(moved, stub))


def _verify(plan: Plan, kinds: Registry) -> None:
    """The configuration still loads after the move."""
    config = load_project(plan.root, codes=kinds.codes())
    load_contracts(config, kinds=kinds)


def dry_run_diff(plan: Plan) -> str:
    chunks: list[str] = []
    for path, (before, after) in sorted(plan.edits.items()):
        old_rel, new_rel = shown(plan.rel(path)), shown(plan.rel(plan.moved_path(path)))
        if old_rel != new_rel:
            chunks.append(f"rename from {old_rel}\nrename to {new_rel}\n")
        chunks.extend(
            difflib.unified_diff(
                _lines(before), _lines(after), fromfile=f"a/{old_rel}", tofile=f"b/{new_rel}"
            )
        )
    if plan.stub is not None and plan.stub not in plan.edits and not plan.retire:
        chunks.append(
            f"rename from {plan.rel(plan.stub)}\nrename to {plan.rel(plan.moved_path(plan.stub))}\n"
        )
    for path, data in sorted(plan.creates.items()):
        chunks.extend(
            difflib.unified_diff(
                [], _lines(data), fromfile="/dev/null", tofile=f"b/{shown(plan.rel(path))}"
            )
        )
    return "".join(
        c if c.endswith("\n") else c + "\n\\ No newline at end of file\n" for c in chunks
    )


def _lines(data: bytes) -> list[str]:
    try:
        text = decode(data)
    except (UnicodeDecodeError, SyntaxError):
        text = data.decode("utf-8", "replace")
    return lines_with_ends(text)
