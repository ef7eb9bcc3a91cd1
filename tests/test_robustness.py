"""Robustness: generated projects (hypothesis) and hostile files. The tool never crashes,
never hangs, and its cycle groups equal networkx's strongly connected components."""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importcanon.analysis.cache import SUFFIX, OutputCache, usable
from tests.helpers import run_cli, write_tree
from tests.oracles import grimp_cycle_groups

CONTRACTS = """
[[contract]]
id = "acyclic"
name = "No cycles"
kind = "acyclic"

[[contract]]
id = "facades"
name = "No facades"
kind = "no-reexports"

[[contract]]
id = "relative"
name = "No relative imports"
kind = "no-relative-imports"
scope = "all"

[[contract]]
id = "moves"
name = "Moves"
kind = "moved-modules"
[contract.moves]
"hyp.m0" = "hyp.sub.moved"
"""

MODULES = ["hyp.m0", "hyp.m1", "hyp.m2", "hyp.sub", "hyp.sub.m3", "hyp.sub.m4", "hyp.sub.deep.m5"]
PACKAGES = {"hyp", "hyp.sub", "hyp.sub.deep"}


def _statement(importer: str, target: str, form: int) -> str:
    parent, _, last = target.rpartition(".")
    package = importer if importer in PACKAGES else importer.rpartition(".")[0]
    if form == 0:
        return f"import {target}"
    if form == 1 and parent:
        return f"from {parent} import {last}"
    if form == 2 and parent == package:
        return f"from . import {last}"
    if form == 3:
        return f"from {target} import NAME"
    if form == 4:
        return f"def later():\n    from {target} import NAME"
    if form == 5:
        return f"from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import {target}"
    return f"from {target} import *"


imports = st.lists(
    st.tuples(st.sampled_from(MODULES), st.sampled_from(MODULES), st.integers(0, 6)),
    max_size=25,
)


