"""Diagnostics about the check itself (IMC900 syntax-error, IMC902 unmatched-ignore)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from importcanon.analysis.files import SourceFile
from importcanon.analysis.project import Project
from importcanon.model.diagnostic import Diagnostic, Location
from importcanon.rules.base import Context, Rule

SYNTAX_ERROR = Rule(
    "IMC900",
    "syntax-error",
    "(any)",
    "A checked file could not be parsed or decoded",
    """
    ## What it does
    Reports a checked file that is not valid Python, or not valid text in its declared
    encoding. The rest of the project is still checked, and the run exits with code 1.

    ## Why is this bad?
    A file that cannot be parsed cannot be checked: its imports are unknown, so every
    contract's verdict on it would be a guess.

    ## Example
    ```python
    from ml_playground.training import (EMA
    ```

    Use instead:
    ```python
    from ml_playground.training import EMA
    ```
    """,
)
UNMATCHED_IGNORE = Rule(
    "IMC902",
    "unmatched-ignore",
    "(any)",
    "An `ignore_imports` expression that matched no import",
    """
    ## What it does
    Reports an `ignore_imports` expression of a contract that matched no import in this run
    (a warning). It is located in the contract file, at the line of the expression.

    ## Why is this bad?
    Stale exceptions hide future violations: once the import they excused is gone, the
    exception silently excuses the next one that matches.

    ## Example
    ```toml
    ignore_imports = ["ml_playground.cli -> ml_playground.ema"]  # no such import any more
    ```

    Use instead: delete the expression.
    """,
)
RULES = (SYNTAX_ERROR, UNMATCHED_IGNORE)


def syntax_errors(project: Project) -> Iterator[Diagnostic]:
    return syntax_errors_in(project, project.files)


def syntax_errors_in(project: Project, files: Iterable[SourceFile]) -> Iterator[Diagnostic]:
    for file in files:
        error = project.facts(file).syntax_error
        if error is None:
            continue
        row, col, message = error
        yield Diagnostic(
            code=SYNTAX_ERROR.code,
            rule=SYNTAX_ERROR.name,
            contract="",
            severity="error",
            message=f"cannot parse file: {message}",
            path=file.path,
            location=Location(row, col),
            end_location=Location(row, col),
            noqa_rows=(0, 0),
        )


def unmatched_ignores(ctx: Context) -> Iterator[Diagnostic]:
    for expression in ctx.ignores.unmatched():
        yield ctx.in_contract_file(
            UNMATCHED_IGNORE,
            expression.line,
            f"ignore_imports expression `{expression.expression}` matched no import",
            severity="warning",
            details={"expression": expression.expression},
        )
