"""A contract kind is one module: its name is nowhere else in the source, no rule sees the
project whole, and a kind from an installed distribution runs through the command line."""

from __future__ import annotations

import ast
import io
import json
import re
import shutil
import tokenize
from pathlib import Path

from importcanon.rules.registry import Registry
from tests.helpers import TESTS, run_cli, write_tree

SRC = TESTS.parent / "src" / "importcanon"
TOY = TESTS / "toy_kind" / "max_fan_in.py"
TEXT_TOKENS = {tokenize.STRING, tokenize.COMMENT, getattr(tokenize, "FSTRING_MIDDLE", -1)}


def _mentions(name: str) -> re.Pattern[str]:
    """A hyphenated kind name anywhere in a string or comment; a one-word kind name (an
    English word too: "layout") when quoted, or as a whole string literal."""
    if "-" in name:
        return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")
    return re.compile(rf"[\"'`]{re.escape(name)}[\"'`]")


def test_each_kind_is_named_only_in_its_own_module() -> None:
    offenders = []
    for name in Registry().kinds():
        pattern = _mentions(name)
        allowed = {SRC / "rules" / f"{name.replace('-', '_')}.py"}
        if name == "moved-modules":  # `importcanon move` writes such a contract
            allowed.add(SRC / "engine" / "move" / "config_files.py")
        for path in sorted(SRC.rglob("*.py")):
            if path in allowed:
                continue
            text = path.read_text(encoding="utf-8")
            for token in tokenize.generate_tokens(io.StringIO(text).readline):
                if token.type in TEXT_TOKENS and pattern.search(token.string):
                    offenders.append(f"{path.relative_to(SRC)}:{token.start[0]}: {name}")
    assert offenders == []


def test_the_scan_finds_a_kind_name_where_it_should_not_be() -> None:
    """(The test above can fail.)"""
    assert _mentions("no-reexports").search('"""kind = "no-reexports": ..."""')
    assert _mentions("acyclic").search("kind = 'acyclic'")
    assert not _mentions("layout").search("a src layout")


def test_no_rule_module_imports_the_project() -> None:
    for path in sorted((SRC / "rules").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                names = {node.module or ""} | {f"{node.module}.{a.name}" for a in node.names}
            elif isinstance(node, ast.Import):
                names = {a.name for a in node.names}
            else:
                continue
            assert not any(n.startswith("importcanon.analysis.project") for n in names), path


PROJECT = {
    "pyproject.toml": '[tool.importcanon]\nroot_packages = ["app"]\nsource_roots = ["src"]\n',
    "src/app/__init__.py": "",
    "src/app/util.py": "",
    "src/app/a.py": "import app.util\n",
    "src/app/b.py": "from app import util\n",
    "src/app/c.py": "from app.util import *\n",
    "contracts/fan.toml": (
        '[[contract]]\nid = "fan"\nname = "Few importers"\nkind = "max-fan-in"\nlimit = 2\n'
    ),
}


def _plugin(folder: Path) -> Path:
    """The toy kind as an installed distribution would provide it."""
    folder.mkdir(exist_ok=True)
    shutil.copy(TOY, folder / "toy_kinds.py")
    info = folder / "toy_kinds-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: toy-kinds\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[importcanon.kinds]\nmax-fan-in = toy_kinds:KIND\n")
    return folder


def test_a_kind_from_an_installed_distribution_runs_through_the_cli(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "project", PROJECT)
    plugins = _plugin(tmp_path / "site")
    env = {"PYTHONPATH": str(plugins)}
    result = run_cli("check", "--output-format", "json", cwd=project, env=env)
    assert result.code == 1, result.stderr
    found = json.loads(result.stdout)
    assert [(d["code"], d["filename"].endswith("util.py")) for d in found] == [("IMC951", True)]
    assert "imported by 3 modules (at most 2)" in found[0]["message"]
    # its options are validated like any kind's, with the same one-line errors
    (project / "contracts" / "fan.toml").write_text(
        '[[contract]]\nid = "fan"\nname = "x"\nkind = "max-fan-in"\nlimt = 2\n'
    )
    bad = run_cli("check", cwd=project, env=env)
    assert bad.code == 2
    assert "fan.toml:5: contract `fan`" in bad.stderr and "did you mean `limit`?" in bad.stderr
    # and documented from its Options
    page = run_cli("rule", "IMC951", cwd=project, env=env).stdout
    assert '## Options (kind = "max-fan-in")' in page
    assert "| `limit` | integer | `10` | how many modules may import one module |" in page


