"""Third-party packages, installed with --no-deps into a cache folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("IMPORTCANON_CORPUS", ROOT / ".cache" / "corpus"))
PINS = {
    line.split("==")[0].lower(): line.strip()
    for line in (ROOT / "requirements" / "corpus.txt").read_text().splitlines()
    if "==" in line and not line.startswith("#")
}
PACKAGES = ["django", "sqlalchemy", "sympy"]  # the agreement corpus; the bench adds more

# The contracts the agreement tests check and the bench times (it adds a moved-modules one).
CYCLES_AND_RELATIVE = """
[[contract]]
id = "acyclic"
name = "No circular imports"
kind = "acyclic"

[[contract]]
id = "absolute-init"
name = "No relative imports in __init__.py"
kind = "no-relative-imports"
"""
NO_FACADES = """
[[contract]]
id = "no-facades"
name = "Import names from where they are defined"
kind = "no-reexports"
"""


def uv() -> list[str]:
    found = shutil.which("uv")
    return [found] if found else [sys.executable, "-m", "uv"]


def install(name: str) -> Path:
    """The folder holding ``name`` (a fresh copy per pin), ready to be a project root."""
    target = CACHE / PINS[name].replace("==", "-")
    if not (target / name).is_dir():
        subprocess.run(
            [*uv(), "pip", "install", "--quiet", "--no-deps", "--target", str(target), PINS[name]],
            check=True,
            env={**os.environ, "VIRTUAL_ENV": sys.prefix},
        )
    return target


def configure(project: Path, package: str, contracts: str) -> Path:
    (project / "pyproject.toml").write_text(
        f'[tool.importcanon]\nroot_packages = ["{package}"]\nsource_roots = ["."]\n'
        f'exclude = ["bin", "share", "*.dist-info"]\nrespect_gitignore = false\n'
    )
    folder = project / "contracts"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    (folder / "contracts.toml").write_text(contracts)
    return project
