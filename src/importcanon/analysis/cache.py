"""The caches: per-file facts keyed by a digest of the file's content (and its module
name); whole-run results; digests by file identity (size, times, inode); the file list;
fixes. All are named after importcanon's build and replaced atomically.

A cache is untrusted input. It is stored with marshal, as plain values only (dicts,
lists, strings, integers, booleans and None: marshal builds values and never runs code,
unlike pickle), and every value read is checked for its type and shape; anything else
(a code object, a set, a float, bytes that do not decode) is a miss. The folder is used only once
verified (see ``usable``): not a symlink, holding no symlink, empty or marked as an
importcanon cache, owned by the user. Files are opened without following symlinks and
replaced by rename (which replaces a link, never writes through it), and pruning removes
only entries whose names follow importcanon's own scheme.
"""

from __future__ import annotations

import contextlib
import functools
import marshal
import operator
import os
import stat
import sys
import time
from collections.abc import Iterable, Iterator
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

from importcanon import __version__
from importcanon.analysis.plain import plain
from importcanon.model.blake import blake2b

if TYPE_CHECKING:
    from importcanon.analysis.cacheformat import FixEntry
    from importcanon.model.facts import FileFacts

FORMAT = 3
SUFFIX = "marshal"  # the cache files' suffix (format 2 wrote the same values as JSON)
_SUFFIXES = ("marshal", "json")  # the names pruning knows for importcanon's own
RACY_NS = 2_000_000_000  # a time this recent may not change on the next change: not trusted
MAX_BYTES = 1 << 30  # a larger cache file is not read
TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# importcanon cache\n"
IGNORE = "# created by importcanon\n*\n"
KINDS = ("facts", "results", "stat", "tree", "fixes", "output")
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO planted under a cache name must not block
    | getattr(os, "O_BINARY", 0)
)

# A point in a file's life: (size, modification time, status-change time, inode), as git
# records it; a file replaced by another of the same size and time differs in the others.
Stamp = tuple[int, int, int, int]


@functools.lru_cache(maxsize=1)
def build_id() -> str:
    """The version, plus the size and time of every source file of importcanon itself, so
    that an editable install whose rules changed does not read results of the old ones."""
    h = blake2b(f"{__version__}/{FORMAT}".encode(), digest_size=8)
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        info = path.stat()
        h.update(f"{path.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}".encode())
    return h.hexdigest()


def stamp(info: os.stat_result) -> Stamp:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


# --- where the cache lives -----------------------------------------------------------


