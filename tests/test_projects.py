"""Tier 2: projects on disk, through the real CLI; expected diagnostics are marked in the
fixture files (``# expect: CODE``) and in each project's ``expected.txt``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import PROJECTS, copy_project, expected, reported, run_cli

SCENARIOS = sorted(p.name for p in PROJECTS.iterdir() if (p / "contracts").is_dir())


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_scenario_reports_exactly_the_marked_diagnostics(scenario: str, tmp_path: Path) -> None:
    project = copy_project(scenario, tmp_path)
    result = run_cli("check", "--output-format", "json", cwd=project)
    assert result.stderr == ""
    want = expected(project)
    assert want, "a scenario must mark at least one expected diagnostic"
    got = reported(project, result.json())
    assert sorted(got - want) == [], "unexpected diagnostics"
    assert sorted(want - got) == [], "missing diagnostics"
    errors = [d for d in result.json() if d["severity"] == "error"]
    assert result.code == (1 if errors else 0)
