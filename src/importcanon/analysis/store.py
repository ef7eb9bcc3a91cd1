"""The facts store: each file's content and facts (what the rules read of it) and the
digests that key the caches, behind one small interface.

Two implementations: ``DiskStore`` reads files (unsaved buffers first), keeps facts in the
on-disk cache and parses many files in worker processes; ``MemoryStore`` parses the
sources it is given and nothing else (no cache, no workers, no disk), for tests.

The performance mechanics of an analysis live here and nowhere else in the domain code:
the cyclic garbage collector's policy (``one_analysis``, ``paused_collector``,
``keep_resident``), worker processes, and what is imported only on first use (the parser).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from importcanon.analysis.cache import (
    FactsCache,
    Stamp,
    StatIndex,
    digest,
    facts_digest,
    stamp,
)
from importcanon.analysis.files import SourceFile
from importcanon.config import wall

if TYPE_CHECKING:  # a run answered from the cache never loads the facts' classes
    from importcanon.model.facts import FileFacts

FEW_FILES = 16  # more changed files than this are parsed together (in workers, cached)
PARALLEL_MIN_BYTES = 4_000_000  # below this, starting workers costs more than it saves

# What to parse: a file's path (read where it is parsed, so the main process never holds
# every file's text) or its unsaved content; then its module name and whether it is a package.
Item = tuple[str | bytes, str | None, bool]


class UnreadableFile(OSError):
    pass


class FactsStore(Protocol):
    """Where a project's per-file content, facts and digests come from."""

    @property
    def digests(self) -> dict[Path, str]:
        """The content digests known so far (the facts cache's keys), by path."""
        ...

    def read(self, file: SourceFile) -> bytes:
        """The file's content (UnreadableFile when there is none)."""
        ...

    def facts(self, file: SourceFile) -> FileFacts:
        """The file's facts (a syntax error when it does not read, decode or parse)."""
        ...

    def prefetch(self, files: Sequence[SourceFile]) -> None:
        """Compute the facts of all ``files`` in one go."""
        ...

    def facts_digests(self, files: Sequence[SourceFile]) -> Mapping[Path, str]:
        """The digest of each file's facts: what a run's result depends on."""
        ...

    def forget(self, path: Path) -> None:
        """Drop what was derived from ``path``'s content (it changed)."""
        ...


# --- the garbage collector's policy ----------------------------------------------------


def one_analysis() -> None:
    """For a process that runs one analysis and ends: many long-lived objects (facts,
    diagnostics), little cyclic garbage; the cycle collector's passes cost more than they
    free (sympy, cold: about 0.3 s of 3 s, the same peak memory). A fix loop, which
    analyses again and again, keeps the collector."""
    gc.disable()


