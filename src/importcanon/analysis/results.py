"""The result cache: a whole run's result, kept under a fingerprint of everything it
depends on, so that an unchanged project is answered without analysing it.

``fingerprint`` digests the configuration, the contracts, the text files they read and every
file's facts digest (from the facts store); ``ResultStore`` keeps ``Stored`` results in the
cache (``analysis.cache.ResultCache``), whose values are plain and checked here for their
shape before use. Diagnostics are decoded only when asked for.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from importcanon.analysis.cache import Damaged, Parts, ResultCache
from importcanon.analysis.files import as_path
from importcanon.model.blake import blake2b
from importcanon.model.contract import Contract
from importcanon.model.diagnostic import Diagnostic


def fingerprint(
    settings: str,
    contracts: Iterable[tuple[Contract, Iterable[tuple[Path, bytes]]]],
    files: Iterable[tuple[str, str]],
) -> str:
    """A digest of everything a run's result depends on: ``settings`` (the configuration
    and options, as text), each contract with the content of the text files it reads, and
    each file's relative path with the digest of its facts."""
    h = blake2b(digest_size=20)
    h.update(settings.encode())
    for contract, texts in contracts:
        h.update(repr(contract).encode())
        for path, data in texts:
            h.update(str(path).encode())
            h.update(data)
    for rel, facts_key in files:
        h.update(f"{rel}\0{facts_key}\0".encode())
    return h.hexdigest()


class ResultStore:
    """Results by fingerprint, in ``directory`` (None: nothing is kept)."""

    def __init__(self, directory: Path | None) -> None:
        self._cache = ResultCache(directory)

    def get(self, key: str, *, root: Path) -> Stored | None:
        return Stored.from_cache(self._cache.get(key), root=root)

    def put(self, key: str, stored: Stored) -> None:
        self._cache.put(key, stored.header(), stored.plain_parts())


class Stored:
    """A run's result as cached: every surviving diagnostic (before --select and PATHS
    narrow it), with what else the result depends on beyond the files' facts. (A plain
    class: a dataclass costs more to make at import than this ``__init__`` to write.)"""

    __slots__ = ("by_path", "contents", "counts", "files_checked", "notes", "parts", "texts")

    def __init__(
        self,
        by_path: dict[str, list[Diagnostic] | None],
        counts: dict[str, Counter[str]],
        files_checked: int,
        contents: dict[str, str],
        texts: frozenset[str],
        notes: tuple[str, ...] = (),
        parts: Parts | None = None,
    ) -> None:
        self.by_path = by_path  # sorted, unique; None: still in ``parts``
        self.counts = counts
        self.files_checked = files_checked
        self.contents = contents  # rel -> content digest, at the time of the run
        self.texts = texts  # files whose text (not only facts) a contract reads
        self.notes = notes  # unknown codes in noqa comments
        self.parts = parts  # read from the cache: each file's diagnostics, undecoded

    def found(self, paths: tuple[Path, ...], *, plans: bool = True) -> list[Diagnostic]:
        """The diagnostics in ``paths`` (all when empty). From the cache, only those asked
        for are decoded (and checked: cacheformat.Invalid when one is not right), so an
        editor asking about one file does not decode the whole project's. Without ``plans``
        the fix plans of those decoded are left out (and they are not kept)."""
        found: list[Diagnostic] = []
        for path in sorted(self.by_path):  # in the order of Diagnostic.sort_key
            if within(path, paths):
                listed = self.by_path[path]
                if listed is None:
                    listed = self._decode(path, plans=plans)
                    if plans:
                        self.by_path[path] = listed
                found.extend(listed)
        return found

    def intact(self, paths: tuple[Path, ...], *, plans: bool = True) -> list[Diagnostic] | None:
        """``found``, or None when a diagnostic read from the cache is not right."""
        from importcanon.analysis.cacheformat import Invalid

        try:
            return self.found(paths, plans=plans)
        except Invalid:
            return None

    def _decode(self, path: str, *, plans: bool) -> list[Diagnostic]:
        from importcanon.analysis.cacheformat import Invalid, diagnostics_from_plain

        if self.parts is None:
            raise Invalid("no diagnostics")
        try:
            plain = self.parts.part(path)
        except Damaged:
            raise Invalid("damaged diagnostics") from None
        return diagnostics_from_plain(plain, as_path(path), plans=plans)

    def header(self) -> dict[str, Any]:
        return {
            "counts": {cid: dict(counter) for cid, counter in self.counts.items()},
            "files_checked": self.files_checked,
            "contents": self.contents,
            "texts": sorted(self.texts),
            "notes": list(self.notes),
        }

    def plain_parts(self) -> dict[str, Any]:
        from importcanon.analysis.cacheformat import diagnostics_to_plain

        return {path: diagnostics_to_plain(listed or []) for path, listed in self.by_path.items()}

    @classmethod
    def from_cache(cls, found: Parts | None, *, root: Path) -> Stored | None:
        """A result read from the cache, when its header has the shape ``header`` gives and
        its parts name only paths under ``root`` (their diagnostics are checked when
        ``found`` decodes them); else None."""
        if found is None or type(found.header) is not dict or set(found.header) != _HEADER:
            return None
        counts, checked = found.header["counts"], found.header["files_checked"]
        contents, texts = found.header["contents"], found.header["texts"]
        notes = found.header["notes"]
        inside = os.path.join(root, "")
        if not (
            all(_inside(path, inside) for path in found.names)
            and _table_of(counts, dict)
            and all(_table_of(c, int) for c in counts.values())
            and type(checked) is int
            and _table_of(contents, str)
            and type(texts) is list
            and all(type(t) is str for t in texts)
            and type(notes) is list
            and all(type(n) is str for n in notes)
        ):
            return None
        tallies = {cid: Counter(c) for cid, c in counts.items()}
        by_path: dict[str, list[Diagnostic] | None] = dict.fromkeys(found.names)
        return cls(by_path, tallies, checked, contents, frozenset(texts), tuple(notes), found)


_HEADER = {"counts", "files_checked", "contents", "texts", "notes"}


def _inside(path: str, root: str) -> bool:
    """``path`` names a file under ``root`` (which ends with a separator), no ``..``."""
    return path.startswith(root) and f"{os.sep}..{os.sep}" not in f"{path}{os.sep}"


def _table_of(value: Any, kind: type) -> bool:
    """A JSON object whose every value is of ``kind``."""
    return type(value) is dict and all(type(v) is kind for v in value.values())


def within(path: str, paths: tuple[Path, ...]) -> bool:
    """``path`` is one of ``paths`` or lies under one (every path when there are none)."""
    if not paths:
        return True
    return any(path == str(p) or path.startswith(os.path.join(p, "")) for p in paths)
