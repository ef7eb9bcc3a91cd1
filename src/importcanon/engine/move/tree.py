"""Walking a folder of any depth: an explicit stack, never recursion (`os.walk` and
`Path.rglob` recurse once per level on Python 3.11, and a tree 1,100 folders deep, which
costs a repository nothing, would end the move with a RecursionError)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path


def entries(top: Path, *, skip: Callable[[str], bool] | None = None) -> Iterator[tuple[Path, bool]]:
    """Every entry below ``top`` as ``(path, is_folder)``, depth first in name order. A
    folder whose name ``skip`` accepts is neither given nor entered; a symbolic link to a
    folder is given (as a folder) but never entered; a folder that cannot be listed is
    given and not entered."""
    stack = [str(top)]
    while stack:
        try:
            with os.scandir(stack.pop()) as listing:
                found = sorted(listing, key=lambda e: e.name)
        except OSError:
            continue
        below = []
        for entry in found:
            try:
                folder = entry.is_dir()
            except OSError:
                folder = False
            if folder and skip is not None and skip(entry.name):
                continue
            yield Path(entry.path), folder
            if folder and not entry.is_symlink():
                below.append(entry.path)
        stack.extend(reversed(below))
