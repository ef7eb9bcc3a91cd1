"""The reference of every configuration field: its type and whether it is required come
from the field specs that validate it; its default and meaning are written here, beside
them, and a test keeps the two tables in step. `importcanon rule --all` prints it, and
docs/rules.md is that output (`make docs`)."""

from __future__ import annotations

from importcanon.config import fields as f
from importcanon.config.contracts import BY_KIND, COMMON
from importcanon.config.project import PROJECT_FIELDS

# field -> (default, meaning); "" as default for a required field.
PROJECT_DOCS: dict[str, tuple[str, str]] = {
    "root_packages": (
        "every top-level package found in `source_roots`",
        "the packages whose modules make the import graph; each must be a package under "
        "the source roots (a name that is not is an error)",
    ),
    "source_roots": ('`["src"]` if `src/` exists, else `["."]`', "where packages are found"),
    "contracts": ('`"contracts"`', "the folder of contract files (`*.toml`)"),
    "exclude": ("`[]`", "globs of files never read, added to the built-in excludes"),
    "respect_gitignore": ("`true`", "skip the files that git ignores"),
    "per-file-ignores": (
        "`{}`",
        "glob -> codes (or prefixes) not reported in the files it matches",
    ),
    "baseline": (
        "none",
        "a baseline file (`importcanon baseline` writes it): the violations it records are "
        "not reported",
    ),
}

COMMON_DOCS: dict[str, tuple[str, str]] = {
    "id": ("", "unique across all contract files; `[a-z0-9][a-z0-9_-]*`"),
    "name": ("", "one line, shown in reports"),
    "kind": ("", "the contract kind (the sections below)"),
    "acceptance": ('`""`', "the acceptance criterion in words, shown by `importcanon status`"),
    "severity": (
        '`"error"`',
        '`"error"` or `"warning"`; warnings never make the exit code 1',
    ),
    "paths": (
        "all checked files",
        "globs (relative to the project root) limiting the files whose diagnostics the "
        "contract reports",
    ),
    "exclude": ("`[]`", "globs removed from `paths`"),
    "ignore_imports": (
        "`[]`",
        'import expressions `"importer -> imported"` (`*` one segment, `**` any number) '
        "that the contract disregards; one that matches nothing is IMC902",
    ),
}

KIND_DOCS: dict[str, dict[str, tuple[str, str]]] = {
    "moved-modules": {
        "moves": ("", "table: legacy dotted path -> canonical dotted path"),
        "text_files": ("`[]`", "globs of text files searched for legacy paths (IMC003)"),
    },
    "no-reexports": {
        "modules": (
            "all of the root packages",
            "module expressions of the modules where facades are forbidden",
        ),
        "public_modules": (
            "`[]`",
            "module expressions of published API surfaces, allowed to re-export",
        ),
    },
    "no-relative-imports": {
        "scope": ('`"init"`', '`"init"`: `__init__.py` files only; `"all"`: every file'),
    },
    "acyclic": {
        "packages": ("the root packages", "the packages whose modules must not form cycles"),
        "granularity": (
            '`"module"`',
            '`"module"`: cycles between modules (IMC301); `"package"`: between sibling '
            "subpackages at each level (IMC302)",
        ),
        "include_type_checking": (
            "`false`",
            "count the imports under `if TYPE_CHECKING:`",
        ),
        "ignore_deferred": ("`false`", "leave out the imports inside functions"),
    },
    "layout": {
        "package": ("", "the package whose root is checked"),
        "root_modules": ("", "the module names allowed directly in `package`"),
    },
    "banned-imports": {
        "modules": ("", "the banned modules (dotted paths; submodules are banned too)"),
        "message": ('`""`', "appended to each diagnostic's message"),
    },
}

TYPES = {
    "array": "array of strings",
    "string": "string",
    "boolean": "boolean",
    "table": "table of strings",
}


def _table(specs: dict[str, f.FieldSpec], docs: dict[str, tuple[str, str]]) -> list[str]:
    out = ["| field | type | default | meaning |", "|---|---|---|---|"]
    for name, spec in specs.items():
        default, meaning = docs.get(name, ("?", "(undocumented)"))
        shown = "required" if spec.required else default
        out.append(
            f"| `{name}` | {TYPES.get(spec.type_name, spec.type_name)} | {shown} | {meaning} |"
        )
    return out


def reference() -> str:
    """Markdown: `[tool.importcanon]`, the fields every contract has, then each kind's."""
    out = ["# Configuration reference", "", "## `[tool.importcanon]` in pyproject.toml", ""]
    out += _table(PROJECT_FIELDS, PROJECT_DOCS)
    out += ["", "## Fields of every contract (`[[contract]]` in `contracts/*.toml`)", ""]
    out += _table(COMMON, COMMON_DOCS)
    for kind, specs in BY_KIND.items():
        out += ["", f'## kind = "{kind}"', ""]
        out += _table(specs, KIND_DOCS.get(kind, {}))
    return "\n".join(out) + "\n"
