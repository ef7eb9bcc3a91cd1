"""Real-world end to end: `importcanon move` a module that 45 modules import, in a copy
of sqlalchemy; every module that imported before still imports afterwards, and no IMC001
for the move remains. The number of rewritten imports is written to
.cache/move-sqlalchemy.json."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tests.realworld.corpus import ROOT, install, uv

pytestmark = pytest.mark.realworld

OLD, NEW = "sqlalchemy.sql.roles", "sqlalchemy.sql.core.roles"


def modules(package_dir: Path) -> list[str]:
    found = []
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(package_dir.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found.append(".".join(parts))
    return found


def importable(project: Path, deps: Path, names: list[str]) -> set[str]:
    env = {**os.environ, "PYTHONPATH": f"{project}{os.pathsep}{deps}"}

    def ok(name: str) -> bool:
        return (
            subprocess.run(
                [sys.executable, "-c", f"import {name}"], env=env, capture_output=True, check=False
            ).returncode
            == 0
        )

    with ThreadPoolExecutor(max_workers=4) as pool:
        return {name for name, good in zip(names, pool.map(ok, names), strict=True) if good}


def test_move_a_widely_imported_module(tmp_path: Path) -> None:
    source = install("sqlalchemy")
    project = tmp_path / "project"
    shutil.copytree(source / "sqlalchemy", project / "sqlalchemy")
    (project / "pyproject.toml").write_text(
        '[tool.importcanon]\nroot_packages = ["sqlalchemy"]\nsource_roots = ["."]\n'
    )
    deps = tmp_path / "deps"
    subprocess.run(
        [*uv(), "pip", "install", "--quiet", "--target", str(deps), "typing_extensions"],
        check=True,
        env={**os.environ, "VIRTUAL_ENV": sys.prefix},
    )
    before = importable(project, deps, modules(project / "sqlalchemy"))
    assert OLD in before and len(before) > 100

    result = run_cli("move", OLD, NEW, cwd=project)
    assert result.code == 0, result.stdout + result.stderr
    rewritten = int(re.search(r"rewrote (\d+) references", result.stdout).group(1))  # type: ignore[union-attr]

    renamed = {NEW if name == OLD else name for name in before}
    after = importable(project, deps, sorted(renamed))
    assert sorted(renamed - after) == []
    left = run_cli("check", "--output-format", "json", "--select", "IMC001", cwd=project)
    assert [d for d in left.json() if d["details"]["legacy"] == OLD] == []
    report = {"moved": f"{OLD} -> {NEW}", "rewritten": rewritten, "modules_importable": len(after)}
    (ROOT / ".cache" / "move-sqlalchemy.json").write_text(json.dumps(report, indent=2))
    print(report)
    assert rewritten >= 20
