"""A move's journal on disk: ``.importcanon-move/`` in the project root.

``lock``          held (flock) by the process working on the move or recovering it;
``blobs``         every byte string the steps need (files before and after, created
                  files), one after another, written and synced first;
``journal.json``  the steps, git's index before and after, where each blob lies (with its
                  SHA-256); written to ``journal.json.tmp``, synced, renamed into place and
                  the folder synced, all before the first change: while it exists, the
                  move may be half done;
``committed``     made once every step is done, the configuration loads and the index is
                  set: from then on the move is finished, never undone.

The folder is removed when the move is done or undone (``journal.json`` first), so a
finished move leaves nothing, and a folder without ``journal.json`` holds nothing to
recover. A journal is input like any file of the repository: every path in it must be
relative, normal, outside ``.git`` and the journal, with no symbolic link on the way; its
blobs must match their digests. One that does not is refused whole, before anything changes.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

if sys.platform != "win32":
    import fcntl

from importcanon.engine.move.git_index import MODES, Entry, Index
from importcanon.engine.move.steps import OPS, Step, digest, read_all

NAME = ".importcanon-move"
FORMAT = "importcanon-move-journal"
KNOWN = ("journal.json", "journal.json.tmp", "committed", "blobs", "lock")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_READ = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0)
_HEX64 = re.compile(r"\A[0-9a-f]{64}\Z")
_OBJECT = re.compile(r"\A(?:[0-9a-f]{40}|[0-9a-f]{64})\Z")
MAX_JOURNAL = 1 << 30


class JournalError(Exception):
    """A journal that cannot be used: refused whole, nothing changed."""


class Ledger:
    """An open journal folder, its lock held."""

    def __init__(self, root: Path, lock: int) -> None:
        self.root, self.folder, self.lock = root, root / NAME, lock

    # -- writing -------------------------------------------------------------------------
    @classmethod
    def create(
        cls, root: Path, *, move: tuple[str, str], steps: list[Step], index: Index | None,
        blobs: dict[str, bytes],
    ) -> Ledger:  # fmt: skip
        """Write the journal (durably) before the first change; raises OSError, or
        FileExistsError when a journal is already there."""
        folder = root / NAME
        os.mkdir(folder, 0o700)
        _sync(root)
        try:
            ledger = cls(root, _open_lock(folder, create=True))
        except BaseException:
            os.rmdir(folder)
            raise
        try:
            ledger._write(move, steps, index, blobs)
        except BaseException:
            ledger.remove()
            raise
        return ledger

    def _write(
        self, move: tuple[str, str], steps: list[Step], index: Index | None,
        blobs: dict[str, bytes],
    ) -> None:  # fmt: skip
        places: dict[str, list[int]] = {}
        offset = 0
        with _new_file(self.folder / "blobs") as handle:
            for name, data in blobs.items():
                handle.write(data)
                places[name] = [offset, len(data)]
                offset += len(data)
        record = {
            "format": FORMAT, "version": 1, "old": move[0], "new": move[1],
            "steps": [_step_record(s) for s in steps],
            "index": None if index is None else {
                "specs": list(index.specs),
                "before": [list(e) for e in index.before],
                "after": [list(e) for e in index.after],
            },
            "blobs": places,
        }  # fmt: skip
        with _new_file(self.folder / "journal.json.tmp") as handle:
            text = json.dumps(record, separators=(",", ":"))
            handle.write(text.encode("utf-8", "surrogateescape"))
        os.replace(self.folder / "journal.json.tmp", self.folder / "journal.json")
        _sync(self.folder)

    def commit(self) -> None:
        """Past this point the move is finished, never undone."""
        with _new_file(self.folder / "committed"):
            pass
        _sync(self.folder)

    def committed(self) -> bool:
        return os.path.lexists(self.folder / "committed")

    def remove(self) -> None:
        """Delete the journal (``journal.json`` first, so a kill meanwhile leaves nothing
        to recover), then the folder; release the lock."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.folder / "journal.json")
            _sync(self.folder)
        for name in KNOWN:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.folder / name)
        try:
            os.rmdir(self.folder)
        finally:
            self.release()
        _sync(self.root)

    def release(self) -> None:
        """Let the lock go (closing it twice is harmless)."""
        if self.lock >= 0:
            os.close(self.lock)
            self.lock = -1

    # -- reading -------------------------------------------------------------------------
    @classmethod
    def open(cls, root: Path, *, wait: float = 120.0) -> Ledger:
        """Take the lock of the journal folder at ``root`` (waiting for a move still
        running); JournalError if the folder is not a plain folder of ours."""
        folder = root / NAME
        info = os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode):
            raise JournalError(f"{NAME} is not a folder (a symbolic link?); not followed")
        unknown = sorted(set(os.listdir(folder)) - set(KNOWN))
        if unknown:
            raise JournalError(f"{NAME}/ holds {unknown[0]!r}, which importcanon never writes")
        return cls(root, _open_lock(folder, create=True, wait=wait))

    def has_journal(self) -> bool:
        return os.path.lexists(self.folder / "journal.json")

    def load(self) -> tuple[tuple[str, str], list[Step], Index | None, StoredBlobs]:
        """The journal's move, steps, index and blobs; JournalError if anything in it does
        not validate."""
        raw = _read(self.folder / "journal.json", limit=MAX_JOURNAL)
        try:
            record = json.loads(raw.decode("utf-8", "surrogateescape"))
            blobs = StoredBlobs(self.folder / "blobs", record["blobs"])
            return _parse(record, self.root, blobs)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise JournalError(f"{NAME}/journal.json is not a valid journal") from exc


