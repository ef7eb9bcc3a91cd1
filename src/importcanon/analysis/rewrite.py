"""Replacing the contents of a user's file while keeping the file itself: a symlink
stays a symlink (its target is written), mode, owner and hard links are kept, and the
content is compared with what was read immediately before it is replaced.

Where the file can keep its identity through a rename (one link, an owner and group this
process can give the new file), the new content goes to a temporary file beside the
target, which is renamed over it: a reader sees the old content or the new, never half,
and a crash leaves the old file whole. Otherwise (hard links, someone else's file, a
folder we may not create files in) the file is rewritten in place through one open
descriptor, which keeps its inode.

Temporary files are named ``.<name>.<random>.importcanon-tmp``; one left behind by a
killed run is removed by the next run that writes into that folder (``clean_stale``).
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

TEMP_SUFFIX = ".importcanon-tmp"
_TEMP_NAME = re.compile(r"\A\..+\.[A-Za-z0-9_]{8}" + re.escape(TEMP_SUFFIX) + r"\Z")


class WriteRefused(Exception):
    """The file was not written; the message says why, in a few words."""


def replace_contents(path: Path, data: bytes, *, expected: bytes, root: Path | None) -> Path:
    """Write ``data`` into the file ``path`` names (through symlinks), provided it still
    holds ``expected``; returns the real path written. Raises WriteRefused."""
    real = Path(os.path.realpath(path))
    if root is not None and not real.is_relative_to(os.path.realpath(root)):
        raise WriteRefused("resolves outside the project root; not written")
    try:
        info = os.lstat(real)
    except OSError as exc:
        raise WriteRefused(f"cannot write: {_reason(exc)}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise WriteRefused("not a regular file; not written")
    try:
        if info.st_nlink > 1 or not _can_own(info):
            _write_in_place(real, data, expected=expected)
        else:
            _write_by_rename(real, data, expected=expected, info=info)
    except OSError as exc:
        raise WriteRefused(f"cannot write: {_reason(exc)}") from exc
    return real


def _can_own(info: os.stat_result) -> bool:
    """Whether a file this process creates can be given ``info``'s owner and group."""
    return os.geteuid() == 0 or (
        info.st_uid == os.geteuid() and (info.st_gid == os.getegid() or info.st_gid in _groups())
    )


def _groups() -> set[int]:
    try:
        return set(os.getgroups())
    except OSError:  # pragma: no cover - platform dependent
        return set()


def _changed() -> WriteRefused:
    return WriteRefused("changed on disk since it was read; not written")


def _write_in_place(real: Path, data: bytes, *, expected: bytes) -> None:
    fd = os.open(real, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "r+b") as handle:
        if handle.read() != expected:
            raise _changed()
        handle.seek(0)
        handle.write(data)
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())


def _write_by_rename(real: Path, data: bytes, *, expected: bytes, info: os.stat_result) -> None:
    try:
        fd, name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=TEMP_SUFFIX, dir=real.parent)
    except PermissionError:  # a folder we may not create files in: the file itself may do
        _write_in_place(real, data, expected=expected)
        return
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
                os.fchown(handle.fileno(), info.st_uid, info.st_gid)
            os.fchmod(handle.fileno(), stat.S_IMODE(info.st_mode))  # after chown, which
            os.fsync(handle.fileno())  # may clear set-id bits
        if real.read_bytes() != expected:  # the last moment before the rename
            raise _changed()
        os.replace(tmp, real)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def clean_stale(folders: Iterable[Path], *, before: float) -> None:
    """Remove our temporary files (by name) older than ``before`` (a time.time() value)
    in ``folders``: left by a run that was killed while writing. Only regular files owned
    by this user are removed; anything else is left alone."""
    for folder in sorted(set(folders)):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith(TEMP_SUFFIX) and _TEMP_NAME.match(entry.name):
                _remove_if_stale(entry, before=before)


def _remove_if_stale(entry: os.DirEntry[str], *, before: float) -> None:
    try:
        info = entry.stat(follow_symlinks=False)
        if stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid() and info.st_mtime < before:
            os.unlink(entry.path)
    except OSError:
        pass


def _reason(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__
