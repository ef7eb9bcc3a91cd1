"""The steps of a move as its journal records them: how each is done, undone, and told
apart on disk.

A step is never marked done; the tree says where it stands. A folder the move makes
exists or not; a file it creates is absent or holds the planned bytes; a rename's source or
its target exists; an edited file holds the bytes before the edit or after it. Anything
else (both ends of a rename, bytes that are neither) was changed by someone else since the
move began: such a file is never overwritten, and nothing is done (`Foreign`). Every path
is relative to the project root, and its last part is never followed if it is a link.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from importcanon.analysis.rewrite import WriteRefused, replace_contents

OPS = ("mkdir", "create", "rename", "remove", "edit")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_READ = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


@dataclass(frozen=True)
class Step:
    """``mkdir path``; ``create path`` holding blob ``after``; ``rename path`` to ``to``;
    ``remove path`` holding blob ``before``; ``edit path`` from blob ``before`` to blob
    ``after`` (the path the file has once the move is done)."""

    op: str
    path: str
    to: str = ""
    before: str = ""
    after: str = ""

    def paths(self) -> list[str]:
        return [self.path, self.to] if self.to else [self.path]


class Foreign(Exception):
    """A path of the move is in neither the state before nor after its step."""

    def __init__(self, path: str, why: str) -> None:
        super().__init__(f"{path} {why}")
        self.path = path


Blobs = Callable[[str], bytes]  # a digest to its bytes


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read(path: Path, rel: str) -> bytes | None:
    """A file's bytes (None when absent), never through a link: a link, folder or special
    file where the journal expects a file is Foreign."""
    try:
        fd = os.open(path, _READ)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK):
            raise Foreign(rel, "is a symbolic link; not followed") from exc
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Foreign(rel, "is not a regular file")
        return read_all(fd)
    finally:
        os.close(fd)


def read_all(fd: int) -> bytes:
    """Everything left to read from an open file."""
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _under(path: str, folder: str) -> str | None:
    """``path`` relative to ``folder`` ('' when equal), or None when not inside it."""
    if path == folder:
        return ""
    return path[len(folder) + 1 :] if path.startswith(folder + "/") else None


def _is_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


class Tree:
    """The steps of one move over the tree at ``root``: where each stands, and doing or
    undoing them in order."""

    def __init__(self, root: Path, steps: list[Step], blobs: Blobs) -> None:
        self.root, self.steps, self.blobs = root, steps, blobs
        self.renames = [s for s in steps if s.op == "rename"]

    def at(self, rel: str) -> Path:
        return self.root.joinpath(*rel.split("/"))

    def states(self) -> list[bool]:
        """Whether each step is done; raises Foreign (before anything is changed)."""
        return [self._done(step) for step in self.steps]

    def _done(self, step: Step) -> bool:
        path = self.at(step.path)
        if step.op == "mkdir":
            return _is_dir(path)
        if step.op == "rename":
            there, here = os.path.lexists(self.at(step.to)), os.path.lexists(path)
            if there == here:
                why = "and its new place both exist" if here else "is missing (nor moved)"
                raise Foreign(step.path, why)
            return there
        data = read(path, step.path)
        if step.op in ("create", "remove"):
            if data is not None and digest(data) != (step.after or step.before):
                raise Foreign(step.path, "was changed by someone else; not overwritten")
            return (data is None) == (step.op == "remove")
        if data is None:
            return self._edit_not_moved_yet(step)
        found = digest(data)
        if found not in (step.before, step.after):
            raise Foreign(step.path, "was changed by someone else; not overwritten")
        return found == step.after

    def _edit_not_moved_yet(self, step: Step) -> bool:
        """An edited file that is missing: still at its old place (the rename it follows
        not done), holding its bytes before the edit; else Foreign."""
        for rename in self.renames:
            tail = _under(step.path, rename.to)
            if tail is not None and os.path.lexists(self.at(rename.path)):
                old = f"{rename.path}/{tail}" if tail else rename.path
                data = read(self.at(old), old)
                if data is not None and digest(data) == step.before:
                    return False
                raise Foreign(old, "was changed by someone else; not overwritten")
        raise Foreign(step.path, "is missing")

    def forward(
        self, *, between: Callable[[], None] = lambda: None, states: list[bool] | None = None
    ) -> None:
        """Do every step not yet done, in order (``between``: called before each;
        ``states``: as ``states()`` just returned)."""
        for step, done in zip(self.steps, states or self.states(), strict=True):
            between()
            if not done:
                self._do(step)

    def backward(self, *, states: list[bool] | None = None) -> None:
        """Undo every step done, in reverse order."""
        for step, done in reversed(list(zip(self.steps, states or self.states(), strict=True))):
            if done:
                self._undo(step)

    def _do(self, step: Step) -> None:
        path = self.at(step.path)
        if step.op == "mkdir":
            os.mkdir(path)
        elif step.op == "create":
            _create(path, self.blobs(step.after))
        elif step.op == "rename":
            _rename(path, self.at(step.to), step.to)
        elif step.op == "remove":
            os.unlink(path)
        else:
            replace_contents(
                path, self.blobs(step.after), expected=self.blobs(step.before), root=self.root
            )

    def _undo(self, step: Step) -> None:
        path = self.at(step.path)
        if step.op == "mkdir":
            try:
                os.rmdir(path)
            except OSError as exc:
                if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
                    raise Foreign(step.path, "holds files the move did not make") from exc
                raise
        elif step.op == "create":
            os.unlink(path)
        elif step.op == "rename":
            _rename(self.at(step.to), path, step.path)
        elif step.op == "remove":
            _create(path, self.blobs(step.before))
        else:
            replace_contents(
                path, self.blobs(step.before), expected=self.blobs(step.after), root=self.root
            )

    def folders(self) -> set[Path]:
        """Every folder a step writes into, on either side of a rename (where a killed
        write may have left a temporary file)."""
        found = set()
        for step in self.steps:
            for rel in step.paths():
                found.add(self.at(rel).parent)
                for rename in self.renames:
                    tail = _under(rel, rename.to)
                    if tail:
                        found.add(self.at(f"{rename.path}/{tail}").parent)
        return {f for f in found if _is_dir(f)}


def _create(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def _rename(source: Path, target: Path, shown: str) -> None:
    if os.path.lexists(target):  # (os.rename would replace it)
        raise Foreign(shown, "already exists; not replaced")
    os.rename(source, target)


def fsync_folders(folders: Iterable[Path]) -> None:
    """Make the renames and new files in ``folders`` durable (where a folder can be
    opened for that)."""
    for folder in sorted(set(folders)):
        try:
            fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW)
        except OSError:
            continue
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)


FAILURES = (OSError, WriteRefused, Foreign)
