"""The facts store behind its interface: the in-memory store (facts parsed from the bytes
given, nothing read from disk) and the on-disk store (unsaved buffers first, facts and
digests kept in the cache); and a Project built over the in-memory store, through the real
parser, the real grimp graph and the real engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from importcanon.analysis.cache import facts_digest
from importcanon.analysis.fileindex import FileIndex
from importcanon.analysis.files import SourceFile
from importcanon.analysis.git import check_ignore
from importcanon.analysis.graph import edges
from importcanon.analysis.project import Project
from importcanon.analysis.store import DiskStore, FactsStore, MemoryStore, parse_many
from importcanon.config.contracts import load_contracts
from importcanon.config.project import load_project
from importcanon.engine.run import run
from importcanon.model.contract import Contract
from importcanon.rules.registry import Registry
from tests.helpers import write_tree

# On disk, every module is empty: what a test finds comes from the sources it gives.
TREE = {
    "pyproject.toml": '[tool.importcanon]\nroot_packages = ["pkg"]\n',
    "contracts/c.toml": '[[contract]]\nid = "acyclic"\nname = "No cycles"\nkind = "acyclic"\n',
    "src/pkg/__init__.py": "",
    "src/pkg/a.py": "",
    "src/pkg/b.py": "",
}


def no_globs(contract: Contract) -> tuple[str, ...]:
    return ()


def files_of(root: Path) -> dict[str, SourceFile]:
    index = FileIndex(load_project(root, codes=Registry().codes()), git_ignored=check_ignore)
    return {f.rel: f for f in index.files}


def imported(store: FactsStore, file: SourceFile) -> list[str]:
    return [name for stmt in store.facts(file).imports for name, _ in stmt.names]


def test_the_memory_store_parses_the_given_bytes_only(tmp_path: Path) -> None:
    root = write_tree(tmp_path, TREE)
    files = files_of(root)
    a, b = files["src/pkg/a.py"], files["src/pkg/b.py"]
    sources = {a.path: b"import pkg.b\n"}
    store = MemoryStore(sources)
    assert imported(store, a) == ["pkg.b"]
    assert store.read(a) == b"import pkg.b\n"
    assert a.path in store.digests
    error = store.facts(b).syntax_error  # on disk, but not given
    assert error is not None and "cannot read file" in error[2]
    sources[a.path] = b"import pkg\n"  # the mapping is read, not copied
    assert imported(store, a) == ["pkg.b"]  # ... until forgotten
    store.forget(a.path)
    assert a.path not in store.digests
    assert imported(store, a) == ["pkg"]


def test_the_memory_store_digests_facts_not_text(tmp_path: Path) -> None:
    root = write_tree(tmp_path, TREE)
    files = files_of(root)
    a, b = files["src/pkg/a.py"], files["src/pkg/b.py"]
    store = MemoryStore({a.path: b"import pkg.b\n", b.path: b"import pkg.b  \n\n# a comment\n"})
    store.prefetch([a, b])
    found = store.facts_digests([a, b])
    assert found[a.path] == facts_digest(store.facts(a))
    assert store.digests[a.path] != store.digests[b.path]  # the texts differ


def test_the_disk_store_reads_buffers_first_and_refuses_what_is_outside(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "p", TREE)
    (root / "src/pkg/b.py").write_text("import pkg.a\n")
    (tmp_path / "secret.py").write_text("import os\n")
    (root / "src/pkg/link.py").symlink_to(tmp_path / "secret.py")
    files = files_of(root)
    a, b = files["src/pkg/a.py"], files["src/pkg/b.py"]
    link = SourceFile(root / "src/pkg/link.py", "src/pkg/link.py", "pkg.link", False, True)
    overrides = {a.path: b"import pkg.b\n"}
    store = DiskStore(root, overrides=overrides, cache_dir=None)
    assert imported(store, a) == ["pkg.b"]
    assert imported(store, b) == ["pkg.a"]
    error = store.facts(link).syntax_error
    assert error is not None and "cannot read file" in error[2]
    overrides[a.path] = b""
    store.forget(a.path)
    assert imported(store, a) == []


def test_the_disk_store_keeps_facts_and_digests_in_the_cache(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "p", TREE)
    for rel in ("src/pkg/a.py", "src/pkg/b.py"):
        (root / rel).write_text("import pkg\nfrom pkg import a, b\n")
    files = list(files_of(root).values())
    cache = tmp_path / "cache"
    first = DiskStore(root, overrides={}, cache_dir=cache)
    first.prefetch(files)
    semantics = dict(first.facts_digests(files))
    assert any(cache.glob("facts-*/*")), "no facts were kept"
    second = DiskStore(root, overrides={}, cache_dir=cache)
    assert dict(second.facts_digests(files)) == semantics
    second.prefetch(files)
    assert second.digests == first.digests
    assert [second.facts(f) for f in files] == [first.facts(f) for f in files]


def test_parsing_many_gives_each_file_its_digest_and_facts(tmp_path: Path) -> None:
    root = write_tree(tmp_path, TREE)
    (root / "src/pkg/a.py").write_text("import pkg.b\n")
    found = parse_many(
        [(str(root / "src/pkg/a.py"), "pkg.a", False), (b"import (\n", "pkg.b", False)],
        root=str(root),
    )
    assert [key is not None for key, _ in found] == [True, True]
    assert [facts.syntax_error is None for _, facts in found] == [True, False]
    missing = parse_many([(str(root / "src/pkg/gone.py"), "pkg.gone", False)], root=str(root))
    assert missing[0][0] is None and missing[0][1].syntax_error is not None


@pytest.fixture
def memory_project(tmp_path: Path) -> Project:
    root = write_tree(tmp_path, TREE)
    config = load_project(root, codes=Registry().codes())
    sources = {
        root / "src/pkg/__init__.py": b"",
        root / "src/pkg/a.py": b"import pkg.b\n",
        root / "src/pkg/b.py": b"from pkg import a\n",
        root / "src/pkg/c.py": b"import pkg.a\n",  # not on disk at all
    }
    return Project.in_memory(config, load_contracts(config, kinds=Registry()), sources)


def test_a_project_over_the_memory_store(memory_project: Project) -> None:
    project = memory_project
    assert sorted(project.modules) == ["pkg", "pkg.a", "pkg.b", "pkg.c"]
    assert edges(project.graph, project.modules) == {
        ("pkg.a", "pkg.b"): [1],
        ("pkg.b", "pkg.a"): [1],
        ("pkg.c", "pkg.a"): [1],
    }
    outcome = run(project)
    assert [(d.code, d.path.name) for d in outcome.diagnostics] == [("IMC301", "a.py")]
    c = project.modules["pkg.c"]
    project.refresh(c.path, b"import pkg.b\n")  # the graph already built follows
    assert ("pkg.c", "pkg.b") in edges(project.graph, project.modules)
    assert project.fingerprint("x", text_files=no_globs) != project.fingerprint(
        "y", text_files=no_globs
    )


def test_the_memory_store_never_reads_the_disk(memory_project: Project) -> None:
    project = memory_project
    a = project.modules["pkg.a"]
    a.path.write_text("import os\n")  # what is on disk does not count
    assert project.lines(a) == ["import pkg.b", ""]
    assert [s.names for s in project.facts(a).imports] == [(("pkg.b", None),)]