def default_dir(root: Path) -> Path | None:
    """The cache of the project at ``root``: in the user's cache folder (as pip and black
    keep theirs), keyed by the project's path, so that nothing a repository carries is
    ever read as a cache. None when the user has no home folder."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        try:
            home = Path.home()
        except (RuntimeError, KeyError):
            return None
        if sys.platform == "win32":
            base = os.environ.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        elif sys.platform == "darwin":
            base = str(home / "Library" / "Caches")
        else:
            base = str(home / ".cache")
    name = "".join(c if c.isascii() and (c.isalnum() or c in "_.-") else "_" for c in root.name)
    name = name[:40] or "root"
    key = blake2b(os.fsencode(root), digest_size=8).hexdigest()
    return Path(base) / "importcanon" / f"{name}-{key}"


def usable(directory: Path, *, root: Path) -> Path | None:
    """``directory`` (absolute, symlinks not resolved) when importcanon may keep its cache
    there; else None, after a one-line warning: the run goes on without a cache."""
    directory = Path(os.path.abspath(directory))
    problem = _problem(directory, Path(os.path.abspath(root)))
    if problem is None:
        return directory
    _warn(f"cache folder {_shown(directory)} {problem}; running without a cache")
    return None


def _problem(directory: Path, root: Path) -> str | None:
    if directory == root or directory in root.parents:
        return "is (or holds) the project root"
    if root in directory.parents:  # inside the project: reached through no symlink
        step = root
        for part in directory.relative_to(root).parts[:-1]:
            step = step / part
            if os.path.islink(step):
                return f"is reached through a symlink ({_shown(step)})"
    try:
        info = os.lstat(directory)
    except FileNotFoundError:
        return None  # created on the first write
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if stat.S_ISLNK(info.st_mode):
        return "is a symlink"
    if not stat.S_ISDIR(info.st_mode):
        return "is not a folder"
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        return "belongs to another user"
    return _contents_problem(directory)


def _contents_problem(directory: Path) -> str | None:
    try:
        entries = list(os.scandir(directory))
        for entry in entries:
            if entry.is_symlink():
                return f"holds a symlink ({_shown(Path(entry.name))})"
            if _is_entry(entry.name) and entry.is_dir(follow_symlinks=False):
                for inner in os.scandir(entry.path):
                    if inner.is_symlink():
                        return f"holds a symlink ({_shown(Path(entry.name, inner.name))})"
        if entries and _read(directory / "CACHEDIR.TAG") != TAG.encode():
            return "is not empty and is not an importcanon cache"
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    return None


def _is_hex(text: str) -> bool:
    return 0 < len(text) <= 64 and not text.strip("0123456789abcdef")


def _is_entry(name: str) -> bool:
    """A name importcanon gives the entries of its cache folder: ``<kind>-<build>`` (a
    folder) or ``<kind>-<build>.<suffix>``."""
    for suffix in _SUFFIXES:
        name = name.removesuffix(f".{suffix}")
    kind, _, build = name.partition("-")
    return kind in KINDS and len(build) == 16 and _is_hex(build)


def _is_file(name: str) -> bool:
    """A name importcanon gives the files in an entry folder: ``<hex>.<suffix>``, or one
    of its temporary files ``.<hex>.<suffix>.<random>.tmp``."""
    if name.startswith(".") and name.endswith(".tmp"):
        name = name[1:].rpartition(".")[0].rpartition(".")[0]
    stem, dot, suffix = name.partition(".")
    return dot == "." and suffix in _SUFFIXES and _is_hex(stem)


def _shown(path: Path) -> str:
    """A path as a warning shows it: control characters escaped."""
    text = str(path)
    return text if text.isprintable() else repr(text)[1:-1]


@functools.cache
def _warn(message: str) -> None:
    """Print a warning once per process (a fix run builds several projects)."""
    print(f"importcanon: warning: {message}", file=sys.stderr)


# --- reading and writing -------------------------------------------------------------


def _read(path: Path) -> bytes | None:
    """The bytes of a regular file, never through a symlink; None if there is none."""
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


class Damaged(Exception):
    """A cache file that exists but does not hold plain values."""


def _decode(data: bytes) -> Any:
    """The value marshal reads from ``data``; Damaged when it reads none. The caller
    checks the value's types (every reader does: see ``plain`` and cacheformat)."""
    try:
        return marshal.loads(data)
    except (ValueError, EOFError, TypeError, MemoryError, RecursionError) as exc:
        raise Damaged(type(exc).__name__) from None


def _load(path: Path) -> Any:
    """The value in ``path``: None when there is no such file; Damaged when there is one
    that cannot be decoded."""
    data = _read(path)
    if data is None:
        return None
    return _decode(data)


def _load_or_none(path: Path) -> Any:
    try:
        return _load(path)
    except Damaged:
        return None


def _write(path: Path, data: bytes) -> None:
    """Replace ``path`` by rename: a reader sees the old content or the new; a symlink at
    ``path`` is replaced, never written through."""
    import tempfile  # loaded on first write: most runs write nothing

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _folder(path: Path, *, top: bool = False) -> None:
    """Make sure ``path`` is a real folder (not a symlink); the cache's own folder is
    created with its parents and marked (a .gitignore of ``*`` and a CACHEDIR.TAG)."""
    if top:
        _top_folder(path)
        return
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        _real_folder(path)


def _real_folder(path: Path) -> None:
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise NotADirectoryError(f"{_shown(path)} is not a folder") from None


def _top_folder(path: Path) -> None:
    """The cache's own folder, marked. A new one is made marked, in a temporary folder
    beside it renamed into place, so that a run starting meanwhile (four at once on a
    cold cache) never finds it holding files but no CACHEDIR.TAG, which reads as a
    folder that is not a cache."""
    import shutil
    import tempfile  # (loaded on first write: most runs write nothing)

    if os.path.lexists(path):
        _real_folder(path)
        if os.path.lexists(path / "CACHEDIR.TAG") or _mark_in_place(path):
            return
    path.parent.mkdir(parents=True, exist_ok=True)
    made = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        _write(made / ".gitignore", IGNORE.encode())
        _write(made / "CACHEDIR.TAG", TAG.encode())
        os.rename(made, path)  # onto nothing, or onto an empty folder
    except OSError:
        shutil.rmtree(made, ignore_errors=True)
        _real_folder(path)  # (another run made it first, or renaming onto it is refused)
        if not os.path.lexists(path / "CACHEDIR.TAG"):
            _mark_in_place(path, empty=True)


