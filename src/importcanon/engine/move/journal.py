"""Applying a plan all or nothing, through a journal on disk (`ledger`).

The steps (folders, created files, the rename, each file's edit) and git's index before and
after are computed and written to the journal before the first change; then the steps are
taken in order, SIGINT and SIGTERM only noted between them (`signals`). The configuration
is loaded again and the index set; then the journal is marked committed, the point of no
return. A failure or a signal before that point undoes every step done, in reverse; after
it, the move is finished. A kill at any point leaves the journal for the next run
(`recover`).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from importcanon.config.contracts import load_contracts
from importcanon.config.project import load_project
from importcanon.config.wall import git_command
from importcanon.engine.move import git_index
from importcanon.engine.move.git_index import Index, IndexChanged, filters_off
from importcanon.engine.move.ledger import NAME, Ledger
from importcanon.engine.move.plan import Plan
from importcanon.engine.move.recover import PROBLEMS, reason, settle
from importcanon.engine.move.signals import Caught, Interrupted, deferred
from importcanon.engine.move.steps import Step, Tree, digest, fsync_folders
from importcanon.model.errors import ConfigError, UsageError
from importcanon.rules.registry import Registry


def _git(root: Path, *args: str, data: bytes | None = None) -> bytes:
    env = {**os.environ, **filters_off(root)}
    return subprocess.run(
        git_command(*args), cwd=root, check=True, capture_output=True, timeout=120, env=env,
        input=data,
    ).stdout  # fmt: skip


def apply(plan: Plan, *, kinds: Registry, caught: Caught | None = None) -> None:
    """Carry the plan out, journalled on disk; on any failure or signal restore the tree
    and raise UsageError or Interrupted (``kinds``: what the contracts, loaded again at
    the end, may use; ``caught``: signals already deferred by the caller, who then says
    that one came after the move was done)."""
    with contextlib.nullcontext(caught) if caught else deferred() as caught:
        root, steps, blobs, index = prepare(plan)
        caught.check()
        ledger = _ledger(plan, root, steps, index, blobs)
        tree = Tree(root, steps, blobs.__getitem__)
        try:
            _forward(plan, tree, index, kinds=kinds, between=caught.check)
            ledger.commit()  # (the point of no return)
        except (Interrupted, ConfigError, UsageError, subprocess.SubprocessError, *PROBLEMS) as exc:
            _rolled_back(ledger, tree, index, exc, caught)
        try:  # (every step is known done: nothing to check again)
            ledger.remove()
        except OSError as exc:  # (the move is done; the next run removes the journal)
            ledger.release()
            raise UsageError(f"the move is done, but its journal stays: {reason(exc)}") from exc


def prepare(plan: Plan) -> tuple[Path, list[Step], dict[str, bytes], Index | None]:
    """What the journal records, computed before anything changes: the real project root,
    the steps, the bytes they need by digest, git's index before and after (or None
    outside git). Raises UsageError."""
    root = Path(os.path.realpath(plan.root))
    steps, blobs = _steps(plan, root)
    try:
        return root, steps, blobs, _index(plan, root, steps, blobs)
    except (OSError, subprocess.SubprocessError, IndexChanged) as exc:
        raise UsageError(f"move failed: {reason(exc)}; nothing was changed") from exc


def _ledger(
    plan: Plan, root: Path, steps: list[Step], index: Index | None, blobs: dict[str, bytes]
) -> Ledger:
    try:
        return Ledger.create(root, move=(plan.old, plan.new), steps=steps, index=index, blobs=blobs)
    except FileExistsError as exc:
        raise UsageError(
            f"{NAME}/ is in the way (an interrupted move?): run `importcanon move --recover`"
        ) from exc
    except OSError as exc:
        raise UsageError(f"move failed: cannot write its journal: {reason(exc)}") from exc


def _forward(
    plan: Plan, tree: Tree, index: Index | None, *, kinds: Registry, between: Callable[[], None]
) -> None:
    tree.forward(between=between)
    _verify(plan, kinds)
    between()
    if index is not None:
        git_index.move(tree.root, index, forward=True)
    between()
    fsync_folders(tree.folders())


def _rolled_back(
    ledger: Ledger, tree: Tree, index: Index | None, exc: Exception, caught: Caught
) -> NoReturn:
    """Undo the move after ``exc``, then raise what the command line shows."""
    try:
        settle(ledger, tree, index, forward=False)
        tail = "nothing was changed"
    except PROBLEMS as problem:
        ledger.release()
        tail = f"could not undo: {reason(problem)} (run `importcanon move --recover`)"
    signum = exc.signum if isinstance(exc, Interrupted) else caught.signum
    if signum is not None:
        raise Interrupted(signum, f": the move was rolled back, {tail}") from None
    why = exc.render() if isinstance(exc, ConfigError) else reason(exc)
    raise UsageError(f"move failed: {why}; {tail}") from exc


def _steps(plan: Plan, root: Path) -> tuple[list[Step], dict[str, bytes]]:
    """The move as journal steps (paths relative to the real root, links on the way
    resolved), and every byte string they need by digest."""
    blobs: dict[str, bytes] = {}

    def blob(data: bytes) -> str:
        blobs[digest(data)] = data
        return digest(data)

    def rel(path: Path) -> str:
        return _pin(path, root)

    steps = [Step("mkdir", rel(d)) for d in plan.new_dirs]
    steps += [Step("create", rel(p), after=blob(d)) for p, d in sorted(plan.creates.items())]
    steps += [Step("create", rel(p), after=blob(b"")) for p in plan.init_files]
    if plan.retire:
        steps.append(Step("remove", rel(plan.source), before=blob(plan.source.read_bytes())))
    else:
        steps.append(Step("rename", rel(plan.source), to=rel(plan.target)))
        if plan.stub is not None:
            steps.append(Step("rename", rel(plan.stub), to=rel(plan.moved_path(plan.stub))))
    for path, (before, after) in sorted(plan.edits.items()):
        if _current(path) != before:
            raise UsageError(f"{plan.rel(path)} changed on disk while the move was planned")
        written = rel(_written(plan, path))
        steps.append(Step("edit", written, before=blob(before), after=blob(after)))
    return steps, blobs


def _written(plan: Plan, path: Path) -> Path:
    """The file an edit of ``path`` writes once the move is done: a link's target (the
    file is rewritten, the link kept), at its new place if the move carries it."""
    if not path.is_symlink():
        return plan.moved_path(path)
    real = Path(os.path.realpath(path))
    for moved in [plan.source, *([plan.stub] if plan.stub else [])]:
        base = Path(os.path.realpath(moved))
        if real == base or real.is_relative_to(base):
            return plan.moved_path(moved / real.relative_to(base))
    return real


def _pin(path: Path, root: Path) -> str:
    """``path`` relative to ``root``, the folders on its way resolved (those that exist)."""
    tail = [path.name]
    folder = path.parent
    while not os.path.lexists(folder) and folder != folder.parent:
        tail.append(folder.name)
        folder = folder.parent
    pinned = Path(os.path.realpath(folder)).joinpath(*reversed(tail))
    if not pinned.is_relative_to(root):
        raise UsageError(f"{path} resolves outside the project root")
    return pinned.relative_to(root).as_posix()


def _index(plan: Plan, root: Path, steps: list[Step], blobs: dict[str, bytes]) -> Index | None:
    """git's index before and after the move, for the paths it touches (what `git mv`
    and `git add` would leave); created files' blobs are written to git now."""
    if not plan.git:
        return None
    moved = [(s.path, s.to) for s in steps if s.op == "rename"]
    gone = [s.path for s in steps if s.op == "remove"] + [new for _, new in moved]
    created = [s for s in steps if s.op == "create"]
    specs = tuple(dict.fromkeys([p for pair in moved for p in pair] + gone))
    specs += tuple(s.path for s in created)
    before = git_index.entries(root, specs)
    after = []
    for mode, name, path in before:
        new = next((_moved(path, old, to) for old, to in moved if _moved(path, old, to)), None)
        if new is not None:
            after.append((mode, name, new))
        elif not any(path == g or path.startswith(g + "/") for g in gone):
            after.append((mode, name, path))
    for step in created:
        data = blobs[step.after]
        made = _git(root, "hash-object", "-w", "--stdin", f"--path={step.path}", data=data)
        after.append(("100644", made.decode().strip(), step.path))
    return Index(specs, before, tuple(sorted(after)))


def _moved(path: str, old: str, new: str) -> str | None:
    if path == old:
        return new
    return new + path[len(old) :] if path.startswith(old + "/") else None


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _verify(plan: Plan, kinds: Registry) -> None:
    """The configuration still loads after the move."""
    config = load_project(plan.root, codes=kinds.codes())
    load_contracts(config, kinds=kinds)
