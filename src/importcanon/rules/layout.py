"""kind = "layout": canonical placement at a package root (IMC401)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from importcanon.config.schema import option
from importcanon.model.diagnostic import Diagnostic
from importcanon.rules.base import Context, Kind, Rule, first_line

NAME = "layout"


@dataclass(frozen=True)
class Options:
    """The options of a ``layout`` contract."""

    package: str = option(help="the package whose root is checked", scope="package")
    root_modules: tuple[str, ...] = option(help="the module names allowed directly in `package`")


MISPLACED_MODULE = Rule(
    "IMC401",
    "misplaced-module",
    NAME,
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


def check(ctx: Context, options: Options) -> Iterator[Diagnostic]:
    package, allowed = options.package, set(options.root_modules)
    for file in ctx.view.files:
        if file.module is None or file.is_init:
            continue
        parent, _, name = file.module.rpartition(".")
        if parent != package or name in allowed:
            continue
        yield ctx.diagnostic(
            MISPLACED_MODULE,
            file,
            first_line(file, ctx.view),
            f"module `{name}` does not belong at the root of `{package}` "
            f"(allowed: {', '.join(sorted(allowed))})",
            details={"package": package, "module": file.module},
        )


KIND = Kind(NAME, Options, RULES, check)
