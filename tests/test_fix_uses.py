"""`check --fix` on IMC001 through the real CLI: an `import old` rewritten to `import new`
takes the uses of the name it binds along (scope-aware, with the rewrite engine `move`
uses), and the fixed project runs; moves declared in chains are fixed to their end."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import run_cli, write_tree

MOVES = """
[[contract]]
id = "moves"
name = "moves"
kind = "moved-modules"
[contract.moves]
"old" = "new"
"""

NEW = {
    "src/new/__init__.py": "def func():\n    return 41\n",
    "src/new/sub.py": "def g():\n    return 1\n",
}

MAIN = """\
import old
import old.sub


def run():
    return old.func() + old.sub.g()


def shadow(old):
    return old  # a parameter named `old`: not the import


def later():
    import old

    return old.func()


class K:
    old = 3
    value = old  # the class attribute, not the module


print(run(), shadow(5), later(), K.value)
"""


def _project(tmp_path: Path, main: str, contracts: str = MOVES) -> Path:
    files = {
        "pyproject.toml": '[tool.importcanon]\nroot_packages = ["app", "new"]\n',
        "contracts/moves.toml": contracts,
        "src/app/__init__.py": "",
        "src/app/main.py": main,
        **NEW,
    }
    return write_tree(tmp_path / "p", files)


def _python(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = str(project / "src")
    # no bytecode: a file fixed within the second it was first run, to the same size
    # (`old` -> `new`), would be run from its stale bytecode
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run(
        [sys.executable, *args], cwd=project, env=env, capture_output=True, text=True, check=False
    )


def _undefined_names(path: Path) -> list[str]:
    found = _python(path.parent, "-m", "pyflakes", str(path))
    return [line for line in found.stdout.splitlines() if "undefined name" in line]


def test_fix_rewrites_the_uses_an_import_binds_and_the_project_runs(tmp_path: Path) -> None:
    project = _project(tmp_path, MAIN)
    main = project / "src/app/main.py"
    assert _python(project, "-m", "app.main").returncode != 0  # `old` is gone
    run_cli("check", "--fix", "--unsafe-fixes", "--exit-zero", cwd=project)
    text = main.read_text()
    assert "import new\nimport new.sub\n" in text
    assert "return new.func() + new.sub.g()" in text
    assert "return old  # a parameter" in text  # not the import's name
    assert "    import new\n\n    return new.func()" in text
    assert "    value = old  # the class attribute" in text
    assert _undefined_names(main) == []
    ran = _python(project, "-m", "app.main")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split() == ["42", "5", "41", "3"]
    left = run_cli("check", "--output-format", "json", cwd=project).json()
    assert [d["code"] for d in left] == []


def test_no_fix_when_a_use_cannot_be_rewritten_safely(tmp_path: Path) -> None:
    main = "try:\n    import old\nexcept ImportError:\n    old = None\n\nprint(old.func())\n"
    project = _project(tmp_path, main)
    found = run_cli("check", "--output-format", "json", "--unsafe-fixes", cwd=project).json()
    assert [(d["code"], d["fix"]) for d in found] == [("IMC001", None)]
    run_cli("check", "--fix", "--unsafe-fixes", "--exit-zero", cwd=project)
    assert (project / "src/app/main.py").read_text() == main


def test_the_fix_is_offered_and_shown_with_its_uses(tmp_path: Path) -> None:
    project = _project(tmp_path, "import old\n\nprint(old.func())\n")
    found = run_cli("check", "--output-format", "json", "--unsafe-fixes", cwd=project).json()
    (legacy,) = found
    assert legacy["fix"]["applicability"] == "unsafe"  # the name the import binds changes
    assert sorted(e["content"] for e in legacy["fix"]["edits"]) == ["import new", "new.func"]


CHAINED = {
    "src/new/__init__.py": "from new.processors import treeprocessors\n",
    "src/new/processors/__init__.py": "",
    "src/new/processors/treeprocessors.py": "class X:\n    value = 7\n",
}
USER = """\
from old.treeprocessors import X
import old

print(X.value + old.treeprocessors.X.value)
"""


def test_chained_moves_in_two_contracts_are_fixed_to_their_end(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": '[tool.importcanon]\nroot_packages = ["app", "new"]\n',
        "contracts/a.toml": MOVES.replace(
            '"old" = "new"', '"old.treeprocessors" = "old.processors.treeprocessors"'
        ).replace('id = "moves"', 'id = "first"'),
        "contracts/b.toml": MOVES,
        "src/app/__init__.py": "",
        "src/app/main.py": USER,
        **CHAINED,
    }
    project = write_tree(tmp_path / "p", files)
    found = run_cli("check", "--output-format", "json", cwd=project).json()
    first = [d for d in found if d["location"]["row"] == 1]
    assert {d["fix"]["message"] for d in first} == {"Import from `new.processors.treeprocessors`"}
    assert [d for d in found if d["code"] == "IMC004"] == []
    run_cli("check", "--fix", "--unsafe-fixes", "--exit-zero", cwd=project)
    text = (project / "src/app/main.py").read_text()
    assert text.startswith("from new.processors.treeprocessors import X\nimport new\n")
    assert "new.processors.treeprocessors.X.value" in text
    ran = _python(project, "-m", "app.main")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split() == ["14"]
    assert run_cli("check", "--output-format", "json", cwd=project).json() == []


def test_moves_recorded_by_successive_move_runs_compose(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": '[tool.importcanon]\nroot_packages = ["old"]\n',
        "src/old/__init__.py": "from old import treeprocessors\n",
        "src/old/processors/__init__.py": "",
        "src/old/treeprocessors.py": "class X:\n    value = 7\n",
    }
    project = write_tree(tmp_path / "p", files)
    for old, new in (("old.treeprocessors", "old.processors.treeprocessors"), ("old", "new")):
        moved = run_cli("move", old, new, cwd=project)
        assert moved.code == 0, moved.stdout + moved.stderr
    stale = project / "src/new/stale.py"  # written meanwhile on another branch
    stale.write_text("from old.treeprocessors import X\n\nVALUE = X.value\n")
    run_cli("check", "--fix", "--exit-zero", cwd=project)
    assert stale.read_text().startswith("from new.processors.treeprocessors import X\n")
    ran = _python(project, "-c", "from new.stale import VALUE; print(VALUE)")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split() == ["7"]
