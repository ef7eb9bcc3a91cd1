"""kind = "layout": canonical placement at a package root (IMC401)."""

from __future__ import annotations

from collections.abc import Iterator

from importcanon.model.diagnostic import Diagnostic
from importcanon.rules.base import Context, Rule, first_line

MISPLACED_MODULE = Rule(
    "IMC401",
    "misplaced-module",
    "layout",
    "A module at a package root that is not one of its `root_modules`",
    """
    ## What it does
    Flags a module (a `.py` file, not a subpackage) directly inside the contract's `package`
    whose name is not listed in `root_modules`. Reported on line 1 of the module.

    ## Why is this bad?
    A package root is the table of contents of a codebase. Standalone modules that pile up
    there (`ema.py`, `checkpoint.py`) have a canonical home in a subpackage; leaving them at
    the root is how the next round of "where does this go?" starts.

    ## Example
    ```text
    ml_playground/ema.py
    ```

    Use instead:
    ```text
    ml_playground/training/ema.py
    ```
    """,
)
RULES = (MISPLACED_MODULE,)


def check(ctx: Context) -> Iterator[Diagnostic]:
    package: str = ctx.contract.options["package"]
    allowed = set(ctx.contract.options["root_modules"])
    for file in ctx.project.files:
        if file.module is None or file.is_init:
            continue
        parent, _, name = file.module.rpartition(".")
        if parent != package or name in allowed:
            continue
        yield ctx.diagnostic(
            MISPLACED_MODULE,
            file,
            first_line(file, ctx.project),
            f"module `{name}` does not belong at the root of `{package}` "
            f"(allowed: {', '.join(sorted(allowed))})",
            details={"package": package, "module": file.module},
        )