def _mark_in_place(path: Path, *, empty: bool = False) -> bool:
    """Mark an existing folder that holds files (or, with ``empty``, any): whether it was
    marked. (One that holds files and no mark is refused before any run writes to it.)"""
    if not empty and not any(True for _ in os.scandir(path)):
        return False
    _write(path / ".gitignore", IGNORE.encode())
    _write(path / "CACHEDIR.TAG", TAG.encode())
    return True


def _dumps(value: Any) -> bytes:
    """Plain values (importcanon writes no other) as marshal's version 4."""
    return marshal.dumps(value, 4)


def _store(directory: Path, entry: str, name: str | None, value: Any) -> bool:
    """Write ``value`` with marshal (or bytes as they are) to ``directory/entry`` (a file, or
    ``name`` in a folder); other builds' entries of the same kind are removed. A failure
    is a warning."""
    try:
        data = value if isinstance(value, bytes) else _dumps(value)
    except (TypeError, ValueError) as exc:
        _warn(f"cannot write cache: {exc}")
        return False
    try:
        _folder(directory, top=True)
        _prune(directory, keep=entry)
        if name is None:
            _write(directory / entry, data)
        else:
            _folder(directory / entry)
            _write(directory / entry / name, data)
    except OSError as exc:
        _warn(f"cannot write cache: {exc}")
        return False
    return True


def _prune(directory: Path, *, keep: str) -> None:
    """Remove the other builds' entries of ``keep``'s kind, and in them only the files
    named as importcanon names its own: nothing else is ever deleted."""
    kind = keep.split("-")[0]
    for entry in os.scandir(directory):
        if entry.name == keep or not entry.name.startswith(f"{kind}-"):
            continue
        if not _is_entry(entry.name) or entry.is_symlink():
            continue
        if entry.is_dir(follow_symlinks=False):
            _clear(Path(entry.path))
        elif entry.is_file(follow_symlinks=False):
            Path(entry.path).unlink(missing_ok=True)


def _clear(folder: Path) -> None:
    for inner in os.scandir(folder):
        if _is_file(inner.name) and inner.is_file(follow_symlinks=False):
            Path(inner.path).unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # something not ours is left, and so is the folder
        folder.rmdir()


# --- digests -------------------------------------------------------------------------


def digest(data: bytes, module: str | None, is_init: bool) -> str:
    h = blake2b(data, digest_size=16)
    h.update(f"\0{module}\0{is_init}".encode())
    return h.hexdigest()


def facts_digest(facts: FileFacts) -> str:
    """A digest of a file's facts that is the same in every process (sets are sorted)."""
    h = blake2b(digest_size=16)
    for name in facts.__slots__:
        value = getattr(facts, name)
        if isinstance(value, frozenset):
            value = sorted(value)
        h.update(f"{name}={value!r}\0".encode())
    return h.hexdigest()


# --- the caches ----------------------------------------------------------------------


