"""Which files are checked, and the module name of each (SPEC section 1)."""

from __future__ import annotations

import functools
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from importcanon.analysis import debug
from importcanon.analysis.cache import Row, TreeCache
from importcanon.config import wall
from importcanon.model.contract import ProjectConfig
from importcanon.model.paths import closure, file_glob_parts, literal_prefix, matches_any_glob, step

# Which of some paths (relative to a root) git ignores; None when git cannot say.
GitIgnored = Callable[[Path, list[str]], set[str] | None]

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


@dataclass(frozen=True)
class SourceFile:
    """One checked file: where it is and which module it is."""

    path: Path  # absolute
    rel: str  # posix, relative to the project root
    module: str | None  # dotted module name, when the file lies in a package or source root
    is_init: bool
    in_graph: bool  # part of the root packages


def _excluded_dir(name: str, *, in_package: bool = False) -> bool:
    """A built-in exclude. Inside a root package's directory, only the folders that cannot
    be a subpackage are (``__pycache__``, and names that are not identifiers): a
    subpackage named ``build`` is a module like any other."""
    builtin = name in BUILTIN_EXCLUDES or (name.startswith(".") and name.endswith("_cache"))
    return builtin and (not in_package or name == "__pycache__" or not name.isidentifier())


def discover(
    config: ProjectConfig,
    walked: list[str] | None = None,
    *,
    root_packages: tuple[str, ...] = (),
) -> list[Path]:
    """Every checked ``*.py`` file, sorted; excludes and git-ignored files removed. The
    directories walked are appended to ``walked``.

    The walk never leaves the root: a symbolic link to a folder is not followed (a target
    inside the root is walked at its own place; one outside is skipped with a warning); a
    linked file is checked when its target lies inside the root and is not itself checked
    (else it is skipped: a warning when it leads outside); FIFOs, devices and sockets are
    skipped. The built-in excludes name tool folders: they do not apply inside the
    directory of a root package."""
    walk = _Walk(config, packages=_package_dirs(config, root_packages))
    walk.run(walked)
    return sorted(walk.files + walk.kept_links())


def _package_dirs(config: ProjectConfig, root_packages: tuple[str, ...]) -> frozenset[str]:
    """The directories of the root packages, in every source root."""
    return frozenset(
        os.path.join(base, package)
        for base in _bases(str(config.root), config.source_roots)
        for package in root_packages
    )


class _Walk:
    """One walk of the project (a plain class: a dataclass costs its module's import
    more than the walk it describes, and every run imports this module)."""

    def __init__(self, config: ProjectConfig, *, packages: frozenset[str]) -> None:
        self.config = config
        self.packages = packages
        self.files: list[Path] = []
        self.links: list[str] = []

    def run(self, walked: list[str] | None) -> None:
        stack: list[tuple[str, str, bool]] = [(str(self.config.root), "", False)]
        while stack:
            directory, rel_dir, in_package = stack.pop()
            if walked is not None:
                walked.append(directory)
            stack.extend(reversed(self.directory(directory, rel_dir, in_package=in_package)))

    def directory(
        self, directory: str, rel_dir: str, *, in_package: bool
    ) -> list[tuple[str, str, bool]]:
        """Take in one directory's files; return its subdirectories to walk."""
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            return []
        exclude = self.config.exclude
        subdirs = []
        for entry in entries:
            rel = rel_dir + entry.name
            if entry.is_dir(follow_symlinks=False):
                inside = in_package or entry.path in self.packages
                if not self.skips(entry.name, rel, in_package=inside):
                    subdirs.append((entry.path, rel + "/", inside))
            elif entry.is_symlink():
                if not self.skips(entry.name, rel, in_package=in_package):
                    self.link(entry, rel)
            elif entry.name.endswith(".py") and not matches_any_glob(exclude, rel):
                if entry.is_file(follow_symlinks=False):
                    self.files.append(Path(entry.path))
                else:
                    wall.warn(f"skipped `{wall.shown(rel)}`: {wall.SPECIAL}")
        return subdirs

    def skips(self, name: str, rel: str, *, in_package: bool) -> bool:
        """A folder (or a link that may lead to one) that is not walked."""
        return _excluded_dir(name, in_package=in_package) or matches_any_glob(
            self.config.exclude, rel
        )

    def link(self, entry: os.DirEntry[str], rel: str) -> None:
        if not wall.resolves_inside(entry.path, self.config.root):
            if entry.name.endswith(".py") or _is_dir(entry.path):
                wall.warn(f"skipped `{wall.shown(rel)}`: {wall.OUTSIDE}")
        elif entry.name.endswith(".py") and not _is_dir(entry.path):
            self.links.append(entry.path)

    def kept_links(self) -> list[Path]:
        """The linked files whose target is not checked already (at its own place or
        through another link), and is a regular file (or missing: reported unreadable)."""
        seen = {str(path) for path in self.files}
        kept = []
        for link in sorted(self.links):
            target = os.path.realpath(link)
            problem = wall.unsafe_file(target, root=self.config.root)
            if problem:
                wall.warn(f"skipped `{wall.shown(self.rel(link))}`: {problem}")
            elif target not in seen:
                seen.add(target)
                kept.append(Path(link))
        return kept

    def rel(self, path: str) -> str:
        return path[len(str(self.config.root)) + 1 :].replace(os.sep, "/")