def test_a_plugin_kinds_code_is_known_to_select(tmp_path: Path) -> None:
    """A code outside the built-in table is looked up among the installed kinds' rules."""
    project = write_tree(tmp_path / "project", {**PROJECT, "contracts/fan.toml": ""})
    # without the plugin, IMC951 names no rule
    missing = run_cli("check", "--select", "IMC951", cwd=project)
    assert missing.code == 2 and "Traceback" not in missing.stderr
    assert missing.stderr.count("\n") == 1
    assert "unknown rule code or prefix `IMC951` in --select (did you mean `IMC9" in (
        missing.stderr
    )
    (project / "contracts" / "fan.toml").write_text(PROJECT["contracts/fan.toml"])
    env = {"PYTHONPATH": str(_plugin(tmp_path / "site"))}
    for selector in ("IMC951", "IMC95", "imc951"):
        result = run_cli(
            "check", "--select", selector, "--output-format", "json", cwd=project, env=env
        )
        assert result.code == 1, result.stderr
        assert [d["code"] for d in json.loads(result.stdout)] == ["IMC951"]
    ignored = run_cli("check", "--ignore", "IMC951", cwd=project, env=env)
    assert ignored.code == 0 and ignored.stderr == ""
    # by name, answered with the plugin's code
    named = run_cli("check", "--select", "too-many-importers", cwd=project, env=env)
    assert named.code == 2
    assert "did you mean `IMC951` (too-many-importers)?" in named.stderr


def test_a_plugin_kinds_code_in_per_file_ignores(tmp_path: Path) -> None:
    pyproject = PROJECT["pyproject.toml"] + "\n[tool.importcanon.per-file-ignores]\n"
    project = write_tree(tmp_path / "project", PROJECT)
    env = {"PYTHONPATH": str(_plugin(tmp_path / "site"))}
    for glob, code in (("x.py", 1), ("src/app/util.py", 0), ("src/app/*", 0)):
        (project / "pyproject.toml").write_text(pyproject + f'"{glob}" = ["IMC951"]\n')
        result = run_cli("check", "--output-format", "json", cwd=project, env=env)
        assert result.code == code, result.stderr
        assert [d["code"] for d in json.loads(result.stdout)] == ["IMC951"] * code
        assert result.stderr == ""


def test_a_plugin_kinds_code_in_noqa(tmp_path: Path) -> None:
    files = {**PROJECT, "src/app/util.py": "X = 1  # noqa: IMC951\n"}
    project = write_tree(tmp_path / "project", files)
    env = {"PYTHONPATH": str(_plugin(tmp_path / "site"))}
    for cache in (None, tmp_path / "cache", tmp_path / "cache"):  # computed, then cached
        result = run_cli("check", "--output-format", "json", cwd=project, env=env, cache=cache)
        assert result.code == 0, result.stderr
        assert json.loads(result.stdout) == [] and result.stderr == ""
    # (a code no rule has still gets its note)
    (project / "src/app/util.py").write_text("X = 1  # noqa: IMC951, IMC959\n")
    result = run_cli("check", cwd=project, env=env)
    assert result.code == 0
    assert result.stderr.strip() == (
        "importcanon: warning: src/app/util.py:1: unknown rule code `IMC959` in `# noqa` "
        "(did you mean `IMC951`?)"
    )


def test_installing_or_removing_a_plugin_invalidates_the_cached_result(tmp_path: Path) -> None:
    """No file changes, but which codes a `# noqa` may name does: the note about an unknown
    code comes and goes with the plugin, not from the result cached before."""
    files = {**PROJECT, "contracts/fan.toml": "", "src/app/util.py": "X = 1  # noqa: IMC951\n"}
    project = write_tree(tmp_path / "project", files)
    cache, log = tmp_path / "cache", tmp_path / "debug.log"
    note = "unknown rule code `IMC951` in `# noqa`"
    with_plugin = {"PYTHONPATH": str(_plugin(tmp_path / "site"))}
    for env, noted, analysed in (
        (None, True, 1),  # computed
        (None, True, 1),  # cached (no second analysis)
        (with_plugin, False, 2),  # installed: computed again
        (with_plugin, False, 2),
        (None, True, 2),  # removed: the result kept from the first run is good again
    ):
        result = run_cli("check", cwd=project, cache=cache, env=env, debug_log=log)
        assert result.code == 0, result.stderr
        assert (note in result.stderr, log.read_text().count("analyse")) == (noted, analysed)


def test_a_kind_is_never_loaded_from_the_checked_repository(tmp_path: Path) -> None:
    """A distribution lying in the project's own folder (the current folder, on the path
    of `python -m`) is not looked at: its code would run."""
    project = write_tree(tmp_path / "project", PROJECT)
    _plugin(project)
    (project / "toy_kinds.py").write_text(
        "import pathlib\npathlib.Path('PWNED').write_text('x')\nKIND = None\n"
    )
    result = run_cli("check", cwd=project)
    assert result.code == 2 and "fan.toml:4: contract `fan`" in result.stderr
    assert "`max-fan-in` is not one of" in result.stderr
    assert not (project / "PWNED").exists()


def test_the_design_notes_show_the_toy_kind_as_it_is() -> None:
    design = (TESTS.parent / "docs" / "design.md").read_text(encoding="utf-8")
    assert "## Adding a contract kind" in design
    assert f"```python\n{TOY.read_text(encoding='utf-8')}```" in design
