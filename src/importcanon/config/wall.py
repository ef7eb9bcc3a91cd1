"""The project root is a wall: what is read lies inside it and is a regular file.

A repository is hostile input. A configured path must stay inside the root (checked on
its text, before anything is read); a symbolic link is read only when its target lies
inside the root; a FIFO, device or socket is never opened in a way that could block, and
never read.
"""

from __future__ import annotations

import errno
import functools
import os
import stat
import sys
from pathlib import Path, PurePosixPath, PureWindowsPath

_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # opening a FIFO must not wait for a writer
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class OutsideRoot(OSError):
    """A file that resolves outside the project root: never read."""


class NotRegular(OSError):
    """A FIFO, device, socket or directory where a file was expected: never read."""


class TooLarge(OSError):
    """A file larger than any source, text or configuration file (a sparse file of
    terabytes costs a repository nothing): never read, so memory is not exhausted."""


MAX_FILE_BYTES = 64 << 20


def escapes_root(relative: str) -> bool:
    """A configured path or glob (relative to the project root, by its text) that may
    name something outside the root: absolute, with a drive, or with a ``..`` segment."""
    text = relative.strip()
    if not text or text.startswith(("/", "\\", "~")):
        return bool(text)
    if PurePosixPath(text).is_absolute() or PureWindowsPath(text).drive:
        return True
    return ".." in text.replace("\\", "/").split("/")


def is_within(path: str, root: str) -> bool:
    """``path`` (already resolved) is ``root`` or lies below it."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


@functools.lru_cache(maxsize=256)
def real_root(root: str) -> str:
    return os.path.realpath(root)


def resolves_inside(path: str | Path, root: str | Path) -> bool:
    """``path``, with every symbolic link on the way followed, lies inside ``root``."""
    return is_within(os.path.realpath(path), real_root(str(root)))


OUTSIDE = "a symbolic link that leads outside the project root"
SPECIAL = "not a regular file (a FIFO, device or socket)"


def unsafe_file(path: str | Path, *, root: str | Path) -> str | None:
    """Why ``path`` must not be read (OUTSIDE or SPECIAL), or None. A missing file or a
    broken link is not unsafe: reading it fails, and that is reported as such."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if stat.S_ISLNK(info.st_mode):
        if not resolves_inside(path, root):
            return OUTSIDE
        try:
            info = os.stat(path)
        except OSError:
            return None
    if stat.S_ISREG(info.st_mode):
        return None
    return "a directory" if stat.S_ISDIR(info.st_mode) else SPECIAL


def read_regular(path: str | Path, *, root: str | Path) -> bytes:
    """The bytes of a regular file inside ``root``. A symbolic link is followed only when
    its target lies inside the root (else OutsideRoot); anything but a regular file is
    NotRegular; one over MAX_FILE_BYTES (or growing past it as it is read) is TooLarge.
    Raises OSError when the file cannot be read."""
    fd = _open(path, root=root)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(errno.EINVAL, "not a regular file", str(path))
        chunks: list[bytes] = []
        size = 0 if info.st_size <= MAX_FILE_BYTES else MAX_FILE_BYTES + 1
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, min(max(info.st_size, 65536), MAX_FILE_BYTES) + 1)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
        raise TooLarge(errno.EFBIG, f"larger than {MAX_FILE_BYTES >> 20} MiB", str(path))
    finally:
        os.close(fd)


def _open(path: str | Path, *, root: str | Path) -> int:
    if not _NOFOLLOW and os.path.islink(path):  # (where O_NOFOLLOW does not exist)
        return _open_link(path, root=root)
    try:
        return os.open(path, _READ_FLAGS | _NOFOLLOW)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK) and os.path.islink(path):
            return _open_link(path, root=root)
        raise


def _open_link(path: str | Path, *, root: str | Path) -> int:
    target = os.path.realpath(path)
    if not is_within(target, real_root(str(root))):
        raise OutsideRoot(errno.EACCES, "a symbolic link to outside the project root", str(path))
    return os.open(target, _READ_FLAGS)


def shown(text: str) -> str:
    """``text`` (a name from the repository) with unprintable characters escaped, fit for
    one line of a terminal or a CI log."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escape(c) for c in text)


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def git_command(*args: str) -> list[str]:
    """The command line running ``git`` with ``args`` in a repository's folder, with the
    repository's own ways to run a program switched off: a ``.git/config`` (an unpacked
    archive carries one) naming a ``core.fsmonitor`` hook would have git run it on any
    command that reads the index (``check-ignore``, ``ls-files``, ``mv``), and the hooks
    of ``.git/hooks`` (or of a ``core.hooksPath`` it names) run on commands that write
    the index (``post-index-change`` on ``add`` and ``mv``): hooks are looked for in the
    null device, where there are none."""
    return ["git", "-c", "core.fsmonitor=false", "-c", f"core.hooksPath={os.devnull}", *args]


@functools.cache
def warn(message: str) -> None:
    """Print a warning once per process (a run builds several projects; fixes re-analyse)."""
    print(f"importcanon: warning: {message}", file=sys.stderr)
