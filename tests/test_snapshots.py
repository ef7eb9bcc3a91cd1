"""Tier 3: rendered output of every format on the bundled example, as snapshots.

Update with `pytest tests/test_snapshots.py --snapshot-update` after a deliberate change.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from tests.helpers import copy_project, run_cli


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project("example", tmp_path_factory.mktemp("snap"))


@pytest.mark.parametrize("fmt", ["full", "concise", "json"])
def test_check_output(fmt: str, example: Path, snapshot: SnapshotAssertion) -> None:
    result = run_cli("check", "--output-format", fmt, cwd=example)
    assert result.code == 1
    assert result.stdout.replace(str(example), "<root>") == snapshot


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_status_output(fmt: str, example: Path, snapshot: SnapshotAssertion) -> None:
    result = run_cli("status", "--output-format", fmt, cwd=example)
    assert result.stdout == snapshot


def test_statistics_output(example: Path, snapshot: SnapshotAssertion) -> None:
    assert run_cli("check", "--statistics", cwd=example).stdout == snapshot
