"""Per-file facts from source strings."""

from __future__ import annotations

import ast
import sys

import pytest

from importcanon.analysis.parse import extract, resolve_relative
from importcanon.analysis.strings import inside, scan, string_spans
from importcanon.model.facts import FileFacts


def facts(source: str, module: str = "pkg.sub.mod", is_init: bool = False):  # type: ignore[no-untyped-def]
    return extract(source.encode(), module=module, is_init=is_init)


def test_resolve_relative() -> None:
    assert resolve_relative("x", 1, "pkg.sub") == "pkg.sub.x"
    assert resolve_relative(None, 2, "pkg.sub") == "pkg"
    assert resolve_relative("y", 2, "pkg.sub") == "pkg.y"
    assert resolve_relative(None, 3, "pkg.sub") is None
    assert resolve_relative("a.b", 0, None) == "a.b"


def test_import_forms_and_targets() -> None:
    f = facts("import a.b as c, d\nfrom . import x, y as z\nfrom ..q import *\n")
    first, second, third = f.imports
    assert first.targets() == ["a.b", "d"] and not first.is_from
    assert second.base == "pkg.sub" and second.targets() == ["pkg.sub.x", "pkg.sub.y"]
    assert third.base == "pkg.q" and third.level == 2 and third.targets() == ["pkg.q"]


def test_init_resolves_relative_to_itself() -> None:
    f = facts("from .a import b\n", module="pkg", is_init=True)
    assert f.imports[0].base == "pkg.a"


def test_context_flags() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    import t\n"
        "else:\n"
        "    import e\n"
        "def f():\n"
        "    import inner\n"
        "class C:\n"
        "    import in_class\n"
    )
    by_name = {stmt.names[0][0]: stmt for stmt in facts(source).imports}
    assert by_name["t"].type_checking and not by_name["e"].type_checking
    assert by_name["inner"].in_function and not by_name["inner"].module_level
    assert not by_name["in_class"].in_function and not by_name["in_class"].module_level
    assert by_name["e"].module_level


def test_spans_are_one_based_and_character_columns() -> None:
    f = facts('x = "é"; import a\nfrom b import (\n    c,\n)\n')
    assert (f.imports[0].span.row, f.imports[0].span.col) == (1, 10)
    span = f.imports[1].span
    assert (span.row, span.col, span.end_row, span.end_col) == (2, 1, 4, 2)


def test_strings_include_docstrings_and_fstrings() -> None:
    spans = string_spans('"""doc"""\nx = f"a{1}b"\ny = 1  # "not a string"\nz = """a\nb"""\n')
    assert spans == [
        (1, 1, 1, 10),
        (2, 5, 2, 13),
        (4, 5, 5, 5),
    ]
    assert inside((2, 6), spans) and not inside((3, 12), spans)


def test_strings_that_name_a_module_where_they_stand() -> None:
    found = scan(
        'import_module("a")\nlogging.getLogger("b")\nsys.modules["c"]\n'
        '"d" in sys.modules\nprint("e")\n__all__ = ["f"]\n'
    )
    assert sorted(found.module_names.values()) == ["a", "b", "c", "d"]
    assert all(span in found.spans for span in found.module_names)


def test_syntax_error_and_undecodable_bytes() -> None:
    assert facts("def (:\n").syntax_error is not None
    bad = extract(b"x = '\xff'\n", module="m", is_init=False)
    assert bad.syntax_error is not None and bad.syntax_error[0] == 1
    assert extract(b"\x00", module="m", is_init=False).syntax_error is not None


def test_deep_nesting_does_not_crash() -> None:
    source = "x = " + "(" * 150 + "1" + ")" * 150 + "\n"
    result = facts(source)
    assert result.syntax_error is not None or result.imports == ()


def test_module_level_bindings_and_all() -> None:
    source = (
        "import a.b\n"
        "import c.d as e\n"
        "from .m import n as o\n"
        "try:\n"
        "    from x import y\n"
        "except ImportError:\n"
        "    y = None\n"
        "def f():\n"
        "    from z import w\n"
        "__all__ = ['o']\n"
        "__all__ += ('p',)\n"
        "__all__.extend(['q'])\n"
        "__all__.append('r')\n"
        "__all__ += e.__all__\n"
    )
    f = facts(source)
    assert [(b.name, b.source, b.original) for b in f.bindings] == [
        ("a", "a", None),
        ("e", "c.d", None),
        ("o", "pkg.sub.m", "n"),
        ("y", "x", "y"),
    ]
    assert f.all_names == ("o", "p", "q", "r")
    assert f.all_extends == ("e",)
    assert "f" in f.defined and "y" in f.defined


def test_shim_detection() -> None:
    assert facts(
        '"""Doc."""\nfrom __future__ import annotations\nfrom a import b\n__all__ = ["b"]\n'
    ).shim
    assert not facts("from a import b\nX = 1\n").shim
    assert not facts('"""Only a docstring."""\n').shim


# One statement walker: what it finds, compared with a generic walk of the whole tree
# (every node, expressions included) that knows nothing of statement kinds.

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_NEW_SCOPES = (*_DEFINITIONS, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp)


