"""The edits to configuration: pyproject.toml, setup.cfg, .importlinter, contracts/, the
baseline; and the moves recorded in a moved-modules contract."""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path

from importcanon.analysis.project import Project
from importcanon.engine import baseline
from importcanon.engine.move.plan import (
    Plan,
    emptied_root_moves,
    read_file,
)
from importcanon.engine.move.text_files import contract_text_files
from importcanon.fixes.move_python import Rename
from importcanon.fixes.move_text import (
    KeyPath,
    PathMove,
    TomlEditError,
    edit_ini,
    edit_toml,
    mentions,
    rename_expression,
    rename_path,
    rewrite_paths,
)
from importcanon.fixes.toml_layout import set_key, statements
from importcanon.model.errors import UsageError
from importcanon.model.lines import lines_with_ends, split_lines

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]


ENTRY_TABLES: tuple[KeyPath, ...] = (
    ("project", "scripts"),
    ("project", "gui-scripts"),
    ("project", "entry-points"),
    ("tool", "poetry", "scripts"),
    ("tool", "poetry", "plugins"),
)


PROSE_FIELDS = frozenset({"id", "name", "kind", "acceptance", "severity"})


MOVES_FILE = "moves.toml"


def config_edits(project: Project, plan: Plan, rename: Rename, moves: list[PathMove]) -> None:
    root = plan.root
    for name in (".importlinter", "setup.cfg"):
        _ini_edit(plan, root / name, rename)
        edit_text(plan, root / name, lambda text: rewrite_paths(text, moves)[0])
    edit_text(
        plan, root / "setup.cfg", lambda text: _setup_cfg_roots(text, emptied_root_moves(plan))
    )
    _pyproject_edit(project, plan, rename, moves)
    _contracts_edit(project, plan, rename, moves)
    _baseline_edit(project, plan, rename)


NOT_MODULES = frozenset({"name", "field", "value"})


def _baseline_edit(project: Project, plan: Plan, rename: Rename) -> None:
    """The baseline follows the move: entries of moved files name their new paths, and
    identities that are module paths name the new modules, so that what was recorded
    before is still recorded (not reported as new) after."""
    if not project.config.baseline:
        return
    path = plan.root / project.config.baseline
    data = plan.edits[path][1] if path in plan.edits else read_file(plan, path)
    if data is None:
        return
    try:
        entries = baseline.parse(data)
    except (ValueError, RecursionError):
        return  # not a baseline file: `check` reports it; the move leaves it as it is
    renamed: Counter[baseline.Key] = Counter()
    for key, n in entries.items():
        at = plan.root / key.file
        file = plan.rel(plan.moved_path(at)) if plan.moved_path(at) != at else key.file
        identity = _renamed_identity(key, rename)
        renamed[baseline.Key(file, key.code, key.contract, identity)] += n
    if renamed != entries:
        original = plan.edits[path][0] if path in plan.edits else data
        plan.edits[path] = (original, baseline.render(renamed).encode("utf-8"))
        plan.references += sum(1 for key in entries if key not in renamed)


def _renamed_identity(key: baseline.Key, rename: Rename) -> str:
    names = baseline.IDENTITY.get(key.code)
    fields = key.identity.split(" ")
    if names is None or len(names) != len(fields):
        return key.identity  # a message, not a structured identity
    renamed = []
    for name, value in zip(names, fields, strict=True):
        if name in NOT_MODULES:
            renamed.append(value)
            continue
        items = value.split(",")
        new = [rename(item) for item in items]
        renamed.append(",".join(sorted(new) if items == sorted(items) else new))
    return " ".join(renamed)


def edit_text(plan: Plan, path: Path, change: Callable[[str], str]) -> None:
    """A planned edit of a UTF-8 file (on top of the edits already planned for it), counted
    by the lines it rewrites."""
    data = plan.edits[path][1] if path in plan.edits else read_file(plan, path)
    if data is None:
        return
    try:
        text = data.decode("utf-8")
        new_text = change(text)
    except UnicodeDecodeError as exc:
        raise UsageError(f"{plan.rel(path)}: not UTF-8; cannot update it") from exc
    except TomlEditError as exc:
        raise UsageError(f"{plan.rel(path)}: cannot update it safely ({exc})") from exc
    if new_text != text:
        original = plan.edits[path][0] if path in plan.edits else data
        plan.edits[path] = (original, new_text.encode("utf-8"))
        plan.references += changed_lines(text, new_text)


