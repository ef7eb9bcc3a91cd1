"""`importcanon move OLD NEW` end to end on small projects written to disk: every reference
form, the configuration, recording the move once, dry runs, and every refusal (after which
the tree must be exactly as it was)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run_cli, write_tree

IDENTITY = ["-c", "user.email=dev@example.invalid", "-c", "user.name=dev"]

FILES = {
    "pyproject.toml": (
        '[project]\nname = "app"\nversion = "1.0"\n\n'
        '[project.scripts]\napp-run = "app.util:helper"\n\n'
        '[project.entry-points."app.plugins"]\nutil = "app.util"\n\n'
        '[tool.importcanon]\nroot_packages = ["app"]\n'
    ),
    "src/app/__init__.py": "from .util import *  # noqa\nfrom . import util  # noqa: F401\n",
    "src/app/util.py": '"""Helpers."""\nfrom . import config\nfrom .config import X\n\n'
    "def helper() -> int:\n    return X + config.X\n",
    "src/app/config.py": "X = 1\n",
    "src/app/main.py": (
        "from __future__ import annotations\n"
        "import importlib\n"
        "from typing import TYPE_CHECKING\n"
        "import app.util\n"
        "import app.util as u\n"
        "from app import util, config\n"
        "from app.util import helper\n"
        "from .util import helper as h2\n"
        "try:\n    from app.util import helper as h3\nexcept ImportError:  # pragma: no cover\n"
        "    h3 = None\n"
        "if TYPE_CHECKING:\n    from app.util import helper as h4\n\n"
        "def run() -> int:\n"
        "    from app.util import helper as inner\n"
        '    mod = importlib.import_module("app.util")\n'
        "    return helper() + util.helper() + app.util.helper() + u.helper() + h2() + inner()"
        " + mod.helper() + config.X\n\n"
        "def shadow(app: object) -> object:\n    return app.util  # type: ignore[attr-defined]\n\n"
        'TARGET = "app.util.helper"\n'
        'EXPLAINED = f"see app.util for {TARGET}"\n'
        'AGENT = "python-app/1.0"\n'
        'URL = "https://github.com/example/app/util"\n'
    ),
    "tests/test_app.py": 'from app import util\n\nTARGET = "app.util.helper"\n'
    "def test_it() -> None:\n    assert util.helper() == 2\n",
    "README.md": "See src/app/util.py and app/util.py; https://example.org/app/util.py stays.\n",
    ".importlinter": "[importlinter]\nroot_package = app\n\n[importlinter:contract:x]\n"
    "name = x\ntype = forbidden\nsource_modules =\n    app.util\nforbidden_modules =\n"
    "    app.main\n",
}


def git(project: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *IDENTITY, *args], cwd=project, capture_output=True, text=True, check=True
    ).stdout


def committed(tmp_path: Path, files: dict[str, str]) -> Path:
    project = write_tree(tmp_path / "p", files)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "init")
    return project


def snapshot(project: Path) -> dict[str, bytes]:
    return {
        p.relative_to(project).as_posix(): p.read_bytes()
        for p in sorted(project.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(project).parts
    }


def runs(project: Path, code: str, *paths: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = os.pathsep.join(str(project / p) for p in paths)
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=project, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_move_a_module_rewrites_every_reference_form(tmp_path: Path) -> None:
    project = committed(tmp_path, FILES)
    result = run_cli("move", "app.util", "app.core.util", cwd=project)
    assert result.code == 0, result.stdout + result.stderr
    assert not (project / "src/app/util.py").exists()
    moved = (project / "src/app/core/util.py").read_text()
    assert "from .. import config\nfrom ..config import X\n" in moved
    assert (project / "src/app/core/__init__.py").read_text() == ""
    init = (project / "src/app/__init__.py").read_text()
    assert init == "from .core.util import *  # noqa\nfrom .core import util  # noqa: F401\n"
    main = (project / "src/app/main.py").read_text()
    for line in (
        "import app.core.util\n",
        "import app.core.util as u\n",
        "from app.core import util\nfrom app import config\n",
        "from app.core.util import helper\n",
        "from .core.util import helper as h2\n",
        "    from app.core.util import helper as h3\n",
        "    from app.core.util import helper as h4\n",
        "    from app.core.util import helper as inner\n",
        'importlib.import_module("app.core.util")',
        "app.core.util.helper() + u.helper()",
        "    return app.util  # type: ignore",  # a parameter named `app`: not the import
        'TARGET = "app.core.util.helper"',
        'EXPLAINED = f"see app.util for {TARGET}"',  # an f-string: reported, not rewritten
        'AGENT = "python-app/1.0"',
        'URL = "https://github.com/example/app/util"',
    ):
        assert line in main, line
    assert "main.py:" in result.stdout and "IMC003 not rewritten (an f-string" in result.stdout
    assert 'TARGET = "app.core.util.helper"' in (project / "tests/test_app.py").read_text()
    readme = (project / "README.md").read_text()
    assert readme == (
        "See src/app/core/util.py and app/core/util.py; https://example.org/app/util.py stays.\n"
    )
    pyproject = (project / "pyproject.toml").read_text()
    assert 'app-run = "app.core.util:helper"' in pyproject
    assert 'util = "app.core.util"' in pyproject
    assert "source_modules =\n    app.core.util\n" in (project / ".importlinter").read_text()
    assert '"app.util" = "app.core.util"' in (project / "contracts/moves.toml").read_text()
    status = git(project, "status", "--porcelain")
    assert "src/app/util.py -> src/app/core/util.py" in status and status.count("R") >= 1
    assert runs(project, "from app.main import run; print(run())", "src").strip() == "15"
    check = run_cli("check", "--output-format", "json", cwd=project).json()
    assert [d for d in check if d["code"] in ("IMC001", "IMC002", "IMC004")] == []
    found = {(d["filename"].rsplit("/", 1)[-1], d["code"], d["location"]["row"]) for d in check}
    # the recorded contract lists README.md in `text_files`: only what the move left there
    # (the URL naming the old path) may be reported, beside the f-string of main.py
    assert {(name, code) for name, code, _ in found} - {("README.md", "IMC003")} == {
        ("main.py", "IMC003")
    }
    assert {row for name, _, row in found if name == "README.md"} <= {1}


def test_rename_a_package_into_a_new_source_root(tmp_path: Path) -> None:
    project = committed(tmp_path, FILES)
    result = run_cli("move", "app", "lib_app", "--source-root", "lib", cwd=project)
    assert result.code == 0, result.stdout + result.stderr
    assert not (project / "src/app").exists() and (project / "lib/lib_app/util.py").is_file()
    assert not (project / "lib/__init__.py").exists()
    main = (project / "lib/lib_app/main.py").read_text()
    assert "import lib_app.util\n" in main and "lib_app.util.helper()" in main
    assert "from . import util, config\n" in (project / "lib/lib_app/__init__.py").read_text() or (
        "from . import util  # noqa: F401" in (project / "lib/lib_app/__init__.py").read_text()
    )
    pyproject = (project / "pyproject.toml").read_text()
    assert 'root_packages = ["lib_app"]' in pyproject
    assert 'source_roots = ["src", "lib"]' in pyproject
    assert 'app-run = "lib_app.util:helper"' in pyproject
    assert "root_package = lib_app\n" in (project / ".importlinter").read_text()
    assert "See lib/lib_app/util.py and lib_app/util.py;" in (project / "README.md").read_text()
    assert runs(project, "from lib_app.main import run; print(run())", "lib").strip() == "15"
    status = git(project, "status", "--porcelain")
    assert "src/app/config.py -> lib/lib_app/config.py" in status
    check = run_cli("check", "--output-format", "json", cwd=project).json()
    assert [d for d in check if d["code"] in ("IMC001", "IMC002", "IMC004")] == []


def test_the_move_is_recorded_once(tmp_path: Path) -> None:
    existing = (
        '[[contract]]\nid = "canonical"\nname = "m"\nkind = "moved-modules"\n'
        'paths = ["src/app/util.py"]\n\n'
        '[contract.moves]\n"app.util" = "app.core.util"\n"legacy_app" = "app.config"\n'
    )
    project = write_tree(tmp_path / "p", {**FILES, "contracts/c.toml": existing})
    assert run_cli("move", "app.util", "app.core.util", cwd=project).code == 0
    text = (project / "contracts/c.toml").read_text()
    assert text.count('"app.util" = "app.core.util"') == 1
    assert 'paths = ["src/app/core/util.py"]' in text
    assert not (project / "contracts/moves.toml").exists()
    assert run_cli("move", "app", "app2", cwd=project).code == 0
    text = (project / "contracts/c.toml").read_text()
    assert '"app.core.util" = "app2.core.util"' not in text
    assert '"app.util" = "app2.core.util"' in text or '"app2.util" = "app2.core.util"' in text
    assert '"legacy_app" = "app2.config"' in text and '"app" = "app2"' in text
    status = run_cli("status", cwd=project)
    assert "IMC004" not in status.stdout and status.code in (0, 1), status.stderr


def test_dry_run_prints_the_plan_and_the_diff_and_changes_nothing(tmp_path: Path) -> None:
    project = committed(tmp_path, FILES)
    before = snapshot(project)
    result = run_cli("move", "app.util", "app.core.util", "--dry-run", cwd=project)
    assert result.code == 0, result.stderr
    assert "move src/app/util.py -> src/app/core/util.py" in result.stdout
    assert "create src/app/core/__init__.py" in result.stdout
    assert "rename from src/app/util.py\nrename to src/app/core/util.py\n" in result.stdout
    assert "\n-import app.util\n" in result.stdout and "\n+import app.core.util\n" in result.stdout
    assert "+++ b/contracts/moves.toml" in result.stdout
    assert snapshot(project) == before
    assert git(project, "status", "--porcelain") == ""


def test_a_move_without_git_renames_the_files(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", FILES)
    assert run_cli("move", "app.config", "app.settings.config", cwd=project).code == 0
    assert (project / "src/app/settings/config.py").is_file()
    util = (project / "src/app/util.py").read_text()
    assert "from .settings import config\nfrom .settings.config import X\n" in util
    assert runs(project, "from app.main import run; print(run())", "src").strip() == "15"


def test_unsafe_fixes_rewrites_a_bare_package_string(tmp_path: Path) -> None:
    files = {**FILES, "src/app/names.py": 'NAME = "app"\n'}
    project = write_tree(tmp_path / "a", files)
    safe = run_cli("move", "app", "app2", cwd=project)
    assert safe.code == 0 and 'NAME = "app"' in (project / "src/app2/names.py").read_text()
    assert "names.py:1:8: IMC003" in safe.stdout
    project = write_tree(tmp_path / "b", files)
    assert run_cli("move", "app", "app2", "--unsafe-fixes", cwd=project).code == 0
    assert 'NAME = "app2"' in (project / "src/app2/names.py").read_text()


REFUSED = [
    (("app.util", "app.class"), "keyword"),
    (("app.util", "app..b"), "empty segment"),
    (("app.util", "app.b-c"), "not an ASCII identifier"),
    (("app.util", "app.ütil"), "not an ASCII identifier"),
    (("app.util", "app.config.sub"), "inside module src/app/config.py"),
    (("app.util", "app.config"), "already exists"),
    (("app.util", "app.util.inner"), "inside one another"),
    (("app", "app.inner"), "inside one another"),
    (("app.util", "/tmp/x"), "not an ASCII identifier"),
    (("app.util", "json"), "standard library"),
    (("app.nothing", "app.core.nothing"), "no module `app.nothing`"),
    (("app.util", "other.util", "--source-root", "../outside"), "outside the project root"),
    (("app.util", "other.util", "--source-root", "/"), "outside the project root"),
    (("app.util", "other.util", "--source-root", "src/app"), "is a package"),
    (("app.util", "other.util", "--source-root", "README.md"), "not a folder"),
]


@pytest.mark.parametrize(("args", "message"), REFUSED, ids=[" ".join(a) for a, _ in REFUSED])
def test_a_refused_move_leaves_the_tree_unchanged(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    project = committed(tmp_path, FILES)
    before = snapshot(project)
    result = run_cli("move", *args, cwd=project)
    assert result.code == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert snapshot(project) == before
    assert git(project, "status", "--porcelain") == ""


def test_a_failure_midway_restores_the_tree(tmp_path: Path) -> None:
    project = committed(tmp_path, FILES)
    before = snapshot(project)
    (project / ".git/index.lock").write_text("")  # `git mv` will fail after folders are made
    result = run_cli("move", "app.util", "app.core.util", cwd=project)
    assert (
        result.code == 2
        and "move failed" in result.stderr
        and "nothing was changed" in (result.stderr)
    )
    assert snapshot(project) == before
    assert not (project / "src/app/core").exists()
    (project / ".git/index.lock").unlink()
    assert git(project, "status", "--porcelain") == ""


def test_a_flit_project_cannot_move_outside_root_or_src(tmp_path: Path) -> None:
    files = {
        **FILES,
        "pyproject.toml": FILES["pyproject.toml"]
        + '\n[build-system]\nrequires = ["flit_core<4"]\nbuild-backend = "flit_core.buildapi"\n',
    }
    project = committed(tmp_path, files)
    before = snapshot(project)
    result = run_cli("move", "app", "app2", "--source-root", "lib", cwd=project)
    assert result.code == 2 and "flit_core" in result.stderr
    assert snapshot(project) == before


def test_build_backend_settings_follow_the_package(tmp_path: Path) -> None:
    pyproject = (
        '[project]\nname = "app"\nversion = "1"\n\n'
        '[tool.setuptools.packages.find]\nwhere = ["src"]\n\n'
        '[tool.setuptools.package-data]\napp = ["py.typed"]\n\n'
        '[tool.setuptools.dynamic]\nversion = {attr = "app.__version__"}\n\n'
        '[tool.hatch.build.targets.wheel]\npackages = ["src/app"]\n\n'
        '[tool.pdm.build]\npackage-dir = "src"\n\n'
        '[tool.poetry]\npackages = [{include = "app", from = "src"}]\n\n'
        '[tool.flit.module]\nname = "app"\n\n'
        '[tool.coverage.run]\nsource = ["app"]\n\n'
        "[tool.importcanon]\n"
    )
    project = write_tree(tmp_path / "p", {**FILES, "pyproject.toml": pyproject})
    result = run_cli("move", "app", "app2", "--source-root", "lib", cwd=project)
    assert result.code == 0, result.stderr
    text = (project / "pyproject.toml").read_text()
    for line in (
        'where = ["lib"]',
        'app2 = ["py.typed"]',
        'version = {attr = "app2.__version__"}',
        'packages = ["lib/app2"]',
        'package-dir = "lib"',
        'packages = [{include = "app2", from = "lib"}]',
        'name = "app2"',
        'source = ["app2"]',  # coverage measures the package (or folder) where it now is
        'source_roots = ["src", "lib"]',
    ):
        assert line in text, line
    assert "unknown setting" not in result.stdout


LEGACY = {
    "ml_playground.checkpoint": "ml_playground.training.checkpointing.checkpoint",
    "ml_playground.ema": "ml_playground.training.ema",
    "ml_playground.estimator": "ml_playground.models.utils.estimator",
    "ml_playground.lr_scheduler": "ml_playground.training.optim.lr_scheduler",
    "ml_playground.tokenizer_protocol": "ml_playground.core.tokenizer_protocol",
}


def test_the_example_moves_one_module_per_commit_and_keeps_its_contract(tmp_path: Path) -> None:
    """The seed's Task 2 on examples/ml_playground, then Task 5 (rename, src layout)."""
    from tests.helpers import copy_project

    project = copy_project("example", tmp_path)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "init")
    for old, new in LEGACY.items():
        result = run_cli("move", old, new, cwd=project)
        assert result.code == 0, result.stdout + result.stderr
        git(project, "add", "-A")
        git(project, "commit", "-qm", f"refactor: move {old} to {new}")
        assert not (project / "src" / (old.replace(".", "/") + ".py")).exists()
    status = run_cli("status", "--output-format", "json", cwd=project).json()
    kept = {c["id"]: c["status"] for c in status["contracts"]}
    assert kept["canonical-locations"] == "KEPT", status
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert tests.returncode == 0 and "4 passed" in tests.stdout, tests.stdout
    result = run_cli("move", "ml_playground", "ml_playgound", "--source-root", "src", cwd=project)
    assert result.code == 0, result.stdout + result.stderr
    assert (project / "src/ml_playgound/training/ema.py").is_file()
    assert 'root_packages = ["ml_playgound"]' in (project / "pyproject.toml").read_text()
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert tests.returncode == 0 and "4 passed" in tests.stdout, tests.stdout
    left = run_cli("check", "--output-format", "json", cwd=project).json()
    assert [d for d in left if d["code"] in ("IMC001", "IMC002", "IMC004")] == []


