"""The reduced parse gives the facts of the full parse, every field, on generated modules:
strings and f-strings holding ``import``, decorators, nested defs inside module-level
``if``, class bodies with imports, backslash continuations, CRLF, tabs, ``match``, PEP 695
syntax (where the interpreter has it) and syntax errors inside skipped bodies."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.analysis.parse import extract
from importcanon.analysis.reducedparse import extract_reduced

BLOCKS = [
    "import os\n",
    "from . import sibling as s\n",
    "from ..up import (\n    a,  # a comment (with a paren)\n    b as c,\n)\n",
    "import a.b.c as d, e\n",
    "x = 1\n",
    "__all__ = ['x', 'f']\n",
    "__all__ += other.__all__\n",
    "from typing import TYPE_CHECKING\n",
    "if TYPE_CHECKING:\n    import typed\nelse:\n    import untyped\n",
    's = "import nothing"\n',
    "t = f'{x} import {x!r}'\n",
    'doc = """\nimport not_a_module\ndef not_a_function():\n    import nope\n"""\n',
    "# import commented_out\n",
    "y = 1 + \\\n    2\n",
    "@decorator(\n    arg,\n)\ndef decorated(a, b=')'):\n    import in_decorated\n    return a\n",
    "def f():\n    import inner\n    from .rel import thing\n    return inner\n",
    "def g(\n    a: int,\n    b: str = '#',\n) -> None:\n"
    "    if TYPE_CHECKING:\n        from t import T\n"
    "    try:\n        import maybe\n    except ImportError:\n        maybe = None\n",
    "async def h():\n    async with x:\n        import in_with\n",
    "class C(Base, metaclass=M):\n    import in_class\n    def m(self):\n        import in_method\n"
    "    class D:\n        import in_nested_class\n",
    "class E:\n    '''Doc.\nimport not_in_class\n'''\n    x = 1\n",
    "if sys.version_info >= (3, 8):\n    def nested():\n        import under_if\nelse:\n"
    "    class Nested:\n        import under_else\n",
    "try:\n    from fast import impl\nexcept ImportError:\n    def impl():\n        import slow\n",
    "def strings():\n    s = '''\nimport inside_string\n'''\n    import after_string\n",
    "def typed():\n    if typing.TYPE_CHECKING:\n        import t1\n    elif TYPE_CHECKING:\n"
    "        import t2\n    else:\n        import t3\n",
    "def loops():\n    for i in range(3):\n        import in_for\n"
    "    while x:\n        import in_while\n",
    "def deep():\n    def inner():\n        def innermost():\n            import deepest\n",
    "match command:\n    case 'go':\n        import went\n",
    "lambda_ = lambda: None\n",
    "for k in range(2):\n    import in_module_for\n",
    "with ctx() as (p, q):\n    pass\n",
]
# shapes the reduced parse hands to the full parse
FALLBACK = [
    "def one_liner(): import on_the_same_line\n",
    "def with_semicolon():\n    x = 1; import after_semicolon\n",
    "def continued():\n    from a \\\n        import b\n",
    "def odd():\n    x = f(\n1)\n    import after_odd\n",
    "def matches(v):\n    match v:\n        case [a, *rest]:\n            import in_case\n",
    "def bracketed():\n    d = {\n        'k': [1,\n2],\n    }\n    import after_bracket\n",
    "def ünïcode():\n    é = 'é'; import after_unicode\n    from .módulo import ñ\n",
    "x = 1 + \\\n2\n",
]
if sys.version_info >= (3, 12):
    BLOCKS += [
        "type Alias = list[int]\n",
        "def generic[T](x: T) -> T:\n    import in_generic\n    return x\n",
        "class Box[T]:\n    import in_box\n",
        "def ünïcode():\n    é = 'é'\n    from .módulo import ñ\n",
    ]
    FALLBACK += ['def fs():\n    s = f"{"nested"}"\n    import after_fstring\n']
else:
    BLOCKS += ["def ünïcode():\n    é = 'é'\n    from .módulo import ñ\n"]
BROKEN = [
    "def broken():\n    x = (\n",
    "def broken():\n    return 1 +\n",
    "class Broken:\n    def m(self):\n        import\n",
    "def bad_indent():\n        x = 1\n    y = 2\n",
    "def tabs():\n\tx = 1\n        y = 2\n",
    "def bad_string():\n    s = 'unterminated\n",
]


def both(source: str, *, is_init: bool = False) -> None:
    data = source.encode()
    reduced, _ = extract_reduced(data, module="pkg.sub.mod", is_init=is_init)
    assert reduced == extract(data, module="pkg.sub.mod", is_init=is_init)


@settings(max_examples=300, deadline=None)
@given(blocks=st.lists(st.sampled_from(BLOCKS), max_size=12), crlf=st.booleans())
def test_reduced_parse_handles_these_modules_and_equals_the_full_parse(
    blocks: list[str], crlf: bool
) -> None:
    source = "".join(blocks)
    if crlf:
        source = source.replace("\n", "\r\n")
    data = source.encode()
    reduced, reason = extract_reduced(data, module="pkg.sub.mod", is_init=False)
    assert reason is None
    assert reduced == extract(data, module="pkg.sub.mod", is_init=False)


@settings(max_examples=300, deadline=None)
@given(
    blocks=st.lists(st.sampled_from(BLOCKS + FALLBACK), max_size=12),
    broken=st.sampled_from([None, *BROKEN]),
    where=st.integers(min_value=0, max_value=12),
    crlf=st.booleans(),
    tabs=st.booleans(),
)
def test_reduced_parse_equals_full_parse(
    blocks: list[str], broken: str | None, where: int, crlf: bool, tabs: bool
) -> None:
    if broken is not None:
        blocks = [*blocks[:where], broken, *blocks[where:]]
    source = "".join(blocks)
    if tabs:
        source = source.replace("    ", "\t")
    if crlf:
        source = source.replace("\n", "\r\n")
    both(source)


@pytest.mark.parametrize("block", FALLBACK)
def test_each_fallback_shape_goes_to_the_full_parse(block: str) -> None:
    source = "import os\n" + block
    facts, reason = extract_reduced(source.encode(), module="m", is_init=False)
    assert reason is not None
    assert facts == extract(source.encode(), module="m", is_init=False)


# (noise holds backslashes in strings: CPython warns of invalid escapes as it parses them)
@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::SyntaxWarning")
@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="def clas():\n #'\"\\()[]{}@=.imprtfoTYPE_CHKING\t\r", max_size=80))
def test_reduced_parse_equals_full_parse_on_noise(source: str) -> None:
    both(source)


def test_typical_module_is_reduced_and_imports_keep_their_context() -> None:
    source = "".join(BLOCKS[:20])
    facts, reason = extract_reduced(source.encode(), module="pkg.sub.mod", is_init=False)
    assert reason is None
    assert facts == extract(source.encode(), module="pkg.sub.mod", is_init=False)
    by_name = {stmt.names[0][0]: stmt for stmt in facts.imports}
    assert by_name["inner"].in_function and not by_name["inner"].module_level
    assert by_name["T"].type_checking and by_name["T"].in_function
    assert not by_name["in_class"].in_function and by_name["in_method"].in_function
    assert "not_a_module" not in by_name and "nope" not in by_name


@pytest.mark.parametrize("broken", BROKEN)
def test_syntax_error_inside_a_skipped_body_is_the_full_parse_error(broken: str) -> None:
    source = "import os\n\n" + broken + "\nx = 1\n"
    facts, reason = extract_reduced(source.encode(), module="m", is_init=False)
    assert facts.syntax_error is not None
    assert facts == extract(source.encode(), module="m", is_init=False)
    assert reason == "not accepted by the compiler"


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("x = 1 + \\\n2\n", "continuation line at column 0"),
        ("def f():\n\timport a\n", "tab in indentation"),
        ("\x0cimport a\n", "form feed"),
        ("def f():\n    x = 1; import a\n", "import after other code on its line"),
        ("def f(\na):\n    pass\n", "reduced source does not parse"),
    ],
)
def test_shapes_it_does_not_handle_go_to_the_full_parse(source: str, reason: str) -> None:
    facts, found = extract_reduced(source.encode(), module="m", is_init=False)
    assert found == reason
    assert facts == extract(source.encode(), module="m", is_init=False)


def test_a_package_init_is_parsed_whole() -> None:
    facts, reason = extract_reduced(b"from .a import b\nprint(b)\n", module="p", is_init=True)
    assert reason is not None and facts.used_names == {"print", "b"}


@pytest.mark.parametrize("depth", [100, 2980, 2990, 5000])
def test_deep_nesting_in_a_body_gives_the_full_parse_verdict(depth: int) -> None:
    both("def f():\n    x = 1" + "+1" * depth + "\n    import a\n")
    both("def f():\n    x = a" + ".b" * depth + "\n")
