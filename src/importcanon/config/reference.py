"""The reference of every configuration field: its type and whether it is required come
from the field specs that validate it. For the project table and the fields of every
contract, the default and meaning are written here, beside them, and a test keeps the
tables in step; a kind's own fields come whole from its ``Options`` (``config.schema``).
`importcanon rule --all` prints it, and docs/rules.md is that output (`make docs`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from importcanon.config import fields as f
from importcanon.config import schema
from importcanon.config.contracts import COMMON
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
        "that the contract disregards (see below); one that matches nothing is IMC902",
    ),
}

TYPES = {
    "array": "array of strings",
    "string": "string",
    "boolean": "boolean",
    "integer": "integer",
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


IGNORE_IMPORTS = (
    "An `ignore_imports` expression has one meaning for every rule, as in import-linter: "
    "`importer -> imported` matches an import statement when `importer` matches the "
    "module that holds the statement and `imported` matches any module the statement "
    "imports: `import a.b` imports `a.b`; `from a import b` imports `a` and `a.b` "
    "(whether `b` is a module or a name). A rule that reads the import graph (import "
    "cycles) matches each edge, `importer -> the imported module`, the same way."
)


def reference(kinds: Mapping[str, type[Any]]) -> str:
    """Markdown: `[tool.importcanon]`, the fields every contract has, then each kind's
    (``kinds``: each kind's ``Options``, in the order shown)."""
    out = ["# Configuration reference", "", "## `[tool.importcanon]` in pyproject.toml", ""]
    out += _table(PROJECT_FIELDS, PROJECT_DOCS)
    out += ["", "## Fields of every contract (`[[contract]]` in `contracts/*.toml`)", ""]
    out += _table(COMMON, COMMON_DOCS)
    out += ["", IGNORE_IMPORTS]
    for kind, options in kinds.items():
        out += ["", f'## kind = "{kind}"', ""]
        out += options_table(options)
    return "\n".join(out) + "\n"


def options_table(options: type[Any]) -> list[str]:
    """A kind's fields, from its ``Options``: name, type, default (or required), help."""
    out = ["| field | type | default | meaning |", "|---|---|---|---|"]
    for d in schema.docs(options):
        shown = "required" if d.required else d.default
        out.append(f"| `{d.name}` | {TYPES.get(d.type_name, d.type_name)} | {shown} | {d.help} |")
    return out
