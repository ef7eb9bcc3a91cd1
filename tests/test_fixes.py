"""--fix, --diff and --unsafe-fixes through the real CLI; golden before/after snippets."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from importcanon.analysis.project import Project
from importcanon.config.contracts import load_contracts
from importcanon.config.project import load_project
from importcanon.engine import fixed, fixing
from importcanon.engine.run import Options
from importcanon.fixes import cst_edits
from importcanon.fixes.materialize import materialize
from importcanon.rules.registry import Registry
from tests.helpers import copy_project, run_cli, write_tree

CONTRACTS = """
[[contract]]
id = "moves"
name = "moves"
kind = "moved-modules"
[contract.moves]
"ml.ema" = "ml.training.ema"
"ml.checkpoint" = "ml.training.checkpointing.checkpoint"
"ml.old_avg" = "ml.training.moving_average"

[[contract]]
id = "facades"
name = "facades"
kind = "no-reexports"

[[contract]]
id = "relative"
name = "relative"
kind = "no-relative-imports"
scope = "all"
"""

PACKAGE = {
    "pyproject.toml": "[tool.importcanon]\n",
    "contracts/c.toml": CONTRACTS,
    "src/ml/__init__.py": "",
    "src/ml/config.py": "X = 1\n",
    "src/ml/ema.py": "",
    "src/ml/old_avg.py": "",
    "src/ml/checkpoint.py": "",
    "src/ml/training/__init__.py": "from ml.training.ema import EMA\n__all__ = ['EMA']\n",
    "src/ml/training/ema.py": "class EMA: ...\n",
    "src/ml/training/moving_average.py": "class MA: ...\n",
    "src/ml/training/checkpointing/__init__.py": "",
    "src/ml/training/checkpointing/checkpoint.py": "def save() -> None: ...\n",
}

GOLDEN = {
    "from-module": (
        "from ml.ema import EMA\n",
        "from ml.training.ema import EMA\n",
    ),
    "from-parent-import-last": (
        "from ml import checkpoint\n",
        "from ml.training.checkpointing import checkpoint\n",
    ),
    "renamed-last-keeps-the-bound-name": (
        "from ml import old_avg\n",
        "from ml.training import moving_average as old_avg\n",
    ),
    "import-as": (
        "import ml.ema as ema\n",
        "import ml.training.ema as ema\n",
    ),
    "plain-import-rewrites-attribute-uses": (
        "import ml.ema\n\nvalue = ml.ema.EMA()\nother = ml.config.X\n",
        "import ml.training.ema\n\nvalue = ml.training.ema.EMA()\nother = ml.config.X\n",
    ),
    "split-keeps-the-other-names": (
        "from ml import config, checkpoint\n",
        "from ml import config\nfrom ml.training.checkpointing import checkpoint\n",
    ),
    "parenthesised-with-comments": (
        "from ml.ema import (  # why\n    EMA,  # the class\n)\n",
        "from ml.training.ema import (  # why\n    EMA,  # the class\n)\n",
    ),
    "relative-legacy": (
        "from ..ema import EMA\n",
        "from ml.training.ema import EMA\n",
    ),
    "via-reexport": (
        "from ml.training import EMA\n",
        "from ml.training.ema import EMA\n",
    ),
    "via-reexport-split-with-alias": (
        "def f() -> None:\n    from ml.training import ema, EMA as Average\n",
        "def f() -> None:\n    from ml.training import ema\n"
        "    from ml.training.ema import EMA as Average\n",
    ),
    "relative-to-absolute": (
        "from . import config\nfrom .checkpointing.checkpoint import save\n",
        "from ml.training import config\nfrom ml.training.checkpointing.checkpoint import save\n",
    ),
    "crlf-line-endings-kept": (
        "from ml import config, checkpoint\r\nx = 1\r\n",
        "from ml import config\r\nfrom ml.training.checkpointing import checkpoint\r\nx = 1\r\n",
    ),
    "no-trailing-newline": (
        "from ml import config, checkpoint",
        "from ml import config\nfrom ml.training.checkpointing import checkpoint\n",
    ),
}


def project_with(tmp_path: Path, source: str | bytes) -> tuple[Path, Path]:
    project = write_tree(tmp_path, PACKAGE)
    target = project / "src" / "ml" / "training" / "user.py"
    target.write_bytes(source.encode() if isinstance(source, str) else source)
    return project, target


@pytest.mark.parametrize("case", sorted(GOLDEN))
def test_fix_golden(case: str, tmp_path: Path) -> None:
    before, after = GOLDEN[case]
    project, target = project_with(tmp_path, before)
    run_cli("check", "--fix", "--exit-zero", cwd=project)
    assert target.read_bytes().decode() == after
    compile(target.read_bytes(), str(target), "exec")
    snapshot = _hashes(project)
    second = run_cli("check", "--fix", "--exit-zero", "--output-format", "json", cwd=project)
    assert _hashes(project) == snapshot, "a second --fix must change nothing"
    fixable = [d for d in second.json() if d["fix"] and d["fix"]["applicability"] == "safe"]
    assert [d["code"] for d in fixable if d["filename"] == str(target)] == []


def test_unsafe_string_fix_needs_the_flag(tmp_path: Path) -> None:
    source = 'NAME = "ml.ema"\n'
    project, target = project_with(tmp_path, source)
    run_cli("check", "--fix", "--exit-zero", cwd=project)
    assert target.read_text() == source
    run_cli("check", "--fix", "--unsafe-fixes", "--exit-zero", cwd=project)
    assert target.read_text() == 'NAME = "ml.training.ema"\n'


def test_encoding_cookie_and_bom_are_kept(tmp_path: Path) -> None:
    latin = "# -*- coding: latin-1 -*-\nfrom ml.ema import EMA\nS = 'é'\n".encode("latin-1")
    project, target = project_with(tmp_path, latin)
    bom = project / "src" / "ml" / "bom.py"
    bom.write_bytes(b"\xef\xbb\xbffrom ml.ema import EMA\n")
    run_cli("check", "--fix", "--exit-zero", cwd=project)
    expected = "# -*- coding: latin-1 -*-\nfrom ml.training.ema import EMA\nS = 'é'\n"
    assert target.read_bytes() == expected.encode("latin-1")
    assert bom.read_bytes() == b"\xef\xbb\xbffrom ml.training.ema import EMA\n"


@pytest.mark.parametrize(
    "source",
    [
        # the new import would land in the string: the file compiles, the name is lost
        'from ml import config, checkpoint; doc = """\nabc\n"""\nprint(checkpoint)\n',
        # ... after the block of `if`: the file compiles, the import is unconditional
        "if config:\n    n = 1; \\\nfrom ml import config, checkpoint\nprint(checkpoint)\n",
        "from ml import config, checkpoint \\\n\nprint(checkpoint)\n",
        "from ml import config, checkpoint; f = dict(\n)\nprint(checkpoint)\n",
    ],
)
def test_no_split_when_the_statement_shares_its_logical_line(source: str, tmp_path: Path) -> None:
    """A split adds its import on the line after the statement: where that line still
    belongs to the statement's logical line (a string or bracket opened after it, a
    backslash), the name is reported, no fix is offered and the file is left alone."""
    project, target = project_with(tmp_path, source)
    result = run_cli("check", "--fix", "--exit-zero", "--output-format", "json", cwd=project)
    assert target.read_text() == source
    mine = [d for d in result.json() if d["filename"] == str(target)]
    assert [(d["code"], d["fix"]) for d in mine] == [("IMC001", None)]
    assert run_cli("check", "--diff", cwd=project).stdout == ""


def _hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "_cache" not in p.as_posix()
    }


def test_diff_prints_and_writes_nothing(tmp_path: Path) -> None:
    project, _ = project_with(tmp_path, "from ml import config, checkpoint\n")
    before = _hashes(project)
    result = run_cli("check", "--diff", cwd=project)
    assert result.code == 1
    assert "-from ml import config, checkpoint\n+from ml import config\n" in result.stdout
    assert result.stdout.startswith("--- a/")
    assert _hashes(project) == before
    clean, _ = project_with(tmp_path / "clean", "from ml.config import X\n")
    assert run_cli("check", "--diff", "--select", "IMC102", cwd=clean).code == 0


def test_a_file_edited_after_analysis_is_not_clobbered(tmp_path: Path) -> None:
    project_dir, target = project_with(tmp_path, "from ml.ema import EMA\n")
    config = load_project(project_dir, codes=Registry().codes())
    contracts = load_contracts(config, kinds=Registry())
    result = fixing.fix(
        lambda o: Project(config, contracts, overrides=o),
        Options(),
        unsafe=False,
        make=lambda plan, lines: materialize(plan, lines, fallback=lambda: cst_edits),
    )
    assert target in result.fixed
    target.write_text("# edited meanwhile\nfrom ml.ema import EMA\n")
    written = fixed.write(result)
    assert target not in written
    assert target.read_text() == "# edited meanwhile\nfrom ml.ema import EMA\n"
    assert any("changed on disk" in message for message in result.skipped)


def test_fix_on_the_example_leaves_no_fixable_import_and_its_tests_pass(
    tmp_path: Path,
) -> None:
    import subprocess
    import sys

    project = copy_project("example", tmp_path)
    run_cli("check", "--fix", "--exit-zero", cwd=project)
    left = run_cli(
        "check", "--output-format", "json", "--select", "IMC001,IMC102,IMC201", cwd=project
    )
    assert left.json() == []
    for path in project.rglob("*.py"):
        compile(path.read_bytes(), str(path), "exec")
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
