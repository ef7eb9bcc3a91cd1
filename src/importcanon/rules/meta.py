"""Diagnostics about the check itself (IMC900 syntax-error, IMC902 unmatched-ignore,
IMC903 contract-checks-nothing)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from importcanon.analysis.files import SourceFile
from importcanon.config import schema
from importcanon.model.diagnostic import Diagnostic, Location
from importcanon.model.paths import covers, matches_expression, matches_glob
from importcanon.rules.base import Context, Rule
from importcanon.rules.view import View

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
CHECKS_NOTHING = Rule(
    "IMC903",
    "contract-checks-nothing",
    "(any)",
    "A contract field that matches nothing, so the contract checks less than it says",
    """
    ## What it does
    Reports an entry of a contract's `paths`, `modules`, `public_modules`, `packages` or
    `package` that matches no checked file or module (a warning), located in the contract
    file at the entry. When nothing at all is left for the contract to check (every `paths`
    glob, every `modules` expression, every `packages` name misses, or the `package` does not
    exist), the message says so and `importcanon status` shows the contract as
    "KEPT (checks nothing)".

    ## Why is this bad?
    A contract that checks nothing is always kept: a typo (`htpx`), a glob that matches no
    file, or a package renamed away from under its contracts turns an acceptance criterion
    into a green light that means nothing.

    ## Example
    ```toml
    [[contract]]
    id = "root-layout"
    name = "Only entry points at the package root"
    package = "ml_playgound"   # typo: no such package
    root_modules = ["__init__", "cli"]
    ```

    Use instead:
    ```toml
    package = "ml_playground"
    ```
    """,
)
RULES = (SYNTAX_ERROR, UNMATCHED_IGNORE, CHECKS_NOTHING)


def syntax_errors(view: View) -> Iterator[Diagnostic]:
    return syntax_errors_in(view, view.files)


def syntax_errors_in(view: View, files: Iterable[SourceFile]) -> Iterator[Diagnostic]:
    for file in files:
        error = view.facts(file).syntax_error
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


Matcher = Callable[[str], bool]


def _scopes(
    ctx: Context, options: type[Any]
) -> Iterator[tuple[str, list[str], Matcher, str, bool]]:
    """(field, entries, matcher, what an entry should match, whether missing every entry
    leaves the contract nothing to check): ``paths``, then each field of the kind's
    ``options`` that declares a ``scope``."""
    view = ctx.view
    modules = sorted(view.modules)
    rels = [f.rel for f in view.files] + [view.relative(p) for p in view.text_files()]

    def module_expression(expression: str) -> bool:
        return any(matches_expression(expression, m) for m in modules)

    def module_path(path: str) -> bool:
        return any(covers(path, m) for m in modules)

    def glob(pattern: str) -> bool:
        return any(matches_glob(pattern, rel) for rel in rels)

    def package(name: str) -> bool:
        file = view.modules.get(name)
        return file is not None and file.is_init

    matchers: dict[str, tuple[Matcher, str]] = {
        "module expression": (module_expression, "module"),
        "module path": (module_path, "module"),
        "package": (package, "package of the project"),
    }
    yield "paths", list(ctx.contract.paths), glob, "checked file", True
    for name, scope, whole in schema.scopes(options):
        value = ctx.contract.options.get(name, ())
        matcher, what = matchers[scope]
        yield name, [value] if isinstance(value, str) else list(value), matcher, what, whole


def checks_nothing(ctx: Context, options: type[Any]) -> Iterator[Diagnostic]:
    """IMC903: entries of the contract's scope fields (of its kind's ``options``) that
    match nothing."""
    for name, entries, matches, what, empties in _scopes(ctx, options):
        missing = [entry for entry in entries if not matches(entry)]
        whole = empties and bool(entries) and len(missing) == len(entries)
        for entry in missing:
            prefix = "contract checks nothing: " if whole else ""
            yield ctx.in_contract_file(
                CHECKS_NOTHING,
                ctx.contract.lines.get(f"{name}.{entry}", ctx.contract.line_of(name)),
                f"{prefix}`{name}` entry `{entry}` matches no {what}",
                severity="warning",
                details={"field": name, "value": entry, "checks_nothing": whole},
            )
