"""What each build backend ships, read from settings and a tree in memory
(engine/move/build.py), and the edits to build settings that are proven by parsing
(engine/move/settings_text.py)."""

from __future__ import annotations

import pytest

from importcanon.engine.move.build import Tree, Unknown, shipped
from importcanon.engine.move.settings_text import (
    cfg_append,
    setup_py_list,
    setup_py_package_dir,
    toml_append,
    toml_set,
)

PKG = ["pkg/__init__.py", "pkg/a.py", "pkg/sub/__init__.py", "pkg/sub/b.py", "tests/test_a.py"]
SRC = [f"src/{f}" for f in PKG[:-1]] + ["tests/test_a.py"]
EVERY = {"pkg", "pkg.a", "pkg.sub", "pkg.sub.b"}


def tree(files: list[str], pyproject: str | None = None, cfg: str | None = None,
         setup: str | None = None) -> Tree:  # fmt: skip
    return Tree(frozenset(files), pyproject, cfg, setup)


def modules(t: Tree) -> set[str]:
    result = shipped(t)
    assert result is not None
    return set(result.modules)


SETUPTOOLS = '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'


def test_setuptools_explicit_packages_ship_only_the_listed_ones() -> None:
    t = tree(PKG, SETUPTOOLS + '[project]\nname = "x"\n[tool.setuptools]\npackages = ["pkg"]\n')
    assert modules(t) == {"pkg", "pkg.a"}


def test_setuptools_find_and_package_dir() -> None:
    files = SRC
    t = tree(files, SETUPTOOLS + '[tool.setuptools.packages.find]\nwhere = ["src"]\n')
    assert modules(t) == EVERY
    t = tree(
        files, SETUPTOOLS + '[tool.setuptools]\npackages = ["pkg"]\npackage-dir = {"" = "src"}\n'
    )
    assert modules(t) == {"pkg", "pkg.a"}


def test_setuptools_discovery_src_and_flat() -> None:
    assert modules(tree(SRC, SETUPTOOLS + '[project]\nname = "x"\n')) == EVERY
    flat = tree([*PKG, "setup.py", "conftest.py", "tool.py"], SETUPTOOLS)
    assert modules(flat) == EVERY | {"tool"}


def test_setup_py_literals_and_find_packages() -> None:
    assert modules(tree(PKG, setup="from setuptools import setup\nsetup(packages=['pkg'])\n")) == {
        "pkg",
        "pkg.a",
    }
    found = (
        "from setuptools import setup, find_packages\n"
        "setup(packages=find_packages(exclude=['tests*']))\n"
    )
    assert modules(tree(PKG, setup=found)) == EVERY
    src = "import setuptools\nsetuptools.setup(packages=['pkg'], package_dir={'': 'src'})\n"
    assert modules(tree(SRC, setup=src)) == {"pkg", "pkg.a"}


def test_a_setup_py_that_computes_its_packages_is_unknown() -> None:
    computed = "from setuptools import setup\nNAMES = ['pkg']\nsetup(packages=NAMES + [])\n"
    with pytest.raises(Unknown, match="computes `packages`"):
        shipped(tree(PKG, setup=computed))


def test_setup_cfg_packages() -> None:
    cfg = "[options]\npackages =\n    pkg\n    pkg.sub\n"
    assert modules(tree(PKG, cfg=cfg)) == EVERY
    found = (
        "[options]\npackages = find:\npackage_dir =\n    =src\n"
        "[options.packages.find]\nwhere = src\n"
    )
    assert modules(tree(SRC, cfg=found)) == EVERY


def test_flit_hatch_poetry_find_the_package_by_name_or_settings() -> None:
    flit = '[build-system]\nbuild-backend = "flit_core.buildapi"\n[project]\nname = "pkg"\n'
    assert modules(tree(PKG, flit)) == EVERY
    assert modules(tree(PKG, flit.replace('"pkg"', '"other"'))) == set()
    named = flit.replace('"pkg"', '"other"') + '[tool.flit.module]\nname = "pkg"\n'
    assert modules(tree(SRC, named)) == EVERY
    hatch = '[build-system]\nbuild-backend = "hatchling.build"\n[project]\nname = "Pkg"\n'
    assert modules(tree(SRC, hatch)) == EVERY
    listed = hatch + '[tool.hatch.build.targets.wheel]\npackages = ["src/pkg"]\n'
    assert modules(tree(SRC, listed)) == EVERY
    poetry = (
        '[build-system]\nbuild-backend = "poetry.core.masonry.api"\n[tool.poetry]\nname = "pkg"\n'
    )
    assert modules(tree(PKG, poetry)) == EVERY
    explicit = poetry + 'packages = [{ include = "pkg", from = "src" }]\n'
    assert modules(tree(SRC, explicit)) == EVERY


