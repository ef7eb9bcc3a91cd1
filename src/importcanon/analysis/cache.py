"""The caches: per-file facts keyed by a digest of the file's content (and its module
name), so a fresh checkout with the same files hits it too; whole-run results; digests by
file size and time; the file list; fixes. All are named after importcanon's build,
replaced atomically, and rebuilt (with a warning, for facts) when corrupt."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import pickle
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from importcanon import __version__
from importcanon.analysis.atomic import write_atomically

if TYPE_CHECKING:
    from importcanon.model.facts import FileFacts

FORMAT = 1
RACY_NS = 2_000_000_000  # a time this recent may not change on the next change: not trusted


@functools.lru_cache(maxsize=1)
def build_id() -> str:
    """The version, plus the size and time of every source file of importcanon itself, so
    that an editable install whose rules changed does not read results of the old ones."""
    h = hashlib.blake2b(f"{__version__}/{FORMAT}".encode(), digest_size=8)
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        h.update(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return h.hexdigest()


def prepare(directory: Path) -> None:
    """Create the cache folder, ignored by git (as ruff does) and tagged as a cache."""
    directory.mkdir(parents=True, exist_ok=True)
    ignore = directory / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# created by importcanon\n*\n", encoding="utf-8")
        (directory / "CACHEDIR.TAG").write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n# importcanon cache\n",
            encoding="utf-8",
        )


def _store(target: Path, value: Any, entry: Path) -> None:
    """Write ``value`` pickled to ``target`` atomically. ``entry`` is this build's file or
    folder in the cache (``facts-<build>.pickle``, ``results-<build>``): other builds'
    entries of the same kind are removed. A failure is a warning, never an error."""
    try:
        prepare(entry.parent)
        kind = entry.name.split("-")[0]
        for stale in entry.parent.glob(f"{kind}-*"):
            if stale != entry:
                if stale.is_dir():
                    import shutil

                    shutil.rmtree(stale, ignore_errors=True)
                else:
                    stale.unlink(missing_ok=True)
        target.parent.mkdir(exist_ok=True)
        write_atomically(target, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError as exc:
        print(f"importcanon: warning: cannot write cache: {exc}", file=sys.stderr)


def digest(data: bytes, module: str | None, is_init: bool) -> str:
    h = hashlib.blake2b(data, digest_size=16)
    h.update(f"\0{module}\0{is_init}".encode())
    return h.hexdigest()


def facts_digest(facts: FileFacts) -> str:
    """A digest of a file's facts that is the same in every process (sets are sorted)."""
    h = hashlib.blake2b(digest_size=16)
    for item in dataclasses.fields(facts):
        value = getattr(facts, item.name)
        if isinstance(value, frozenset):
            value = sorted(value)
        h.update(f"{item.name}={value!r}\0".encode())
    return h.hexdigest()


class FactsCache:
    """Per-file facts by content digest, in SHARDS pickles chosen by the digest, so that a
    run which parsed a few files rewrites only their shards. A shard keeps the facts this
    run used from it (a content that no file has any more drops out); a corrupt shard is
    rebuilt with a warning."""

    SHARDS = 64

    def __init__(self, directory: Path | None) -> None:
        self.folder = directory / f"facts-{build_id()}" if directory else None
        self._stored: dict[int, dict[str, FileFacts]] = {}  # the shards read so far
        self._used: dict[int, dict[str, FileFacts]] = {}

    def _shard(self, key: str) -> int:
        return int(key[:4], 16) % self.SHARDS

    def _load(self, shard: int) -> dict[str, FileFacts]:
        found = self._stored.get(shard)
        if found is not None:
            return found
        found = {}
        path = self.folder / f"{shard:02d}.pickle" if self.folder else None
        if path is not None and path.exists():
            try:
                with path.open("rb") as handle:
                    found = pickle.load(handle)
                if not isinstance(found, dict):
                    raise TypeError("not a cache")
            except Exception as exc:
                print(
                    f"importcanon: warning: cache {path} is unreadable ({type(exc).__name__}); "
                    "rebuilding it",
                    file=sys.stderr,
                )
                found = {}
        self._stored[shard] = found
        return found

    def get(self, key: str) -> FileFacts | None:
        shard = self._shard(key)
        found = self._load(shard).get(key)
        if found is not None:
            self._used.setdefault(shard, {})[key] = found
        return found

    def put(self, key: str, facts: FileFacts) -> None:
        self._used.setdefault(self._shard(key), {})[key] = facts

    def save(self) -> None:
        """Keep what this run used (a run that saves has looked up every file); skip the
        shards that did not change."""
        if self.folder is None:
            return
        for shard, used in self._used.items():
            if set(used) != set(self._load(shard)):
                _store(self.folder / f"{shard:02d}.pickle", used, self.folder)
                self._stored[shard] = dict(used)


