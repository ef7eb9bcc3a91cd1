"""Every rule code and its name: the table that options and suppressions are checked
against without loading the rules (a test keeps it equal to the rules' registry)."""

from __future__ import annotations

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


def is_selector(value: str) -> bool:
    """A code, a prefix of one (``IMC1``, ``IMC``), or ``ALL``, as ruff reads selectors."""
    return value == "ALL" or any(code.startswith(value) for code in CODES)


def closest(value: str) -> str | None:
    """The known code (or rule name) nearest to an unknown one, for "did you mean"."""
    import difflib  # only for a message

    found = difflib.get_close_matches(value.upper(), list(CODES), n=len(CODES), cutoff=0.5)
    if not found:
        found = difflib.get_close_matches(value.lower(), list(CODES.values()), n=1, cutoff=0.6)
    # among equally close codes, the one that shares the longest prefix
    return max(found, key=lambda code: _shared(code, value.upper()), default=None)


def _shared(a: str, b: str) -> int:
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )


def unknown_selector_message(value: str, where: str) -> str:
    """Selectors are codes: a rule name given instead is answered with its code."""
    hint = closest(value)
    code = code_of(hint) if hint else None
    if hint and code and hint != code:
        hint = f"{code}` ({hint})"
        suggestion = f" (did you mean `{hint}?)"
    else:
        suggestion = f" (did you mean `{hint}`?)" if hint else ""
    return f"unknown rule code or prefix `{value}` in {where}{suggestion}"


def code_of(value: str) -> str | None:
    """The code for a code or a rule name (``IMC001`` or ``legacy-import``)."""
    if value.upper() in CODES:
        return value.upper()
    return next((code for code, name in CODES.items() if name == value.lower()), None)