def _is_dir(path: str) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        return False


def _drop_git_ignored(root: Path, paths: list[Path], git_ignored: GitIgnored) -> list[Path]:
    if not paths:
        return paths
    prefix = len(str(root)) + 1
    hostile = _hostile_ignore_file(root, paths)
    if hostile is not None:
        name, reason = hostile
        wall.warn(f"`{wall.shown(name)}` {reason}: .gitignore files are not respected in this run")
        return paths
    ignored = git_ignored(root, [str(p)[prefix:] for p in paths])
    if ignored is None:
        return paths
    return [p for p in paths if str(p)[prefix:] not in ignored] if ignored else paths


MAX_STARS = 2  # git's wildmatch backtracks: `*a*a*a*b` takes seconds on one long name


def _hostile_ignore_file(root: Path, paths: list[Path]) -> tuple[str, str] | None:
    """The first ignore file inside the root that git would read for ``paths`` and that
    would stall it (a FIFO or device, on which git waits; patterns on which it backtracks
    for minutes): its name relative to the root and why; None when there is none."""
    folders = {str(root)}
    for path in paths:
        parent = os.path.dirname(path)
        while parent not in folders and len(parent) > len(str(root)):
            folders.add(parent)
            parent = os.path.dirname(parent)
    candidates = [os.path.join(root, ".git", "info", "exclude")]
    candidates += [os.path.join(folder, ".gitignore") for folder in sorted(folders)]
    for candidate in candidates:
        name = candidate[len(str(root)) + 1 :]
        problem = wall.unsafe_file(candidate, root=root)
        if problem == wall.SPECIAL:
            return name, f"is {problem}"
        try:
            text = b"" if problem else wall.read_regular(candidate, root=root)
        except OSError:
            continue
        for line in text.decode("utf-8", "replace").splitlines():
            if any(part.replace("**", "").count("*") > MAX_STARS for part in line.split("/")):
                return name, (
                    f"has a pattern with more than {MAX_STARS} `*` in one segment, "
                    "which git matches in exponential time"
                )
    return None


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
            if child.is_symlink() and not wall.resolves_inside(child, config.root):
                continue
            is_package = child.name.isidentifier() and (child / "__init__.py").is_file()
            if is_package and not _excluded_dir(child.name):
                found.add(child.name)
    return tuple(sorted(found))


def source_files(
    config: ProjectConfig,
    root_packages: tuple[str, ...],
    cache_dir: Path | None = None,
    *,
    git_ignored: GitIgnored,
) -> list[SourceFile]:
    """The checked files. With a cache, the walk is skipped while no directory walked last
    time has changed (adding, removing or renaming an entry changes its directory's time).
    ``git_ignored`` asks git (``analysis.git.check_ignore``) when the project respects
    ``.gitignore`` files."""
    tree = TreeCache(cache_dir, repr((config, root_packages)), root=config.root)
    rows = tree.get()  # (every path checked to be the root joined with its relative path)
    if rows is not None:
        files = _listed(rows)
    else:
        debug.event("files:walk")
        walked: list[str] = []
        found = discover(config, walked, root_packages=root_packages)
        files = _named(config, root_packages, found)
        tree.put(walked, [(str(f.path), f.rel, f.module, f.is_init, f.in_graph) for f in files])
    if config.respect_gitignore:  # .gitignore files change without their directory
        kept = set(_drop_git_ignored(config.root, [f.path for f in files], git_ignored))
        files = [f for f in files if f.path in kept]
    return files