class ResultCache:
    """Whole-run results by fingerprint (every file's digest, the configuration, the
    contracts, the options): an unchanged project is answered without re-checking. One
    file per fingerprint; the most recent few are kept."""

    KEEP = 8

    def __init__(self, directory: Path | None) -> None:
        self.folder = directory / f"results-{build_id()}" if directory else None

    def get(self, key: str) -> Any:
        if self.folder is None:
            return None
        try:
            with (self.folder / f"{key}.pickle").open("rb") as handle:
                return pickle.load(handle)
        except Exception:
            return None

    def put(self, key: str, value: Any) -> None:
        if self.folder is None:
            return
        _store(self.folder / f"{key}.pickle", value, self.folder)
        try:
            entries = sorted(self.folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns)
            for old in entries[: -self.KEEP]:
                old.unlink(missing_ok=True)
        except OSError:
            pass  # another run pruned it first


class StatIndex:
    """Remembers each file's digests (of its content and of its facts) by its size and
    modification time, so an unchanged file is not read again (the caches stay keyed by
    content)."""

    def __init__(self, directory: Path | None) -> None:
        self.path = directory / f"stat-{build_id()}.pickle" if directory else None
        self._entries: dict[str, tuple[int, int, str | None, bool, tuple[str, str]]] = {}
        self._changed = False
        if self.path is not None and self.path.exists():
            try:
                with self.path.open("rb") as handle:
                    entries = pickle.load(handle)
                if isinstance(entries, dict):
                    self._entries = entries
            except Exception:
                self._entries = {}

    def get(
        self, path: str, size: int, mtime_ns: int, module: str | None, is_init: bool
    ) -> tuple[str, str] | None:
        """(content digest, facts digest) of an unchanged file."""
        entry = self._entries.get(path)
        if entry is not None and entry[:4] == (size, mtime_ns, module, is_init):
            return entry[4]
        return None

    def put(
        self,
        path: str,
        size: int,
        mtime_ns: int,
        module: str | None,
        is_init: bool,
        keys: tuple[str, str],
    ) -> None:
        if mtime_ns > time.time_ns() - RACY_NS:
            return  # racily clean: the next change might keep this size and time
        self._entries[path] = (size, mtime_ns, module, is_init, keys)
        self._changed = True

    def save(self) -> None:
        if self.path is None or not self._changed:
            return
        _store(self.path, self._entries, self.path)
        self._changed = False


class FixCache:
    """Materialized fixes of one file by their inputs (see fixes.inputs), so that output
    formats showing fixes do not re-run libcst on every save. One pickle per file."""

    def __init__(self, directory: Path | None) -> None:
        self.folder = directory / f"fixes-{build_id()}" if directory else None

    def _path(self, source: Path) -> Path | None:
        if self.folder is None:
            return None
        name = hashlib.blake2b(str(source).encode(), digest_size=12).hexdigest()
        return self.folder / f"{name}.pickle"

    def load(self, source: Path) -> dict[str, Any]:
        path = self._path(source)
        if path is None or not path.exists():
            return {}
        try:
            with path.open("rb") as handle:
                found = pickle.load(handle)
            return found if isinstance(found, dict) else {}
        except Exception:
            return {}

    def save(self, source: Path, fixes: dict[str, Any]) -> None:
        path = self._path(source)
        if path is None or self.folder is None:
            return
        _store(path, fixes, self.folder)


class TreeCache:
    """The checked files, with the modification time of every directory walked to find
    them. A time within RACY_NS of the walk is not recorded (as git does with racily clean
    entries): the file system might not advance it on a change made in the same tick."""

    def __init__(self, directory: Path | None, key: str) -> None:
        self.path = directory / f"tree-{build_id()}.pickle" if directory else None
        self.key = key

    def get(self) -> Any:
        if self.path is None or not self.path.exists():
            return None
        try:
            with self.path.open("rb") as handle:
                key, times, files = pickle.load(handle)
        except Exception:
            return None
        if key != self.key:
            return None
        for directory, mtime in times:
            try:
                if os.stat(directory).st_mtime_ns != mtime:
                    return None
            except OSError:
                return None
        return files

    def put(self, directories: list[str], files: Any) -> None:
        if self.path is None:
            return
        limit = time.time_ns() - RACY_NS
        times = []
        for directory in directories:
            try:
                mtime = os.stat(directory).st_mtime_ns
            except OSError:
                return
            if mtime > limit:
                return
            times.append((directory, mtime))
        _store(self.path, (self.key, times, files), self.path)
