"""git's index for a move: the entries of the paths it touches before and after, set in
one `git update-index --index-info` (one atomic write of the index, whichever way).

What `git mv` would leave is computed before anything changes: each entry under a moved
path is carried to its new path with the same mode and blob, a removed file's entry is
dropped, and a created file is staged with the blob `git add` would have written. Setting
either side is idempotent, and the index says which side it is on, so a kill at any point
is recovered by setting the journal's side again.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from importcanon.config.wall import git_command

Entry = tuple[str, str, str]  # (mode, object name, path relative to the project root)
MODES = ("100644", "100755", "120000", "160000")


@dataclass(frozen=True)
class Index:
    """The index entries under ``specs`` before and after the move."""

    specs: tuple[str, ...]
    before: tuple[Entry, ...]
    after: tuple[Entry, ...]


class IndexChanged(Exception):
    """The index holds, for the move's paths, neither the entries before nor after."""


def _run(root: Path, *args: str, data: bytes | None = None) -> bytes:
    # (update-index hashes files whose stat looks racy, through the clean filters)
    env = {**os.environ, **filters_off(root), "GIT_LITERAL_PATHSPECS": "1"}
    return subprocess.run(
        git_command(*args), cwd=root, input=data, env=env,
        capture_output=True, check=True, timeout=120,
    ).stdout  # fmt: skip


def entries(root: Path, specs: tuple[str, ...]) -> tuple[Entry, ...]:
    """The stage-0 entries under ``specs``; a path with merge conflicts is an error."""
    listed = _run(root, "ls-files", "-s", "-z", "--", *specs).decode("utf-8", "surrogateescape")
    found = []
    for record in filter(None, listed.split("\0")):
        head, _, path = record.partition("\t")
        mode, name, stage = head.split(" ")
        if stage != "0":
            raise IndexChanged(f"{path} has unresolved merge conflicts in git's index")
        found.append((mode, name, path))
    return tuple(sorted(found))


def _set(root: Path, drop: set[str], entries: tuple[Entry, ...]) -> None:
    prefix = _run(root, "rev-parse", "--show-prefix").decode("utf-8", "surrogateescape").strip()
    zeros = "0" * len(entries[0][1] if entries else _empty_blob(root))
    lines = [f"0 {zeros}\t{prefix}{path}\0" for path in sorted(drop)]
    lines += [f"{mode} {name}\t{prefix}{path}\0" for mode, name, path in entries]
    data = "".join(lines).encode("utf-8", "surrogateescape")
    _run(root, "update-index", "-z", "--index-info", data=data)


def _empty_blob(root: Path) -> str:
    return _run(root, "hash-object", "--stdin", data=b"").decode().strip()


def move(root: Path, index: Index, *, forward: bool) -> None:
    """Set the index to the entries after the move (``forward``) or before it."""
    want, other = (index.after, index.before) if forward else (index.before, index.after)
    found = entries(root, index.specs)
    if found == tuple(sorted(want)):
        return
    if found != tuple(sorted(other)):
        raise IndexChanged("git's index changed for the moved paths since the move began")
    _set(root, {p for _, _, p in other} - {p for _, _, p in want}, want)


def filters_off(root: Path) -> dict[str, str]:
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