class FactsCache:
    """Per-file facts by content digest, in SHARDS files chosen by the digest, so that a
    run which parsed a few files rewrites only their shards. A shard keeps the facts this
    run used from it (a content that no file has any more drops out); a damaged shard is
    rebuilt with a warning, a damaged entry is a miss."""

    SHARDS = 64

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.entry = f"facts-{build_id()}"
        self._stored: dict[int, dict[str, Any]] = {}  # the shards read so far, undecoded
        self._decoded: dict[int, dict[str, FileFacts]] = {}  # their entries that are right
        self._used: dict[int, dict[str, FileFacts]] = {}

    def _shard(self, key: str) -> int:
        return int(key[:4], 16) % self.SHARDS

    def _load(self, shard: int) -> dict[str, Any]:
        found = self._stored.get(shard)
        if found is not None:
            return found
        found = {}
        if self.directory is not None:
            path = self.directory / self.entry / f"{shard:02d}.{SUFFIX}"
            try:
                loaded = _load(path)
                if loaded is not None and type(loaded) is not dict:
                    raise Damaged("not a table")
                found = loaded or {}
            except Damaged as exc:
                _warn(f"cache {_shown(path)} is unreadable ({exc}); rebuilding it")
        self._stored[shard] = found
        return found

    def get(self, key: str) -> FileFacts | None:
        shard = self._shard(key)
        stored = self._load(shard)
        decoded = self._decoded.get(shard)
        if decoded is None:
            decoded = self._decoded[shard] = _facts_of(stored)
        found = decoded.get(key)
        if found is None:
            stored.pop(key, None)  # a damaged entry: so that the shard is written again
            return None
        self._used.setdefault(shard, {})[key] = found
        return found

    def put(self, key: str, facts: FileFacts) -> None:
        self._used.setdefault(self._shard(key), {})[key] = facts

    def save(self) -> None:
        """Keep what this run used (a run that saves has looked up every file); skip the
        shards that did not change."""
        if self.directory is None:
            return
        from importcanon.analysis.factsformat import facts_to_plain

        for shard, used in self._used.items():
            if set(used) != set(self._load(shard)):
                plain = {key: facts_to_plain(facts) for key, facts in used.items()}
                if not _store(self.directory, self.entry, f"{shard:02d}.{SUFFIX}", plain):
                    return
                self._stored[shard] = plain
                self._decoded[shard] = dict(used)


def _facts_of(stored: dict[str, Any]) -> dict[str, FileFacts]:
    """The facts in a shard: checked all at once, or (when one is odd) one by one, the odd
    ones left out."""
    from importcanon.analysis.cacheformat import Invalid
    from importcanon.analysis.factsformat import facts_from_plain, facts_table

    damaged = (Invalid, TypeError, ValueError, RecursionError)
    try:
        return facts_table(stored)
    except damaged:
        pass
    found = {}
    for key, value in stored.items():
        if type(key) is str:
            with contextlib.suppress(*damaged):
                found[key] = facts_from_plain(value)
    return found


class Parts:
    """A cached value read as a header and named parts, each decoded only when asked for
    (an editor asking about one file does not decode the whole project's). The names are
    strings; the header is a plain value (see ``plain``) the caller checks the shape of."""

    def __init__(self, header: Any, index: dict[str, Any], body: bytes) -> None:
        self.header = header
        self.names = list(index)
        self._index = index
        self._body = body

    def part(self, name: str) -> Any:
        where = self._index.get(name)
        if type(where) is not list or len(where) != 2:
            raise Damaged("no such part")
        start, size = where
        if type(start) is not int or type(size) is not int or start < 0 or size < 0:
            raise Damaged("no such part")
        if start + size > len(self._body):
            raise Damaged("truncated")
        return _decode(self._body[start : start + size])


class ResultCache:
    """Whole-run results by fingerprint (every file's digest, the configuration, the
    contracts, the options): an unchanged project is answered without re-checking. One
    file per fingerprint (the size of the header, the header with the index of the parts,
    then each part); the most recent few are kept. Values are plain; the caller checks
    their shape."""

    KEEP = 8

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.entry = f"results-{build_id()}"

    def get(self, key: str) -> Parts | None:
        if self.directory is None or not _is_hex(key):
            return None
        data = _read(self.directory / self.entry / f"{key}.{SUFFIX}")
        if data is None or len(data) < 8:
            return None
        end = 8 + int.from_bytes(data[:8], "little")
        try:
            header = _decode(data[8:end])
        except Damaged:
            return None
        if type(header) is not list or len(header) != 2 or not plain(header):
            return None
        if type(header[1]) is not dict:
            return None
        return Parts(header[0], header[1], data[end:])

    def put(self, key: str, header: Any, parts: dict[str, Any]) -> None:
        if self.directory is None or not _is_hex(key):
            return
        try:
            encoded = {name: _dumps(value) for name, value in parts.items()}
        except (TypeError, ValueError) as exc:
            _warn(f"cannot write cache: {exc}")
            return
        index, offset = {}, 0
        for name, data in encoded.items():
            index[name] = [offset, len(data)]
            offset += len(data)
        first = _dumps([header, index])
        body = len(first).to_bytes(8, "little") + first + b"".join(encoded.values())
        if _store(self.directory, self.entry, f"{key}.{SUFFIX}", body):
            _keep_recent(self.directory / self.entry, self.KEEP)