def test_pdm_and_uv() -> None:
    pdm = '[build-system]\nbuild-backend = "pdm.backend"\n[project]\nname = "x"\n'
    assert modules(tree(SRC, pdm)) == EVERY
    uv = '[build-system]\nbuild-backend = "uv_build"\n[project]\nname = "pkg"\n'
    assert modules(tree(SRC, uv)) == EVERY


def test_an_unknown_backend_says_what_to_do() -> None:
    with pytest.raises(Unknown, match="--no-build-check"):
        shipped(tree(PKG, '[build-system]\nbuild-backend = "mesonpy"\n'))


def test_no_build_settings_build_nothing() -> None:
    assert shipped(tree(PKG, "[tool.importcanon]\n")) is None


# -- edits ---------------------------------------------------------------------------------


def test_toml_set_finds_the_real_table_not_one_inside_a_string() -> None:
    text = '[tool.other]\ntemplate = """\n[tool.flit.module]\n"""\n\n[tool.flit.module]\nx = 1\n'
    new = toml_set(text, ("tool", "flit", "module"), "name", '"new"')
    assert new.endswith('[tool.flit.module]\nname = "new"\nx = 1\n')
    assert '"""\n[tool.flit.module]\n"""' in new


def test_toml_set_appends_a_table_and_refuses_a_conflicting_value() -> None:
    assert toml_set("[project]\n", ("tool", "poetry"), "packages", "[]").endswith(
        "\n[tool.poetry]\npackages = []\n"
    )
    with pytest.raises(Unknown, match="make it"):
        toml_set('[tool.flit.module]\nname = "a"\n', ("tool", "flit", "module"), "name", '"b"')


def test_toml_set_on_an_inline_table_is_refused_not_broken() -> None:
    with pytest.raises(Unknown):
        toml_set("tool = {flit = {x = 1}}\n", ("tool", "flit", "module"), "name", '"b"')


def test_toml_append_keeps_layout_and_comments() -> None:
    text = '[tool.setuptools]\npackages = [\n    "pkg",  # the package\n    # more\n]\n'
    new = toml_append(text, ("tool", "setuptools", "packages"), ["pkg.sub"])
    assert (
        new
        == '[tool.setuptools]\npackages = [\n    "pkg",  # the package\n    # more\n"pkg.sub"]\n'
    )
    one = toml_append(
        '[tool.setuptools]\npackages = ["a"]\n', ("tool", "setuptools", "packages"), ["b"]
    )
    assert one == '[tool.setuptools]\npackages = ["a", "b"]\n'


def test_cfg_append_adds_lines_to_a_multi_line_option() -> None:
    text = "[metadata]\nname = x\n\n[options]\npackages =\n    pkg\nzip_safe = False\n"
    new = cfg_append(text, "options", "packages", ["pkg.sub"])
    assert (
        new
        == "[metadata]\nname = x\n\n[options]\npackages =\n    pkg\n    pkg.sub\nzip_safe = False\n"
    )
    assert "package_dir =\n    =src\n" in cfg_append(text, "options", "package_dir", ["=src"])


def test_setup_py_edits_rename_append_and_add_package_dir() -> None:
    text = (
        "from setuptools import setup\nsetup(\n    name='x',\n    packages=['old', 'old.sub'],\n)\n"
    )
    new = setup_py_list(text, "packages", {"old": "new", "old.sub": "new.sub"}, ["new.extra"])
    assert "packages=['new', 'new.sub', \"new.extra\"]," in new
    dirs = setup_py_package_dir(new, "", "src")
    assert 'setup(package_dir={"": "src"}, \n    name=\'x\'' in dirs
    again = setup_py_package_dir(dirs, "", "lib")
    assert 'package_dir={"": "lib"}' in again
