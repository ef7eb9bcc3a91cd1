"""The fix cache through the real CLI: a warm run takes the fixes JSON and SARIF show
from the cache without reading the files they are in (or making any), and a changed file
gets the fixes its new text calls for, never the stale ones."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import run_cli, write_tree

CONTRACTS = """
[[contract]]
id = "facades"
name = "facades"
kind = "no-reexports"
public_modules = ["ml"]
"""

USER = "from ml.training import (\n    EMA,\n    Average,\n)\n\n# a comment\nVALUE = 1\n"

PACKAGE = {
    "pyproject.toml": "[tool.importcanon]\n",
    "contracts/c.toml": CONTRACTS,
    "src/ml/__init__.py": "",
    "src/ml/training/__init__.py": (
        "from ml.training.ema import EMA\n"
        "from ml.training.average import Average\n"
        "__all__ = ['EMA', 'Average']\n"
    ),
    "src/ml/training/ema.py": "class EMA: ...\n",
    "src/ml/training/average.py": "class Average: ...\n",
    "src/ml/user.py": USER,
}

PAST = 1_600_000_000  # a time old enough for the stat index to trust


def _age(project: Path) -> None:
    """Every file made old, as a checkout's are (a file modified within the last seconds
    is hashed again on every run, which would hide what these tests look at)."""
    for path in project.rglob("*.py"):
        os.utime(path, (PAST, PAST))


def _events(log: Path) -> list[str]:
    """The fix events of the last run."""
    lines = log.read_text().splitlines() if log.exists() else []
    return [event for _, event in (line.split(" ", 1) for line in lines) if "fixes:" in event]


@pytest.mark.parametrize("output_format", ["json", "sarif"])
def test_a_warm_run_reads_no_file_for_its_fixes_and_a_changed_one_gets_new_fixes(
    tmp_path: Path, output_format: str
) -> None:
    project = write_tree(tmp_path / "project", PACKAGE)
    _age(project)
    cache, log = tmp_path / "cache", tmp_path / "events.log"
    user = project / "src" / "ml" / "user.py"

    def check(*, cached: bool) -> str:
        args = ("check", "--exit-zero", "--output-format", output_format)
        log.unlink(missing_ok=True)
        result = run_cli(*args, cwd=project, cache=cache if cached else None, debug_log=log)
        assert result.code == 0 and not result.stderr, result.stderr
        return result.stdout

    first = check(cached=True)
    assert "ml.training.ema" in first and _events(log).count("fixes:make") == 2
    assert check(cached=True) == first
    assert _events(log) == [], "a warm run reads no file and makes no fix"

    # Another line changes: the file is read, and its fixes are the ones cached (the
    # text they read is the same).
    user.write_text(USER.replace("# a comment", "# another comment"))
    _age(project)
    assert check(cached=True) == first
    assert _events(log) == ["fixes:read"]
    assert check(cached=False) == first

    # The statement's own text changes (the plans do not: the same names, the same
    # span): the fixes are made again, from the new text.
    user.write_text(USER.replace("    EMA,\n", "        EMA,\n"))
    _age(project)
    changed = check(cached=True)
    assert _events(log) == ["fixes:read", "fixes:make", "fixes:make"]
    assert changed != first
    assert changed == check(cached=False)
    assert check(cached=True) == changed
    assert _events(log) == []
