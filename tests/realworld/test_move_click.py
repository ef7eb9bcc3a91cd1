"""Real-world end to end: `importcanon move` on click 8.1.8 from its pinned sdist (src
layout, its own 628 tests). After each move the same tests pass with the path adjusted,
except tests that fail only because of a reference `move` could not rewrite safely, which
`importcanon check` must report as IMC003; no IMC001/IMC002 is left; the package builds and
installs; git sees renames. Figures go to .cache/move-click.json."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tests.realworld.corpus import CACHE, ROOT, uv

pytestmark = pytest.mark.realworld

PIN = "click==8.1.8"
TESTS = ["-m", "pytest", "-q", "-p", "no:warnings", "-W", "ignore", "-p", "no:cacheprovider"]
# The one test that imports click from code held in a string literal (a subprocess script):
# `move` cannot rewrite code inside a string safely, and reports each such line as IMC003.
STRING_CODE = "tests/test_imports.py::test_light_imports"
STRING_CODE_LINES = {17, 22, 25, 66}
IDENTITY = ["-c", "user.email=dev@example.invalid", "-c", "user.name=dev"]


def sdist() -> Path:
    """The unpacked sdist of the pin (downloaded once into the corpus cache)."""
    name, version = PIN.split("==")
    folder = CACHE / f"{name}-{version}-sdist"
    unpacked = folder / f"{name}-{version}"
    if not unpacked.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary",
             ":all:", PIN, "-d", str(folder)],
            check=True,
        )  # fmt: skip
        with tarfile.open(folder / f"{name}-{version}.tar.gz") as archive:
            archive.extractall(folder, filter="data")
    return unpacked


def fresh(tmp_path: Path, name: str, *, setuptools: bool = False) -> Path:
    project = tmp_path / name
    shutil.copytree(sdist(), project)
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text()
    if setuptools:  # the same project built by setuptools, which builds from any folder
        text = text.replace(
            'requires = ["flit_core<4"]\nbuild-backend = "flit_core.buildapi"',
            'requires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"',
        ).replace(
            '[tool.flit.module]\nname = "click"\n',
            '[tool.setuptools.packages.find]\nwhere = ["src"]\n\n'
            '[tool.setuptools.dynamic]\nversion = {attr = "click.__version__"}\n',
        )
    pyproject.write_text(text + "\n[tool.importcanon]\n")  # how importcanon finds the root
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "click 8.1.8"]):
        subprocess.run(["git", *IDENTITY, *args], cwd=project, check=True)
    return project


def run_tests(project: Path, source_root: str) -> tuple[int, set[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = str(project / source_root)
    proc = subprocess.run(
        [sys.executable, *TESTS, "tests"], cwd=project, env=env, capture_output=True, text=True
    )
    passed = re.search(r"(\d+) passed", proc.stdout)
    failed = set(re.findall(r"^FAILED (\S+)", proc.stdout, flags=re.MULTILINE))
    return (int(passed.group(1)) if passed else 0), failed


def installs(tmp_path: Path, project: Path, module: str) -> None:
    venv = tmp_path / f"venv-{project.name}"
    subprocess.run([*uv(), "venv", "--quiet", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [*uv(), "pip", "install", "--quiet", "--python", str(python), str(project)], check=True
    )
    out = subprocess.run(
        [str(python), "-c", f"import {module}; print({module}.__file__)"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "site-packages" in out


def left_for_the_move(project: Path, old: str) -> list[dict[str, object]]:
    result = run_cli("check", "--output-format", "json", cwd=project)
    assert result.code in (0, 1), result.stderr
    diagnostics: list[dict[str, object]] = result.json()
    return [d for d in diagnostics if d["details"].get("legacy") == old]  # type: ignore[attr-defined]


def renames(project: Path) -> int:
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True, check=True
    ).stdout
    return sum(1 for line in status.splitlines() if line.startswith("R"))


SCENARIOS = [
    ("termui", ["click.termui", "click.ui.termui"], "src", "click.ui.termui", False),
    ("rename", ["click", "clack"], "src", "clack", False),
    ("rename-lib", ["click", "clack", "--source-root", "lib"], "lib", "clack", True),
]


@pytest.mark.parametrize(
    ("name", "args", "source_root", "module", "setuptools"),
    SCENARIOS,
    ids=[s[0] for s in SCENARIOS],
)
def test_move_click(
    tmp_path: Path, name: str, args: list[str], source_root: str, module: str, setuptools: bool
) -> None:
    project = fresh(tmp_path, name, setuptools=setuptools)
    before, failed_before = run_tests(project, "src")
    assert before >= 600 and not failed_before

    result = run_cli("move", *args, cwd=project)
    assert result.code == 0, result.stdout + result.stderr
    after, failed = run_tests(project, source_root)
    old = args[0]
    left = left_for_the_move(project, old)
    assert [d for d in left if d["code"] in ("IMC001", "IMC002", "IMC004")] == []
    if failed:  # only the test whose code is a string, and every line of it is reported
        assert failed == {STRING_CODE}
        reported = {
            d["location"]["row"]  # type: ignore[index]
            for d in left
            if str(d["filename"]).endswith("tests/test_imports.py")
        }
        assert reported >= STRING_CODE_LINES
    assert after == before - len(failed)
    installs(tmp_path, project, module)
    assert renames(project) >= 1
    report = {
        "scenario": " ".join(["importcanon move", *args]),
        "tests_before": before,
        "tests_after": after,
        "failed": sorted(failed),
        "imc003_left": sum(1 for d in left if d["code"] == "IMC003"),
        "renames": renames(project),
    }
    out = ROOT / ".cache" / "move-click.json"
    found = json.loads(out.read_text()) if out.exists() else {}
    found[name] = report
    out.write_text(json.dumps(found, indent=2))
    print(report)


def test_flit_refuses_a_source_root_it_cannot_build(tmp_path: Path) -> None:
    project = fresh(tmp_path, "flit-lib")
    result = run_cli("move", "click", "clack", "--source-root", "lib", cwd=project)
    assert result.code == 2 and "flit_core" in result.stderr
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True, check=True
    ).stdout
    assert status == ""
