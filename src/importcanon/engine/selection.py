"""Which codes a run reports: --select / --ignore / --extend-select, per-file-ignores."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from importcanon.model.paths import matches_glob
from importcanon.model.record import Value, put


def _longest(code: str, prefixes: Iterable[str]) -> int:
    lengths = [0 if p == "ALL" else len(p) for p in prefixes if p == "ALL" or code.startswith(p)]
    return max(lengths, default=-1)


class Selection(Value):
    """Codes match by prefix, as in ruff; the most specific prefix wins, ignore wins ties.
    (A record written by hand, as the frozen dataclass it was: model/record.py.)"""

    __slots__ = ("select", "ignore", "extend_select")  # noqa: RUF023 - the fields, in order
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    extend_select: tuple[str, ...]

    def __init__(
        self,
        select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        extend_select: tuple[str, ...] = (),
    ) -> None:
        put(self, "select", select)
        put(self, "ignore", ignore)
        put(self, "extend_select", extend_select)

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
