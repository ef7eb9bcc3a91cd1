"""`importcanon move` on a string that is a path to the moved folder, as pluggy's setup.py
(`use_scm_version={"write_to": "src/pluggy/_version.py"}`): left as it was, the renamed
package would be built without its generated version file."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.helpers import run_cli, write_tree

SETUP_PY = (
    "from setuptools import setup\n\n"
    'WRITE_TO = "src/app/_version.py"\n'
    'DATA = "./src/app/data/"\n'
    'URL = "https://example.org/src/app/_version.py"\n'
    'OTHER = "src/application/x.py"\n'
    'WORD = "app/"\n'
)
FILES = {
    "pyproject.toml": '[tool.importcanon]\nroot_packages = ["app"]\n',
    "setup.py": SETUP_PY,
    "src/app/__init__.py": "",
    "src/app/util.py": 'HERE = "src/app/util.py"\n',
}


def test_a_package_rename_rewrites_paths_to_its_folder(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", FILES)
    result = run_cli("move", "app", "app2", cwd=project)
    assert result.code == 0, result.stderr
    text = (project / "setup.py").read_text(encoding="utf-8")
    assert 'WRITE_TO = "src/app2/_version.py"\n' in text
    assert 'DATA = "./src/app2/data/"\n' in text
    # not a path from the project root, or not to the moved folder: left alone
    assert 'URL = "https://example.org/src/app/_version.py"\n' in text
    assert 'OTHER = "src/application/x.py"\n' in text
    assert 'WORD = "app/"\n' in text
    moved = (project / "src/app2/util.py").read_text(encoding="utf-8")
    assert moved == 'HERE = "src/app2/util.py"\n'


def test_a_module_move_rewrites_the_path_to_its_file(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", FILES)
    result = run_cli("move", "app.util", "app.sub.util", cwd=project)
    assert result.code == 0, result.stderr
    moved = (project / "src/app/sub/util.py").read_text(encoding="utf-8")
    assert moved == 'HERE = "src/app/sub/util.py"\n'
    assert 'WRITE_TO = "src/app/_version.py"\n' in (project / "setup.py").read_text()


def test_a_generated_file_stays_ignored_by_git_after_the_rename(tmp_path: Path) -> None:
    files = {**FILES, ".gitignore": "__pycache__/\nsrc/app/_version.py\n"}
    project = write_tree(tmp_path / "p", files)
    git = ["git", "-c", "user.email=dev@example.invalid", "-c", "user.name=dev"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "init"]):
        subprocess.run([*git, *args], cwd=project, check=True, capture_output=True)
    (project / "src/app/_version.py").write_text("version = '1'\n", encoding="utf-8")
    result = run_cli("move", "app", "app2", cwd=project)
    assert result.code == 0, result.stderr
    assert (project / ".gitignore").read_text() == "__pycache__/\nsrc/app2/_version.py\n"
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True, check=True
    ).stdout
    assert "??" not in status, status


def test_a_changelog_keeps_the_names_it_was_written_with(tmp_path: Path) -> None:
    history = "1.0\n---\n\n- ``app.util`` is deprecated, see src/app/util.py\n"
    readme = "Use ``app.util``; see src/app/util.py\n"
    files = {**FILES, "CHANGES.rst": history, "docs/changelog.md": history, "README.rst": readme}
    project = write_tree(tmp_path / "p", files)
    result = run_cli("move", "app", "app2", cwd=project)
    assert result.code == 0, result.stderr
    assert (project / "CHANGES.rst").read_text() == history
    assert (project / "docs/changelog.md").read_text() == history
    assert (project / "README.rst").read_text() == "Use ``app2.util``; see src/app2/util.py\n"