def changed_lines(before: str, after: str) -> int:
    """How many lines an edit rewrote (each rewritten value of a configuration file is on
    a line of its own, or shares it with the values it sits beside)."""
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), False)
    return sum(
        max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )


_SETUP_ROOT = re.compile(
    r"(?m)^([ \t]*where[ \t]*=[ \t]*|[ \t]*package_dir[ \t]*=[ \t]*=|[ \t]+=)(\S+)[ \t]*$"
)


def _setup_cfg_roots(text: str, root_moves: list[PathMove]) -> str:
    """setup.cfg's `where = src` and `package_dir = =src` follow a source root the move
    empties."""
    if not root_moves:
        return text

    def replace(match: re.Match[str]) -> str:
        renamed = rename_path(match.group(2), root_moves)
        return match.group(1) + (renamed or match.group(2))

    return _SETUP_ROOT.sub(replace, text)


def _ini_edit(plan: Plan, path: Path, rename: Rename) -> None:
    def sections(name: str) -> bool:
        return name.startswith(("importlinter", "options", "entry_points"))

    edit_text(
        plan, path, lambda text: edit_ini(text, old=rename.old, new=rename.new, sections=sections)
    )


def _names(line: str, col: int, name: str) -> bool:
    end = col + len(name)
    return line.startswith(name, col) and (
        end == len(line) or not (line[end].isalnum() or line[end] in "._")
    )


def _report_mentions(plan: Plan, path: Path, old: str, keep: frozenset[str]) -> None:
    data = plan.edits[path][1] if path in plan.edits else read_file(plan, path)
    if data is None:
        return
    for row, line in enumerate(split_lines(data.decode("utf-8", "replace")), 1):
        if line.lstrip().startswith("#") or re.match(r"\s*name\s*=", line):
            continue  # a comment; a distribution's name, which stays (a module's is rewritten)
        for col in mentions(line, old):
            if col and line[col - 1] in "/-":
                continue  # a URL or a distribution-like name: not a module path
            if any(_names(line, col, group) for group in keep):
                continue  # an entry-point group, left as it is on purpose
            plan.reports.append(
                f"{plan.rel(path)}:{row}:{col + 1}: IMC003 not rewritten (unknown setting): "
                + line.strip()[:80]
            )


def _pyproject_edit(project: Project, plan: Plan, rename: Rename, moves: list[PathMove]) -> None:
    path = plan.root / "pyproject.toml"
    root_moves = emptied_root_moves(plan)

    def value(keys: KeyPath, text: str) -> str | None:
        return _pyproject_value(keys, text, rename=rename, moves=moves, root_moves=root_moves)

    def key(table: KeyPath, name: str) -> str | None:
        if table[:2] == ("tool", "setuptools") and table[2:3] in {
            ("package-data",),
            ("exclude-package-data",),
            ("package-dir",),
        }:
            return rename(name) if rename.moves(name) else None
        if table[:3] == ("tool", "importcanon", "per-file-ignores"):
            return rename_path(name, moves)
        return None

    if path.is_file():
        edit_text(plan, path, lambda text: edit_toml(text, value_rule=value, key_rule=key))
        edit_text(plan, path, lambda text: _toml_paths(text, moves))
        edit_text(plan, path, lambda text: _importcanon_settings(project, plan, text))
        if rename.old != rename.new:
            _report_mentions(plan, path, rename.old, rename.keep)
    elif needs_source_root(project, plan):
        plan.creates[path] = (
            f"[tool.importcanon]\nsource_roots = {_roots(project, plan)}\n".encode()
        )


def _toml_paths(text: str, moves: list[PathMove]) -> str:
    """File paths to the moved module anywhere in a TOML file (`files = ["src/a"]` of a
    type checker, say), checked to parse to the same shape afterwards."""
    new_text, count = rewrite_paths(text, moves)
    if not count:
        return text
    try:
        tomllib.loads(new_text)
    except tomllib.TOMLDecodeError as exc:
        raise TomlEditError(f"the edited file would not parse: {exc}") from exc
    return new_text


