"""Applying a plan all or nothing."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from importcanon.analysis.rewrite import WriteRefused, replace_contents
from importcanon.config.contracts import load_contracts
from importcanon.config.project import load_project
from importcanon.config.wall import git_command
from importcanon.engine.move.plan import (
    Plan,
    in_git,
)
from importcanon.model.errors import ConfigError, UsageError
from importcanon.rules.registry import Registry


@dataclass
class Journal:
    """What has been done, to be undone in reverse on failure."""

    root: Path
    undo: list[Callable[[], None]] = field(default_factory=list)

    def rollback(self) -> list[str]:
        problems = []
        for step in reversed(self.undo):
            try:
                step()
            except (OSError, subprocess.SubprocessError, WriteRefused) as exc:
                problems.append(str(exc))
        self.undo.clear()
        return problems


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, **_filters_off(root)}
    subprocess.run(
        git_command(*args), cwd=root, check=True, capture_output=True, timeout=120, env=env
    )


def _filters_off(root: Path) -> dict[str, str]:
    """Environment blanking the content filters that the repository's own configuration
    defines (``filter.NAME.clean``, ``.smudge``, ``.process``, matched by a committed
    ``.gitattributes``): `git add` would run them. The user's own (global, system) filters,
    git-lfs say, are kept. Passed as GIT_CONFIG_KEY_n / GIT_CONFIG_VALUE_n, so that no
    driver name (one holding ``=``) can escape its key."""
    try:
        listed = subprocess.run(
            git_command("config", "--show-scope", "--includes", "-z", "--get-regexp", r"^filter\."),
            cwd=root, capture_output=True, check=False, timeout=60,
        ).stdout.decode("utf-8", "surrogateescape")  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return {}
    items = listed.split("\0")
    names = {
        key.split("\n", 1)[0][len("filter.") :].rpartition(".")[0]
        for scope, key in zip(items[0::2], items[1::2], strict=False)
        if scope in ("local", "worktree")
    }
    keys = [
        f"filter.{name}.{part}" for name in sorted(names) for part in ("clean", "smudge", "process")
    ]
    env = {"GIT_CONFIG_COUNT": str(len(keys))}
    for index, key in enumerate(keys):
        env[f"GIT_CONFIG_KEY_{index}"], env[f"GIT_CONFIG_VALUE_{index}"] = key, ""
    return env if keys else {}


def apply(plan: Plan, *, kinds: Registry) -> None:
    """Carry the plan out; on any failure restore the tree and raise UsageError
    (``kinds``: what the contracts, loaded again at the end, may use)."""
    journal = Journal(plan.root)
    try:
        _apply(plan, journal)
        _verify(plan, kinds)
    except (OSError, subprocess.SubprocessError, ConfigError, UsageError, WriteRefused) as exc:
        problems = journal.rollback()
        reason = exc.render() if isinstance(exc, ConfigError) else str(exc)
        if isinstance(exc, subprocess.CalledProcessError):
            reason = (exc.stderr or b"").decode(errors="replace").strip() or str(exc)
        tail = f"; could not undo: {problems[0]}" if problems else "; nothing was changed"
        raise UsageError(
            f"move failed: {reason.splitlines()[0] if reason else type(exc).__name__}{tail}"
        ) from exc


def _apply(plan: Plan, journal: Journal) -> None:
    for directory in plan.new_dirs:
        directory.mkdir()
        journal.undo.append(lambda d=directory: d.rmdir())  # type: ignore[misc]
    for path, data in sorted(plan.creates.items()):
        _create(path, data, journal)
    for init in plan.init_files:
        _create(init, b"", journal)
    _rename(plan, journal)
    for path, (before, after) in sorted(plan.edits.items()):
        destination = plan.moved_path(path)
        if _current(destination) != before:
            raise UsageError(f"{plan.rel(path)} changed on disk while the move was planned")
        # the file keeps its identity (a symlink stays one; mode, owner and links are kept)
        replace_contents(destination, after, expected=before, root=plan.root)
        journal.undo.append(_restore(destination, before, after, root=plan.root))
    if plan.git:
        added = [str(p) for p in [*plan.init_files, *plan.creates] if p.exists()]
        if added:
            _git(plan.root, "add", "--", *added)


def _restore(path: Path, before: bytes, after: bytes, *, root: Path) -> Callable[[], None]:
    def undo() -> None:
        replace_contents(path, before, expected=after, root=root)

    return undo


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _create(path: Path, data: bytes, journal: Journal) -> None:
    with path.open("xb") as handle:
        handle.write(data)
    journal.undo.append(path.unlink)


def _remove(plan: Plan, journal: Journal) -> None:
    data = plan.source.read_bytes()
    plan.source.unlink()
    journal.undo.append(lambda: _create(plan.source, data, Journal(plan.root)))
    if plan.git:
        _git(plan.root, "rm", "--cached", "--quiet", "--", str(plan.source))
        journal.undo.append(lambda: _git(plan.root, "reset", "-q", "--", str(plan.source)))


def _rename(plan: Plan, journal: Journal) -> None:
    if plan.retire:
        _remove(plan, journal)
        return
    source, target = plan.source, plan.target
    if plan.git:
        _git(plan.root, "mv", "--", str(source), str(target))
        journal.undo.append(lambda: _git(plan.root, "mv", "--", str(target), str(source)))
    else:
        os.rename(source, target)
        journal.undo.append(lambda: os.rename(target, source))
    if plan.stub is not None:
        stub, moved = plan.stub, plan.moved_path(plan.stub)
        if plan.git and in_git(plan.root, stub):
            _git(plan.root, "mv", "--", str(stub), str(moved))
            journal.undo.append(lambda: _git(plan.root, "mv", "--", str(moved), str(stub)))
        else:
            os.rename(stub, moved)
            journal.undo.append(lambda: os.rename(moved, stub))


def _verify(plan: Plan, kinds: Registry) -> None:
    """The configuration still loads after the move."""
    config = load_project(plan.root, codes=kinds.codes())
    load_contracts(config, kinds=kinds)