def _every_import(tree: ast.AST) -> list[tuple[int, int, bool, bool, bool]]:
    """(row, column, in_function, type_checking, module_level) of every import statement,
    found by visiting every node of the tree with the flags of its ancestors."""
    found = []
    stack: list[tuple[ast.AST, bool, bool, bool]] = [(tree, False, False, True)]
    while stack:
        node, in_function, type_checking, module_level = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(
                (node.lineno, node.col_offset + 1, in_function, type_checking, module_level)
            )
        for field, value in ast.iter_fields(node):
            children = value if isinstance(value, list) else [value]
            for child in (c for c in children if isinstance(c, ast.AST)):
                tc = type_checking or (
                    isinstance(node, ast.If)
                    and field == "body"
                    and isinstance(node.test, ast.Name)
                    and node.test.id == "TYPE_CHECKING"
                )
                function = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                level = module_level and not isinstance(node, _DEFINITIONS)
                stack.append((child, function, tc, level))
    return sorted(found)


def _module_scope(tree: ast.Module) -> tuple[list[tuple[int, int]], set[str]]:
    """The import statements at module scope (outside any def, class, lambda or
    comprehension) and the other names bound there: assignment targets, definitions,
    ``except ... as``, ``case`` captures."""
    imports, names = [], set()
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            imports.append((node.lineno, node.col_offset + 1))
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            names.add(node.rest)
        if isinstance(node, _DEFINITIONS):
            names.add(node.name)
        if node is tree or not isinstance(node, _NEW_SCOPES):
            stack.extend(ast.iter_child_nodes(node))
    return sorted(imports), names - {"__all__"}


def _agrees_with_a_full_walk(source: str) -> FileFacts:
    tree = ast.parse(source)
    f = facts(source)
    assert f.syntax_error is None
    found = [
        (s.span.row, s.span.col, s.in_function, s.type_checking, s.module_level) for s in f.imports
    ]
    assert sorted(found) == _every_import(tree)
    module_imports, names = _module_scope(tree)
    bound = sorted({(f.imports[b.stmt].span.row, f.imports[b.stmt].span.col) for b in f.bindings})
    assert bound == module_imports
    assert set(f.defined) == names
    return f


MATCH = """\
import os
match os.name:
    case "posix":
        import posixpath as flavour
        from shutil import which
    case {"kind": kind, **others}:
        import ntpath as flavour
    case [first, *rest] if first:
        from json import loads
        parsed = loads(first)
    case Point(x=px) | Other(px):
        with open(px) as handle:
            import csv
    case _:
        def fallback():
            import platform
        class Holder:
            import inspect
"""


def test_walker_match_cases() -> None:
    f = _agrees_with_a_full_walk(MATCH)
    assert {b.name for b in f.bindings} >= {"flavour", "which", "loads", "csv", "os"}
    assert {"kind", "others", "first", "rest", "parsed", "px", "handle", "fallback"} <= f.defined


@pytest.mark.skipif(sys.version_info < (3, 11), reason="except* is Python 3.11+")
def test_walker_try_star() -> None:
    source = (
        "try:\n"
        "    import fast as impl\n"
        "except* ImportError as group:\n"
        "    import slow as impl\n"
        "except* (OSError, ValueError):\n"
        "    from errors import report\n"
        "else:\n"
        "    from extra import more\n"
        "finally:\n"
        "    import atexit\n"
    )
    f = _agrees_with_a_full_walk(source)
    assert [b.name for b in f.bindings] == ["impl", "impl", "report", "more", "atexit"]
    assert "group" in f.defined


def test_walker_async_statements() -> None:
    source = (
        "async def main():\n"
        "    async with lock() as held:\n"
        "        import inside_with\n"
        "    async for item in stream():\n"
        "        import inside_for\n"
        "    else:\n"
        "        import after_for\n"
        "    match item:\n"
        "        case 1:\n"
        "            import in_case\n"
    )
    f = _agrees_with_a_full_walk(source)
    assert [s.names[0][0] for s in f.imports] == [
        "inside_with", "inside_for", "after_for", "in_case"
    ]  # fmt: skip
    assert all(s.in_function and not s.module_level for s in f.imports)
    assert f.bindings == () and f.defined == frozenset({"main"})


def test_walker_nested_compound_statements() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    match x:\n"
        "        case [a]:\n"
        "            import only_typing\n"
        "elif sys.platform == 'win32':\n"
        "    for i in range(3):\n"
        "        while True:\n"
        "            try:\n"
        "                with ctx() as (c, d):\n"
        "                    import deep\n"
        "            except OSError as err:\n"
        "                match err:\n"
        "                    case OSError(errno=code):\n"
        "                        from errno import errorcode\n"
        "            finally:\n"
        "                break\n"
        "        else:\n"
        "            import no_break\n"
        "    else:\n"
        "        import loop_done\n"
        "else:\n"
        "    class K:\n"
        "        def m(self):\n"
        "            match self:\n"
        "                case K():\n"
        "                    import in_method\n"
        "        try:\n"
        "            import in_class\n"
        "        except ImportError:\n"
        "            pass\n"
    )
    f = _agrees_with_a_full_walk(source)
    by_name = {s.names[0][0]: s for s in f.imports}
    assert by_name["only_typing"].type_checking and by_name["only_typing"].module_level
    assert not by_name["deep"].type_checking and by_name["deep"].module_level
    assert by_name["in_method"].in_function and not by_name["in_class"].in_function
    assert {"a", "i", "c", "d", "err", "code", "K"} <= f.defined


def test_walker_in_real_code_shapes() -> None:
    """The samples' own statements in every position: module, function, class."""
    body = MATCH.replace("\n", "\n    ")
    _agrees_with_a_full_walk(f"def wrapper():\n    {body}\nclass Wrapper:\n    {body}\n")
