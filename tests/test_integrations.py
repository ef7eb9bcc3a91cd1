"""The real integrations in subprocesses: lint-imports, flake8, pre-commit, the editor's
stdin mode, SARIF and GitHub output."""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers import BIN, IMPORTLINTER, TESTS, copy_project, run_cli, tool, write_tree

PROJECT = {
    "pyproject.toml": '[tool.importcanon]\nroot_packages = ["pkg"]\n',
    "contracts/c.toml": '[[contract]]\nid = "acyclic"\nname = "No cycles"\nkind = "acyclic"\n\n'
    '[[contract]]\nid = "moves"\nname = "Moves"\nkind = "moved-modules"\n'
    '[contract.moves]\n"pkg.old" = "pkg.new"\n\n'
    '[[contract]]\nid = "no-mocks"\nname = "No mocks"\nkind = "banned-imports"\n'
    'modules = ["unittest.mock"]\nseverity = "warning"\n',
    "src/pkg/__init__.py": "",
    "src/pkg/new.py": "X = 1\n",
    "src/pkg/a.py": "import pkg.b\n",
    "src/pkg/b.py": "import pkg.a\n",
    "src/pkg/user.py": "from pkg.old import X\nfrom pkg.old import Y  # noqa: IMC001\n",
    "tests/test_user.py": "from unittest import mock\nfrom pkg.old import X\n",
}


def events(log: Path) -> Counter[tuple[str, str]]:
    if not log.exists():
        return Counter()
    return Counter(tuple(line.split(" ", 1)) for line in log.read_text().splitlines())  # type: ignore[misc]


def test_lint_imports_broken_renders_lines_and_reuses_the_graph(tmp_path: Path) -> None:
    project = write_tree(tmp_path, {**PROJECT, ".importlinter": IMPORTLINTER})
    log = tmp_path / "debug.log"
    result = tool(
        "lint-imports", "--no-cache", cwd=project, env={"IMPORTCANON_DEBUG_LOG": str(log)}
    )
    assert result.returncode == 1, result.stdout
    out = re.sub(r"\s*\n(?!-|\n)", " ", result.stdout)  # undo the console's wrapping
    assert "No cycles (acyclic):" in out
    assert "-   src/pkg/a.py:1: IMC301 import cycle among 2 modules" in out
    assert "-   src/pkg/user.py:1: IMC001 `pkg.old` has moved to `pkg.new`" in out
    assert "IMC501" in out  # the warning-severity contract, as an import-linter warning
    kinds = {kind for _, kind in events(log)}
    assert "graph:given" in kinds and "graph:build" not in kinds


def test_lint_imports_kept(tmp_path: Path) -> None:
    files = {**PROJECT, ".importlinter": IMPORTLINTER + "ids = moves\n"}
    files["src/pkg/user.py"] = "from pkg.new import X\n"
    files["tests/test_user.py"] = "from pkg.new import X\n"
    project = write_tree(tmp_path, files)
    result = tool("lint-imports", "--no-cache", cwd=project)
    assert result.returncode == 0, result.stdout
    assert "Acceptance criteria KEPT" in result.stdout


def flake8_lines(result: subprocess.CompletedProcess[str]) -> set[str]:
    return {line for line in result.stdout.splitlines() if line}


def test_flake8_reports_codes_honours_noqa_and_per_file_ignores(tmp_path: Path) -> None:
    project = write_tree(tmp_path, PROJECT)
    result = tool("flake8", "--select", "IMC", "src", "tests", cwd=project)
    assert result.returncode == 1, result.stderr
    lines = flake8_lines(result)
    assert lines == {
        "src/pkg/a.py:1:1: IMC301 import cycle among 2 modules: pkg.a -> pkg.b -> pkg.a; "
        "suggested cut: this import of `pkg.b`",
        "src/pkg/user.py:1:1: IMC001 `pkg.old` has moved to `pkg.new`",
        "tests/test_user.py:1:1: IMC501 `unittest.mock` is banned",
        "tests/test_user.py:2:1: IMC001 `pkg.old` has moved to `pkg.new`",
    }
    ignored = tool(
        "flake8", "--select", "IMC", "--per-file-ignores", "tests/*:IMC501", "--jobs", "2",
        "src", "tests", cwd=project,
    )  # fmt: skip
    assert flake8_lines(ignored) == lines - {
        "tests/test_user.py:1:1: IMC501 `unittest.mock` is banned"
    }


