"""Per-file facts from source strings."""

from __future__ import annotations

from importcanon.analysis.parse import extract, resolve_relative
from importcanon.analysis.strings import inside, string_spans


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
    assert [(s.row, s.col, s.end_row, s.end_col) for s in spans] == [
        (1, 1, 1, 10),
        (2, 5, 2, 13),
        (4, 5, 5, 5),
    ]
    assert inside((2, 6), spans) and not inside((3, 12), spans)


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
