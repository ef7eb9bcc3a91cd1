"""kind = "no-relative-imports" (IMC201, IMC202)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from importcanon.config.schema import option
from importcanon.model.diagnostic import Diagnostic, FixPlan, ReplaceModule
from importcanon.rules.base import Context, Kind, Rule, Template

NAME = "no-relative-imports"


@dataclass(frozen=True)
class Options:
    """The options of a ``no-relative-imports`` contract."""

    scope: Literal["init", "all"] = option(
        "init", help='`"init"`: `__init__.py` files only; `"all"`: every file'
    )


RELATIVE_IN_INIT = Rule(
    "IMC201",
    "relative-import-in-init",
    NAME,
    "A relative import in an `__init__.py`",
    """
    ## What it does
    Flags every relative import (`from . import x`, `from .sub import y`) in an
    `__init__.py` file.

    ## Why is this bad?
    A package's `__init__.py` is read by everyone who imports anything below it. Relative
    imports there hide which modules it pulls in, survive moves silently when they should
    fail, and make the package's real dependencies hard to grep.

    ## Example
    ```python
    # ml_playground/training/__init__.py
    from .ema import EMA
    ```

    Use instead:
    ```python
    from ml_playground.training.ema import EMA
    ```
    """,
    fix="always",
)
RELATIVE_IMPORT = Rule(
    "IMC202",
    "relative-import",
    NAME,
    'A relative import outside `__init__.py` (scope = "all")',
    """
    ## What it does
    With `scope = "all"`, flags every relative import in a file that is not `__init__.py`.

    ## Why is this bad?
    Absolute imports name the module they depend on, can be searched for, and keep meaning
    the same thing when the importing file moves.

    ## Example
    ```python
    # ml_playground/training/trainer.py
    from ..core.tokenizer_protocol import Tokenizer
    ```

    Use instead:
    ```python
    from ml_playground.core.tokenizer_protocol import Tokenizer
    ```
    """,
    fix="always",
)
RULES = (RELATIVE_IN_INIT, RELATIVE_IMPORT)


def check(ctx: Context, options: Options) -> Iterator[Diagnostic]:
    everywhere = options.scope == "all"
    for file in ctx.view.files:
        if not (file.is_init or everywhere):
            continue
        rule = RELATIVE_IN_INIT if file.is_init else RELATIVE_IMPORT
        for stmt in ctx.view.facts(file).imports:
            if stmt.level == 0 or ctx.ignores.ignores(file.module, stmt):
                continue
            dots = "." * stmt.level + (stmt.module or "")
            absolute = stmt.base or "?"
            yield ctx.diagnostic(
                rule,
                file,
                stmt.span,
                f"relative import `from {dots} import ...`; use `from {absolute} import ...`",
                details={"relative": dots, "absolute": stmt.base},
                plan=FixPlan(
                    "safe",
                    f"Use `from {absolute} import ...`",
                    ReplaceModule(stmt.span.tuple, absolute),
                )
                if stmt.base
                else None,
            )


TEMPLATE = Template(
    "30-absolute-init.toml",
    """
[[contract]]
id = "absolute-init"
name = "No relative imports in __init__.py"
kind = "no-relative-imports"
acceptance = "Package __init__ files use absolute imports only."
scope = "init"
""",
)
KIND = Kind(NAME, Options, RULES, check, template=TEMPLATE)
