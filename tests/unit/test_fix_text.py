"""The text path for import-statement fixes (fixes.statement_text) against the libcst
path (fixes.cst_edits): wherever the text path answers, both give the same edits; and it
does answer for the common layouts, so libcst stays unloaded for them."""

from __future__ import annotations

import ast
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.analysis.source import split_lines
from importcanon.fixes import cst_edits, statement_text
from importcanon.fixes.apply import apply_edits
from importcanon.model.diagnostic import Edit, ReplaceModule, SplitName

IDENTS = st.sampled_from(["a", "b", "core", "x_1", "Name", "_p", "asx", "imports"])
DOTTED = st.lists(IDENTS, min_size=1, max_size=3).map(".".join)
SPACE = st.sampled_from([" ", "  ", "\t", " \t"])
# Between names: spaces, and backslash continuations.
GAP = st.sampled_from(["", " ", "  ", "\t", " \\\n    ", "\\\n", "\\\n\t \\\n "])
# Inside parentheses also newlines and comments, with commas, parentheses, backslashes,
# non-ASCII and the characters str.splitlines() breaks at (the tokenizer does not) in
# them; several in a row make empty and comment-only lines.
COMMENT = st.sampled_from(
    [
        *("# why", "#", "# noqa: F401, E501", "# (a, b)", "# isort:skip \\", "# é, ü", "#)"),
        *("#(", "# \\ \\", "# a\x0cb", "# \u2028, \x85", "#\x0b\x1c", "# import x as y,"),
    ]
)
PARENTHESISED_GAP = st.lists(
    st.one_of(
        st.sampled_from(["", " ", "\n    ", "\n", " \n  ", " \\\n    ", "\\\n", "\n\t"]),
        st.builds(
            lambda a, c, b: f"{a}{c}\n{b}",
            st.sampled_from(["", " ", "  "]),
            COMMENT,
            st.sampled_from(["", "    ", "\t"]),
        ),
    ),
    max_size=3,
).map("".join)


@st.composite
def from_statements(draw: st.DrawFn) -> tuple[str, list[tuple[str, str | None]]]:
    dots = draw(st.sampled_from(["", ".", "..", "...", "......"]))
    module = draw(DOTTED) if not dots or draw(st.booleans()) else ""
    after_from = draw(SPACE) if not dots else draw(st.sampled_from(["", " ", "  "]))
    names = draw(st.lists(st.tuples(IDENTS, st.none() | IDENTS), min_size=1, max_size=4))
    parenthesised = draw(st.booleans())
    gap = PARENTHESISED_GAP if parenthesised else GAP
    parts = []
    for i, (name, alias) in enumerate(names):
        text = f"{name}{draw(SPACE)}as{draw(SPACE)}{alias}" if alias else name
        parts.append(text + (draw(gap) + "," + draw(gap) if i < len(names) - 1 else ""))
    listed = "".join(parts)
    if parenthesised:
        trailing = draw(st.sampled_from(["", ",", ",\n", " ,  ", ",  # last\n"]))
        listed = f"({draw(gap)}{listed}{draw(gap) if not trailing else ''}{trailing})"
    continued = "" if parenthesised else draw(st.sampled_from(["", "\\\n    ", " \\\n"]))
    head = f"from{after_from}{dots}{module}{draw(SPACE)}import{draw(SPACE)}{continued}"
    return head + listed, names


@st.composite
def import_statements(draw: st.DrawFn) -> tuple[str, list[str]]:
    names = draw(st.lists(DOTTED, min_size=1, max_size=3))
    parts = []
    for i, name in enumerate(names):
        text = f"{name}{draw(SPACE)}as{draw(SPACE)}{draw(IDENTS)}" if draw(st.booleans()) else name
        parts.append(text + (draw(GAP) + "," + draw(GAP) if i < len(names) - 1 else ""))
    continued = draw(st.sampled_from(["", "\\\n    ", " \\\n"]))
    return f"import{draw(SPACE)}{continued}{''.join(parts)}", names


def _span(text: str, indent: str, *, row: int) -> tuple[int, int, int, int]:
    last = text.split("\n")
    end_col = len(last[-1]) + 1 + (len(indent) if len(last) == 1 else 0)
    return (row, len(indent) + 1, row + len(last) - 1, end_col)


def _same(text_path: list[Edit] | None, cst_path: object) -> None:
    assert text_path is not None, "the common layout must not need libcst"
    assert text_path == cst_path


def _by_cst(call: object, *args: object) -> list[Edit] | str:
    try:
        return call(*args)  # type: ignore[operator, no-any-return]
    except ValueError as exc:
        return f"no fix: {exc}"


@settings(max_examples=100, deadline=None)
@given(from_statements(), DOTTED, st.sampled_from(["", "    ", "\t"]))
def test_replace_module_in_a_from_import(
    stmt: tuple[str, list[tuple[str, str | None]]], new: str, indent: str
) -> None:
    text, _ = stmt
    lines = ["x = 1", *(indent + text).split("\n"), "y = 2"]
    span = _span(text, indent, row=2)
    action = ReplaceModule(span, new)
    _same(
        statement_text.replace_module(action, lines),
        _by_cst(cst_edits.replace_module, action, lines),
    )


