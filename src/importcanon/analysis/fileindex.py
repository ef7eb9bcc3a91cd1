"""The file index: which files a project checks, and what each one is.

Discovery (excludes, git-ignored files, symbolic links), module names and the root packages
are ``analysis.files``'s; the index computes each on first use and keeps it, adds the
unsaved buffers that do not exist on disk yet, and finds the files of ``text_files`` globs.
It reads directories, never file contents (those are the facts store's).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

from importcanon.analysis.files import (
    GitIgnored,
    SourceFile,
    default_root_packages,
    glob_files,
    module_name,
    source_files,
)
from importcanon.model.contract import ProjectConfig


class FileIndex:
    """The checked files of the project ``config`` describes. ``extra`` names files that
    count even when they are not on disk (unsaved buffers: only its keys are read, on the
    first use of ``files``); ``cache_dir`` (already checked as usable) keeps the walk;
    ``git_ignored`` asks git which files it ignores (``analysis.git.check_ignore``)."""

    def __init__(
        self,
        config: ProjectConfig,
        *,
        git_ignored: GitIgnored,
        extra: Mapping[Path, object] | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        self.config = config
        self.cache_dir = cache_dir
        self.git_ignored = git_ignored
        self._extra: Mapping[Path, object] = extra if extra is not None else {}
        self._text_files: dict[tuple[str, ...], list[Path]] = {}

    @functools.cached_property
    def root_packages(self) -> tuple[str, ...]:
        if self.config.root_packages is not None:
            return self.config.root_packages
        return default_root_packages(self.config)

    @functools.cached_property
    def files(self) -> list[SourceFile]:
        """Every checked file, in the order of their paths relative to the root."""
        files = source_files(
            self.config, self.root_packages, self.cache_dir, git_ignored=self.git_ignored
        )
        known = {f.path for f in files}
        for path in self._extra:  # an unsaved buffer may not exist on disk yet
            if path not in known:
                files.extend(self._extra_file(path))
        return sorted(files, key=lambda f: f.rel)

    @functools.cached_property
    def by_path(self) -> dict[Path, SourceFile]:
        return {f.path: f for f in self.files}

    @functools.cached_property
    def modules(self) -> dict[str, SourceFile]:
        """The modules of the root packages, by dotted name."""
        return {f.module: f for f in self.files if f.in_graph and f.module}

    def text_files(self, patterns: tuple[str, ...]) -> list[Path]:
        """The files that globs (relative to the root) name, as ``glob_files`` finds them."""
        found = self._text_files.get(patterns)
        if found is None:
            found = self._text_files[patterns] = glob_files(self.config.root, patterns)
        return found

    def _extra_file(self, path: Path) -> list[SourceFile]:
        if path.suffix != ".py":  # the fixed content of a contract's text file, say
            return []
        try:
            rel = path.relative_to(self.config.root).as_posix()
        except ValueError:
            return []
        module, under_root = module_name(path, self.config)
        in_graph = under_root and module is not None and module.split(".")[0] in self.root_packages
        return [SourceFile(path, rel, module, path.name == "__init__.py", in_graph)]
