"""`importcanon move OLD NEW`: move a module or package, record the move in a
moved-modules contract, and rewrite every import (and string reference) of OLD."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from importcanon.analysis.files import SourceFile
from importcanon.analysis.project import Project
from importcanon.engine import fixing
from importcanon.engine.run import Options
from importcanon.engine.selection import Selection
from importcanon.model.contract import Contract
from importcanon.model.diagnostic import Diagnostic
from importcanon.model.errors import UsageError
from importcanon.model.lines import lines_with_ends, split_lines
from importcanon.model.paths import covers

MOVES_FILE = "moves.toml"


@dataclass
class MovePlan:
    old: str
    new: str
    source: Path  # the module file, or the package directory
    target: Path
    init_files: list[Path]
    contract_file: Path
    contract_id: str
    relative_fixed: dict[Path, bytes] = field(default_factory=dict)

    def describe(self, root: Path) -> list[str]:
        def rel(path: Path) -> str:
            return path.relative_to(root).as_posix()

        lines = [f"move {rel(self.source)} -> {rel(self.target)}"]
        lines += [f"create {rel(p)}" for p in self.init_files]
        lines += [f"make relative imports absolute in {rel(p)}" for p in self.relative_fixed]
        lines.append(
            f'record "{self.old}" = "{self.new}" in {rel(self.contract_file)} '
            f"(contract `{self.contract_id}`)"
        )
        return lines


def plan(project: Project, old: str, new: str) -> MovePlan:
    file = project.modules.get(old) or _any_module(project, old)
    if file is None:
        raise UsageError(f"no module `{old}` in the project")
    if new in project.modules or covers(old, new):
        raise UsageError(f"`{new}` already exists or lies inside `{old}`")
    source = file.path.parent if file.is_init else file.path
    base = _source_root(project, file, old)
    target = base.joinpath(*new.split("."))
    if not file.is_init:
        target = target.with_suffix(".py")
    if target.exists():
        raise UsageError(f"{target} already exists")
    init_files = []
    parent = target.parent
    while parent != base and not (parent / "__init__.py").exists():
        init_files.append(parent / "__init__.py")
        parent = parent.parent
    contract_file, contract_id = _contract_for(project, old, new)
    moved = [f for f in project.files if f.module and covers(old, f.module)]
    if not moved:
        raise UsageError(f"no module `{old}` in the project")
    return MovePlan(
        old, new, source, target, sorted(init_files), contract_file, contract_id,
        relative_fixed=_absolute_relatives(project, moved),
    )  # fmt: skip


def _any_module(project: Project, old: str) -> SourceFile | None:
    return next((f for f in project.files if f.module == old), None)


def _source_root(project: Project, file: SourceFile, module: str) -> Path:
    depth = len(module.split(".")) + (1 if file.is_init else 0)
    return file.path.parents[depth - 1]


def _contract_for(project: Project, old: str, new: str) -> tuple[Path, str]:
    """The moved-modules contract of contracts/moves.toml (or the first one) when the
    move fits in it; else a new contract in contracts/moves.toml."""
    folder = project.config.root / project.config.contracts_dir
    candidates = [c for c in project.contracts if c.kind == "moved-modules"]
    candidates.sort(key=lambda c: c.file.name != MOVES_FILE)
    for contract in candidates:
        moves = contract.options["moves"]
        clash = any(covers(a, old) or covers(old, a) or covers(a, new) for a in moves)
        if not clash and _moves_header(contract) is not None:
            return contract.file, contract.id
    ids = {c.id for c in project.contracts}
    new_id = next(i for i in ("moves", *(f"moves-{n}" for n in range(2, 1000))) if i not in ids)
    return folder / MOVES_FILE, new_id


def _moves_header(contract: Contract) -> int | None:
    lines = split_lines(contract.file.read_text(encoding="utf-8"))
    start = contract.line - 1
    for index in range(start, len(lines)):
        if index > start and lines[index].strip().startswith("[[contract]]"):
            return None
        if lines[index].strip() == "[contract.moves]":
            return index
    return None


def _absolute_relatives(project: Project, files: list[SourceFile]) -> dict[Path, bytes]:
    """The moved files with their relative imports made absolute (they resolve against
    the old location, which is about to change)."""
    contract = Contract(
        id="move-relative",
        name="relative imports of moved files",
        kind="no-relative-imports",
        file=files[0].path,
        line=1,
        paths=tuple(f.rel for f in files),
        options={"scope": "all"},
    )

    def factory(overrides: dict[Path, bytes]) -> Project:
        return Project(project.config, [contract], overrides=overrides)

    return fixing.fix(factory, Options(), unsafe=False).fixed


def simulated(project: Project, old: str, new: str) -> Contract:
    """An in-memory moved-modules contract for a dry run."""
    return Contract(
        id="move", name="move", kind="moved-modules", file=project.config.root,
        line=1, options={"moves": {old: new}, "pending": (new,)},
    )  # fmt: skip


def record(plan: MovePlan, contracts: list[Contract]) -> None:
    entry = f'"{plan.old}" = "{plan.new}"\n'
    existing = next((c for c in contracts if c.id == plan.contract_id), None)
    if existing is not None and existing.file == plan.contract_file:
        lines = lines_with_ends(plan.contract_file.read_text(encoding="utf-8"))
        header = _moves_header(existing)
        assert header is not None
        lines.insert(header + 1, entry)
        plan.contract_file.write_text("".join(lines), encoding="utf-8")
        return
    plan.contract_file.parent.mkdir(parents=True, exist_ok=True)
    before = plan.contract_file.read_text(encoding="utf-8") if plan.contract_file.exists() else ""
    block = (
        f'[[contract]]\nid = "{plan.contract_id}"\n'
        'name = "Moved modules live at their canonical paths"\nkind = "moved-modules"\n'
        'acceptance = "All imports reference canonical modules; no legacy paths remain."\n\n'
        f"[contract.moves]\n{entry}"
    )
    separator = "\n" if before and not before.endswith("\n\n") else ""
    plan.contract_file.write_text(before + separator + block, encoding="utf-8")


def _in_git(root: Path, path: Path) -> bool:
    try:
        result = subprocess.run(
            ["git", "ls-files", "--error-unmatch", str(path)],
            cwd=root, capture_output=True, check=False,
        )  # fmt: skip
    except OSError:
        return False
    return result.returncode == 0


def carry_out(plan: MovePlan, root: Path) -> None:
    for path, data in plan.relative_fixed.items():
        path.write_bytes(data)
    plan.target.parent.mkdir(parents=True, exist_ok=True)
    for init in plan.init_files:
        init.touch()
    if _in_git(root, plan.source):
        subprocess.run(["git", "mv", str(plan.source), str(plan.target)], cwd=root, check=True)
    else:
        shutil.move(str(plan.source), str(plan.target))


def rewrite(
    factory: Callable[[dict[Path, bytes]], Project], old: str, *, write: bool = True
) -> fixing.FixResult:
    """Fix every IMC001 and IMC003 of the recorded move (IMC003's fix is unsafe in
    general; after a real move, a string that names OLD is stale for certain)."""

    def ours(d: Diagnostic) -> bool:
        return d.details.get("legacy") == old

    options = Options(selection=Selection(select=("IMC001", "IMC003")))
    result = fixing.fix(factory, options, unsafe=True, only=ours)
    if write:
        fixing.write(result)
    return result