def _keep_recent(folder: Path, keep: int) -> None:
    """Remove all but the ``keep`` most recent of the files importcanon names in ``folder``."""
    try:
        entries = [
            e for e in os.scandir(folder) if _is_file(e.name) and e.is_file(follow_symlinks=False)
        ]
        entries.sort(key=lambda e: e.stat(follow_symlinks=False).st_mtime_ns)
        for old in entries[:-keep]:
            Path(old.path).unlink(missing_ok=True)
    except OSError:
        pass  # another run pruned it first


# What the JSON formats write: printable ASCII and line ends (``jsontext`` escapes the rest).
_SHOWN = bytes(range(0x20, 0x7F)) + b"\n"


def _printable(data: bytes) -> bool:
    """Printable ASCII and line ends only: what a kept output text may hold."""
    return not data.translate(None, _SHOWN)


class OutputCache:
    """A run's rendered output (JSON, SARIF) by a key of everything it was rendered from
    (``engine.run``), so that an unchanged project's output is copied, not made again. One
    file per key, the most recent few kept: the number of errors among the diagnostics
    shown, and the text. A text that is not printable ASCII lines (as the JSON formats
    write it) is a miss, as is any other value."""

    KEEP = 4

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.entry = f"output-{build_id()}"

    def get(self, key: str) -> tuple[str, int] | None:
        """The text and its count of errors, or None."""
        if self.directory is None or not _is_hex(key):
            return None
        found = _load_or_none(self.directory / self.entry / f"{key}.{SUFFIX}")
        if type(found) is not list or len(found) != 2:
            return None
        text, errors = found
        if type(text) is not str or type(errors) is not int or not text.isascii() or errors < 0:
            return None
        if not _printable(text.encode("ascii")):
            return None  # a control character (or an escape sequence) no format writes
        return text, errors

    def keep(self, key: str, pieces: Iterable[str], *, errors: int) -> Iterator[str]:
        """``pieces`` as they come, written to the cache on their way (the text is never
        held whole): kept once all are written, if all are printable ASCII and line ends."""
        if self.directory is None or not _is_hex(key) or not 0 <= errors < 1 << 31:
            yield from pieces
            return
        folder = self.directory / self.entry
        try:
            _folder(self.directory, top=True)
            _prune(self.directory, keep=self.entry)
            _folder(folder)
            handle = _Text(folder / f"{key}.{SUFFIX}")
        except OSError as exc:
            _warn(f"cannot write cache: {exc}")
            yield from pieces
            return
        with handle:
            for piece in pieces:
                yield piece
                handle.write(piece)
            if handle.done(errors):
                _keep_recent(folder, self.KEEP)


class _Text:
    """The marshal value ``[text, errors]`` written a piece of the text at a time, to a
    temporary file that ``done`` renames into place (as ``_write`` does); the file is
    removed when the value is not done (or a piece is not printable ASCII and line ends)."""

    _HEAD = b"[\x02\x00\x00\x00u"  # a list of two; a string of (then) this many bytes

    def __init__(self, path: Path) -> None:
        import tempfile

        self.path = path
        fd, self.tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        self.size = 0
        self.ok = True
        try:
            self.handle = os.fdopen(fd, "wb")
            self.handle.write(self._HEAD + bytes(4))
        except BaseException:
            self.__exit__()
            raise

    def write(self, piece: str) -> None:
        if not self.ok:
            return
        data = piece.encode("ascii", "replace")
        if not (piece.isascii() and _printable(data)):  # (``get`` would never use it)
            self.ok = False
            return
        try:
            self.handle.write(data)
        except OSError:
            self.ok = False
            return
        self.size += len(data)

    def done(self, errors: int) -> bool:
        """Finish the value and rename it into place: whether it is kept."""
        if not self.ok or self.size >= 1 << 31:
            return False
        try:
            self.handle.write(b"i" + errors.to_bytes(4, "little"))
            self.handle.seek(len(self._HEAD))
            self.handle.write(self.size.to_bytes(4, "little"))
            self.handle.close()
            os.replace(self.tmp, self.path)
        except OSError as exc:
            _warn(f"cannot write cache: {exc}")
            return False
        return True

    def __enter__(self) -> _Text:
        return self

    def __exit__(self, *_: object) -> None:
        with contextlib.suppress(OSError, AttributeError):
            self.handle.close()
        Path(self.tmp).unlink(missing_ok=True)


