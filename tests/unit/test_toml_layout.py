"""The TOML statement scanner behind `move`'s edits of [tool.importcanon]: hostile layouts
(headers inside multi-line strings, arrays of tables, dotted keys, inline tables) are
either edited exactly (the document parses to the original plus the one key) or refused
with nothing changed."""

from __future__ import annotations

import sys

import pytest

from importcanon.fixes.move_text import TomlEditError
from importcanon.fixes.toml_layout import set_key, statements

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TABLE = ("tool", "importcanon")
ROOTS = '["src", "lib"]'


def _set(text: str) -> dict[str, object]:
    edited = set_key(text, TABLE, "source_roots", ROOTS)
    data = tomllib.loads(edited)
    assert data["tool"]["importcanon"]["source_roots"] == ["src", "lib"]
    return data


@pytest.mark.parametrize(
    "text",
    [
        '[tool.other]\ntemplate = """\n[tool.importcanon]\nsource_roots = ["x"]\n"""\n\n'
        '[tool.importcanon]\nsource_roots = ["src"]\n',
        "[tool.other]\ntemplate = '''\n[tool.importcanon]\nsource_roots = [\"x\"]\n'''\n\n"
        '[tool.importcanon]\nsource_roots = ["src"]\n',
        '[tool.other]\ntemplate = """a \\"""\n[tool.importcanon]\n"""  # """\n'
        '[tool.importcanon]\nsource_roots = ["src"]\n',
        '[tool.other]\nt = """x""""\n[tool.importcanon]\nsource_roots = ["src"]\n',
    ],
    ids=["basic", "literal", "escaped-quotes", "closing-quotes"],
)
def test_a_header_inside_a_multi_line_string_is_not_the_table(text: str) -> None:
    data = _set(text)
    assert data["tool"]["other"] == tomllib.loads(text)["tool"]["other"]


def test_the_key_is_found_past_multi_line_arrays_and_comments() -> None:
    text = (
        "[tool.importcanon]\n"
        'exclude = [\n  "a",  # ] [x]\n  [ "b" ],\n]\n'
        "source_roots = [\n  'src',\n] # the roots\n"
        "[[tool.importcanon.x]]\nsource_roots = 1\n"
    )
    edited = set_key(text, TABLE, "source_roots", ROOTS)
    assert "source_roots = " + ROOTS + " # the roots\n" in edited
    assert tomllib.loads(edited)["tool"]["importcanon"]["x"] == [{"source_roots": 1}]


@pytest.mark.parametrize(
    "text",
    [
        'tool.importcanon.source_roots = ["src"]\n',
        '[tool]\nimportcanon.source_roots = ["src"]  # here\n',
        '[tool . "importcanon"]\nsource_roots = ["src"]\n',
    ],
    ids=["top-level-dotted", "dotted-under-tool", "quoted-header"],
)
def test_a_key_written_as_a_dotted_key_is_edited_in_place(text: str) -> None:
    _set(text)


def test_a_missing_key_is_added_under_the_header() -> None:
    text = '[tool.importcanon]  # settings\nexclude = ["x"]\n[tool.other]\na = 1\n'
    data = _set(text)
    assert data["tool"]["other"] == {"a": 1}


def test_a_missing_table_is_appended() -> None:
    data = _set('[project]\nname = "x"\n[tool.importcanon.per-file-ignores]\n"a.py" = "IMC001"\n')
    assert data["project"] == {"name": "x"}


@pytest.mark.parametrize(
    "text",
    [
        'tool = {importcanon = {exclude = ["x"]}}\n',
        '[tool]\nimportcanon = {exclude = ["x"]}\n',
        'tool.importcanon.exclude = ["x"]\n',
        '[tool]\nimportcanon.exclude = ["x"]\n',
        '[[tool.importcanon]]\nexclude = ["x"]\n',
        'tool = {importcanon = {source_roots = ["src"]}}\n',
    ],
    ids=["inline", "inline-under-tool", "dotted", "dotted-under-tool", "array", "inline-key"],
)
def test_a_table_it_cannot_edit_safely_is_refused(text: str) -> None:
    with pytest.raises(TomlEditError):
        set_key(text, TABLE, "source_roots", ROOTS)


def test_statements_follow_any_depth_without_recursion() -> None:
    text = "a = " + "[" * 100_000 + "]" * 100_000 + "\n[t]\n"
    found = statements(text)
    assert [s.kind for s in found] == ["key", "table"]


@pytest.mark.parametrize(
    "text", ['a = """never closed\n', "a = [1, 2\n", "a = 1 b = 2\n", "[t\n", "= 1\n"]
)
def test_what_it_cannot_read_is_refused(text: str) -> None:
    with pytest.raises(TomlEditError):
        statements(text)
