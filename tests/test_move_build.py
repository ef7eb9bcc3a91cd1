"""`move` keeps what the build ships: the settings each backend needs are added, and a move
whose build cannot be proven is refused with one line and changes nothing. Wheels are built
for real by setuptools (the one beside this interpreter, without build isolation)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers import run_cli

SETUPTOOLS = '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
PROJECT = '[project]\nname = "demo"\nversion = "1.0"\n'
SOURCES = {
    "pkg/__init__.py": "",
    "pkg/util.py": "def helper() -> int:\n    return 1\n",
    "pkg/main.py": "from pkg.util import helper\n\n\ndef run() -> int:\n    return helper()\n",
}


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "init"]):
        subprocess.run(
            ["git", "-c", "user.email=a@b.invalid", "-c", "user.name=a", *args],
            cwd=root, check=True, capture_output=True,
        )  # fmt: skip
    return root


def wheel_modules(project: Path, out: Path) -> set[str]:
    """The modules of the wheel setuptools builds from a copy of the project (a build
    leaves `build/` behind, which a later build would read)."""
    copy = out / "project"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".git"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "-w", str(out), str(copy)],
        check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = out.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    return {
        n[:-3].replace("/__init__", "").replace("/", ".")
        for n in names
        if n.endswith(".py") and ".dist-info" not in n
    }


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def test_a_new_subpackage_joins_an_explicit_packages_list(tmp_path: Path) -> None:
    pyproject = (
        SETUPTOOLS + PROJECT + '[tool.setuptools]\npackages = ["pkg"]\n\n[tool.importcanon]\n'
    )
    project = write(tmp_path / "p", {"pyproject.toml": pyproject, **SOURCES})
    assert wheel_modules(project, tmp_path / "w0") == {"pkg", "pkg.util", "pkg.main"}
    result = run_cli("move", "pkg.util", "pkg.helpers.util", cwd=project)
    assert result.code == 0, result.stderr
    assert 'packages = ["pkg", "pkg.helpers"]' in (project / "pyproject.toml").read_text()
    built = wheel_modules(project, tmp_path / "w1")
    assert built == {"pkg", "pkg.main", "pkg.helpers", "pkg.helpers.util"}


def test_a_rename_into_src_writes_package_dir_in_setup_py(tmp_path: Path) -> None:
    setup = (
        "from setuptools import setup\n\n"
        "setup(\n    name='demo',\n    version='1.0',\n    packages=['pkg'],\n)\n"
    )
    project = write(
        tmp_path / "p",
        {"setup.py": setup, "pyproject.toml": "[tool.importcanon]\n", **SOURCES},
    )
    result = run_cli("move", "pkg", "newpkg", "--source-root", "src", cwd=project)
    assert result.code == 0, result.stderr
    text = (project / "setup.py").read_text()
    assert "packages=['newpkg']" in text and 'package_dir={"": "src"}' in text
    assert wheel_modules(project, tmp_path / "w") == {"newpkg", "newpkg.util", "newpkg.main"}


def test_src_only_with_setup_cfg_find(tmp_path: Path) -> None:
    cfg = "[metadata]\nname = demo\nversion = 1.0\n\n[options]\npackages = find:\n"
    project = write(
        tmp_path / "p",
        {"setup.cfg": cfg, "pyproject.toml": SETUPTOOLS + "\n[tool.importcanon]\n", **SOURCES},
    )
    result = run_cli("move", "pkg", "pkg", "--source-root", "src", cwd=project)
    assert result.code == 0, result.stderr
    text = (project / "setup.cfg").read_text()
    assert "package_dir =\n    =src\n" in text
    assert "[options.packages.find]\nwhere =\n    src\n" in text
    assert wheel_modules(project, tmp_path / "w") == {"pkg", "pkg.util", "pkg.main"}


@pytest.mark.parametrize(
    ("backend", "settings", "expected"),
    [
        (
            "flit_core.buildapi",
            PROJECT.replace('"demo"', '"pkg"'),
            '[tool.flit.module]\nname = "fresh"',
        ),
        (
            "hatchling.build",
            PROJECT.replace('"demo"', '"pkg"'),
            '[tool.hatch.build.targets.wheel]\npackages = ["fresh"]',
        ),
        (
            "poetry.core.masonry.api",
            '[tool.poetry]\nname = "pkg"\nversion = "1.0"\n',
            'packages = [{ include = "fresh" }]',
        ),
    ],
    ids=["flit", "hatch", "poetry"],
)
def test_a_backend_that_found_the_package_by_name_is_told_the_new_one(
    tmp_path: Path, backend: str, settings: str, expected: str
) -> None:
    pyproject = f'[build-system]\nbuild-backend = "{backend}"\n\n{settings}\n[tool.importcanon]\n'
    project = write(tmp_path / "p", {"pyproject.toml": pyproject, **SOURCES})
    result = run_cli("move", "pkg", "fresh", cwd=project)
    assert result.code == 0, result.stderr
    assert expected in (project / "pyproject.toml").read_text()


def test_an_unknown_backend_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    pyproject = '[build-system]\nbuild-backend = "mesonpy"\n\n[tool.importcanon]\n'
    project = write(tmp_path / "p", {"pyproject.toml": pyproject, **SOURCES})
    before = files(project)
    result = run_cli("move", "pkg", "fresh", cwd=project)
    assert result.code == 2
    assert "mesonpy" in result.stderr and "--no-build-check" in result.stderr
    assert result.stderr.count("\n") == 1
    assert files(project) == before
    forced = run_cli("move", "pkg", "fresh", "--no-build-check", cwd=project)
    assert forced.code == 0, forced.stderr
    assert (project / "fresh" / "util.py").is_file()


def test_a_setup_py_that_computes_packages_is_refused(tmp_path: Path) -> None:
    setup = "from setuptools import setup\nNAMES = ['pkg']\nsetup(name='demo', packages=NAMES)\n"
    project = write(
        tmp_path / "p", {"setup.py": setup, "pyproject.toml": "[tool.importcanon]\n", **SOURCES}
    )
    before = files(project)
    result = run_cli("move", "pkg", "fresh", cwd=project)
    assert result.code == 2 and "setup.py computes `packages`" in result.stderr
    assert files(project) == before


def test_entry_point_groups_stay_on_both_sides(tmp_path: Path) -> None:
    pyproject = (
        SETUPTOOLS + PROJECT + '\n[project.entry-points."pkg.plugins"]\nutil = "pkg.util:helper"\n'
        "\n[tool.importcanon]\n"
    )
    code = (
        "from importlib.metadata import entry_points\n\n"
        "def load() -> object:\n    return entry_points(group='pkg.plugins')\n\n"
        "GROUP = 'pkg.plugins'\nOTHER = 'pkg.util'\n"
    )
    project = write(tmp_path / "p", {"pyproject.toml": pyproject, **SOURCES, "pkg/load.py": code})
    result = run_cli("move", "pkg", "fresh", cwd=project)
    assert result.code == 0, result.stderr
    text = (project / "pyproject.toml").read_text()
    assert '[project.entry-points."pkg.plugins"]\nutil = "fresh.util:helper"' in text
    moved = (project / "fresh" / "load.py").read_text()
    assert "group='pkg.plugins'" in moved and "GROUP = 'pkg.plugins'" in moved
    assert "OTHER = 'fresh.util'" in moved
    assert "entry-point group `pkg.plugins` kept" in result.stdout
    assert "unknown setting" not in result.stdout
    assert 'keep = ["pkg.plugins"]' in (project / "contracts" / "moves.toml").read_text()
    check = run_cli("check", "--output-format", "json", cwd=project)
    assert [d for d in check.json() if d["code"].startswith("IMC00")] == []


def test_strings_left_in_code_come_with_what_to_do(tmp_path: Path) -> None:
    code = "NAMES = {'pkg': 1}\n"
    project = write(
        tmp_path / "p", {"pyproject.toml": "[tool.importcanon]\n", **SOURCES, "pkg/names.py": code}
    )
    result = run_cli("move", "pkg", "fresh", cwd=project)
    assert result.code == 0, result.stderr
    assert "pkg/names.py" not in result.stdout and "fresh/names.py:1:" in result.stdout
    assert "note: 1 string that equals `pkg` in code left" in result.stdout
    assert "--unsafe-fixes" in result.stdout