def _files(edges: list[tuple[str, str, int]]) -> dict[str, str]:
    bodies: dict[str, list[str]] = {m: ["NAME = 1", "__all__ = ['NAME']"] for m in MODULES}
    for importer, target, form in edges:
        if importer != target:
            bodies[importer].insert(0, _statement(importer, target, form))
    files = {"pyproject.toml": "[tool.importcanon]\n", "contracts/c.toml": CONTRACTS}
    for module in MODULES:
        path = "src/" + module.replace(".", "/")
        path += "/__init__.py" if module in PACKAGES else ".py"
        files[path] = "\n".join(bodies[module]) + "\n"
    files["src/hyp/__init__.py"] = files.get("src/hyp/__init__.py", "")
    files["src/hyp/sub/deep/__init__.py"] = ""
    return files


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(imports)
def test_generated_projects_never_crash_and_cycles_match_networkx(
    edges: list[tuple[str, str, int]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = write_tree(Path(tmp), _files(edges))
        result = run_cli("check", "--output-format", "json", cwd=project)
        assert result.code in (0, 1), result.stderr
        assert result.stderr == ""
        groups = {
            frozenset(d["details"]["modules"]) for d in result.json() if d["code"] == "IMC301"
        }
        assert groups == grimp_cycle_groups(project / "src", "hyp")
        fixed = run_cli("check", "--fix", "--unsafe-fixes", "--exit-zero", cwd=project)
        assert "Traceback" not in fixed.stderr
        for path in project.rglob("*.py"):
            compile(path.read_bytes(), str(path), "exec")


HOSTILE: dict[str, bytes] = {
    "latin1_without_cookie.py": b"x = '\xe9t\xe9'\n",
    "bom.py": b"\xef\xbb\xbfimport pkg.old\n",
    "crlf.py": b"import os\r\nimport pkg.old\r\n",
    "form_feed.py": b"import os\n\x0c\nimport pkg.old\n",
    "nul.py": b"import os\n\x00\n",
    "deep_parens.py": b"x = " + b"(" * 500 + b"1" + b")" * 500 + b"\n",
    "deep_blocks.py": b"".join(b"    " * i + b"if x:\n" for i in range(500))
    + b"    " * 500
    + b"pass\n",
    "big.py": b'"""' + b"lorem ipsum dolor sit amet\n" * 400_000 + b'"""\nimport pkg.old\n',
}


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    files = {
        "pyproject.toml": "[tool.importcanon]\n",
        "contracts/c.toml": '[[contract]]\nid = "m"\nname = "m"\nkind = "moved-modules"\n'
        '[contract.moves]\n"pkg.old" = "pkg.new"\n\n'
        '[[contract]]\nid = "a"\nname = "a"\nkind = "acyclic"\n',
        "src/pkg/__init__.py": "",
        "src/pkg/new.py": "",
    }
    project = write_tree(tmp_path, files)
    for name, data in HOSTILE.items():
        (project / "src" / "pkg" / name).write_bytes(data)
    os.symlink("nowhere.py", project / "src" / "pkg" / "dangling.py")
    os.symlink(project / "src", project / "src" / "pkg" / "loop")
    os.symlink("self_loop.py", project / "src" / "pkg" / "self_loop.py")
    return project


def test_hostile_files_give_diagnostics_not_tracebacks(hostile: Path) -> None:
    result = run_cli("check", "--output-format", "json", cwd=hostile)
    assert result.code == 1, result.stderr
    assert "Traceback" not in result.stderr
    found = {(Path(d["filename"]).name, d["code"]) for d in result.json()}
    for name in ("latin1_without_cookie.py", "nul.py", "deep_parens.py", "deep_blocks.py"):
        assert (name, "IMC900") in found, name
    for name in ("dangling.py", "self_loop.py"):
        assert (name, "IMC900") in found, name
    for name in ("bom.py", "crlf.py", "form_feed.py", "big.py"):
        assert (name, "IMC001") in found, name
    rows = {Path(d["filename"]).name: d["location"]["row"] for d in result.json()}
    assert rows["form_feed.py"] == 3 and rows["crlf.py"] == 2


def test_every_file_a_syntax_error(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": "[tool.importcanon]\n",
        "contracts/c.toml": '[[contract]]\nid = "a"\nname = "a"\nkind = "acyclic"\n',
    }
    files.update({f"src/pkg/m{i}.py": "def (:\n" for i in range(20)})
    files["src/pkg/__init__.py"] = "import\n"
    project = write_tree(tmp_path, files)
    result = run_cli("check", "--output-format", "json", cwd=project)
    assert result.code == 1 and "Traceback" not in result.stderr
    assert {d["code"] for d in result.json()} == {"IMC900"}
    assert len(result.json()) == 21


CYCLE_PROJECT = {
    "pyproject.toml": "[tool.importcanon]\n",
    "contracts/c.toml": '[[contract]]\nid = "a"\nname = "a"\nkind = "acyclic"\n',
    "src/pkg/__init__.py": "",
    "src/pkg/a.py": "import pkg.b\n",
    "src/pkg/b.py": "import pkg.a\n",
}


def test_corrupt_cache_is_rebuilt_with_a_warning(tmp_path: Path) -> None:
    project = write_tree(tmp_path, CYCLE_PROJECT)
    cache = tmp_path / "cache"
    first = run_cli("check", "--output-format", "json", cwd=project, cache=cache)
    shards = list(cache.glob(f"facts-*/*.{SUFFIX}"))
    assert shards
    for shard in shards:
        shard.write_bytes(b"not marshal data")
    for stale in cache.glob(f"results-*/*.{SUFFIX}"):
        stale.unlink()
    second = run_cli("check", "--output-format", "json", cwd=project, cache=cache)
    assert "rebuilding" in second.stderr and "Traceback" not in second.stderr
    assert second.json() == first.json()
    third = run_cli("check", "--output-format", "json", cwd=project, cache=cache)
    assert third.stderr == "" and third.json() == first.json()


def test_every_damaged_cache_file_is_ignored_or_rebuilt(tmp_path: Path) -> None:
    """Truncate every file of every cache (facts, results, digests by file time, the file
    walk, fixes): the next run reports the same, fixes included, without a traceback."""
    project = write_tree(
        tmp_path / "p",
        {
            "pyproject.toml": "[tool.importcanon]\n",
            "contracts/c.toml": (
                '[[contract]]\nid = "a"\nname = "a"\nkind = "acyclic"\n\n'
                '[[contract]]\nid = "m"\nname = "m"\nkind = "moved-modules"\n'
                '[contract.moves]\n"pkg.old" = "pkg.new"\n'
            ),
            "src/pkg/__init__.py": "",
            "src/pkg/a.py": "from pkg.old import X\nimport pkg.b\n",
            "src/pkg/b.py": "import pkg.a\n",
            "src/pkg/old.py": "X = 1\n",
            "src/pkg/new.py": "X = 1\n",
        },
    )
    past = time.time() - 3600  # old enough for the walk and the digests to be cached
    for path in [project, *project.rglob("*")]:
        os.utime(path, (past, past))
    cache = tmp_path / "cache"
    first = run_cli("check", "--output-format", "json", cwd=project, cache=cache)
    written = list(cache.rglob(f"*.{SUFFIX}"))
    kinds = {p.relative_to(cache).parts[0].split("-")[0] for p in written}
    assert kinds == {"facts", "results", "stat", "tree", "fixes", "output"}
    assert any(d["fix"] for d in first.json())
    for path in written:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    second = run_cli("check", "--output-format", "json", cwd=project, cache=cache)
    assert "Traceback" not in second.stderr
    assert second.json() == first.json()


def _refusals(folder: str, root: str, stop: Any, refused: Any) -> None:
    """Ask again and again whether ``folder`` may hold the cache, once it exists."""
    while not stop.is_set():
        if os.path.isdir(folder) and usable(Path(folder), root=Path(root)) is None:
            refused.value += 1


def test_a_cache_folder_being_made_is_never_taken_for_a_foreign_one(tmp_path: Path) -> None:
    """While one run makes the cache folder, another run asking whether it may use it
    never finds files but no CACHEDIR.TAG there (which reads as a folder that is not a
    cache: a warning, and a run without the cache)."""
    context = multiprocessing.get_context("fork")
    refused = context.Value("i", 0)
    for attempt in range(40):
        folder = tmp_path / f"cache{attempt}"
        stop = context.Event()
        poller = context.Process(
            target=_refusals, args=(str(folder), str(tmp_path / "p"), stop, refused)
        )
        poller.start()
        time.sleep(0.005)
        assert list(OutputCache(folder).keep("ab" * 20, iter(["x\n"]), errors=0)) == ["x\n"]
        stop.set()
        poller.join()
        assert (folder / "CACHEDIR.TAG").exists()
    assert refused.value == 0


def test_runs_at_once_share_one_cache(tmp_path: Path) -> None:
    """Four checks started together on one cold cache (as flake8's workers or an editor and
    a pre-commit hook might) all answer the same; the cache they leave answers it too."""
    project = write_tree(
        tmp_path / "p",
        {**CYCLE_PROJECT, **{f"src/pkg/m{i}.py": "import pkg.a\n" for i in range(30)}},
    )
    cache = tmp_path / "cache"

    def check(_: int) -> list[object]:
        result = run_cli("check", "--output-format", "json", cwd=project, cache=cache)
        assert "Traceback" not in result.stderr and "warning" not in result.stderr
        data: list[object] = result.json()
        return data

    with ThreadPoolExecutor(4) as pool:  # each thread waits on its own process
        outputs = list(pool.map(check, range(4)))
    assert all(output == outputs[0] for output in outputs) and outputs[0]
    assert check(0) == outputs[0]