class StoredBlobs:
    """The journal's blobs, every one checked against its digest when the journal is
    loaded (a damaged stash refuses the whole journal)."""

    def __init__(self, path: Path, places: Any) -> None:
        if not isinstance(places, dict):
            raise JournalError("the journal's blob table is not valid")
        whole = memoryview(_read(path, limit=MAX_JOURNAL))
        self.data: dict[str, bytes] = {}
        for name, place in places.items():
            ok = isinstance(place, list) and len(place) == 2
            if not (_HEX64.match(name) and ok and all(type(v) is int and v >= 0 for v in place)):
                raise JournalError("the journal's blob table is not valid")
            data = bytes(whole[place[0] : place[0] + place[1]])
            if len(data) != place[1] or digest(data) != name:
                raise JournalError(f"{NAME}/blobs is damaged (a stashed file does not match)")
            self.data[name] = data
        self.places = places

    def __call__(self, name: str) -> bytes:
        return self.data[name]


def _parse(
    record: Any, root: Path, blobs: StoredBlobs
) -> tuple[tuple[str, str], list[Step], Index | None, StoredBlobs]:
    if record.get("format") != FORMAT or record.get("version") != 1:
        raise JournalError(f"{NAME}/journal.json is not a journal this version can read")
    move = (str(record["old"]), str(record["new"]))
    checker = _Paths(root)
    steps = []
    for item in record["steps"]:
        step = Step(
            op=item["op"], path=item["path"], to=item.get("to", ""),
            before=item.get("before", ""), after=item.get("after", ""),
        )  # fmt: skip
        if step.op not in OPS or not all(isinstance(v, str) for v in vars(step).values()):
            raise JournalError(f"{NAME}/journal.json has a step it does not know")
        for name in (step.before, step.after):
            if name and name not in blobs.places:
                raise JournalError(f"{NAME}/journal.json names a blob it does not hold")
        if (step.op == "rename") != bool(step.to):
            raise JournalError(f"{NAME}/journal.json has a step it does not know")
        for rel in step.paths():
            checker.check(rel)
        steps.append(step)
    index = None
    if record["index"] is not None:
        table = record["index"]
        specs = tuple(checker.text(s) for s in table["specs"])
        index = Index(specs, _entries(table["before"], checker), _entries(table["after"], checker))
    return move, steps, index, blobs


def _entries(items: Any, checker: _Paths) -> tuple[Entry, ...]:
    found = []
    for mode, name, path in items:
        if mode not in MODES or not isinstance(name, str) or not _OBJECT.match(name):
            raise JournalError(f"{NAME}/journal.json has an index entry that is not valid")
        found.append((mode, name, checker.text(path)))
    return tuple(found)


class _Paths:
    """A journal path must name something inside the root, by its text and on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.seen: set[str] = set()

    def text(self, rel: Any) -> str:
        parts = rel.split("/") if isinstance(rel, str) else []
        bad = not parts or "\0" in rel or "\\" in rel
        for part in parts:
            bad = bad or part in ("", ".", "..") or part.casefold().rstrip(". ") == ".git"
        if bad or parts[0].startswith(NAME):
            raise JournalError(f"{NAME}/journal.json names a path it may not: {rel!r}")
        return str(rel)

    def check(self, rel: Any) -> None:
        """No part of the path, where it exists, is a symbolic link (so nothing it names
        resolves outside the root)."""
        parts = self.text(rel).split("/")
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth])
            if prefix in self.seen:
                continue
            try:
                info = os.lstat(self.root.joinpath(*parts[:depth]))
            except FileNotFoundError:
                return
            if stat.S_ISLNK(info.st_mode):
                raise JournalError(f"{NAME}/journal.json names {prefix!r}, a symbolic link")
            if depth < len(parts):
                self.seen.add(prefix)


def _step_record(step: Step) -> dict[str, str]:
    return {k: v for k, v in vars(step).items() if v}


@contextlib.contextmanager
def _new_file(path: Path) -> Iterator[Any]:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as handle:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())


def _read(path: Path, *, limit: int) -> bytes:
    fd = os.open(path, _READ)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode) or os.fstat(fd).st_size > limit:
            raise JournalError(f"{NAME}/{path.name} is not a journal file")
        return read_all(fd)
    finally:
        os.close(fd)


def _sync(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _open_lock(folder: Path, *, create: bool, wait: float = 0.0) -> int:
    flags = os.O_RDWR | _NOFOLLOW | (os.O_CREAT if create else 0)
    fd = os.open(folder / "lock", flags, 0o600)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise JournalError(f"{NAME}/lock is not a file")
        _flock(fd, wait)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _flock(fd: int, wait: float) -> None:
    if sys.platform == "win32":  # pragma: no cover - (no flock: one process is assumed)
        return
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() > deadline:
                if exc.errno in (errno.EAGAIN, errno.EACCES):
                    raise JournalError("another importcanon move is running here") from exc
                raise
            time.sleep(0.05)