def test_code_that_cannot_be_rewritten_safely_stops_the_move(tmp_path: Path) -> None:
    files = {
        **FILES,
        "src/app/other.py": "import app.util\n\ndef f() -> object:\n"
        "    return app.util.helper, app.config\n",
    }
    project = committed(tmp_path, files)
    before = snapshot(project)
    result = run_cli("move", "app.util", "lib2.util", "--source-root", "src", cwd=project)
    assert result.code == 2, result.stdout + result.stderr
    assert "src/app/other.py:4:" in result.stderr and "nothing was changed" in result.stderr
    assert snapshot(project) == before


def test_setup_cfg_follows_the_package_and_its_source_root(tmp_path: Path) -> None:
    setup_cfg = (
        "[metadata]\nname = app\n\n[options]\npackage_dir =\n    =src\npackages = find:\n\n"
        "[options.packages.find]\nwhere = src\n\n[options.entry_points]\nconsole_scripts =\n"
        "    app-run = app.util:helper\n"
    )
    project = write_tree(tmp_path / "p", {**FILES, "setup.cfg": setup_cfg})
    result = run_cli("move", "app", "app2", "--source-root", "lib", cwd=project)
    assert result.code == 0, result.stderr
    text = (project / "setup.cfg").read_text()
    assert "    =lib\n" in text and "where = lib\n" in text
    assert "app-run = app2.util:helper" in text and "name = app\n" in text
