"""Finishing or undoing a move that was interrupted (``importcanon move --recover``, and
first thing in ``check``, ``status``, ``baseline``, ``move`` and the server).

A journal marked committed is finished (every step redone where it is not done yet);
any other is undone, in reverse order. Both are idempotent: recovery killed at any point
is recovered by the next run. Files changed by someone else since the move began are never
overwritten: recovery stops before changing anything and says which file.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from importcanon.analysis.rewrite import WriteRefused, clean_stale
from importcanon.engine.move import git_index
from importcanon.engine.move.git_index import Index, IndexChanged
from importcanon.engine.move.ledger import NAME, JournalError, Ledger
from importcanon.engine.move.signals import deferred
from importcanon.engine.move.steps import Foreign, Tree
from importcanon.model.errors import UsageError

PROBLEMS = (OSError, WriteRefused, Foreign, IndexChanged, JournalError, subprocess.SubprocessError)


def pending(start: Path) -> Path | None:
    """The project root above ``start`` that holds a move's journal, if any (a few
    lstat calls: every run may ask)."""
    for folder in (start, *start.parents):
        if os.path.lexists(folder / NAME) and (
            os.path.isfile(folder / "pyproject.toml") or os.path.isdir(folder / "contracts")
        ):
            return folder
    return None


def recover(root: Path) -> str | None:
    """Finish or undo the interrupted move at ``root``; a line saying what was done, or
    None when there was nothing. Raises UsageError (one line) when it cannot."""
    if not os.path.lexists(root / NAME):
        return None
    with deferred() as caught:
        try:
            note = _recover(root)
        except PROBLEMS as exc:
            raise UsageError(
                f"an interrupted move could not be recovered: {reason(exc)}; nothing more was"
                " changed (once that is fixed, run `importcanon move --recover`)"
            ) from exc
        caught.check()  # (the work is done: the signal only ends the process)
    return note


def _recover(root: Path) -> str:
    ledger = Ledger.open(root)
    try:
        if not ledger.has_journal():
            ledger.remove()
            return f"removed the journal of an interrupted move ({NAME}/: nothing to redo)"
        (old, new), steps, index, blobs = ledger.load()
        committed = ledger.committed()
        settle(ledger, Tree(root, steps, blobs), index, forward=committed)
    finally:
        ledger.release()
    done = "finished" if committed else "rolled back"
    return f"an interrupted move of `{old}` to `{new}` was {done} ({NAME}/ removed)"


def settle(ledger: Ledger, tree: Tree, index: Index | None, *, forward: bool) -> None:
    """Take every step (and git's index) to one side, remove our temporary files from
    the folders written to, and remove the journal. Nothing is changed if a file is in
    neither state (Foreign)."""
    started = time.time()
    states = tree.states()
    folders = tree.folders()
    clean_stale(folders, before=started)
    if forward:
        tree.forward(states=states)
        if index is not None:
            git_index.move(tree.root, index, forward=True)
    else:
        if index is not None:
            git_index.move(tree.root, index, forward=False)
        tree.backward(states=states)
    clean_stale(folders | tree.folders(), before=started)
    ledger.remove()


def reason(exc: BaseException) -> str:
    """One line for an error of a step or of git."""
    if isinstance(exc, subprocess.CalledProcessError):
        text = (exc.stderr or b"").decode(errors="replace").strip() or str(exc)
    else:
        text = str(exc) or type(exc).__name__
    return text.splitlines()[0] if text else type(exc).__name__
