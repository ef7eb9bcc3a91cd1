"""The file index, the facts store and the result cache composed by the real command line:
a cold run analyses and loads the parser, grimp and the rules; a warm run is answered from
the result cache and loads neither the parser nor grimp, networkx or libcst (the kinds its
contracts name are loaded: their Options validate the configuration); an edit that changes
facts is analysed again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers import Result, run_cli, write_tree

PROJECT = {
    "pyproject.toml": "[tool.importcanon]\n",
    "contracts/a.toml": '[[contract]]\nid = "a"\nname = "a"\nkind = "acyclic"\n',
    "src/pkg/__init__.py": "",
    "src/pkg/a.py": "import pkg.b\n",
    "src/pkg/b.py": "import pkg.a\n",
}
HEAVY = ("grimp", "libcst", "networkx", "importcanon.analysis.parse", "importcanon.analysis.graph")


def check(project: Path, cache: Path, log: Path) -> tuple[list[str], set[str], int]:
    """(codes reported, modules imported, analyses run) of one `importcanon check`."""
    log.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["IMPORTCANON_DEBUG_LOG"] = str(log)
    command = [sys.executable, "-X", "importtime", "-m", "importcanon", "check"]
    proc = subprocess.run(
        [*command, "--cache-dir", str(cache), "--output-format", "json"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    imported = {
        line.split("|")[-1].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    }
    analysed = log.read_text().count("analyse") if log.exists() else 0
    return [d["code"] for d in json.loads(proc.stdout)], imported, analysed


def heavy(imported: set[str]) -> set[str]:
    return {name for name in imported if name.split(".")[0] in HEAVY or name.startswith(HEAVY)}


def test_a_warm_run_loads_no_parser_or_graph(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", PROJECT)
    past = time.time() - 3600  # times this recent would not be trusted (racily clean)
    for path in [project, *project.rglob("*")]:
        os.utime(path, (past, past))
    cache, log = tmp_path / "cache", tmp_path / "debug.log"
    codes, imported, analysed = check(project, cache, log)
    assert (codes, analysed) == (["IMC301"], 1)
    assert {"grimp", "networkx", "importcanon.rules", "importcanon.analysis.parse"} <= imported
    assert "importcanon.analysis.store" in imported
    codes, imported, analysed = check(project, cache, log)
    assert (codes, analysed) == (["IMC301"], 0)
    assert heavy(imported) == set()
    (project / "src/pkg/b.py").write_text("X = 1\n")  # facts change: analysed again
    codes, imported, analysed = check(project, cache, log)
    assert (codes, analysed) == ([], 1)


def imported_by(
    *args: str, cwd: Path, stdin: str | None = None, cache: Path | None = None
) -> tuple[Result, set[str]]:
    """The result of an `importcanon` command, and the modules it imported."""
    env = {"PYTHONPROFILEIMPORTTIME": "1"}
    result = run_cli(*args, cwd=cwd, stdin=stdin, cache=cache, env=env)
    imported = {
        line.split("|")[-1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    }
    return result, imported


RELATIVE = {
    "pyproject.toml": "[tool.importcanon]\n",
    "contracts/r.toml": (
        '[[contract]]\nid = "r"\nname = "r"\nkind = "no-relative-imports"\nscope = "all"\n'
    ),
    "src/pkg/__init__.py": "",
    "src/pkg/b.py": "X = 1\n",
    "src/pkg/a.py": "from . import b\n",
}


def test_a_cold_run_without_a_cycle_contract_loads_no_networkx(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", RELATIVE)
    result, imported = imported_by("check", "--output-format", "concise", cwd=project)
    assert result.code == 1 and "IMC202" in result.stdout, result.stderr
    assert "importcanon.analysis.parse" in imported  # (a cold run: the files were parsed)
    assert "networkx" not in imported and "importcanon.analysis.cycles" not in imported
    # (with a cycle contract, the cycle search loads it)
    write_tree(project, PROJECT)
    result, imported = imported_by("check", cwd=project)
    assert "IMC301" in result.stdout and {"networkx", "importcanon.analysis.cycles"} <= imported


def test_an_editor_save_with_fixes_made_from_the_text_loads_no_libcst(tmp_path: Path) -> None:
    """An on-save in JSON (which shows fix edits): a statement of the common layout is
    fixed from its text; only one whose layout needs it loads libcst."""
    project = write_tree(tmp_path / "p", RELATIVE)
    args = ("check", "--output-format", "json", "--stdin-filename", "src/pkg/a.py", "-")
    result, imported = imported_by(*args, cwd=project, stdin="from . import b\n")
    assert [d["fix"] is not None for d in json.loads(result.stdout)] == [True], result.stderr
    assert "importcanon.fixes.materialize" in imported
    assert "libcst" not in imported and "importcanon.fixes.cst_edits" not in imported
    # with a cache, the second save finds the fix in the fix cache: no fix maker loads
    for run, makers in ((1, True), (2, False)):
        result, imported = imported_by(
            *args, cwd=project, stdin="from . import b\n", cache=tmp_path / "cache"
        )
        assert [d["fix"] is not None for d in json.loads(result.stdout)] == [True], run
        assert ("importcanon.fixes.materialize" in imported) is makers, run
    layout = "from . \\\n    import b\n"  # a backslash before `import`: libcst
    result, imported = imported_by(*args, cwd=project, stdin=layout)
    assert [d["fix"] is not None for d in json.loads(result.stdout)] == [True], result.stderr
    assert {"libcst", "importcanon.fixes.cst_edits"} <= imported


def test_an_editor_save_parses_without_loading_the_reduced_parse(tmp_path: Path) -> None:
    """The reduced parse is for the tests and the bench: a save parses its buffer with the
    full parse and neither imports the reduced parse nor compiles its expressions."""
    project = write_tree(tmp_path / "p", RELATIVE)
    args = ("check", "--output-format", "json", "--stdin-filename", "src/pkg/a.py", "-")
    result, imported = imported_by(*args, cwd=project, stdin="from . import b\n# edited\n")
    assert [d["code"] for d in json.loads(result.stdout)] == ["IMC202"], result.stderr
    assert "importcanon.analysis.parse" in imported
    reduced = {"importcanon.analysis.reduced", "importcanon.analysis.reducedparse", "symtable"}
    assert imported & reduced == set()
