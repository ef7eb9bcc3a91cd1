"""Real-world agreement with independent oracles on packages nobody here wrote.

- IMC301 groups == the strongly connected components (size >= 2) that networkx finds in
  grimp's graph built with exclude_type_checking_imports=True;
- IMC201 (path, row) == what `ruff check --select TID252` (ban-relative-imports = "all")
  reports in __init__.py files.

Run with `make test-realworld`; the counts are printed (-s) and written to
.cache/realworld-<package>.json.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tests.oracles import grimp_cycle_groups
from tests.realworld.corpus import CYCLES_AND_RELATIVE, PACKAGES, ROOT, configure, install

pytestmark = pytest.mark.realworld

CONTRACTS = CYCLES_AND_RELATIVE


def oracle_relative(project: Path, package: str) -> set[tuple[str, int]]:
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run(
        [
            str(ruff), "check", package, "--isolated", "--no-cache", "--select", "TID252",
            "--config", "lint.flake8-tidy-imports.ban-relative-imports = 'all'",
            "--output-format", "json", "--exit-zero",
        ],
        cwd=project, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return {
        (Path(d["filename"]).relative_to(project).as_posix(), d["location"]["row"])
        for d in json.loads(result.stdout)
        if d["filename"].endswith("__init__.py")
    }


@pytest.mark.parametrize("package", PACKAGES)
def test_cycles_and_relative_imports_agree_with_oracles(package: str) -> None:
    project = configure(install(package), package, CONTRACTS)
    result = run_cli("check", "--output-format", "json", cwd=project)
    assert result.code in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    found = result.json()
    groups = {frozenset(d["details"]["modules"]) for d in found if d["code"] == "IMC301"}
    relative = {
        (Path(d["filename"]).relative_to(project).as_posix(), d["location"]["row"])
        for d in found
        if d["code"] == "IMC201"
    }
    expected_groups = grimp_cycle_groups(project, package)
    expected_relative = oracle_relative(project, package)
    report = {
        "package": package,
        "imc301_groups": len(groups),
        "networkx_sccs": len(expected_groups),
        "modules_in_groups": sum(len(g) for g in groups),
        "imc201": len(relative),
        "ruff_tid252_in_init": len(expected_relative),
    }
    (ROOT / ".cache" / f"realworld-{package}.json").write_text(json.dumps(report, indent=2))
    print(report)
    assert groups == expected_groups
    assert relative == expected_relative
    for d in found:
        if d["code"] == "IMC301":
            cycle = d["details"]["cycle"]
            assert cycle[0] == cycle[-1] and set(cycle) <= set(d["details"]["modules"])


def test_a_syntax_error_is_one_diagnostic_and_the_rest_is_still_checked(tmp_path: Path) -> None:
    source = install("sqlalchemy")
    project = tmp_path / "sqlalchemy"
    shutil.copytree(source / "sqlalchemy", project / "sqlalchemy")
    configure(project, "sqlalchemy", CONTRACTS)
    broken = project / "sqlalchemy" / "sql" / "naming.py"
    broken.write_text("def broken(:\n" + broken.read_text())
    result = run_cli("check", "--output-format", "json", cwd=project)
    assert result.code == 1 and "Traceback" not in result.stderr
    found = result.json()
    errors = [d for d in found if d["code"] == "IMC900"]
    assert [Path(d["filename"]) for d in errors] == [broken]
    relative = {
        (Path(d["filename"]).relative_to(project).as_posix(), d["location"]["row"])
        for d in found
        if d["code"] == "IMC201"
    }
    assert relative == oracle_relative(project, "sqlalchemy")
    assert sum(1 for d in found if d["code"] == "IMC301") >= 1