@contextlib.contextmanager
def paused_collector() -> Iterator[None]:
    """Parsing allocates millions of short-lived nodes while the facts kept so far grow,
    and full collections over them cost more than parsing: the collector waits."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def keep_resident() -> None:
    """An analysis that lives as long as its process (the language server): collect once,
    then no collector pass visits what is kept."""
    gc.collect()
    gc.freeze()


# --- in memory -------------------------------------------------------------------------


class MemoryStore:
    """Facts parsed from the sources given (by path; a file not given is unreadable). The
    mapping is read, not copied: a source changed there is seen after ``forget``."""

    def __init__(self, sources: Mapping[Path, bytes]) -> None:
        self.sources = sources
        self._facts: dict[Path, FileFacts] = {}
        self._digests: dict[Path, str] = {}

    @property
    def digests(self) -> dict[Path, str]:
        return self._digests

    def read(self, file: SourceFile) -> bytes:
        try:
            return self.sources[file.path]
        except KeyError:
            raise UnreadableFile(f"no source given for {file.rel}") from None

    def facts(self, file: SourceFile) -> FileFacts:
        found = self._facts.get(file.path)
        if found is None:
            data, found = _read_and_extract(self, file)
            if data is not None:
                self._digests[file.path] = digest(data, file.module, file.is_init)
            self._facts[file.path] = found
        return found

    def prefetch(self, files: Sequence[SourceFile]) -> None:
        for file in files:
            self.facts(file)

    def facts_digests(self, files: Sequence[SourceFile]) -> Mapping[Path, str]:
        return {file.path: facts_digest(self.facts(file)) for file in files}

    def forget(self, path: Path) -> None:
        self._facts.pop(path, None)
        self._digests.pop(path, None)


# --- on disk, cached -------------------------------------------------------------------


class DiskStore:
    """Files read where they are (regular files inside ``root`` only), ``overrides`` (unsaved
    buffers, read not copied) first. With ``cache_dir`` (already checked as usable), facts
    are kept by content digest and digests by file stamp (size, times and inode)."""

    def __init__(
        self, root: Path, *, overrides: Mapping[Path, bytes], cache_dir: Path | None
    ) -> None:
        self.root = root
        self.overrides = overrides
        self.cache_dir = cache_dir
        self._facts: dict[Path, FileFacts] = {}
        self._digests: dict[Path, str] = {}  # of content
        self._semantics: dict[Path, str] = {}  # of facts
        self._stats: dict[Path, Stamp] = {}
        self._prefetched = False

    @property
    def digests(self) -> dict[Path, str]:
        return self._digests

    def read(self, file: SourceFile) -> bytes:
        if file.path in self.overrides:
            return self.overrides[file.path]
        try:
            return wall.read_regular(file.path, root=self.root)
        except OSError as exc:
            raise UnreadableFile(str(exc)) from exc

    def facts(self, file: SourceFile) -> FileFacts:
        found = self._facts.get(file.path)
        if found is None:
            _, found = _read_and_extract(self, file)
            self._facts[file.path] = found
        return found

    def forget(self, path: Path) -> None:
        self._facts.pop(path, None)
        self._digests.pop(path, None)
        self._semantics.pop(path, None)

    @functools.cached_property
    def _cache(self) -> FactsCache:
        return FactsCache(self.cache_dir)

    @functools.cached_property
    def _index(self) -> StatIndex:
        return StatIndex(self.cache_dir)

    def prefetch(self, files: Sequence[SourceFile]) -> None:
        """Every file's facts: from the cache where the content is known, else parsed, in
        worker processes when there are many, with the collector paused."""
        if self._prefetched:
            return
        with paused_collector():
            self._digest_all(files)
            todo: list[SourceFile] = []
            for file in files:
                key = self._digests.get(file.path)
                if file.path in self._facts:
                    if key is not None:
                        self._cache.put(key, self._facts[file.path])
                    continue
                cached = self._cache.get(key) if key is not None else None
                if cached is not None:
                    self._facts[file.path] = cached
                else:
                    todo.append(file)
            items: list[Item] = [
                (
                    self.overrides[f.path] if f.path in self.overrides else str(f.path),
                    f.module,
                    f.is_init,
                )
                for f in todo
            ]
            for file, (key, facts) in zip(
                todo, parse_many(items, root=str(self.root)), strict=True
            ):
                self._facts[file.path] = facts
                if key is not None and key == self._digests.get(file.path, key):
                    self._digests[file.path] = key  # (unchanged since it was hashed)
                    self._cache.put(key, facts)
            self._cache.save()
            self._prefetched = True

    def _digest_all(self, files: Sequence[SourceFile]) -> None:
        """The content digest of every readable file (its cache key); with a cache, an
        unchanged file's digests (of its content and of its facts) come from its stamp."""
        if self.cache_dir is None or all(file.path in self._digests for file in files):
            return  # without a cache, no digest is needed (prefetch records what it parses)
        index = self._index
        for file in files:
            if file.path in self._digests:
                continue
            stat = None
            if file.path not in self.overrides:
                try:
                    stat = os.stat(file.path)
                except OSError:
                    stat = None
            if stat is not None:
                point = stamp(stat)
                known = index.get(str(file.path), point, file.module, file.is_init)
                if known is not None:
                    self._digests[file.path], self._semantics[file.path] = known
                    continue
                self._stats[file.path] = point
            try:
                data = self.read(file)
            except UnreadableFile:
                continue
            self._digests[file.path] = digest(data, file.module, file.is_init)

    def facts_digests(self, files: Sequence[SourceFile]) -> Mapping[Path, str]:
        """The digest of every file's facts (the rules read facts, not text, except where
        a contract says otherwise; see engine.run); those of files read this run are
        recorded under their stamps."""
        self._digest_all(files)
        missing = [file for file in files if file.path not in self._semantics]
        if len(missing) > FEW_FILES:
            self.prefetch(files)
        for file in missing:
            self._semantics[file.path] = facts_digest(self.facts(file))
        self._remember(files)
        return self._semantics

    def _remember(self, files: Sequence[SourceFile]) -> None:
        if not self._stats:  # every file's digests came from its stamp: nothing new
            return
        for file in files:
            point = self._stats.get(file.path)
            key, facts_key = self._digests.get(file.path), self._semantics.get(file.path)
            if point is not None and key is not None and facts_key is not None:
                del self._stats[file.path]
                self._index.put(str(file.path), point, file.module, file.is_init, (key, facts_key))
        self._index.save()