def _listed(rows: list[Row]) -> list[SourceFile]:
    """The files of the cached list (a warm run makes thousands, so each is made the
    cheap way): paths by ``as_path``, and the records filled in directly (a frozen
    dataclass's ``__init__`` sets each field through ``object.__setattr__``)."""
    files = []
    new = object.__new__
    for path, rel, module, is_init, in_graph in rows:
        file = new(SourceFile)
        file.__dict__.update(
            path=as_path(path), rel=rel, module=module, is_init=is_init, in_graph=in_graph
        )
        files.append(file)
    return files


def as_path(text: str) -> Path:
    """``Path(text)``, made cheaply for thousands of files in few folders: each folder's
    path is parsed once, and a file's path is made from it (joining a plain name parses
    nothing)."""
    folder, sep, name = text.rpartition(os.sep)
    if (
        not (sep and name)
        or len(folder) < 2
        or name == "."
        or text.startswith("//")  # POSIX keeps `//` at the start, folds three or more
        or (os.altsep and os.altsep in name)
    ):
        return Path(text)  # (a name at the top, as in `/a.py`, is rare)
    return _child(_folder(folder), name)


@functools.lru_cache(maxsize=4096)
def _folder(text: str) -> Path:
    return Path(text)


def _join(parent: Path, name: str) -> Path:
    return parent / name


# ``Path._make_child_relpath`` (CPython 3.10 to 3.12, used by its own directory walks)
# joins one plain name without parsing anything; elsewhere, the ``/`` operator.
_child: Callable[[Path, str], Path] = getattr(Path, "_make_child_relpath", _join)


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


def glob_files(root: Path, patterns: tuple[str, ...]) -> list[Path]:
    """The files that ``text_files`` globs name, walked from the root segment by segment
    (in linear time). Only regular files inside the root are named: a symbolic link to a
    folder is not followed below a glob's literal start, a linked file counts once (where
    its target is named itself, there), and a link that leads outside, a FIFO, device or
    socket is skipped with a warning."""
    walk = _GlobWalk(root)
    for pattern in patterns:
        if not wall.escapes_root(pattern):  # (the configuration refuses such a glob)
            walk.run(file_glob_parts(pattern))
    return walk.result()


class _GlobWalk:
    """The files of some ``text_files`` globs (a plain class, as ``_Walk``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: set[str] = set()
        self.links: set[str] = set()

    def run(self, parts: tuple[str | None, ...]) -> None:
        prefix = literal_prefix(parts)
        start = os.path.join(self.root, *prefix)
        if prefix and not self.start_inside(start, "/".join(prefix)):
            return
        todo = [(start, "/".join(prefix), closure(parts, frozenset({len(prefix)})))]
        while todo:
            directory, rel_dir, states = todo.pop()
            try:
                with os.scandir(directory) as listing:
                    entries = sorted(listing, key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                after = step(parts, states, entry.name)
                if after:
                    rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
                    named, more = len(parts) in after, any(s < len(parts) for s in after)
                    if self.entry(entry, rel, named=named) and more:
                        todo.append((entry.path, rel, after))

    def start_inside(self, start: str, rel: str) -> bool:
        if wall.resolves_inside(start, self.root):
            return True
        wall.warn(f"skipped `{wall.shown(rel)}`: {wall.OUTSIDE}")
        return False

    def entry(self, entry: os.DirEntry[str], rel: str, *, named: bool) -> bool:
        """Take in an entry the glob matches (``named``: as a whole); True when it is a
        folder to walk into."""
        if entry.is_dir(follow_symlinks=False):
            return True
        if not named:
            return False
        if entry.is_symlink():
            if wall.resolves_inside(entry.path, self.root):
                self.links.add(entry.path)
            else:
                wall.warn(f"skipped `{wall.shown(rel)}`: {wall.OUTSIDE}")
        elif entry.is_file(follow_symlinks=False):
            self.files.add(entry.path)
        else:
            wall.warn(f"skipped `{wall.shown(rel)}`: {wall.SPECIAL}")
        return False

    def result(self) -> list[Path]:
        seen = {os.path.realpath(path) for path in self.files}
        kept = set(self.files)
        for link in sorted(self.links):
            target = os.path.realpath(link)
            problem = wall.unsafe_file(target, root=self.root)
            if problem and problem != "a directory":
                wall.warn(f"skipped `{wall.shown(os.path.relpath(link, self.root))}`: {problem}")
            elif not problem and target not in seen:
                seen.add(target)
                kept.add(link)
        return sorted(Path(path) for path in kept)