class StatIndex:
    """Remembers each file's digests (of its content and of its facts) by its stamp (size,
    modification and status-change times, inode), so an unchanged file is not read again
    (the caches stay keyed by content). Two files swapped keep their sizes and times but
    not their inodes or status-change times."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.entry = f"stat-{build_id()}.{SUFFIX}"
        self._entries: dict[str, list[Any]] = {}
        self._changed = False
        if directory is not None:
            loaded = _load_or_none(directory / self.entry)
            if type(loaded) is dict:
                self._entries = _stat_entries(loaded)

    def get(
        self, path: str, point: Stamp, module: str | None, is_init: bool
    ) -> tuple[str, str] | None:
        """(content digest, facts digest) of an unchanged file."""
        entry = self._entries.get(path)  # (checked when read)
        if entry is None:
            return None
        size, mtime, ctime, inode, known_module, known_init, key, facts_key = entry
        if (size, mtime, ctime, inode) != point or known_module != module:
            return None
        if known_init is not is_init:
            return None
        return key, facts_key

    def put(
        self,
        path: str,
        point: Stamp,
        module: str | None,
        is_init: bool,
        keys: tuple[str, str],
    ) -> None:
        if point[1] > time.time_ns() - RACY_NS:
            return  # racily clean: a change in the same tick would keep this stamp
        # (a change sets both times to now, so an old modification time will not match)
        self._entries[path] = [*point, module, is_init, *keys]
        self._changed = True

    def save(self) -> None:
        if self.directory is None or not self._changed:
            return
        _store(self.directory, self.entry, None, self._entries)
        self._changed = False


_STAMP_TYPES = {int}
_NAME_TYPES = {str, type(None)}


_STAT_KINDS: tuple[set[type], ...] = (
    {int},
    {int},
    {int},
    {int},
    {str, type(None)},
    {bool},
    {str},
    {str},
)


def _stat_entries(loaded: dict[Any, Any]) -> dict[str, list[Any]]:
    """The entries of a stat index that have the right shape: checked a column at a time
    (every file's size, then every file's time...), or one by one when some do not."""
    try:
        columns = _columns(list(loaded.values()), 8)
    except TypeError:
        columns = ()
    kinds = zip(columns, _STAT_KINDS, strict=True) if columns else ()
    if (
        columns
        and set(map(type, loaded)) <= {str}
        and all(set(map(type, c)) <= k for c, k in kinds)
    ):
        return loaded
    return {k: v for k, v in loaded.items() if type(k) is str and _stat_entry(v)}


def _stat_entry(entry: Any) -> TypeGuard[list[Any]]:
    """An entry of the stat index: a stamp, a module name, a flag and two digests."""
    return (
        type(entry) is list
        and len(entry) == 8
        and set(map(type, entry[:4])) <= _STAMP_TYPES
        and type(entry[4]) in _NAME_TYPES
        and type(entry[5]) is bool
        and type(entry[6]) is str
        and type(entry[7]) is str
    )


_DAMAGED = (TypeError, ValueError, RecursionError)  # what decoding a damaged value raises


class FixCache:
    """Materialized fixes of one file, by plan (see fixes.inputs), so that output formats
    showing fixes do not re-make them on every run. One file per source file, a table of
    entries: the content digest the fix was made from (None when unknown), a digest of
    the text its plan read, and the fix."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.entry = f"fixes-{build_id()}"

    def _name(self, source: Path) -> str:
        return blake2b(str(source).encode(), digest_size=12).hexdigest() + f".{SUFFIX}"

    def load(self, sources: list[Path]) -> list[dict[str, FixEntry]]:
        """The entries of each of ``sources``, decoded all at once (or, when one file's
        are damaged, one file at a time: the damaged ones are empty)."""
        if self.directory is None:
            return [{} for _ in sources]
        from importcanon.analysis.cacheformat import fix_tables_from_plain

        folder = self.directory / self.entry
        found = [_load_or_none(folder / self._name(source)) or {} for source in sources]
        try:
            return fix_tables_from_plain(found)
        except _DAMAGED:
            return [self._one(value) for value in found]

    @staticmethod
    def _one(value: Any) -> dict[str, FixEntry]:
        from importcanon.analysis.cacheformat import fix_tables_from_plain

        try:
            return fix_tables_from_plain([value])[0]
        except _DAMAGED:
            return {}

    def save(self, source: Path, entries: dict[str, FixEntry]) -> None:
        if self.directory is None:
            return
        from importcanon.analysis.cacheformat import fix_entries_to_plain

        _store(self.directory, self.entry, self._name(source), fix_entries_to_plain(entries))