def _pyproject_value(
    keys: KeyPath, text: str, *, rename: Rename, moves: list[PathMove], root_moves: list[PathMove]
) -> str | None:
    dotted = rename(text) if rename.moves(text) else None
    if keys[:2] == ("tool", "importcanon"):
        if keys[2:] == ("root_packages",):
            return rename.new.split(".")[0] if text == rename.old else None
        return None
    if any(keys[: len(t)] == t for t in ENTRY_TABLES):
        module, colon, attr = text.partition(":")
        return rename(module.strip()) + colon + attr if rename.moves(module.strip()) else None
    if keys == ("tool", "flit", "module", "name"):
        return dotted
    if keys[:2] == ("tool", "setuptools"):
        if keys[2:] in {("packages",), ("py-modules",)} or keys[-1] == "attr":
            return dotted
        if keys[2:] == ("packages", "find", "where") or keys[2:3] == ("package-dir",):
            return rename_path(text, [*moves, *root_moves])
        if keys[2:] == ("packages", "find", "include"):
            return rename_expression(text, rename.old, rename.new)
        return None
    if keys[:2] in {("tool", "hatch"), ("tool", "pdm")}:
        return rename_path(text, [*moves, *root_moves])
    if keys[:3] == ("tool", "poetry", "packages"):
        if keys[3:] == ("include",):
            return rename_path(text, moves) or dotted
        if keys[3:] == ("from",):
            return rename_path(text, root_moves)
    if keys[:2] == ("tool", "pytest") and keys[-1] == "testpaths":
        return rename_path(text, [*moves, *root_moves])  # folders pytest collects from
    if keys[:3] == ("tool", "coverage", "run") and keys[3:] in {("source",), ("source_pkgs",)}:
        return dotted or rename_path(text, [*moves, *root_moves])  # a package or a folder
    if keys[:2] == ("tool", "maturin"):
        if keys[2:] == ("module-name",):
            return dotted
        return rename_path(text, [*moves, *root_moves])
    if keys[:3] == ("tool", "scikit-build", "wheel"):
        return rename_path(text, [*moves, *root_moves])
    return None


def _roots(project: Project, plan: Plan) -> str:
    roots = list(project.config.source_roots)
    rel = plan.rel(plan.new_root)
    if rel not in roots:
        roots.append(rel)
    return "[" + ", ".join(_toml_string(r) for r in roots) + "]"


def _toml_string(text: str) -> str:
    """``text`` as a TOML basic string (quotes, backslashes and controls escaped)."""
    return '"' + "".join(f"\\u{ord(c):04x}" if c < " " or c in '"\\\x7f' else c for c in text) + '"'


def needs_source_root(project: Project, plan: Plan) -> bool:
    roots = {Path(os.path.normpath(plan.root / r)) for r in project.config.source_roots}
    return plan.new_root not in roots


def _importcanon_settings(project: Project, plan: Plan, text: str) -> str:
    """`source_roots` gains a new source root; `root_packages` gains a new top-level
    package (a renamed one is renamed by the value rule). The table and keys are found by
    a TOML statement scanner (a header inside another tool's string is not the table)."""
    additions: list[tuple[str, str]] = []
    if needs_source_root(project, plan):
        additions.append(("source_roots", _roots(project, plan)))
    top = plan.new.split(".")[0]
    packages = project.config.root_packages
    if packages is not None and top not in packages and plan.old not in packages:
        listed = ", ".join(f'"{p}"' for p in (*packages, top))
        additions.append(("root_packages", f"[{listed}]"))
    for key, value in additions:
        try:
            text = set_key(text, ("tool", "importcanon"), key, value)
        except TomlEditError as exc:
            raise TomlEditError(f"{exc}; write `{key} = {value}` in [tool.importcanon]") from exc
    return text


