"""kind = "banned-imports" (IMC501)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from importcanon.config.fields import module_name_check
from importcanon.config.schema import option
from importcanon.model.diagnostic import Diagnostic
from importcanon.model.paths import covers
from importcanon.rules.base import Context, Kind, Rule

NAME = "banned-imports"


@dataclass(frozen=True)
class Options:
    """The options of a ``banned-imports`` contract."""

    modules: tuple[str, ...] = option(
        help="the banned modules (dotted paths; submodules are banned too)",
        check=module_name_check,
    )
    message: str = option("", help="appended to each diagnostic's message")


BANNED_IMPORT = Rule(
    "IMC501",
    "banned-import",
    NAME,
    "An import of a banned module",
    """
    ## What it does
    Flags any import of a module listed in the contract's `modules`, in the files the
    contract covers: `import unittest.mock`, `from unittest import mock`,
    `from unittest.mock import patch`, `import mock`. The contract's `message` is appended.

    ## Why is this bad?
    A team bans a module to keep a decision: no mocks in tests, no direct database driver in
    the domain layer, no deprecated library. The ban only holds if it is checked.

    ## Example
    ```python
    from unittest.mock import patch
    ```

    Use instead:
    ```python
    from tests.fakes import FakeClock  # inject a fake
    ```
    """,
)
RULES = (BANNED_IMPORT,)


def check(ctx: Context, options: Options) -> Iterator[Diagnostic]:
    for file in ctx.view.files:
        for stmt in ctx.view.facts(file).imports:
            paths = stmt.touched_paths()
            hit = next((b for b in options.modules if any(covers(b, p) for p in paths)), None)
            if hit is None or ctx.ignores.ignores(file.module, stmt):
                continue
            message = f"`{hit}` is banned" + (f": {options.message}" if options.message else "")
            yield ctx.diagnostic(BANNED_IMPORT, file, stmt.span, message, details={"module": hit})


KIND = Kind(NAME, Options, RULES, check)
