"""Planning a move: validate, then compute every edit in memory."""

from __future__ import annotations

from importcanon.analysis.project import Project
from importcanon.engine.move.build import Tree
from importcanon.engine.move.build_edits import settings_texts, settle
from importcanon.engine.move.checks import (
    check_flit,
    check_name,
    check_writes,
    choose_new_root,
    is_shim,
    validate_source,
    validate_target,
)
from importcanon.engine.move.config_files import config_edits
from importcanon.engine.move.entry_points import groups
from importcanon.engine.move.plan import (
    Plan,
    in_git,
    path_moves_of,
    plan_parents,
    source_root_of,
    stub_of,
)
from importcanon.engine.move.python_files import python_edits
from importcanon.engine.move.text_files import text_edits
from importcanon.fixes.move_python import Rename
from importcanon.model.errors import UsageError


def make_plan(
    project: Project,
    old: str,
    new: str,
    *,
    source_root: str | None,
    unsafe: bool,
    build_check: bool = True,
) -> Plan:
    check_name(old, role="OLD")
    check_name(new, role="NEW")
    file = project.modules.get(old)
    if file is None:
        raise UsageError(f"no module `{old}` in the project")
    root = project.config.root
    old_root = source_root_of(file, old)
    source = file.path.parent if file.is_init else file.path
    new_root = choose_new_root(project, source_root, old_root)
    target = new_root.joinpath(*new.split("."))
    if not file.is_init:
        target = target.with_name(target.name + ".py")
    plan = Plan(old, new, root, source, target, file.is_init, old_root, new_root, git=False)
    plan.retire = is_shim(project, file, new)
    if not file.is_init and not plan.retire:
        plan.stub = stub_of(plan, plan.source)
    if not plan.retire:
        validate_target(project, plan)
    validate_source(plan)
    check_flit(plan, root / "pyproject.toml")
    plan.git = in_git(root, source)
    if not plan.retire:
        plan_parents(plan)
    rename = Rename(old, new, keep=kept_groups(plan, Rename(old, new)))
    moves = path_moves_of(plan)
    python_edits(project, plan, rename, unsafe=unsafe, paths=moves[:1])
    text_edits(project, plan, moves)
    config_edits(project, plan, rename, moves)
    if build_check:
        settle(plan, rename)
    check_writes(plan)
    return plan


def kept_groups(plan: Plan, rename: Rename) -> frozenset[str]:
    """The entry-point groups under OLD: left as they are, each said once in the report."""
    kept = frozenset(
        g for g in groups(Tree(frozenset(), *settings_texts(plan, after=False))) if rename.moves(g)
    )
    plan.reports += [
        f"note: entry-point group `{g}` kept as it is (other distributions register under it)"
        for g in sorted(kept)
    ]
    return kept