@settings(max_examples=100, deadline=None)
@given(import_statements(), DOTTED, st.data())
def test_replace_module_in_an_import(
    stmt: tuple[str, list[str]], new: str, data: st.DataObject
) -> None:
    text, names = stmt
    name = data.draw(st.sampled_from(names))
    old = ".".join(name.split(".")[: data.draw(st.integers(1, name.count(".") + 1))])
    lines = [text]
    action = ReplaceModule((1, 1, 1, len(text) + 1), new, old_module=old)
    _same(
        statement_text.replace_module(action, lines),
        _by_cst(cst_edits.replace_module, action, lines),
    )


# What may share the statement's logical line (before it, after it), and whether a line
# inserted after the statement (a split's new import) is then a statement of its own in
# the same block.
CONTEXTS = st.sampled_from(
    [
        ("", "", True),
        ("", "  # c, (d) \\ '", True),
        ("", "; y = 2  # (", True),
        ("", " ;", True),
        ("y = 1; ", "", False),  # code before it
        ("if y: ", "", False),
        ("if y: \\\n    ", "", False),  # continued from the line above
        ("y = 1; \\\n", "", False),
        ("", " \\\n", False),  # continued into the next line
        ("", "\\\n; y = 2", False),
        ("", "; s = '''\n'''", False),  # a string left open
        ("", "; f(\n)", False),  # a bracket left open
        ("", "; y = {\n}  # c", False),
    ]
)


def _from_imports(source: str) -> list[tuple[int, str | None, tuple[tuple[str, str | None], ...]]]:
    found = [
        (node.level, node.module, tuple((a.name, a.asname) for a in node.names))
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom)
    ]
    return sorted(found, key=repr)


@settings(max_examples=200, deadline=None)
@given(
    from_statements(),
    DOTTED,
    IDENTS,
    st.sampled_from(["", "    ", "\t", " " * 40]),
    CONTEXTS,
    st.data(),
)
def test_split_name(
    stmt: tuple[str, list[tuple[str, str | None]]],
    new_module: str,
    new_name: str,
    indent: str,
    context: tuple[str, str, bool],
    data: st.DataObject,
) -> None:
    """Both paths give the same edits, and the file they leave parses and imports the
    name from its new module, the other names from where they were; when the new import
    could not be a statement of its own after this one, neither gives a fix."""
    text, names = stmt
    before, after, alone = context
    name, alias = data.draw(st.sampled_from(names))
    head = "if x:\n" if indent else ""
    last = data.draw(st.booleans()) and not after.endswith("\n")  # and no newline at its end
    source = f"{head}{indent}{before}{text}{after}" + ("" if last else f"\n{indent}z = 3\n")
    lines = split_lines(source)
    row = head.count("\n") + before.count("\n") + 1
    first = f"{indent}{before}".rpartition("\n")[2]
    action = SplitName(_span(text, first, row=row), name, alias, new_module, new_name)
    by_text = statement_text.split_name(action, lines)
    by_cst = _by_cst(cst_edits.split_name, action, lines)
    if not alone and len(names) > 1:
        assert by_text is None
        assert isinstance(by_cst, str), "libcst must refuse too"
        return
    _same(by_text, by_cst)
    assert by_text is not None
    [(level, module, listed)] = _from_imports(source)
    kept = list(listed)
    kept.remove((name, alias))
    bound = alias or name
    moved = (0, new_module, ((new_name, None if new_name == bound else bound),))
    expected = [moved, *([(level, module, tuple(kept))] if kept else [])]
    assert _from_imports(apply_edits(source, by_text)) == sorted(expected, key=repr)


def test_layouts_that_need_libcst_are_left_to_it() -> None:
    for text in [
        "from a import b  # why",
        "from a import (b  # why)",
        "from a import b, \\ c",
        "from a import (b as \\\n c)",
        "from a \\\n    import b",
        "from a import *",
        "from a import b; import c",
        "from . a import b",
        "import a.b as c  # note",
        "from café import b",
    ]:
        lines = text.split("\n")
        end = len(lines[-1]) + 1
        span = (1, 1, len(lines), end)
        assert statement_text.split_name(SplitName(span, "b", None, "n", "b"), lines) is None


def test_code_before_the_statement_gets_no_fix_from_either_path() -> None:
    lines = ["if x: from a import b, c"]
    action = SplitName((1, 7, 1, 25), "b", None, "n", "b")
    assert statement_text.split_name(action, lines) is None
    assert isinstance(_by_cst(cst_edits.split_name, action, lines), str)


def test_a_star_import_keeps_its_star() -> None:
    lines = ["from .sub import *"]
    edits = statement_text.replace_module(ReplaceModule((1, 1, 1, 19), "pkg.sub"), lines)
    assert edits is not None and edits[0].content == "from pkg.sub import *"
    assert edits == cst_edits.replace_module(ReplaceModule((1, 1, 1, 19), "pkg.sub"), lines)


def test_a_statement_of_hostile_length_is_given_up_in_linear_time() -> None:
    """Long runs of spaces (a hostile file's) before a shape the text path leaves to
    libcst: declined at once, not after trying every way to split the run (quadratic:
    half a minute for these, hours for a few hundred kilobytes)."""
    spaces = " " * 40_000
    for text in [
        f"from{spaces}.sub \\\n import b",
        f"from{spaces}é import b",
        f"from a import b{spaces}as é",
        f"from a import (b,{spaces}é)",
    ]:
        lines = text.split("\n")
        span = (1, 1, len(lines), len(lines[-1]) + 1)
        started = time.perf_counter()
        assert statement_text.replace_module(ReplaceModule(span, "n"), lines) is None
        assert statement_text.split_name(SplitName(span, "b", None, "n", "b"), lines) is None
        assert time.perf_counter() - started < 1.0, text[:20]
