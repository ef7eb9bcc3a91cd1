"""The real CLI in a subprocess: formats, exit codes, selection, status, rule, version."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from importcanon import __version__
from tests.helpers import copy_project, run_cli, write_tree


@pytest.fixture
def moved(tmp_path: Path) -> Path:
    return copy_project("moved", tmp_path)


def codes(result_json: list[dict[str, object]]) -> set[object]:
    return {d["code"] for d in result_json}


def test_exit_zero_when_clean(tmp_path: Path) -> None:
    project = write_tree(
        tmp_path,
        {
            "pyproject.toml": "[tool.importcanon]\n",
            "contracts/a.toml": '[[contract]]\nid = "a"\nname = "a"\nkind = "acyclic"\n',
            "src/pkg/__init__.py": "",
            "src/pkg/a.py": "import pkg.b\n",
            "src/pkg/b.py": "X = 1\n",
        },
    )
    result = run_cli("check", cwd=project)
    assert result.code == 0
    assert "All checks passed!" in result.stdout


def test_exit_one_on_errors_and_zero_with_exit_zero(moved: Path) -> None:
    assert run_cli("check", cwd=moved).code == 1
    assert run_cli("check", "--exit-zero", cwd=moved).code == 0


def test_warnings_alone_exit_zero(tmp_path: Path) -> None:
    project = copy_project("banned", tmp_path)
    result = run_cli("check", "--output-format", "json", cwd=project)
    assert result.code == 0
    assert {d["severity"] for d in result.json()} == {"warning"}


def test_concise_lines(moved: Path) -> None:
    result = run_cli("check", "--output-format", "concise", cwd=moved)
    lines = result.stdout.splitlines()
    assert "src/app/core/user.py:3:1: IMC001 `app.ema` has moved to `app.new.ema`" in lines
    assert all(line.count(":") >= 3 for line in lines)


def test_full_has_source_caret_and_summary(moved: Path) -> None:
    out = run_cli("check", cwd=moved).stdout
    assert "3 | import app.ema  # expect: IMC001\n  | ^^^^^^^^^^^^^^" in out
    assert out.rstrip().splitlines()[-1].startswith("Found 24 errors in 9 files")


def test_json_shape_and_order(moved: Path) -> None:
    data = run_cli("check", "--output-format", "json", cwd=moved).json()
    keys = {"code", "rule", "contract", "severity", "message", "filename", "location"}
    keys |= {"end_location", "noqa_row", "fix", "details", "url"}
    assert all(set(d) == keys for d in data)
    order = [
        (d["filename"], d["location"]["row"], d["location"]["column"], d["code"]) for d in data
    ]
    assert order == sorted(order)
    first = next(d for d in data if d["code"] == "IMC001")
    assert first["details"] == {"legacy": "app.ema", "canonical": "app.new.ema"}
    assert Path(first["filename"]).is_absolute()
    assert first["rule"] == "legacy-import" and first["contract"] == "moves"
    missing = next(d for d in data if d["code"] == "IMC004")
    assert missing["filename"].endswith("contracts/moves.toml")


def test_select_ignore_extend_select(moved: Path) -> None:
    def run(*args: str) -> set[object]:
        return codes(run_cli("check", "--output-format", "json", *args, cwd=moved).json())

    assert run("--select", "IMC003") == {"IMC003"}
    assert run("--select", "IMC00", "--ignore", "IMC001,IMC003") == {"IMC002", "IMC004"}
    assert run("--select", "IMC002", "--extend-select", "IMC004") == {"IMC002", "IMC004"}
    assert run("--ignore", "IMC0", "--select", "IMC004") == {"IMC004"}


def test_paths_narrow_what_is_reported(moved: Path) -> None:
    data = run_cli("check", "--output-format", "json", "tests", cwd=moved).json()
    assert {Path(d["filename"]).relative_to(moved).parts[0] for d in data} == {"tests"}
    assert run_cli("check", "no/such/path", cwd=moved).code == 2


def test_contract_option(tmp_path: Path) -> None:
    project = copy_project("example", tmp_path)
    data = run_cli("check", "--output-format", "json", "--contract", "root-layout", cwd=project)
    assert {d["contract"] for d in data.json()} == {"root-layout"}
    unknown = run_cli("check", "--contract", "nope", cwd=project)
    assert unknown.code == 2 and "unknown contract id: nope" in unknown.stderr


def test_statistics(moved: Path) -> None:
    out = run_cli("check", "--statistics", cwd=moved).stdout.splitlines()
    assert out[0].split() == ["12", "IMC001", "legacy-import"]


def test_statistics_mark_the_fixable_codes(tmp_path: Path) -> None:
    """As ruff's: `[*]` on a code whose fix --fix applies, `[ ]` on the others; the fixes
    are known to --statistics after an analysis and from the cache alike."""
    project = copy_project("example", tmp_path)
    cache = tmp_path / "cache"
    for _ in range(2):  # analysed, then answered from the cache
        out = run_cli("check", "--statistics", cwd=project, cache=cache).stdout
        marks = {line.split("\t")[1]: line.split("\t")[2] for line in out.splitlines()}
        assert marks["IMC001"] == "[*] legacy-import"  # safe fixes
        assert marks["IMC201"] == "[*] relative-import-in-init"
        assert marks["IMC101"] == "[ ] reexport"  # no fix
        assert marks["IMC003"] == "[ ] legacy-reference"  # unsafe fixes only
    unsafe = run_cli("check", "--statistics", "--unsafe-fixes", cwd=project).stdout
    assert "\tIMC003\t[*] legacy-reference\n" in unsafe


def test_statistics_a_code_that_is_fixable_only_sometimes(moved: Path) -> None:
    """As ruff's: the code's first diagnostic without a fix decides (3 of these 12 have
    none), and when no code is marked `[*]`, none is marked at all."""
    unsafe = run_cli("check", "--statistics", "--unsafe-fixes", cwd=moved).stdout.splitlines()
    assert unsafe[:2] == ["   12\tIMC001\t[ ] legacy-import", "    9\tIMC003\t[*] legacy-reference"]
    safe = run_cli("check", "--statistics", cwd=moved).stdout
    assert "[" not in safe


def test_status_text_and_json(tmp_path: Path) -> None:
    project = copy_project("example", tmp_path)
    text = run_cli("status", cwd=project)
    assert text.code == 1
    assert "BROKEN            canonical-locations" in text.stdout
    assert "acceptance: All imports reference canonical modules" in text.stdout
    data = json.loads(run_cli("status", "--output-format", "json", cwd=project).stdout)
    by_id = {c["id"]: c for c in data["contracts"]}
    assert by_id["root-layout"]["counts"] == {"IMC401": 5}
    assert by_id["root-layout"]["status"] == "BROKEN"


def test_status_kept(tmp_path: Path) -> None:
    project = write_tree(
        tmp_path,
        {
            "contracts/a.toml": '[[contract]]\nid = "a"\nname = "A"\nkind = "acyclic"\n'
            'acceptance = "No cycles."\n',
            "pkg/__init__.py": "",
        },
    )
    result = run_cli("status", cwd=project)
    assert result.code == 0
    assert result.stdout.startswith("KEPT")
    assert "1 of 1 contracts kept." in result.stdout


def test_version() -> None:
    result = run_cli("--version", cwd=Path.cwd())
    assert result.stdout.strip() == f"importcanon {__version__}"


def test_rule_explains_with_examples() -> None:
    out = run_cli("rule", "imc001", cwd=Path.cwd()).stdout
    assert out.startswith("# legacy-import (IMC001)")
    assert "## Why is this bad?" in out and "Use instead" in out
    every = run_cli("rule", "--all", cwd=Path.cwd()).stdout
    assert every.count("\n# ") >= 10
    bad = run_cli("rule", "IMC999", cwd=Path.cwd())
    assert bad.code == 2 and "unknown rule code" in bad.stderr


def test_usage_errors_exit_two(moved: Path) -> None:
    assert run_cli("check", "--output-format", "xml", cwd=moved).code == 2
    assert run_cli("check", "-", cwd=moved).code == 2


def test_config_option_points_at_a_pyproject(moved: Path, tmp_path: Path) -> None:
    result = run_cli("check", "--config", str(moved / "pyproject.toml"), cwd=tmp_path)
    assert result.code == 1
    assert "IMC001" in result.stdout


def test_project_root_found_from_a_subdirectory(moved: Path) -> None:
    result = run_cli("check", "--output-format", "concise", cwd=moved / "src" / "app")
    assert "src/app/core/user.py:3:1: IMC001" in result.stdout


def _files_project(tmp_path: Path, extra: str = "") -> Path:
    return write_tree(
        tmp_path,
        {
            "pyproject.toml": f'[tool.importcanon]\nexclude = ["skipped/**"]\n{extra}',
            "contracts/m.toml": '[[contract]]\nid = "m"\nname = "m"\nkind = "moved-modules"\n'
            '[contract.moves]\n"pkg.old" = "pkg.new"\n',
            "src/pkg/__init__.py": "",
            "src/pkg/new.py": "",
            "generated/a.py": "import pkg.old\n",
            "skipped/b.py": "import pkg.old\n",
            "build/c.py": "import pkg.old\n",
            ".tox/d.py": "import pkg.old\n",
            "kept.py": "import pkg.old\n",
            ".gitignore": "generated/\n",
        },
    )


def _reported_files(project: Path) -> set[str]:
    data = run_cli("check", "--output-format", "json", cwd=project).json()
    return {Path(d["filename"]).relative_to(project).as_posix() for d in data}


def test_excludes_and_gitignore(tmp_path: Path) -> None:
    import subprocess

    project = _files_project(tmp_path / "a")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    assert _reported_files(project) == {"kept.py"}
    unignored = _files_project(tmp_path / "b", "respect_gitignore = false\n")
    subprocess.run(["git", "init", "-q"], cwd=unignored, check=True)
    assert _reported_files(unignored) == {"kept.py", "generated/a.py"}


ACYCLIC_PROJECT = {
    "pyproject.toml": "[tool.importcanon]\n",
    "contracts/a.toml": '[[contract]]\nid = "a"\nname = "a"\nkind = "acyclic"\n',
    "src/pkg/__init__.py": "",
    "src/pkg/a.py": "import pkg.b\n",
    "src/pkg/b.py": "X = 1\n",
}


def test_the_cache_sees_every_edit(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", ACYCLIC_PROJECT)
    cache = tmp_path / "cache"

    def cycles() -> int:
        data = run_cli("check", "--output-format", "json", cwd=project, cache=cache).json()
        return sum(1 for d in data if d["code"] == "IMC301")

    assert cycles() == 0
    assert cycles() == 0  # answered from the cache
    (project / "src/pkg/b.py").write_text("import pkg.a\n")
    assert cycles() == 1
    (project / "src/pkg/b.py").write_text("X = 2\n")
    assert cycles() == 0
    assert (cache / ".gitignore").read_text().strip().endswith("*")


def test_an_edit_that_changes_no_fact_reuses_the_result(tmp_path: Path) -> None:
    """Facts decide a run's result: a body edit is answered from the cache, while an edit
    of a noqa comment, of an import, or of a string a contract reads is analysed again."""
    project = write_tree(
        tmp_path / "p",
        {
            "pyproject.toml": "[tool.importcanon]\n",
            "contracts/a.toml": (
                '[[contract]]\nid = "moves"\nname = "m"\nkind = "moved-modules"\n'
                '[contract.moves]\n"pkg.old" = "pkg.new"\n'
            ),
            "src/pkg/__init__.py": "",
            "src/pkg/old.py": "X = 1\n",
            "src/pkg/new.py": "X = 1\n",
            "src/pkg/a.py": "from pkg import old\n\n\ndef f():\n    return 1\n",
        },
    )
    cache, log = tmp_path / "cache", tmp_path / "debug.log"
    a = project / "src/pkg/a.py"

    def check(*args: str, stdin: str | None = None) -> tuple[list[tuple[str, int]], int]:
        log.unlink(missing_ok=True)
        out = run_cli(
            "check", "--output-format", "json", *args,
            cwd=project, cache=cache, debug_log=log, stdin=stdin,
        ).json()  # fmt: skip
        analysed = log.read_text().count("analyse") if log.exists() else 0
        return sorted((d["code"], d["location"]["row"]) for d in out), analysed

    assert check() == ([("IMC001", 1), ("IMC002", 1)], 1)
    a.write_text("from pkg import old\n\n\ndef f():\n    return 2  # changed\n")
    assert check() == ([("IMC001", 1), ("IMC002", 1)], 0)
    buffer = "from pkg import old\n\n\ndef f():\n    return 3\n"
    assert check("--stdin-filename", "src/pkg/a.py", "-", stdin=buffer) == ([("IMC001", 1)], 0)
    a.write_text("from pkg import old  # noqa: IMC001\n\n\ndef f():\n    return 2\n")
    assert check() == ([("IMC002", 1)], 1)
    a.write_text("from pkg import old  # noqa: IMC001\n\n\ndef f():\n    return 'pkg.old'\n")
    assert check() == ([("IMC002", 1), ("IMC003", 5)], 1)
    a.write_text("from pkg import old  # noqa: IMC001\n\n\ndef f():\n    return 'pkg.new'\n")
    assert check() == ([("IMC002", 1)], 1)


def test_the_file_walk_is_cached_until_a_directory_changes(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", ACYCLIC_PROJECT)
    past = time.time() - 3600  # times this recent would not be trusted (racily clean)
    for path in [project, *project.rglob("*")]:
        os.utime(path, (past, past))
    cache, log = tmp_path / "cache", tmp_path / "debug.log"

    def check() -> tuple[int, int]:
        log.unlink(missing_ok=True)
        data = run_cli("check", "--output-format", "json", cwd=project, cache=cache, debug_log=log)
        walks = log.read_text().count("files:walk") if log.exists() else 0
        return sum(1 for d in data.json() if d["code"] == "IMC301"), walks

    assert check() == (0, 1)
    assert check() == (0, 0)
    (project / "src/pkg/c.py").write_text("import pkg.d\n")
    (project / "src/pkg/d.py").write_text("import pkg.c\n")
    assert check() == (1, 1)