def test_flake8_analyses_the_project_at_most_once_per_worker(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": '[tool.importcanon]\nroot_packages = ["big"]\n',
        "contracts/c.toml": PROJECT["contracts/c.toml"],
        "src/big/__init__.py": "",
    }
    for i in range(40):
        files[f"src/big/p{i}/__init__.py"] = ""
        for j in range(50):
            files[f"src/big/p{i}/m{j}.py"] = f"from big.p{i} import m{(j + 1) % 50}\n"
    project = write_tree(tmp_path, files)
    log = tmp_path / "debug.log"
    result = tool(
        "flake8", "--select", "IMC", "--jobs", "2", "src", cwd=project,
        env={"IMPORTCANON_DEBUG_LOG": str(log)},
    )  # fmt: skip
    assert len(list((project / "src").rglob("*.py"))) == 2041
    assert result.returncode == 1  # 40 cycle groups
    assert len(flake8_lines(result)) == 40
    analyses = Counter(pid for (pid, kind) in events(log).elements() if kind == "analyse")
    assert analyses and max(analyses.values()) == 1, analyses
    assert len(analyses) <= 2


def test_stdin_mode_reports_only_that_file_from_the_buffer(tmp_path: Path) -> None:
    project = write_tree(tmp_path, PROJECT)
    buffer = "import os\n\nfrom pkg.old import X\n"
    result = run_cli(
        "check", "--stdin-filename", "src/pkg/user.py", "--output-format", "json", "-",
        cwd=project, stdin=buffer,
    )  # fmt: skip
    found = [(Path(d["filename"]).name, d["location"]["row"], d["code"]) for d in result.json()]
    assert found == [("user.py", 3, "IMC001")]
    assert (project / "src/pkg/user.py").read_text() == PROJECT["src/pkg/user.py"]


def test_stdin_mode_sees_a_cycle_the_buffer_breaks(tmp_path: Path) -> None:
    project = write_tree(tmp_path, PROJECT)
    result = run_cli(
        "check", "--stdin-filename", "src/pkg/a.py", "--output-format", "json", "-",
        cwd=project, stdin="X = 1\n",
    )  # fmt: skip
    assert result.json() == []
    assert run_cli("check", "--output-format", "json", "src/pkg/a.py", cwd=project).json()


def test_sarif_structure(tmp_path: Path) -> None:
    project = copy_project("example", tmp_path)
    document = json.loads(run_cli("check", "--output-format", "sarif", cwd=project).stdout)
    assert document["version"] == "2.1.0" and document["$schema"].endswith("sarif-2.1.0.json")
    (run,) = document["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "importcanon"
    rules = driver["rules"]
    assert [r["id"] for r in rules] == sorted({r["id"] for r in rules})
    for rule in rules:
        assert rule["name"] and rule["shortDescription"]["text"] and rule["help"]["text"]
    assert run["results"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning")
        assert result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert not Path(location["artifactLocation"]["uri"]).is_absolute()
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1
        for fix in result.get("fixes", []):
            change = fix["artifactChanges"][0]
            assert change["artifactLocation"]["uri"] == location["artifactLocation"]["uri"]
            assert all(
                "deletedRegion" in r and "insertedContent" in r for r in change["replacements"]
            )
    assert any("fixes" in result for result in run["results"])


def test_github_workflow_commands(tmp_path: Path) -> None:
    project = copy_project("example", tmp_path)
    out = run_cli("check", "--output-format", "github", cwd=project).stdout.splitlines()
    pattern = re.compile(
        r"::(error|warning) file=[^,:]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,"
        r"title=IMC\d{3}::IMC\d{3} .+"
    )
    assert out and all(pattern.fullmatch(line) for line in out)
    assert any(line.startswith("::warning ") for line in out)


@pytest.mark.skipif(not (BIN / "pre-commit").exists(), reason="pre-commit is a dev dependency")
def test_pre_commit_try_repo(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "throwaway", PROJECT)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    repo = TESTS.parent
    env = {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    result = tool(
        "pre-commit", "try-repo", str(repo), "importcanon", "--all-files", cwd=project, env=env
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "src/pkg/user.py:1:1: IMC001" in result.stdout
    (project / "src/pkg/user.py").write_text("from pkg.new import X\n")
    (project / "tests/test_user.py").write_text("")
    (project / "src/pkg/b.py").write_text("")
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    clean = tool(
        "pre-commit", "try-repo", str(repo), "importcanon", "--all-files", cwd=project, env=env
    )
    assert clean.returncode == 0, clean.stdout + clean.stderr