def _contracts_edit(project: Project, plan: Plan, rename: Rename, moves: list[PathMove]) -> None:
    def value(keys: KeyPath, text: str) -> str | None:
        if keys[:1] != ("contract",) or (len(keys) == 2 and keys[1] in PROSE_FIELDS):
            return None
        if keys[1:2] == ("moves",):
            if len(keys) == 3 and keys[2] == rename.old:
                return rename.new
            return rename(text) if rename.moves(text) else None
        if keys[1:] in {("paths",), ("exclude",), ("text_files",)}:
            return rename_path(text, moves)
        if " -> " in text:
            sides = [s.strip() for s in text.split("->")]
            renamed = [rename_expression(s, rename.old, rename.new) or s for s in sides]
            return " -> ".join(renamed)
        return rename_expression(text, rename.old, rename.new)

    def key(table: KeyPath, name: str) -> str | None:
        if table == ("contract", "moves") and name != rename.old and rename.moves(name):
            return rename(name)
        return None

    folder = plan.root / project.config.contracts_dir
    files = sorted(folder.glob("*.toml")) if folder.is_dir() else []
    for path in files:
        edit_text(plan, path, lambda text: edit_toml(text, value_rule=value, key_rule=key))
    _record(project, plan, folder, keep=sorted(rename.keep))


def _record(project: Project, plan: Plan, folder: Path, *, keep: list[str]) -> None:
    """Declare `"OLD" = "NEW"` once: reuse a moved-modules contract that declares OLD, else
    add the entry to the first moved-modules contract (contracts/moves.toml first), else a
    new contract in contracts/moves.toml. ``keep``: the entry-point groups the move left
    as they are, which the contract then does not report (its `keep`)."""
    moved = [c for c in project.contracts if c.kind == "moved-modules"]
    if plan.old == plan.new or any(plan.old in c.options.get("moves", {}) for c in moved):
        return  # a move to another source root only is no legacy path: nothing to declare
    moved.sort(key=lambda c: c.file.name != MOVES_FILE)
    entry = f'"{plan.old}" = "{plan.new}"\n'
    for contract in moved:
        if not contract.file.is_relative_to(folder):
            continue
        data = (
            plan.edits[contract.file][1]
            if contract.file in plan.edits
            else read_file(plan, contract.file)
        )
        if data is None:
            continue
        lines = lines_with_ends(data.decode("utf-8"))
        header = _moves_header(lines, contract.line)
        if header is None:
            continue
        lines.insert(header + 1, entry)
        if keep and not contract.options.get("keep"):
            lines.insert(header, f"keep = {json.dumps(keep)}\n")
        plan.references += 1
        plan.edits[contract.file] = (
            plan.edits[contract.file][0] if contract.file in plan.edits else data,
            "".join(lines).encode("utf-8"),
        )
        return
    ids = {c.id for c in project.contracts}
    new_id = next(i for i in ("moves", *(f"moves-{n}" for n in range(2, 10_000))) if i not in ids)
    texts = contract_text_files(project, plan)
    listed = "".join(f"    {json.dumps(glob)},\n" for glob in texts)
    block = (
        f'[[contract]]\nid = "{new_id}"\n'
        'name = "Moved modules live at their canonical paths"\nkind = "moved-modules"\n'
        'acceptance = "All imports reference canonical modules; no legacy paths remain."\n'
        + (f"text_files = [\n{listed}]\n" if texts else "")
        + (f"keep = {json.dumps(keep)}\n" if keep else "")
        + f"\n[contract.moves]\n{entry}"
    )
    path = folder / MOVES_FILE
    existing = plan.edits[path][1] if path in plan.edits else read_file(plan, path)
    if existing is None:
        plan.creates[path] = block.encode("utf-8")
        if not folder.exists():
            plan.new_dirs.append(folder)
        return
    before = existing.decode("utf-8")
    separator = (
        "" if not before or before.endswith("\n\n") else ("\n" if before.endswith("\n") else "\n\n")
    )
    plan.edits[path] = (
        plan.edits[path][0] if path in plan.edits else existing,
        (before + separator + block).encode("utf-8"),
    )


def _moves_header(lines: list[str], start_line: int) -> int | None:
    """The line of the `[contract.moves]` header of the contract whose `[[contract]]` is
    at ``start_line``, found by the TOML statement scanner (never a line of a string)."""
    ends = list(accumulate(len(line) for line in lines))
    try:
        found = statements("".join(lines))
    except TomlEditError:
        return None
    inside = False
    for statement in found:
        row = bisect_right(ends, statement.start)
        if statement.kind == "array" and statement.path == ("contract",):
            if inside:
                return None
            inside = row >= start_line - 1
        elif inside and statement.kind == "table" and statement.path == ("contract", "moves"):
            return row
    return None
