"""The baseline ratchet on disk, through the real CLI and the integrations."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.helpers import BIN, IMPORTLINTER, TESTS, Result, run_cli, tool, write_tree
from tests.test_integrations import flake8_lines

CONTRACTS = (
    '[[contract]]\nid = "moves"\nname = "Moves"\nkind = "moved-modules"\n'
    '[contract.moves]\n"pkg.old" = "pkg.new"\n\n'
    '[[contract]]\nid = "acyclic"\nname = "No cycles"\nkind = "acyclic"\n'
)
PROJECT = {
    "pyproject.toml": '[tool.importcanon]\nroot_packages = ["pkg"]\n'
    'baseline = "importcanon-baseline.json"\n',
    "contracts/c.toml": CONTRACTS,
    "src/pkg/__init__.py": "",
    "src/pkg/new.py": "X = 1\nY = 2\n",
    "src/pkg/a.py": "import pkg.b\n",
    "src/pkg/b.py": "import pkg.a\n",
    "src/pkg/user.py": "from pkg.old import X\nfrom pkg.old import Y\n",
}


def concise(project: Path, *args: str) -> Result:
    return run_cli("check", "--output-format", "concise", *args, cwd=project)


def entries(project: Path) -> list[dict[str, object]]:
    document = json.loads((project / "importcanon-baseline.json").read_text())
    found: list[dict[str, object]] = document["entries"]
    return found


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = write_tree(tmp_path / "p", PROJECT)
    assert concise(root).code == 2  # configured, not written yet: a configuration error
    written = run_cli("baseline", cwd=root)
    assert written.code == 0, written.stderr
    return root


def test_the_baseline_absorbs_existing_violations(project: Path) -> None:
    assert concise(project, "--no-baseline").code == 1
    result = concise(project)
    assert (result.code, result.stdout) == (0, ""), result.stderr
    assert [(e["file"], e["code"], e["identity"], e["count"]) for e in entries(project)] == [
        ("src/pkg/a.py", "IMC301", "pkg.a,pkg.b", 1),
        ("src/pkg/user.py", "IMC001", "pkg.old", 2),
    ]


def test_lines_inserted_above_keep_the_violations_absorbed(project: Path) -> None:
    user = project / "src/pkg/user.py"
    user.write_text('"""Docs."""\n\nimport os\n\n\n' + user.read_text())
    (project / "src/pkg/a.py").write_text("import os\nimport sys\n\nimport pkg.b\n")
    assert concise(project).code == 0


def test_a_new_violation_is_the_only_one_reported(project: Path) -> None:
    user = project / "src/pkg/user.py"
    user.write_text("import os\n" + user.read_text() + "from pkg.old import X as Z\n")
    (project / "src/pkg/other.py").write_text("import pkg.old\n")
    result = concise(project)
    assert result.code == 1
    assert result.stdout.splitlines() == [
        "src/pkg/other.py:1:1: IMC001 `pkg.old` has moved to `pkg.new`",
        "src/pkg/user.py:4:1: IMC001 `pkg.old` has moved to `pkg.new`",
    ]


def test_fixing_one_and_rewriting_shrinks_the_baseline_so_it_cannot_come_back(
    project: Path,
) -> None:
    user = project / "src/pkg/user.py"
    user.write_text("from pkg.new import X\nfrom pkg.old import Y\n")
    fixed = concise(project)
    assert (fixed.code, fixed.stdout) == (0, "")
    assert "1 violation(s) of the baseline no longer occur (fixed)" in fixed.stderr
    assert "fixed: src/pkg/user.py: IMC001 pkg.old" in fixed.stderr
    rewritten = run_cli("baseline", cwd=project)
    assert "1 fixed and dropped" in rewritten.stdout
    assert [e["count"] for e in entries(project) if e["code"] == "IMC001"] == [1]
    user.write_text("from pkg.old import X\nfrom pkg.old import Y\n")
    again = concise(project)
    assert again.code == 1
    assert again.stdout.splitlines() == [
        "src/pkg/user.py:2:1: IMC001 `pkg.old` has moved to `pkg.new`"
    ]


def test_a_fixed_cycle_is_dropped(project: Path) -> None:
    (project / "src/pkg/b.py").write_text("")
    assert run_cli("baseline", cwd=project).code == 0
    assert [e["code"] for e in entries(project)] == ["IMC001"]
    (project / "src/pkg/b.py").write_text("import pkg.a\n")
    assert concise(project).stdout.startswith("src/pkg/a.py:1:1: IMC301")


def test_the_file_is_sorted_stable_and_one_entry_per_line(project: Path) -> None:
    path = project / "importcanon-baseline.json"
    first = path.read_bytes()
    (project / "src/pkg/user.py").write_text("\n\nfrom pkg.old import Y\nfrom pkg.old import X\n")
    assert run_cli("baseline", cwd=project).code == 0
    assert path.read_bytes() == first
    lines = first.decode().splitlines()
    assert [line for line in lines if '"file"' in line] == sorted(
        line for line in lines if '"file"' in line
    )
    assert len([line for line in lines if '"file"' in line]) == 2


def test_status_shows_what_is_left_of_the_baseline(project: Path) -> None:
    (project / "src/pkg/user.py").write_text("from pkg.old import X\n")
    result = run_cli("status", cwd=project)
    assert result.code == 0, result.stdout
    assert "IMC001: 1 left of 2" in result.stdout
    assert "IMC301: 1 left of 1" in result.stdout
    (project / "src/pkg/more.py").write_text("from pkg.old import X\n")
    grown = run_cli("status", "--output-format", "json", cwd=project)
    assert grown.code == 1
    (moves,) = [c for c in grown.json()["contracts"] if c["id"] == "moves"]
    assert moves["baseline"] == {"IMC001": {"left": 1, "recorded": 2}}
    assert moves["new"] == {"IMC001": 1}
    plain = run_cli("status", "--no-baseline", cwd=project)
    assert "left of" not in plain.stdout and plain.code == 1


def test_narrowed_runs_report_no_unrelated_entry_as_fixed(project: Path) -> None:
    result = run_cli(
        "check", "--stdin-filename", "src/pkg/new.py", "--output-format", "json", "-",
        cwd=project, stdin="X = 1\nY = 2\n",
    )  # fmt: skip
    assert (result.code, result.json(), result.stderr) == (0, [], "")
    selected = concise(project, "--select", "IMC3")
    assert (selected.code, selected.stderr) == (0, "")


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        '{"entries": []}',
        '{"importcanon-baseline": 1, "entries": [{"file": 1}]}',
        '{"importcanon-baseline": 1, "entries": [{"file": "a", "code": "IMC001", '
        '"contract": "m", "identity": "x", "count": true}]}',
        "[" * 100000,
    ],
)
def test_a_malformed_baseline_is_a_configuration_error(project: Path, content: str) -> None:
    (project / "importcanon-baseline.json").write_text(content)
    result = concise(project)
    assert result.code == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "importcanon-baseline.json" in result.stderr


@pytest.mark.parametrize("where", ["../outside.json", "/tmp/elsewhere.json", "src"])
def test_a_baseline_outside_the_root_is_refused(tmp_path: Path, where: str) -> None:
    files = dict(PROJECT)
    files["pyproject.toml"] = f'[tool.importcanon]\nroot_packages = ["pkg"]\nbaseline = "{where}"\n'
    project = write_tree(tmp_path / "p", files)
    for command in ("baseline", "check"):
        result = run_cli(command, cwd=project)
        assert result.code == 2, result.stderr
        assert "pyproject.toml:3: field `baseline`" in result.stderr
    assert not (tmp_path / "outside.json").exists()


def test_baseline_without_configuration_says_how(tmp_path: Path) -> None:
    files = dict(PROJECT)
    files["pyproject.toml"] = '[tool.importcanon]\nroot_packages = ["pkg"]\n'
    result = run_cli("baseline", cwd=write_tree(tmp_path, files))
    assert result.code == 2 and "baseline = " in result.stderr


def test_add_noqa_suppresses_what_is_reported(tmp_path: Path) -> None:
    files = dict(PROJECT)
    files["pyproject.toml"] = '[tool.importcanon]\nroot_packages = ["pkg"]\n'
    files["src/pkg/user.py"] = (
        "from pkg.old import X  # keep\n"
        "from pkg.old import (  # noqa: E501\n    Y,\n)\n"
        "import pkg.old as o; \\\n    import os\n"
        'TEXT = """\nmentions pkg.old here\n"""\n'
    )
    project = write_tree(tmp_path, files)
    before = concise(project).stdout.splitlines()
    assert len(before) == 5, before
    result = run_cli("check", "--add-noqa", cwd=project)
    assert result.code == 0 and "Added 3 noqa directive(s) in 2 file(s)" in result.stdout
    # a line continued by a backslash, and a line inside a string, cannot hold a comment
    assert "src/pkg/user.py: 2 diagnostic(s) found no line to hold a comment" in result.stderr
    text = (project / "src/pkg/user.py").read_text()
    assert text == files["src/pkg/user.py"].replace(
        "X  # keep\n", "X  # keep  # noqa: IMC001\n"
    ).replace("# noqa: E501\n", "# noqa: E501, IMC001\n")
    assert (project / "src/pkg/a.py").read_text() == "import pkg.b  # noqa: IMC301\n"
    left = concise(project).stdout.splitlines()
    assert [line.split(" ")[:2] for line in left] == [
        ["src/pkg/user.py:5:1:", "IMC001"],
        ["src/pkg/user.py:8:10:", "IMC003"],
    ]


def test_add_noqa_keeps_crlf_and_other_bytes(tmp_path: Path) -> None:
    files = dict(PROJECT)
    files["pyproject.toml"] = '[tool.importcanon]\nroot_packages = ["pkg"]\n'
    project = write_tree(tmp_path, files)
    user = project / "src/pkg/user.py"
    user.write_bytes(b"# caf\xc3\xa9\r\nfrom pkg.old import X\r\nfrom pkg.old import Y")
    assert run_cli("check", "--add-noqa", "--select", "IMC001", cwd=project).code == 0
    assert user.read_bytes() == (
        b"# caf\xc3\xa9\r\nfrom pkg.old import X  # noqa: IMC001\r\n"
        b"from pkg.old import Y  # noqa: IMC001"
    )


# The integrations apply the baseline as `check` does.


def test_lint_imports_applies_the_baseline(project: Path) -> None:
    (project / ".importlinter").write_text(IMPORTLINTER)
    kept = tool("lint-imports", "--no-cache", cwd=project)
    assert kept.returncode == 0, kept.stdout
    (project / "src/pkg/other.py").write_text("import pkg.old\n")
    broken = tool("lint-imports", "--no-cache", cwd=project)
    assert broken.returncode == 1
    assert "src/pkg/other.py:1: IMC001" in broken.stdout
    assert "src/pkg/user.py" not in broken.stdout and "IMC301" not in broken.stdout


def test_flake8_applies_the_baseline(project: Path) -> None:
    clean = tool("flake8", "--select", "IMC", "src", cwd=project)
    assert (clean.returncode, flake8_lines(clean)) == (0, set()), clean.stdout + clean.stderr
    user = project / "src/pkg/user.py"
    user.write_text("import os\n" + user.read_text() + "import pkg.old\n")
    new = tool("flake8", "--select", "IMC", "src", cwd=project)
    assert flake8_lines(new) == {"src/pkg/user.py:4:1: IMC001 `pkg.old` has moved to `pkg.new`"}


def test_flake8_reports_a_configuration_error_without_a_traceback(project: Path) -> None:
    (project / "importcanon-baseline.json").unlink()
    result = tool("flake8", "--select", "IMC", "--jobs", "1", "src", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    lines = flake8_lines(result)
    assert lines  # one per checked file, each the same configuration error
    for line in lines:
        assert "IMC000 importcanon configuration error:" in line
        assert "field `baseline`: `importcanon-baseline.json` does not exist" in line


@pytest.mark.skipif(not (BIN / "pre-commit").exists(), reason="pre-commit is a dev dependency")
def test_pre_commit_applies_the_baseline(project: Path, tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    env = {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    args = ("try-repo", str(TESTS.parent), "importcanon", "--all-files")
    clean = tool("pre-commit", *args, cwd=project, env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    (project / "src/pkg/other.py").write_text("import pkg.old\n")
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    new = tool("pre-commit", *args, cwd=project, env=env)
    assert new.returncode == 1
    assert "src/pkg/other.py:1:1: IMC001" in new.stdout
    assert "src/pkg/user.py" not in new.stdout


# Unit tests of the pieces, on in-memory inputs.


def test_add_noqa_in_bytes_keeps_a_bom_and_a_latin1_cookie() -> None:
    from importcanon.fixes.noqa import add_noqa

    bom = b"\xef\xbb\xbfimport a\nimport b\n"
    assert add_noqa(bom, {(2, 2): {"IMC001"}}) == (
        b"\xef\xbb\xbfimport a\nimport b  # noqa: IMC001\n",
        1,
        0,
    )
    latin = b"# -*- coding: latin-1 -*-\nX = '\xe9'\nimport b\n"
    new, added, missed = add_noqa(latin, {(3, 3): {"IMC501", "IMC001"}})
    assert new == latin.replace(b"import b\n", b"import b  # noqa: IMC001, IMC501\n")
    assert (added, missed) == (1, 0)


def test_add_noqa_leaves_a_file_that_does_not_parse_alone() -> None:
    from importcanon.fixes.noqa import add_noqa

    broken = b"import a\ndef (:\n"
    assert add_noqa(broken, {(1, 1): {"IMC001"}}) == (broken, 0, 1)


def test_identity_leaves_out_the_cycle_the_checker_picked() -> None:
    from importcanon.engine.baseline import Key, key_of
    from importcanon.model.diagnostic import Diagnostic, Location

    def cycle(row: int, path: list[str]) -> Diagnostic:
        return Diagnostic(
            code="IMC301", rule="import-cycle", contract="acyclic", severity="error",
            message=f"cycle {path}", path=Path("/p/src/pkg/a.py"),
            location=Location(row, 1), end_location=Location(row, 9),
            details={"modules": ["pkg.a", "pkg.b", "pkg.c"], "cycle": path},
        )  # fmt: skip

    one = key_of(cycle(3, ["pkg.a", "pkg.b", "pkg.a"]), Path("/p"))
    other = key_of(cycle(30, ["pkg.a", "pkg.c", "pkg.a"]), Path("/p"))
    assert one == other == Key("src/pkg/a.py", "IMC301", "acyclic", "pkg.a,pkg.b,pkg.c")
