"""The facts cache: per-file facts keyed by a digest of the file's content (and its module
name), so a fresh checkout with the same files hits it too. One pickle per cache
directory and format version, replaced atomically; a corrupt cache is rebuilt with a
warning."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import pickle
import shutil
import sys
from pathlib import Path
from typing import Any

from importcanon import __version__
from importcanon.analysis.atomic import write_atomically
from importcanon.model.facts import FileFacts

FORMAT = 1


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
    def __init__(self, directory: Path | None) -> None:
        self.path = directory / f"facts-{build_id()}.pickle" if directory else None
        self._stored: dict[str, FileFacts] = {}
        self._used: dict[str, FileFacts] = {}
        self._loaded = False
        self.hits = 0

    def _load(self) -> None:
        self._loaded = True
        if self.path is None or not self.path.exists():
            return
        try:
            with self.path.open("rb") as handle:
                stored = pickle.load(handle)
            if not isinstance(stored, dict):
                raise TypeError("not a cache")
            self._stored = stored
        except Exception as exc:
            print(
                f"importcanon: warning: cache {self.path} is unreadable ({type(exc).__name__}); "
                "rebuilding it",
                file=sys.stderr,
            )
            self._stored = {}

    def get(self, key: str) -> FileFacts | None:
        if not self._loaded:
            self._load()
        found = self._stored.get(key)
        if found is not None:
            self._used[key] = found
            self.hits += 1
        return found

    def put(self, key: str, facts: FileFacts) -> None:
        self._used[key] = facts

    def save(self) -> None:
        """Keep what this run used; skip the write when nothing changed."""
        if self.path is None or set(self._used) == set(self._stored):
            return
        try:
            prepare(self.path.parent)
            write_atomically(self.path, pickle.dumps(self._used, protocol=pickle.HIGHEST_PROTOCOL))
            for stale in self.path.parent.glob("facts-*.pickle"):  # other builds' caches
                if stale != self.path:
                    stale.unlink(missing_ok=True)
        except OSError as exc:
            print(f"importcanon: warning: cannot write cache: {exc}", file=sys.stderr)
        self._stored = dict(self._used)


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
        try:
            prepare(self.folder.parent)
            for stale in self.folder.parent.glob("results-*"):  # other builds' results
                if stale != self.folder:
                    shutil.rmtree(stale, ignore_errors=True)
            self.folder.mkdir(exist_ok=True)
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            write_atomically(self.folder / f"{key}.pickle", data)
            entries = sorted(self.folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns)
            for old in entries[: -self.KEEP]:
                old.unlink(missing_ok=True)
        except OSError as exc:
            print(f"importcanon: warning: cannot write cache: {exc}", file=sys.stderr)


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
        self._entries[path] = (size, mtime_ns, module, is_init, keys)
        self._changed = True

    def save(self) -> None:
        if self.path is None or not self._changed:
            return
        try:
            prepare(self.path.parent)
            write_atomically(
                self.path, pickle.dumps(self._entries, protocol=pickle.HIGHEST_PROTOCOL)
            )
            for stale in self.path.parent.glob("stat-*.pickle"):
                if stale != self.path:
                    stale.unlink(missing_ok=True)
        except OSError as exc:
            print(f"importcanon: warning: cannot write cache: {exc}", file=sys.stderr)
        self._changed = False
