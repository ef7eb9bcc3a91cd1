"""kind = "max-fan-in": a module may be imported by at most `limit` modules (IMC951)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from importcanon.config.schema import option
from importcanon.model.diagnostic import Diagnostic
from importcanon.rules.base import Context, Kind, Rule, first_line

NAME = "max-fan-in"


@dataclass(frozen=True)
class Options:
    limit: int = option(10, help="how many modules may import one module")
    packages: tuple[str, ...] = option(
        (), help="the packages whose modules are counted", shown="the root packages"
    )


TOO_MANY_IMPORTERS = Rule(
    "IMC951",
    "too-many-importers",
    NAME,
    "A module imported by more modules than the contract allows",
    """
    ## What it does
    Flags a module that more than `limit` modules of `packages` import.

    ## Why is this bad?
    A module that everything imports cannot change without touching everything.

    ## Example
    ```python
    from app.utils import helper  # in 40 modules
    ```

    Use instead: split `app.utils` by what its importers need.
    """,
)


def check(ctx: Context, options: Options) -> Iterator[Diagnostic]:
    packages = options.packages or ctx.view.root_packages
    scope = [m for m in ctx.view.modules if m.split(".")[0] in packages]
    importers: Counter[str] = Counter()
    for importer, imported in ctx.view.edges(scope):
        if not ctx.ignores.ignores_import(importer, imported):
            importers[imported] += 1
    for module, count in sorted(importers.items()):
        if count > options.limit:
            file = ctx.view.modules[module]
            yield ctx.diagnostic(
                TOO_MANY_IMPORTERS,
                file,
                first_line(file, ctx.view),
                f"`{module}` is imported by {count} modules (at most {options.limit})",
                details={"module": module, "importers": count},
            )


KIND = Kind(NAME, Options, (TOO_MANY_IMPORTERS,), check)
