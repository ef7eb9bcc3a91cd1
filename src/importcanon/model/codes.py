"""The rule codes that options and suppressions are checked against.

``CODES`` is the start-up fast path: the built-in codes and their names, so that a run
answered from the result cache loads no rule (a test keeps each entry equal to the
registry's rule). A code that is not in it (a plugin kind's, a new built-in kind's) is
looked up in ``Codes.more``, which a composition root fills from the rules' registry; the
layers below the rules get a ``Codes`` passed down and never load a rule themselves.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping

CODES: dict[str, str] = {
    "IMC001": "legacy-import",
    "IMC002": "legacy-module",
    "IMC003": "legacy-reference",
    "IMC004": "missing-canonical-module",
    "IMC101": "reexport",
    "IMC102": "import-via-reexport",
    "IMC103": "shim-module",
    "IMC201": "relative-import-in-init",
    "IMC202": "relative-import",
    "IMC301": "import-cycle",
    "IMC302": "package-cycle",
    "IMC401": "misplaced-module",
    "IMC501": "banned-import",
    "IMC900": "syntax-error",
    "IMC902": "unmatched-ignore",
    "IMC903": "contract-checks-nothing",
}


def _none() -> Mapping[str, str]:
    return {}


class Codes:
    """The known codes: ``CODES``, then, only for a code not among them, ``more()`` (every
    rule's code and name; it may load the rules). ``Codes()`` knows the built-in codes."""

    __slots__ = ("more",)

    def __init__(self, more: Callable[[], Mapping[str, str]] = _none) -> None:
        self.more = more

    def every(self) -> Mapping[str, str]:
        """Every known code and its name (loads the rules)."""
        return {**CODES, **self.more()}

    def is_selector(self, value: str) -> bool:
        """A code, a prefix of one (``IMC1``, ``IMC``), or ``ALL``, as ruff reads
        selectors."""
        if value == "ALL" or any(code.startswith(value) for code in CODES):
            return True
        return any(code.startswith(value) for code in self.more())

    def code_of(self, value: str) -> str | None:
        """The code for a code or a rule name (``IMC001`` or ``legacy-import``)."""
        for known in (CODES, self.every()):
            if value.upper() in known:
                return value.upper()
            found = next((code for code, name in known.items() if name == value.lower()), None)
            if found is not None:
                return found
        return None

    def closest(self, value: str) -> str | None:
        """The known code (or rule name) nearest to an unknown one, for "did you mean"."""
        known = self.every()
        found = difflib.get_close_matches(value.upper(), list(known), n=len(known), cutoff=0.5)
        if not found:
            found = difflib.get_close_matches(value.lower(), list(known.values()), n=1, cutoff=0.6)
        # among equally close codes, the one that shares the longest prefix
        return max(found, key=lambda code: _shared(code, value.upper()), default=None)

    def unknown_selector_message(self, value: str, where: str) -> str:
        """Selectors are codes: a rule name given instead is answered with its code."""
        hint = self.closest(value)
        code = self.code_of(hint) if hint else None
        if hint and code and hint != code:
            hint = f"{code}` ({hint})"
            suggestion = f" (did you mean `{hint}?)"
        else:
            suggestion = f" (did you mean `{hint}`?)" if hint else ""
        return f"unknown rule code or prefix `{value}` in {where}{suggestion}"


def _shared(a: str, b: str) -> int:
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
