"""The text of the output kept in the cache (``analysis.cache.OutputCache``):
the real command line copies it while the project is unchanged, byte for byte what it
would write without a cache, and makes it again when anything it depends on changed."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from importcanon.analysis.project import Project
from importcanon.config.contracts import load_contracts
from importcanon.config.project import load_project
from importcanon.engine import fixing
from importcanon.engine.run import Options, run
from importcanon.fixes import cst_edits
from importcanon.fixes.materialize import materialize
from importcanon.model.diagnostic import Fix, FixPlan
from importcanon.rules.registry import Registry
from tests.helpers import run_cli, write_tree

PROJECT = {
    "pyproject.toml": '[tool.importcanon]\nroot_packages = ["pkg"]\n',
    "contracts/c.toml": '[[contract]]\nid = "acyclic"\nname = "No cycles"\nkind = "acyclic"\n\n'
    '[[contract]]\nid = "moves"\nname = "Moves"\nkind = "moved-modules"\n'
    '[contract.moves]\n"pkg.old" = "pkg.new"\n',
    "src/pkg/__init__.py": "",
    "src/pkg/old.py": "X = 1\n",
    "src/pkg/new.py": "X = 1\n",
    "src/pkg/a.py": "import pkg.b\n",
    "src/pkg/b.py": "import pkg.a\n",
    "src/pkg/user.py": "from pkg.old import X  # the legacy path\n",
}


def project_at(tmp_path: Path) -> Path:
    project = write_tree(tmp_path / "project", PROJECT)
    past = time.time() - 3600  # old enough for the stat-based shortcuts to be taken
    for path in [project, *project.rglob("*")]:
        os.utime(path, (past, past))
    return project


def events(log: Path) -> list[str]:
    found = log.read_text().split() if log.exists() else []
    log.unlink(missing_ok=True)
    return [e for e in found if not e.isdigit()]


@pytest.mark.parametrize("fmt", ["json", "sarif", "concise", "full", "github"])
def test_an_unchanged_project_s_output_is_copied_byte_for_byte(tmp_path: Path, fmt: str) -> None:
    """The second run copies the first's text (no analysis, no fix made), identical to a
    run without a cache, with the same exit status."""
    project = project_at(tmp_path)
    cache, log = tmp_path / "cache", tmp_path / "log"
    clean = run_cli("check", "--output-format", fmt, cwd=project)
    first = run_cli("check", "--output-format", fmt, cwd=project, cache=cache, debug_log=log)
    assert "output:cached" not in events(log)
    second = run_cli("check", "--output-format", fmt, cwd=project, cache=cache, debug_log=log)
    assert events(log) == ["output:cached"]
    assert first.stdout == second.stdout == clean.stdout
    assert first.code == second.code == clean.code == 1
    assert "IMC" in clean.stdout


def test_output_is_made_again_when_what_it_shows_changes(tmp_path: Path) -> None:
    """An edit that moves the text a fix replaces (spaces in the statement), other
    options (--select, --unsafe-fixes, PATHS) and the other format each make the output
    again, equal to the one without a cache."""
    project = project_at(tmp_path)
    cache, log = tmp_path / "cache", tmp_path / "log"
    runs = [
        ("--output-format", "json"),
        ("--output-format", "json", "--select", "IMC001"),
        ("--output-format", "json", "--unsafe-fixes"),
        ("--output-format", "json", "src/pkg/user.py"),
        ("--output-format", "sarif"),
        ("--output-format", "concise"),
        ("--output-format", "full"),
    ]
    before = [run_cli("check", *args, cwd=project, cache=cache).stdout for args in runs]
    user = project / "src/pkg/user.py"
    user.write_text("from  pkg.old  import X  # the legacy path\n")
    os.utime(user, (time.time() - 3000, time.time() - 3000))
    for args in runs:
        warm = run_cli("check", *args, cwd=project, cache=cache, debug_log=log)
        assert "output:cached" not in events(log), args
        assert warm.stdout == run_cli("check", *args, cwd=project).stdout, args
        again = run_cli("check", *args, cwd=project, cache=cache, debug_log=log)
        assert events(log) == ["output:cached"], args
        assert again.stdout == warm.stdout, args
    assert run_cli("check", *runs[0], cwd=project).stdout != before[0]


def test_a_project_with_a_baseline_is_not_answered_from_kept_output(tmp_path: Path) -> None:
    """The output of a project with a baseline depends on the baseline file, which the
    result does not: it is never kept."""
    project = project_at(tmp_path)
    cache, log = tmp_path / "cache", tmp_path / "log"
    run_cli("baseline", cwd=project)
    (project / "pyproject.toml").write_text(
        '[tool.importcanon]\nroot_packages = ["pkg"]\nbaseline = "importcanon-baseline.toml"\n'
    )
    for _ in range(2):
        run_cli("check", "--output-format", "json", cwd=project, cache=cache, debug_log=log)
        assert "output:cached" not in events(log)


def test_the_cache_keeps_only_text_written_whole_and_ascii(tmp_path: Path) -> None:
    """``OutputCache.keep`` passes the pieces on as they come; it keeps the text when all
    were written and are printable ASCII and line ends; a text cut short (the reader
    stopped), with non-ASCII or with a control character such as a tab is not kept, and
    leaves no file."""
    from importcanon.analysis.cache import OutputCache

    cache = OutputCache(tmp_path / "cache")
    pieces = ["[\n", '  "a"', "\n]\n"]
    assert list(cache.keep("ab" * 20, iter(pieces), errors=3)) == pieces
    assert cache.get("ab" * 20) == ("".join(pieces), 3)
    assert list(cache.keep("cd" * 20, iter(["[", "\u00e9", "]"]), errors=0)) == ["[", "\u00e9", "]"]
    assert cache.get("cd" * 20) is None
    stopped = cache.keep("ef" * 20, iter(pieces), errors=0)
    assert next(stopped) == pieces[0]
    stopped.close()
    assert cache.get("ef" * 20) is None
    excerpt = ["  |\tx = 1\n"]  # a tab (a full-format excerpt): never used, so never written
    assert list(cache.keep("0a" * 20, iter(excerpt), errors=0)) == excerpt
    assert cache.get("0a" * 20) is None
    left = sorted(p.name for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert left == [".gitignore", "CACHEDIR.TAG", f"{'ab' * 20}.marshal"]


def test_a_file_edited_while_its_fixes_are_made_is_reported_so_the_output_is_not_kept(
    tmp_path: Path,
) -> None:
    """The kept text's key holds each file's content as the run found it; a file edited
    before its fixes are made gives fixes of the newer text, which must not be kept under
    the older key (an undo would bring that key back, with edits at the wrong places)."""
    project_dir = project_at(tmp_path)
    config = load_project(project_dir, codes=Registry().codes())
    project = Project(config, load_contracts(config, kinds=Registry()))
    found = run(project, Options()).diagnostics
    user = project_dir / "src" / "pkg" / "user.py"
    assert any(d.path == user and d.plan is not None for d in found)

    def make(plan: FixPlan, lines: list[str]) -> Fix | None:
        return materialize(plan, lines, fallback=lambda: cst_edits)

    unchanged: set[Path] = set()
    fixing.with_fixes(project, found, make=make, edited=unchanged)
    assert unchanged == set()
    user.write_text("\nfrom   pkg.old import X  # the legacy path, edited\n")
    edited: set[Path] = set()
    fixing.with_fixes(project, found, make=make, edited=edited)
    assert edited == {user}
