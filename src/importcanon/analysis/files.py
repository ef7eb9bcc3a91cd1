"""Which files are checked, and the module name of each (SPEC section 1)."""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

from importcanon.analysis import debug
from importcanon.analysis.cache import TreeCache
from importcanon.model.contract import ProjectConfig
from importcanon.model.paths import matches_any_glob

BUILTIN_EXCLUDES = frozenset(
    {
        ".git",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "build",
        "dist",
        "__pycache__",
        "node_modules",
        "site-packages",
    }
)
_CACHE_DIR = re.compile(r"\..*_cache\Z")


@dataclass(frozen=True)
class SourceFile:
    path: Path  # absolute
    rel: str  # posix, relative to the project root
    module: str | None  # dotted module name, when the file lies in a package or source root
    is_init: bool
    in_graph: bool  # part of the root packages


def _excluded_dir(name: str) -> bool:
    return name in BUILTIN_EXCLUDES or bool(_CACHE_DIR.match(name))


def discover(config: ProjectConfig, walked: list[str] | None = None) -> list[Path]:
    """Every checked ``*.py`` file, sorted; excludes and git-ignored files removed. The
    directories walked are appended to ``walked``."""
    root = config.root
    prefix = len(str(root)) + 1
    found: list[Path] = []
    for directory, dirnames, filenames in os.walk(root):
        if walked is not None:
            walked.append(directory)
        rel_dir = directory[prefix:].replace(os.sep, "/")
        rel_dir = rel_dir + "/" if rel_dir else ""
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not _excluded_dir(d) and not matches_any_glob(config.exclude, rel_dir + d)
        )
        for name in filenames:
            if name.endswith(".py") and not matches_any_glob(config.exclude, rel_dir + name):
                found.append(Path(directory) / name)
    return sorted(found)


def _drop_git_ignored(root: Path, paths: list[Path]) -> list[Path]:
    if not paths:
        return paths
    prefix = len(str(root)) + 1
    import subprocess  # loaded only to ask git

    payload = "\0".join(str(p)[prefix:] for p in paths) + "\0"
    try:
        result = subprocess.run(
            ["git", "check-ignore", "-z", "--stdin"],
            cwd=root,
            input=payload.encode(),
            capture_output=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return paths
    if result.returncode not in (0, 1):  # not a git repository, or git failed
        return paths
    ignored = {p for p in result.stdout.decode().split("\0") if p}
    return [p for p in paths if str(p)[prefix:] not in ignored] if ignored else paths


@functools.lru_cache(maxsize=65536)
def _is_package(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, "__init__.py"))


def module_name(path: Path, config: ProjectConfig) -> tuple[str | None, bool]:
    """(dotted module name, lies under a source root). Files outside every source root are
    named by their chain of ``__init__.py`` directories, as pytest names test modules."""
    stem_parts = [] if path.name == "__init__.py" else [path.stem]
    parent = str(path.parent)
    for base in _bases(str(config.root), config.source_roots):
        if parent == base:
            dirs: list[str] = []
        elif parent.startswith(base + os.sep):
            dirs = parent[len(base) + 1 :].split(os.sep)
        else:
            continue
        parts = [*dirs, *stem_parts]
        # Namespace folders count under a dedicated source root (``src``), not under the
        # project root itself, where a folder without __init__.py is a tests or scripts one.
        namespaces = base != str(config.root)
        if (
            parts
            and all(_is_segment(part) for part in parts)
            and _importable(base, dirs, namespaces=namespaces)
        ):
            return ".".join(parts), True
    parts = list(stem_parts)
    directory = path.parent
    while _is_package(str(directory)) and directory != config.root.parent:
        parts.insert(0, directory.name)
        directory = directory.parent
    if parts and all(_is_segment(part) for part in parts):
        return ".".join(parts), False
    return None, False


@functools.lru_cache(maxsize=64)
def _bases(root: str, source_roots: tuple[str, ...]) -> list[str]:
    return [os.path.normpath(os.path.join(root, source_root)) for source_root in source_roots]


def _importable(base: str, dirs: list[str], *, namespaces: bool) -> bool:
    """Whether ``dirs`` (below a source root) are packages Python imports from that root:
    regular packages, below ``namespaces`` allowed PEP 420 namespace folders (identifiers
    without ``__init__.py``) above the first of them. grimp does not look into a folder
    without ``__init__.py`` inside a regular package, and a file directly in a namespace
    folder keeps the name its ``__init__.py`` chain gives it, as pytest names a test
    module in a folder without ``__init__.py``."""
    directory = base
    regular = False
    for name in dirs:
        directory = f"{directory}{os.sep}{name}"
        if _is_package(directory):
            regular = True
        elif regular or not (namespaces and name.isidentifier()):
            return False
    return regular or not dirs


def _is_segment(name: str) -> bool:
    """A module name segment as grimp accepts it (`0001_initial` included)."""
    return bool(name) and "." not in name and " " not in name


def default_root_packages(config: ProjectConfig) -> tuple[str, ...]:
    found: set[str] = set()
    for source_root in config.source_roots:
        base = config.root / source_root
        if not base.is_dir():
            continue
        for child in base.iterdir():
            is_package = child.name.isidentifier() and (child / "__init__.py").is_file()
            if is_package and not _excluded_dir(child.name):
                found.add(child.name)
    return tuple(sorted(found))


def source_files(
    config: ProjectConfig, root_packages: tuple[str, ...], cache_dir: Path | None = None
) -> list[SourceFile]:
    """The checked files. With a cache, the walk is skipped while no directory walked last
    time has changed (adding, removing or renaming an entry changes its directory's time)."""
    tree = TreeCache(cache_dir, repr((config, root_packages)), root=config.root)
    rows = tree.get()
    if rows is not None:  # kept as plain values: a path string loads faster than a Path
        files = [SourceFile(Path(p), rel, m, init, graph) for p, rel, m, init, graph in rows]
    else:
        debug.event("files:walk")
        walked: list[str] = []
        files = _named(config, root_packages, discover(config, walked))
        tree.put(walked, [(str(f.path), f.rel, f.module, f.is_init, f.in_graph) for f in files])
    if config.respect_gitignore:  # .gitignore files change without their directory
        kept = set(_drop_git_ignored(config.root, [f.path for f in files]))
        files = [f for f in files if f.path in kept]
    return files


def _named(
    config: ProjectConfig, root_packages: tuple[str, ...], paths: list[Path]
) -> list[SourceFile]:
    _is_package.cache_clear()  # packages may have been created since the last call
    files = []
    for path in paths:
        module, under_root = module_name(path, config)
        in_graph = under_root and module is not None and module.split(".")[0] in root_packages
        files.append(
            SourceFile(
                path=path,
                rel=str(path)[len(str(config.root)) + 1 :].replace(os.sep, "/"),
                module=module,
                is_init=path.name == "__init__.py",
                in_graph=in_graph,
            )
        )
    return files
