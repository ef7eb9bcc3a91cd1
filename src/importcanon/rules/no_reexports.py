"""kind = "no-reexports": no re-export facades (IMC101-IMC103)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from importcanon.analysis.files import SourceFile
from importcanon.analysis.names import NameIndex
from importcanon.config.fields import module_expression_check
from importcanon.config.schema import option
from importcanon.model.diagnostic import Diagnostic, FixPlan, SplitName
from importcanon.model.paths import matches_expression
from importcanon.rules.base import Context, Kind, Rule, Template, first_line

if TYPE_CHECKING:  # a run answered from the cache never loads the facts' classes
    from importcanon.model.facts import Binding, ImportStmt

NAME = "no-reexports"


@dataclass(frozen=True)
class Options:
    """The options of a ``no-reexports`` contract."""

    modules: tuple[str, ...] = option(
        (),
        help="module expressions of the modules where facades are forbidden",
        check=module_expression_check,
        shown="all of the root packages",
        scope="module expression",
    )
    public_modules: tuple[str, ...] = option(
        (),
        help="module expressions of published API surfaces, allowed to re-export",
        check=module_expression_check,
        scope="module expression",
        whole=False,
    )


REEXPORT = Rule(
    "IMC101",
    "reexport",
    NAME,
    "A module re-exports a name defined elsewhere in the project",
    """
    ## What it does
    Flags a module that binds a name by import and exposes it: the name is in the module's
    `__all__`; or it is imported with a redundant alias (`from x import N as N`); or the
    module is an `__init__.py` that never uses the name itself; or another checked file
    imports the name from this module. Only names defined in the root packages count.
    One diagnostic per module and name, on the import statement that binds it.
    `from x import *` in a covered module is reported too (name `*`).

    Modules listed in `public_modules` (published API surfaces) may re-export.

    ## Why is this bad?
    A facade gives one name two addresses. Callers pick either, the import graph grows
    edges through the facade, refactors must keep the facade alive, and cycles appear
    when the facade's package imports what imports it.

    ## Example
    ```python
    # ml_playground/training/__init__.py
    from ml_playground.training.ema import EMA
    __all__ = ["EMA"]
    ```

    Use instead:
    ```python
    # ml_playground/training/__init__.py: no imports of names
    # callers: from ml_playground.training.ema import EMA
    ```
    """,
)
IMPORT_VIA_REEXPORT = Rule(
    "IMC102",
    "import-via-reexport",
    NAME,
    "A name imported through a re-export instead of from its defining module",
    """
    ## What it does
    Flags `from M import N` where `M` binds `N` by import (and `M` is not a public module):
    the name should be imported from `D`, the module that defines it. `details.defined_in`
    names `D`. Not reported for an import already reported as IMC001.

    ## Why is this bad?
    Importing through a facade makes the importer depend on the facade and everything it
    imports, hides the real dependency, and keeps the facade alive.

    ## Example
    ```python
    from ml_playground.training import EMA
    ```

    Use instead:
    ```python
    from ml_playground.training.ema import EMA
    ```
    """,
    fix="always",
    yields_to=("IMC001",),
)
SHIM_MODULE = Rule(
    "IMC103",
    "shim-module",
    NAME,
    "A module that holds nothing but imports",
    """
    ## What it does
    Flags a module other than `__init__.py` whose body, leaving out its docstring,
    `__all__`, `from __future__` imports and `if TYPE_CHECKING:` blocks, holds nothing but
    imports, at least one of them from the root packages. Reported on line 1.

    ## Why is this bad?
    A module made only of imports is a compatibility shim: a second address for code that
    lives elsewhere. Shims outlive the migration they were written for.

    ## Example
    ```python
    # ml_playground/tokenizer_protocol.py
    from ml_playground.core.tokenizer_protocol import Tokenizer
    ```

    Use instead: import from `ml_playground.core.tokenizer_protocol` and delete the shim.
    """,
)
RULES = (REEXPORT, IMPORT_VIA_REEXPORT, SHIM_MODULE)


class Scope:
    def __init__(self, ctx: Context, options: Options) -> None:
        self.modules = options.modules
        self.roots = ctx.view.root_packages
        self.public = options.public_modules

    def covers(self, module: str) -> bool:
        if any(matches_expression(p, module) for p in self.public):
            return False
        if not self.modules:
            return module.split(".")[0] in self.roots
        return any(matches_expression(p, module) for p in self.modules)


def imported_from(ctx: Context) -> dict[tuple[str, str], list[tuple[SourceFile, ImportStmt]]]:
    """Every ``from M import N`` in the checked files, by (M, N)."""
    index: dict[tuple[str, str], list[tuple[SourceFile, ImportStmt]]] = defaultdict(list)
    for file in ctx.view.files:
        for stmt in ctx.view.facts(file).imports:
            if stmt.is_from and stmt.base:
                for name, _ in stmt.names:
                    index[(stmt.base, name)].append((file, stmt))
    return index


def check(ctx: Context, options: Options) -> Iterator[Diagnostic]:
    names = NameIndex(ctx.view)
    scope = Scope(ctx, options)
    users = imported_from(ctx)
    covered = [m for m in sorted(names.modules) if scope.covers(m)]
    for module in covered:
        yield from reexports(ctx, names, module, users)
        yield from shim(ctx, module)
    yield from via_reexport(ctx, names, scope, users)


def check_part(
    ctx: Context,
    options: Options,
    names: NameIndex,
    users: dict[tuple[str, str], list[tuple[SourceFile, ImportStmt]]],
    *,
    modules: Iterable[str],
    pairs: set[tuple[str, str]],
    paths: set[Path],
) -> Iterator[Diagnostic]:
    """Part of ``check``, for an analysis kept resident that redoes only what an edit can
    change: IMC101 and IMC103 of ``modules``; IMC102 of every import of a (module, name)
    in ``pairs``, and of every import made in ``paths``."""
    scope = Scope(ctx, options)
    for module in sorted(m for m in set(modules) if m in names.modules and scope.covers(m)):
        yield from reexports(ctx, names, module, users)
        yield from shim(ctx, module)
    selected = {key: users[key] for key in pairs if key in users}
    for path in paths:
        file = ctx.view.file(path)
        for key in _keys(ctx.view.facts(file).imports) if file else ():
            if key not in selected:
                selected[key] = [(f, s) for f, s in users.get(key, ()) if f.path == path]
    yield from via_reexport(ctx, names, scope, selected)


def _keys(imports: Iterable[ImportStmt]) -> set[tuple[str, str]]:
    return {
        (stmt.base, name)
        for stmt in imports
        if stmt.is_from and stmt.base
        for name, _ in stmt.names
    }


def _exposed(
    names: NameIndex,
    module: str,
    binding: Binding,
    stmt: ImportStmt,
    users: dict[tuple[str, str], list[tuple[SourceFile, ImportStmt]]],
) -> str | None:
    if binding.name in (names.all_names(module) or ()):
        return "listed in `__all__`"
    if (binding.name, binding.name) in stmt.names:  # from x import N as N
        return "imported with a redundant alias"
    file = names.source.modules[module]
    if file.is_init and binding.name not in names.facts(module).used_names:
        return "bound in `__init__.py` and never used there"
    if any(f.module != module for f, _ in users.get((module, binding.name), ())):
        return "imported from here by another module"
    return None


def reexports(
    ctx: Context,
    names: NameIndex,
    module: str,
    users: dict[tuple[str, str], list[tuple[SourceFile, ImportStmt]]],
) -> Iterator[Diagnostic]:
    file = names.source.modules[module]
    facts = names.facts(module)
    for binding, origin in names.reexports(module):
        stmt = facts.imports[binding.stmt]
        why = _exposed(names, module, binding, stmt, users)
        if why is None or ctx.ignores.ignores(module, stmt):
            continue
        yield ctx.diagnostic(
            REEXPORT,
            file,
            stmt.span,
            f"`{module}` re-exports `{origin.name}` ({why}); "
            f"it is defined in `{origin.defined_in}`",
            details={"name": origin.name, "via": module, "defined_in": origin.defined_in},
        )
    for index in facts.star_imports:
        stmt = facts.imports[index]
        if stmt.base in names.modules and not ctx.ignores.ignores(module, stmt):
            yield ctx.diagnostic(
                REEXPORT,
                file,
                stmt.span,
                f"`{module}` re-exports everything from `{stmt.base}` with `import *`",
                details={"name": "*", "via": module, "defined_in": stmt.base},
            )


def via_reexport(
    ctx: Context,
    names: NameIndex,
    scope: Scope,
    users: dict[tuple[str, str], list[tuple[SourceFile, ImportStmt]]],
) -> Iterator[Diagnostic]:
    for (module, name), places in sorted(users.items(), key=lambda item: item[0]):
        if module not in names.modules or not scope.covers(module) or name == "*":
            continue
        binding = names.binding(module, name)
        if binding is not None and names.is_submodule_binding(module, binding):
            continue
        # defined here: None or `module`; bound by an import or a star import: elsewhere
        defined_in = names.defining_module(module, name)
        if defined_in is None or defined_in == module:
            continue
        for file, stmt in places:
            if ctx.ignores.ignores(file.module, stmt):
                continue
            yield ctx.diagnostic(
                IMPORT_VIA_REEXPORT,
                file,
                stmt.span,
                f"`{name}` is imported via `{module}`; import it from `{defined_in}`",
                details={"name": name, "via": module, "defined_in": defined_in},
                plan=FixPlan(
                    "safe",
                    f"Import `{name}` from `{defined_in}`",
                    SplitName(stmt.span.tuple, name, _alias(stmt, name), defined_in, name),
                ),
            )


def _alias(stmt: ImportStmt, name: str) -> str | None:
    return next((alias for n, alias in stmt.names if n == name), None)


def shim(ctx: Context, module: str) -> Iterator[Diagnostic]:
    file = ctx.view.modules[module]
    facts = ctx.view.facts(file)
    if file.is_init or not facts.shim:
        return
    roots = ctx.view.root_packages
    if not any(
        any(t.split(".")[0] in roots for t in stmt.touched_paths()) for stmt in facts.imports
    ):
        return
    yield ctx.diagnostic(
        SHIM_MODULE,
        file,
        first_line(file, ctx.view),
        f"`{module}` holds nothing but imports; import from the modules it imports",
        details={"module": module},
    )


TEMPLATE = Template(
    "40-no-facades.toml",
    """
[[contract]]
id = "no-facades"
name = "Import names from where they are defined"
kind = "no-reexports"
acceptance = "No re-export facades; every name is imported from its defining module."
public_modules = {public}   # published API surfaces, allowed to re-export
""",
)
KIND = Kind(NAME, Options, RULES, check, template=TEMPLATE)
