"""What text a fix plan reads: with the plan, it decides the fix's edits, so a fix made
once is reused (from the cache) while that text stays the same."""

from __future__ import annotations

from collections.abc import Sequence

from importcanon.model.blake import blake2b
from importcanon.model.diagnostic import FixPlan, ReplaceText, RewriteDotted


def fix_key(plan: FixPlan, lines: Sequence[str]) -> str:
    """A digest of ``plan`` and of the lines of ``lines`` that materializing it reads."""
    action = plan.action
    h = blake2b(repr(plan).encode(), digest_size=16)
    if isinstance(action, RewriteDotted):  # rewrites attribute chains anywhere in the file
        read: Sequence[str] = lines
    elif isinstance(action, ReplaceText):
        read = ()
    else:  # the statement's own lines (and the indentation before it)
        read = lines[action.stmt[0] - 1 : action.stmt[2]]
    for line in read:
        h.update(b"\n" + line.encode("utf-8", "surrogatepass"))
    return h.hexdigest()