Row = tuple[str, str, str | None, bool, bool]  # path, rel, module, is_init, in_graph


class TreeCache:
    """The checked files, with the modification time of every directory walked to find
    them. A time within RACY_NS of the walk is not recorded (as git does with racily clean
    entries): the file system might not advance it on a change made in the same tick.
    Every path read back must lie under ``root``."""

    def __init__(self, directory: Path | None, key: str, *, root: Path) -> None:
        self.directory = directory
        self.entry = f"tree-{build_id()}.{SUFFIX}"
        self.key = key
        self.root = os.path.join(root, "")

    def get(self) -> list[Row] | None:
        if self.directory is None:
            return None
        found = _load_or_none(self.directory / self.entry)
        try:
            key, times, rows = _sized(found, 3)
            if key != self.key:
                return None
            directories, mtimes = _columns(times, 2)
            if not (_typed(directories, str) and _typed(mtimes, int)):
                return None
            if not self._all_under(list(directories)):
                return None
            now = map(_MTIME, map(os.stat, directories))
            if list(now) != list(mtimes):
                return None
            return self._rows(rows)
        except (TypeError, ValueError, OSError):
            return None

    def _all_under(self, paths: list[str]) -> bool:
        """Every path (a string) is under the root or is it, with no ``..`` and no NUL."""
        inside = all(map(str.startswith, map(_plus_sep, paths), repeat(self.root)))
        joined = (os.sep + "\0").join(paths) + os.sep
        return inside and f"{os.sep}..{os.sep}" not in joined and "\0" not in "".join(paths)

    def _rows(self, rows: Any) -> list[Row]:
        """The file list, checked a column at a time: each path is the root joined with
        its relative path, under the root; names are strings, flags booleans."""
        paths, rels, modules, inits, graphs = _columns(rows, 5)
        if not (_typed(paths, str) and _typed(rels, str) and _typed(inits, bool)):
            raise TypeError("not a file list")
        if not (_typed(graphs, bool) and set(map(type, modules)) <= {str, type(None)}):
            raise TypeError("not a file list")
        native = rels if os.sep == "/" else [r.replace("/", os.sep) for r in rels]
        if list(map(str.__add__, repeat(self.root), native)) != list(paths):
            raise ValueError("a path outside the project")
        if not self._all_under(list(paths)):
            raise ValueError("a path outside the project")
        return list(zip(paths, rels, modules, inits, graphs, strict=True))

    def put(self, directories: list[str], files: list[Row]) -> None:
        if self.directory is None:
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
            times.append([directory, mtime])
        rows = [list(row) for row in files]
        _store(self.directory, self.entry, None, [self.key, times, rows])


_MTIME = operator.attrgetter("st_mtime_ns")


def _plus_sep(path: str) -> str:
    return path + os.sep


def _typed(column: tuple[Any, ...], kind: type) -> bool:
    return set(map(type, column)) <= {kind}


def _columns(value: Any, size: int) -> tuple[tuple[Any, ...], ...]:
    """The columns of a list of lists of ``size`` items each."""
    rows = _sized(value)
    if not set(map(type, rows)) <= {list} or not set(map(len, rows)) <= {size}:
        raise TypeError("not rows of the right size")
    return tuple(zip(*rows, strict=True)) if rows else ((),) * size


def _sized(value: Any, size: int | None = None) -> list[Any]:
    if type(value) is not list or (size is not None and len(value) != size):
        raise TypeError("not a list of the right size")
    return value
