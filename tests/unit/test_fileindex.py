"""The file index: discovery, excludes, git-ignored files, unsaved buffers' extra files,
root packages, module names and text-file globs, on trees written to disk."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from importcanon.analysis.fileindex import FileIndex
from importcanon.analysis.git import check_ignore
from importcanon.config.project import load_project
from importcanon.rules.registry import Registry
from tests.helpers import write_tree

TREE = {
    "pyproject.toml": '[tool.importcanon]\nexclude = ["src/pkg/generated"]\n',
    "src/pkg/__init__.py": "",
    "src/pkg/a.py": "import pkg.b\n",
    "src/pkg/b.py": "",
    "src/pkg/sub/__init__.py": "",
    "src/pkg/sub/c.py": "",
    "src/pkg/generated/__init__.py": "",
    "src/pkg/generated/big.py": "",
    "src/other/__init__.py": "",
    "build/lib/pkg/a.py": "",  # a built-in exclude
    "tests/__init__.py": "",
    "tests/test_a.py": "",
    "docs/conf.txt": "pkg.a\n",
    "docs/api/pkg.txt": "pkg.b\n",
}


def index_of(
    root: Path, *, extra: dict[Path, bytes] | None = None, cache_dir: Path | None = None
) -> FileIndex:
    config = load_project(root, codes=Registry().codes())
    return FileIndex(config, extra=extra, cache_dir=cache_dir, git_ignored=check_ignore)


def test_discovery_excludes_and_module_names(tmp_path: Path) -> None:
    index = index_of(write_tree(tmp_path, TREE))
    assert [f.rel for f in index.files] == [
        "src/other/__init__.py",
        "src/pkg/__init__.py",
        "src/pkg/a.py",
        "src/pkg/b.py",
        "src/pkg/sub/__init__.py",
        "src/pkg/sub/c.py",
        "tests/__init__.py",
        "tests/test_a.py",
    ]
    assert index.root_packages == ("other", "pkg")
    assert sorted(index.modules) == ["other", "pkg", "pkg.a", "pkg.b", "pkg.sub", "pkg.sub.c"]
    test = index.by_path[tmp_path / "tests/test_a.py"]
    assert (test.module, test.in_graph, test.is_init) == ("tests.test_a", False, False)
    assert index.by_path[tmp_path / "src/pkg/sub/__init__.py"].is_init


def test_configured_root_packages_narrow_the_graph(tmp_path: Path) -> None:
    tree = {**TREE, "pyproject.toml": '[tool.importcanon]\nroot_packages = ["pkg"]\n'}
    index = index_of(write_tree(tmp_path, tree))
    assert index.root_packages == ("pkg",)
    assert "other" not in index.modules
    assert not index.by_path[tmp_path / "src/other/__init__.py"].in_graph
    assert "pkg.generated.big" in index.modules  # no exclude configured this time


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_ignored_files_are_left_out(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {**TREE, ".gitignore": "src/pkg/b.py\n"})
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    assert "pkg.b" not in index_of(root).modules
    shutil.rmtree(root / ".git")
    assert "pkg.b" in index_of(root).modules  # not a repository: nothing is ignored


def test_unsaved_buffers_add_their_files(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "p", TREE)
    extra = {
        root / "src/pkg/new.py": b"",  # not on disk yet
        root / "src/pkg/a.py": b"",  # on disk: listed once
        root / "docs/conf.txt": b"",  # not Python
        tmp_path / "outside.py": b"",  # outside the root
    }
    index = index_of(root, extra=extra)
    new = index.by_path[root / "src/pkg/new.py"]
    assert (new.rel, new.module, new.in_graph) == ("src/pkg/new.py", "pkg.new", True)
    assert [f.rel for f in index.files].count("src/pkg/a.py") == 1
    assert root / "docs/conf.txt" not in index.by_path
    assert tmp_path / "outside.py" not in index.by_path


def test_text_files_by_glob_are_kept_per_pattern(tmp_path: Path) -> None:
    root = write_tree(tmp_path, TREE)
    index = index_of(root)
    found = index.text_files(("docs/**/*.txt",))
    assert found == [root / "docs/api/pkg.txt", root / "docs/conf.txt"]
    assert index.text_files(("docs/**/*.txt",)) is found
    assert index.text_files(("docs/*.txt",)) == [root / "docs/conf.txt"]
    assert index.text_files(("../*.txt",)) == []  # never outside the root


def test_the_walk_is_kept_in_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_tree(tmp_path / "p", TREE)
    past = time.time() - 3600  # times this recent would not be trusted (racily clean)
    for path in [root, *root.rglob("*")]:
        os.utime(path, (past, past))
    cache, log = tmp_path / "cache", tmp_path / "debug.log"
    monkeypatch.setenv("IMPORTCANON_DEBUG_LOG", str(log))
    walked = index_of(root, cache_dir=cache).files
    again = index_of(root, cache_dir=cache).files
    assert again == walked
    assert log.read_text().count("files:walk") == 1
    (root / "src/pkg/d.py").write_text("")
    assert "pkg.d" in index_of(root, cache_dir=cache).modules
    assert log.read_text().count("files:walk") == 2
