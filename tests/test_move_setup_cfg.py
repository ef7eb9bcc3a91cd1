"""`importcanon move` on a setup.cfg project (as pluggy's): the package-data keys follow a
renamed package, so its data files (py.typed) still ship with it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run_cli, write_tree

SETUP_CFG = (
    "[metadata]\nname = app\nversion = 1.0\n\n[options]\npackages =\n\tapp\n"
    "package_dir =\n\t=src\n\n[options.package_data]\napp = py.typed\n\n"
    "[options.exclude_package_data]\napp.sub = *.txt\nother = *.txt\n"
)
FILES = {
    "setup.cfg": SETUP_CFG,
    "pyproject.toml": '[tool.importcanon]\nroot_packages = ["app"]\n',
    "src/app/__init__.py": "from app.util import helper\n",
    "src/app/util.py": "def helper() -> int:\n    return 1\n",
    "src/app/py.typed": "",
}


def test_package_data_keys_follow_the_renamed_package(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", FILES)
    result = run_cli("move", "app", "app2", cwd=project)
    assert result.code == 0, result.stderr
    text = (project / "setup.cfg").read_text(encoding="utf-8")
    assert "[options.package_data]\napp2 = py.typed\n" in text
    assert "app2.sub = *.txt\nother = *.txt\n" in text
    assert "name = app\n" in text  # the distribution name is not a module


def test_a_metadata_key_named_like_the_package_is_left_alone(tmp_path: Path) -> None:
    setup_cfg = SETUP_CFG.replace("[metadata]\n", "[metadata]\napp = keep\n")
    project = write_tree(tmp_path / "p", {**FILES, "setup.cfg": setup_cfg})
    result = run_cli("move", "app", "app2", cwd=project)
    assert result.code == 0, result.stderr
    assert "[metadata]\napp = keep\n" in (project / "setup.cfg").read_text(encoding="utf-8")


def test_the_renamed_package_is_built_with_its_data(tmp_path: Path) -> None:
    pytest.importorskip("setuptools")
    project = write_tree(tmp_path / "p", FILES)
    assert run_cli("move", "app", "app2", cwd=project).code == 0
    built = subprocess.run(
        [sys.executable, "-c", "from setuptools import setup; setup()", "-q", "build_py",
         "--build-lib", str(tmp_path / "out")],
        cwd=project, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "out" / "app2" / "py.typed").is_file()