# --- parsing, in worker processes when there is much -------------------------------------


def _read_and_extract(store: FactsStore, file: SourceFile) -> tuple[bytes | None, FileFacts]:
    """A file's content (None when it cannot be read) and its facts, parsed here."""
    from importcanon.analysis.parse import extract  # the parser: only when a file is parsed

    try:
        data = store.read(file)
    except UnreadableFile as exc:
        return None, unreadable(exc)
    return data, extract(data, module=file.module, is_init=file.is_init)


def unreadable(exc: OSError) -> FileFacts:
    from importcanon.model.facts import FileFacts

    return FileFacts(syntax_error=(1, 1, f"cannot read file: {exc}"))


def extract_item(item: Item, *, root: str) -> tuple[str | None, FileFacts]:
    """(content digest, facts) of one item; no digest when the file cannot be read (a
    file is read only when it is a regular file inside ``root``)."""
    from importcanon.analysis.parse import extract

    source, module, is_init = item
    if isinstance(source, str):
        try:
            source = wall.read_regular(source, root=root)
        except OSError as exc:
            return None, unreadable(exc)
    return digest(source, module, is_init), extract(source, module=module, is_init=is_init)


def parse_many(items: list[Item], *, root: str) -> list[tuple[str | None, FileFacts]]:
    """``extract_item`` over many files; in worker processes (one per core) when large."""
    sizes = [_size(source) for source, _, _ in items]
    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or sum(sizes) < PARALLEL_MIN_BYTES:
        return [extract_item(item, root=root) for item in items]
    import multiprocessing as mp  # loaded only for a large parse: it costs 10 ms to load
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in mp.get_all_start_methods():
        return [extract_item(item, root=root) for item in items]
    chunks: list[list[int]] = [[] for _ in range(workers * 4)]
    order = sorted(range(len(items)), key=lambda i: -sizes[i])
    for position, index in enumerate(order):  # deal largest first, round robin
        chunks[position % len(chunks)].append(index)
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
        extract = functools.partial(_extract_chunk, root=root)
        results = list(pool.map(extract, [[items[i] for i in c] for c in chunks]))
    found: list[tuple[str | None, FileFacts] | None] = [None] * len(items)
    for chunk, facts in zip(chunks, results, strict=True):
        for index, fact in zip(chunk, facts, strict=True):
            found[index] = fact
    return [fact for fact in found if fact is not None]


def _size(source: str | bytes) -> int:
    if isinstance(source, bytes):
        return len(source)
    try:
        return os.path.getsize(source)
    except OSError:
        return 0


def _extract_chunk(chunk: list[Item], *, root: str) -> list[tuple[str | None, FileFacts]]:
    gc.disable()  # a worker parses and ends: the collector would only slow it
    return [extract_item(item, root=root) for item in chunk]
