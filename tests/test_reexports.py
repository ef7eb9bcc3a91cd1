"""Name-level resolution and the no-reexports options, on small projects on disk."""

from __future__ import annotations

from pathlib import Path

from importcanon.analysis.names import NameIndex
from importcanon.analysis.project import Project
from importcanon.config.contracts import load_contracts
from importcanon.config.project import load_project
from importcanon.rules.registry import Registry
from tests.helpers import copy_project, run_cli, write_tree

FILES = {
    "pyproject.toml": "[tool.importcanon]\n",
    "src/pkg/__init__.py": "from pkg.a.impl import f\n",
    "src/pkg/a/__init__.py": "from pkg.a.impl import f\n__all__ = ['f']\n",
    "src/pkg/a/impl.py": "def f() -> None: ...\n",
    "src/pkg/b/__init__.py": "from pkg.a import f\n__all__ = ['f']\n",
    "src/pkg/use.py": "from pkg.b import f\nfrom pkg import f as g\n",
}


def contract(extra: str) -> str:
    return f'[[contract]]\nid = "r"\nname = "r"\nkind = "no-reexports"\n{extra}'


def found(project: Path) -> set[tuple[str, int, str]]:
    data = run_cli("check", "--output-format", "json", cwd=project).json()
    return {
        (Path(d["filename"]).relative_to(project).as_posix(), d["location"]["row"], d["code"])
        for d in data
    }


def test_chains_resolve_to_the_defining_module(tmp_path: Path) -> None:
    project = write_tree(tmp_path, {**FILES, "contracts/r.toml": contract("")})
    data = run_cli("check", "--output-format", "json", cwd=project).json()
    via = {(d["details"]["via"], d["details"]["defined_in"]) for d in data if d["code"] == "IMC102"}
    assert via == {("pkg.b", "pkg.a.impl"), ("pkg", "pkg.a.impl"), ("pkg.a", "pkg.a.impl")}


def test_modules_and_public_modules_limit_the_rules(tmp_path: Path) -> None:
    options = 'modules = ["pkg.b"]\npublic_modules = ["pkg"]\n'
    project = write_tree(tmp_path, {**FILES, "contracts/r.toml": contract(options)})
    assert found(project) == {
        ("src/pkg/b/__init__.py", 1, "IMC101"),
        ("src/pkg/use.py", 1, "IMC102"),
    }


def test_public_modules_accept_expressions(tmp_path: Path) -> None:
    options = 'public_modules = ["pkg", "pkg.*"]\n'
    project = write_tree(tmp_path, {**FILES, "contracts/r.toml": contract(options)})
    assert found(project) == set()


def test_name_index_in_process(tmp_path: Path) -> None:
    project_dir = copy_project("reexports", tmp_path)
    config = load_project(project_dir, codes=Registry().codes())
    index = NameIndex(Project(config, load_contracts(config, kinds=Registry())))
    assert index.defining_module("lib.data", "load") == "lib.data.loader"
    assert index.defining_module("lib.data", "loader") is None  # a submodule
    assert index.defining_module("lib.data", "path") is None  # the standard library
    assert index.defining_module("lib.loop.a", "thing") is None  # a loop, no hang
    assert index.defining_module("lib.data2", "shadow") == "lib.core"  # binding wins
    assert index.defining_module("lib.extended", "batches") == "lib.data.loader"  # star
    assert index.defining_module("lib.defined_too", "other") == "lib.defined_too"
    assert index.all_names("lib.extended") == {
        "extra",
        "load",
        "loader",
        "path",
        "dumps",
        "batches",
    }
    assert index.all_names("lib.listing") == {"Engine", "helper", "other", "CONSTANT"}


def test_all_extensions_in_a_loop_end(tmp_path: Path) -> None:
    """``__all__ += other.__all__`` both ways: each module gets both lists, no recursion."""
    project_dir = write_tree(
        tmp_path,
        {
            "pyproject.toml": "[tool.importcanon]\n",
            "src/pkg/__init__.py": "",
            "src/pkg/a.py": "from pkg import b\nX = 1\n__all__ = ['X']\n__all__ += b.__all__\n",
            "src/pkg/b.py": "from pkg import a\nY = 1\n__all__ = ['Y']\n__all__ += a.__all__\n",
        },
    )
    config = load_project(project_dir, codes=Registry().codes())
    index = NameIndex(Project(config, load_contracts(config, kinds=Registry())))
    assert index.all_names("pkg.a") == {"X", "Y"}
    assert index.all_names("pkg.b") == {"X", "Y"}
