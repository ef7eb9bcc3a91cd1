"""The kill test: `importcanon move` of a module with 2,000 importers in a git repository,
interrupted by SIGINT, SIGTERM or SIGKILL at random moments of its writes, then recovered
(`move --recover`, or a plain `check` or `status`). Each time the tree (every path and its
bytes), git's index (`git ls-files -s`) and `git status --porcelain` must be exactly as
before the move or as after a clean one, with no journal and no temporary file left.

No hook inside importcanon: the writes begin when the journal appears
(``.importcanon-move/journal.json``), and the kill comes after a random delay drawn up to
a little past the length of the writes in an uninterrupted run (measured first, two at a
time as the kills then run). Runs two moves at a time (the planning, not the writes,
takes most of each run). The projects live in shared memory where there is one: what is
tested is the journal against kills, not the disk's durability.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.helpers import git_out, tree_state

IMPORTERS = 2000
KILLS = 33
SEED = 22
JOURNAL = Path(".importcanon-move/journal.json")


def make_project(root: Path) -> Path:
    files = {
        "pyproject.toml": '[project]\nname = "app"\nversion = "1"\n\n'
        '[tool.importcanon]\nroot_packages = ["app"]\n',
        "src/app/__init__.py": "",
        "src/app/core/__init__.py": "",
        "src/app/util.py": "def helper() -> int:\n    return 1\n",
    }
    for i in range(IMPORTERS):
        files[f"src/app/m{i // 100:02d}/__init__.py"] = ""
        files[f"src/app/m{i // 100:02d}/f{i:04d}.py"] = "from app.util import helper\n"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    git_out(root, "init", "-q")
    git_out(root, "add", "-A")
    git_out(root, "commit", "-qm", "init")
    return root


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "importcanon", *args]


def environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}


def start_move(project: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command("move", "app.util", "app.core.util"), cwd=project, env=environment(),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip


def writes_begin(project: Path, proc: subprocess.Popen[bytes]) -> float | None:
    """When the journal appears (None if the process ended first)."""
    while not (project / JOURNAL).exists():
        if proc.poll() is not None:
            return None
        time.sleep(0.0005)
    return time.monotonic()


def clean_run(project: Path) -> float:
    """An uninterrupted move; how long its writes took."""
    proc = start_move(project)
    began = writes_begin(project, proc)
    assert proc.wait() == 0 and began is not None, proc.stderr and proc.stderr.read()
    return time.monotonic() - began


@pytest.fixture(scope="module")
def workspace() -> Iterator[Path]:
    shared = Path("/dev/shm")
    base = shared if shared.is_dir() and os.access(shared, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="importcanon-kill-", dir=base) as folder:
        yield Path(folder)


def kill_once(pristine: Path, work: Path, signum: int, delay: float, recover: str) -> str:
    """Copy the project, kill a move ``delay`` s into its writes, recover; the
    process's exit code, its stderr and the recovery's stderr, for the report."""
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(pristine, work, symlinks=True)
    proc = start_move(work)
    began = writes_begin(work, proc)
    if began is not None:
        time.sleep(max(0.0, began + delay - time.monotonic()))
        try:
            if signum == signal.SIGINT:  # (Ctrl-C reaches the whole process group)
                os.killpg(proc.pid, signum)
            else:
                os.kill(proc.pid, signum)
        except ProcessLookupError:
            pass
    code = proc.wait()
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    wait_for_group(proc.pid)  # (a git that outlived its killed parent)
    if signum != signal.SIGKILL:
        assert code in (0, 128 + signum), (code, stderr)
        assert "Traceback" not in stderr and len(stderr.strip().splitlines()) <= 1, stderr
        assert not (work / JOURNAL.parent).exists(), stderr  # (settled before it exited)
    args = {"recover": ("move", "--recover"), "check": ("check", "--no-cache")}.get(
        recover, ("status", "--no-cache")
    )
    done = subprocess.run(
        command(*args), cwd=work, env=environment(), capture_output=True, text=True, timeout=300
    )
    assert "Traceback" not in done.stderr and "could not" not in done.stderr, done.stderr
    return f"{code}|{stderr.strip()}|{done.stderr.strip()}"


def wait_for_group(pgid: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.01)


def test_a_move_killed_anywhere_is_undone_or_finished(workspace: Path) -> None:
    started = time.monotonic()
    pristine = make_project(workspace / "pristine")
    before = tree_state(pristine)
    clean = [workspace / "clean0", workspace / "clean1"]
    for copy in clean:
        shutil.copytree(pristine, copy, symlinks=True)
    with ThreadPoolExecutor(2) as pool:
        lengths = list(pool.map(clean_run, clean))
    after = tree_state(clean[0])
    assert after == tree_state(clean[1]) and after != before
    assert not any(p.startswith(".importcanon-move") for p in after[0])

    rng = random.Random(SEED)
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGKILL]
    recoveries = ["recover", "check", "status"]
    span = 1.05 * max(lengths)
    plans = [(signals[i % 3], rng.uniform(0, span), recoveries[(i // 3) % 3]) for i in range(KILLS)]

    def one(index: int) -> tuple[str, str]:
        signum, delay, recover = plans[index]
        work = workspace / f"work{index % 2}"
        note = kill_once(pristine, work, signum, delay, recover)
        found = tree_state(work)
        assert found in (before, after), (index, plans[index], note)
        return ("before" if found == before else "after"), note

    outcomes = []
    with ThreadPoolExecutor(2) as pool:
        for pair in range(0, KILLS, 2):
            outcomes += list(pool.map(one, range(pair, min(pair + 2, KILLS))))
    ended = [o for o, _ in outcomes]
    print(
        f"\nkill test: {KILLS} kills over {span:.2f} s of writes (clean run"
        f" {max(lengths):.2f} s): {ended.count('before')} rolled back,"
        f" {ended.count('after')} finished, in {time.monotonic() - started:.0f} s"
    )
    assert ended.count("before") >= KILLS // 3  # (the kills do land inside the writes)
