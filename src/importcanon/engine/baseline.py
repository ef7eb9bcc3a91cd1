"""The baseline (ratchet): violations recorded once and no longer reported.

An entry is matched without line numbers: the file, the code, the contract and the
diagnostic's own identity (the legacy path, the module and name, the members of a cycle),
with a count for identical violations in one file. Edits elsewhere in a file keep its
entries valid; an entry that no longer occurs is fixed, and the next `importcanon baseline`
drops it. The file is sorted, one entry per line, so that it diffs well in review.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from importcanon.analysis.atomic import write_atomically
from importcanon.config.toml import key_line, read_toml
from importcanon.model.contract import ProjectConfig
from importcanon.model.diagnostic import Diagnostic
from importcanon.model.errors import ConfigError

FORMAT = 1
MAX_BYTES = 256 * 1024 * 1024

# The details that identify a violation of each code, leaving out whatever moves with
# unrelated edits (rows, the shortest cycle the checker happens to pick).
IDENTITY: dict[str, tuple[str, ...]] = {
    "IMC001": ("legacy",),
    "IMC002": ("legacy",),
    "IMC003": ("legacy",),
    "IMC004": ("canonical",),
    "IMC101": ("via", "name"),
    "IMC102": ("via", "name"),
    "IMC103": ("module",),
    "IMC201": ("absolute",),
    "IMC202": ("absolute",),
    "IMC301": ("modules",),
    "IMC302": ("packages",),
    "IMC401": ("module",),
    "IMC501": ("module",),
    "IMC900": (),
    "IMC902": ("expression",),
    "IMC903": ("field", "value"),
}

# A cycle is reported at the import the checker suggests cutting, which changes with edits
# anywhere in the cycle (a member that moves, a new import): its entry matches the same
# cycle in any file.
ANY_FILE = frozenset({"IMC301", "IMC302"})


@dataclass(frozen=True, order=True)
class Key:
    file: str  # posix, relative to the project root
    code: str
    contract: str
    identity: str


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(str(item) for item in value)
    return str(value)


def identity(d: Diagnostic) -> str:
    keys = IDENTITY.get(d.code)
    if keys is None or any(k not in d.details for k in keys):
        return d.message
    return " ".join(_text(d.details[k]) for k in keys)


def relpath(path: Path, root: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def key_of(d: Diagnostic, root: Path) -> Key:
    return Key(relpath(d.path, root), d.code, d.contract, identity(d))


def count(diagnostics: Iterable[Diagnostic], root: Path) -> Counter[Key]:
    return Counter(key_of(d, root) for d in diagnostics)


@dataclass
class Comparison:
    """Diagnostics against a baseline: the new ones, and per (contract, code) how many of
    the recorded ones are left, out of how many were recorded."""

    new: list[Diagnostic]
    left: Counter[tuple[str, str]] = field(default_factory=Counter)
    recorded: Counter[tuple[str, str]] = field(default_factory=Counter)
    fixed: dict[Key, int] = field(default_factory=dict)  # entries that no longer occur

    def progress(self, contract: str) -> dict[str, tuple[int, int]]:
        """code -> (left, recorded), for a contract's entries."""
        return {
            code: (self.left[(c, code)], n)
            for (c, code), n in sorted(self.recorded.items())
            if c == contract
        }


def compare(
    diagnostics: Iterable[Diagnostic],
    entries: Counter[Key],
    *,
    root: Path,
    in_scope: Callable[[Key], bool],
) -> Comparison:
    """The first ``count`` diagnostics of each entry (in file order) are absorbed; any
    more are new. Entries in scope that are not used up are fixed."""
    remaining = Counter(entries)
    result = Comparison(new=[])
    for key, n in entries.items():
        result.recorded[(key.contract, key.code)] += n
    anywhere: dict[tuple[str, str, str], list[Key]] = {}
    for key in entries:
        if key.code in ANY_FILE:
            anywhere.setdefault((key.code, key.contract, key.identity), []).append(key)
    for d in diagnostics:
        key = key_of(d, root)
        if remaining[key] == 0 and key.code in ANY_FILE:
            others = anywhere.get((key.code, key.contract, key.identity), [])
            key = next((k for k in others if remaining[k] > 0), key)
        if remaining[key] > 0:
            remaining[key] -= 1
            result.left[(key.contract, key.code)] += 1
        else:
            result.new.append(d)
    result.fixed = {k: n for k, n in sorted(remaining.items()) if n > 0 and in_scope(k)}
    return result


def render(entries: Counter[Key]) -> str:
    """Sorted, one entry per line: a diff shows exactly the violations that came or went."""
    lines = [
        json.dumps(
            {
                "file": k.file,
                "code": k.code,
                "contract": k.contract,
                "identity": k.identity,
                "count": n,
            },
            ensure_ascii=False,
        )
        for k, n in sorted(entries.items())
        if n > 0
    ]
    body = ",\n".join(f"    {line}" for line in lines)
    inner = f"\n{body}\n  " if lines else ""
    return f'{{\n  "importcanon-baseline": {FORMAT},\n  "entries": [{inner}]\n}}\n'


def write(path: Path, entries: Counter[Key]) -> None:
    write_atomically(path, render(entries).encode("utf-8"))


def configured(config: ProjectConfig) -> Counter[Key]:
    """The entries of the project's baseline file (none when none is configured)."""
    if not config.baseline:
        return Counter()
    path = config.root / config.baseline
    if not path.is_file():
        line = None
        if config.pyproject is not None:
            _, lines = read_toml(config.pyproject)
            line = key_line(lines, "baseline")
        raise ConfigError(
            f"`{config.baseline}` does not exist (write it with `importcanon baseline`)",
            path=config.pyproject,
            line=line,
            field="baseline",
        )
    return read(path)


def read(path: Path) -> Counter[Key]:
    """The entries of a baseline file; a file that is not one is a configuration error."""
    if not path.is_file():
        raise ConfigError(
            "baseline file not found (write it with `importcanon baseline`)",
            path=path,
            field="baseline",
        )
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise ValueError("the file is too large")
        return parse(data)
    except (OSError, ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise ConfigError(f"not a valid baseline file: {exc}", path=path) from None


def parse(data: bytes) -> Counter[Key]:
    """The entries of a baseline file's bytes; ValueError (or UnicodeDecodeError,
    RecursionError) if they are not one."""
    return _entries(json.loads(data.decode("utf-8")))


def _entries(document: Any) -> Counter[Key]:
    if not isinstance(document, dict) or document.get("importcanon-baseline") != FORMAT:
        raise ValueError(f'expected an object with "importcanon-baseline": {FORMAT}')
    raw = document.get("entries")
    if not isinstance(raw, list):
        raise ValueError('"entries" must be an array')
    found: Counter[Key] = Counter()
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict):
            raise ValueError(f"entry {index + 1} is not an object")
        values = [entry.get(name) for name in ("file", "code", "contract", "identity")]
        number = entry.get("count")
        if not all(isinstance(v, str) for v in values):
            raise ValueError(f"entry {index + 1}: file, code, contract, identity must be strings")
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            raise ValueError(f"entry {index + 1}: count must be a positive integer")
        found[Key(*values)] += number  # type: ignore[arg-type]
    return found
