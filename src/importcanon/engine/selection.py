"""Which codes a run reports: --select / --ignore / --extend-select, per-file-ignores."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from importcanon.model.paths import matches_glob


def _longest(code: str, prefixes: Iterable[str]) -> int:
    lengths = [0 if p == "ALL" else len(p) for p in prefixes if p == "ALL" or code.startswith(p)]
    return max(lengths, default=-1)


@dataclass(frozen=True)
class Selection:
    """Codes match by prefix, as in ruff; the most specific prefix wins, ignore wins ties."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()

    def allows(self, code: str) -> bool:
        selected = _longest(code, (*(self.select or ("ALL",)), *self.extend_select))
        ignored = _longest(code, self.ignore)
        return selected >= 0 and selected > ignored


def ignored_by_file(
    relpath: str, code: str, per_file_ignores: Mapping[str, tuple[str, ...]]
) -> bool:
    return any(
        matches_glob(pattern, relpath) and any(code.startswith(c) or c == "ALL" for c in codes)
        for pattern, codes in per_file_ignores.items()
    )
