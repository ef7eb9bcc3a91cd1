"""Which files are checked: built-in excludes name tool folders, never subpackages; links
inside the root are followed once (no duplicates, no loops)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.helpers import run_cli, write_tree

MOVES = """[[contract]]
id = "moves"
name = "Moves"
kind = "moved-modules"
text_files = ["docs/**/*.md"]
[contract.moves]
"pkg.old" = "pkg.new"
"""


def _reported(project: Path, *args: str) -> list[tuple[str, str]]:
    result = run_cli("check", "--output-format", "json", *args, cwd=project)
    assert result.code in (0, 1) and "Traceback" not in result.stderr, result.stderr
    return sorted(
        (Path(d["filename"]).relative_to(project).as_posix(), d["code"]) for d in result.json()
    )


def test_builtin_excludes_never_apply_inside_a_root_package(tmp_path: Path) -> None:
    tool_folders = ["build", "dist", "venv", "node_modules"]
    files = {
        "pyproject.toml": "[tool.importcanon]\n",
        "contracts/moves.toml": MOVES,
        "src/pkg/__init__.py": "",
        "src/pkg/new.py": "",
    }
    for name in tool_folders:
        files[f"src/pkg/{name}/__init__.py"] = "import pkg.old\n"  # a subpackage
        files[f"src/pkg/sub/{name}/mod.py"] = "import pkg.old\n"  # deeper, a namespace
    for name in [*tool_folders, ".venv", ".tox", "site-packages", ".mypy_cache"]:
        files[f"{name}/lib/pkg/x.py"] = "import pkg.old\n"  # a tool folder: not checked
    for name in ["__pycache__", ".tox", ".mypy_cache"]:  # never a subpackage: not checked
        files[f"src/pkg/{name}/x.py"] = "import pkg.old\n"
    project = write_tree(tmp_path, files)
    expected = [(f"src/pkg/{name}/__init__.py", "IMC001") for name in tool_folders]
    expected += [(f"src/pkg/sub/{name}/mod.py", "IMC001") for name in tool_folders]
    assert _reported(project) == sorted(expected)


def test_a_subpackage_named_build_is_in_the_graph(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": "[tool.importcanon]\n",
        "contracts/acyclic.toml": '[[contract]]\nid = "a"\nname = "a"\nkind = "acyclic"\n',
        "src/pkg/__init__.py": "",
        "src/pkg/operations/__init__.py": "",
        "src/pkg/operations/build/__init__.py": "from pkg.operations import prepare\n",
        "src/pkg/operations/prepare.py": "from pkg.operations import build\n",
    }
    result = run_cli("check", "--output-format", "json", cwd=write_tree(tmp_path, files))
    cycles = [d for d in result.json() if d["code"] == "IMC301"]
    assert len(cycles) == 1 and "pkg.operations.build" in cycles[0]["message"]


def test_a_root_package_named_like_a_tool_folder_is_checked(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": '[tool.importcanon]\nroot_packages = ["build", "pkg"]\n',
        "contracts/moves.toml": MOVES,
        "pkg/__init__.py": "",
        "pkg/new.py": "",
        "build/__init__.py": "import pkg.old\n",
        "build/dist/__init__.py": "import pkg.old\n",
        "dist/x.py": "import pkg.old\n",
    }
    project = write_tree(tmp_path, files)
    assert _reported(project) == [
        ("build/__init__.py", "IMC001"),
        ("build/dist/__init__.py", "IMC001"),
    ]


def test_links_inside_the_root_are_followed_once(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": "[tool.importcanon]\n",
        "contracts/moves.toml": MOVES,
        "src/pkg/__init__.py": "",
        "src/pkg/new.py": "",
        "src/pkg/real.py": "import pkg.old\n",
        "build/gen.py": "import pkg.old\n",  # in a tool folder: checked through a link only
        "lib/sub/__init__.py": "import pkg.old\n",
        "docs/guide.md": "pkg.old\n",
    }
    project = write_tree(tmp_path, files)
    pkg = project / "src" / "pkg"
    os.symlink("real.py", pkg / "alias.py")  # its target is checked: skipped
    os.symlink("../../build/gen.py", pkg / "gen.py")  # checked, as pkg.gen
    os.symlink("../../build/gen.py", pkg / "gen_again.py")  # the same target: skipped
    os.symlink("../../lib/sub", pkg / "sub")  # a folder: walked at its own place
    os.symlink("..", pkg / "loop")  # a loop: never walked
    os.symlink(".", project / "docs" / "self")
    os.symlink("guide.md", project / "docs" / "alias.md")
    result = run_cli("check", "--output-format", "json", cwd=project)
    assert result.stderr == ""  # nothing leaves the root: no warning
    assert _reported(project) == [
        ("docs/guide.md", "IMC003"),
        ("lib/sub/__init__.py", "IMC001"),
        ("src/pkg/gen.py", "IMC001"),
        ("src/pkg/real.py", "IMC001"),
    ]
