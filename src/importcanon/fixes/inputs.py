"""What a fix depends on: its plan, and the text the plan reads. A fix made once is
reused (from the cache) for the same plan while that text stays the same."""

from __future__ import annotations

from collections.abc import Sequence

from importcanon.model.blake import blake2b
from importcanon.model.diagnostic import FixPlan, ReplaceText, RewriteDotted


def plan_key(plan: FixPlan) -> str:
    """A digest of ``plan``: its fields, and its action's kind and fields."""
    text = f"{plan.applicability}\0{plan.message}\0{plan.action!r}"
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def read_key(plan: FixPlan, lines: Sequence[str]) -> str:
    """A digest of the lines of ``lines`` that materializing ``plan`` reads."""
    action = plan.action
    if isinstance(action, RewriteDotted):  # rewrites attribute chains anywhere in the file
        read: Sequence[str] = lines
    elif isinstance(action, ReplaceText):
        read = ()
    else:  # the statement's own lines (and the indentation before it)
        read = lines[action.stmt[0] - 1 : action.stmt[2]]
    h = blake2b(digest_size=16)
    for line in read:
        h.update(b"\n" + line.encode("utf-8", "surrogatepass"))
    return h.hexdigest()
