"""Asking git which files it ignores (``git check-ignore``, in a subprocess).

Loaded only when a project that respects ``.gitignore`` files lists its files: the
project (the store's facade) passes ``check_ignore`` to its file index, so that a run of a
project that does not (the benchmark corpora, say) loads no subprocess machinery.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from importcanon.config import wall


def check_ignore(root: Path, relative: list[str]) -> set[str] | None:
    """The paths among ``relative`` (to ``root``) that git ignores; None when git cannot
    say (not a repository, no git, git failed)."""
    payload = "\0".join(relative) + "\0"
    try:
        result = subprocess.run(
            wall.git_command("check-ignore", "-z", "--stdin"),
            cwd=root,
            input=payload.encode(),
            capture_output=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode not in (0, 1):  # not a git repository, or git failed
        return None
    return {p for p in result.stdout.decode().split("\0") if p}
