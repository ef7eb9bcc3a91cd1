"""Fast checks of the move rewriters on in-memory text: the import forms, the names an
import binds, strings, and TOML edits that must parse to the expected data."""

from __future__ import annotations

import pytest

from importcanon.fixes.move_python import Rename, Where, rewrite_python
from importcanon.fixes.move_text import (
    PathMove,
    TomlEditError,
    edit_toml,
    rewrite_code_spans,
    rewrite_paths,
)

TERMUI = Rename("click.termui", "click.ui.termui")
CORE = Where("click.core", is_init=False, new_module=None)


def rewritten(source: str, *, rename: Rename = TERMUI, where: Where = CORE) -> str:
    result = rewrite_python(source, where=where, rename=rename)
    compile(result.text, "<test>", "exec")
    return result.text


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("import click.termui\n", "import click.ui.termui\n"),
        ("import click.termui as t\n", "import click.ui.termui as t\n"),
        ("from click import termui\n", "from click.ui import termui\n"),
        ("from click.termui import echo\n", "from click.ui.termui import echo\n"),
        ("from .termui import echo  # noqa\n", "from .ui.termui import echo  # noqa\n"),
        ("from . import termui as tt\n", "from .ui import termui as tt\n"),
        ("from .termui import *\n", "from .ui.termui import *\n"),
        (
            "from click import termui, echo\n",
            "from click.ui import termui\nfrom click import echo\n",
        ),
        (
            "if True: from click import termui, echo\n",
            "if True: from click.ui import termui; from click import echo\n",
        ),
        ("x = 1; from click import echo\n", "x = 1; from click import echo\n"),
        ("import click\nclick.termui.echo()\n", "import click\nclick.ui.termui.echo()\n"),
        (
            "import click\ndef f(click):\n    return click.termui\n",
            "import click\ndef f(click):\n    return click.termui\n",
        ),
        ('p = "click.termui.echo"\n', 'p = "click.ui.termui.echo"\n'),
        ('p = "click.termui:main"\n', 'p = "click.ui.termui:main"\n'),
        ('p = "see click.termui for more"\n', 'p = "see click.termui for more"\n'),
        ('p = "click.termuix"\n', 'p = "click.termuix"\n'),
    ],
)
def test_references_to_a_moved_module(before: str, after: str) -> None:
    assert rewritten(before) == after


def test_a_moved_file_keeps_its_relative_imports_working() -> None:
    where = Where("click.termui", is_init=False, new_module="click.ui.termui")
    source = "from ._compat import isatty\nfrom . import utils\n"
    assert rewritten(source, where=where) == "from .._compat import isatty\nfrom .. import utils\n"


def test_a_renamed_package_renames_the_bound_name_everywhere_it_is_the_import() -> None:
    rename = Rename("click", "clack")
    source = "import click\n\n@click.command()\ndef main(click=None):\n    return click\n"
    expected = "import clack\n\n@clack.command()\ndef main(click=None):\n    return click\n"
    assert rewritten(source, rename=rename) == expected


def test_a_name_that_loses_its_import_is_blocking() -> None:
    rename = Rename("click.termui", "clack.ui")
    source = "import click.termui\nclick.echo()\n"
    result = rewrite_python(source, where=CORE, rename=rename)
    assert any(u.blocking for u in result.unsure)


def test_a_bare_package_string_is_reported_unless_unsafe() -> None:
    rename = Rename("click", "clack")
    safe = rewrite_python('NAME = "click"\n', where=CORE, rename=rename)
    assert safe.text == 'NAME = "click"\n' and safe.unsure and not safe.unsure[0].blocking
    unsafe = rewrite_python('NAME = "click"\n', where=CORE, rename=rename, unsafe=True)
    assert unsafe.text == 'NAME = "clack"\n'
    call = rewrite_python('importlib.import_module("click")\n', where=CORE, rename=rename)
    assert call.text == 'importlib.import_module("clack")\n'


def test_a_distribution_name_stays_even_with_unsafe_fixes() -> None:
    rename = Rename("click", "clack")
    source = 'v = version("click")\nd = importlib.metadata.distribution("click")\nn = "click"\n'
    result = rewrite_python(source, where=CORE, rename=rename, unsafe=True)
    assert result.text == 'v = version("click")\nd = importlib.metadata.distribution("click")\n' + (
        'n = "clack"\n'
    )


def test_paths_joined_from_segments_follow_the_move() -> None:
    rename = Rename("click", "clack")
    paths = [PathMove("src/click", "src/clack", bare=False)]
    source = (
        'a = root / "src" / "click" / "core.py"\n'
        'b = os.path.join(root, "src", "click")\n'
        'c = root.joinpath("src/click")\n'
        'd = root / "src" / "other"\n'
    )
    result = rewrite_python(source, where=CORE, rename=rename, paths=paths)
    assert result.text == (
        'a = root / "src" / "clack" / "core.py"\n'
        'b = os.path.join(root, "src", "clack")\n'
        'c = root.joinpath("src/clack")\n'
        'd = root / "src" / "other"\n'
    )
    relayout = [PathMove("src/click", "lib/click", bare=False)]
    moved = rewrite_python(
        'p = root / "src" / "click"\n', where=CORE, rename=Rename("click", "click"), paths=relayout
    )
    assert moved.text == 'p = root / "lib" / "click"\n'
    deeper = [PathMove("src/click/util.py", "src/click/helpers/util.py", bare=False)]
    split = rewrite_python(
        'u = root / "src" / "click" / "util.py"\n',
        where=CORE,
        rename=Rename("click.util", "click.helpers.util"),
        paths=deeper,
    )
    assert split.text == 'u = root / "src" / "click" / "helpers/util.py"\n'


def test_paths_in_text_but_not_urls_or_longer_names() -> None:
    moves = [PathMove("src/click", "lib/clack", bare=False), PathMove("click", "clack", bare=True)]
    text = (
        "src/click/core.py, ./src/click, click/ and https://github.com/pallets/click/ "
        "python-click/1.0 clicks/x.py click\n"
    )
    new, count = rewrite_paths(text, moves)
    assert new == (
        "lib/clack/core.py, ./lib/clack, clack/ and https://github.com/pallets/click/ "
        "python-click/1.0 clicks/x.py click\n"
    )
    assert count == 3


def test_code_spans_that_are_exactly_a_dotted_path() -> None:
    text = "Use `ml.ema` or ``ml.ema.EMA``, not `ml.emax` nor ml.ema in prose.\n"
    new, count = rewrite_code_spans(text, "ml.ema", "ml.training.ema")
    assert new == (
        "Use `ml.training.ema` or ``ml.training.ema.EMA``, not `ml.emax` nor ml.ema in prose.\n"
    )
    assert count == 2


def test_toml_values_at_known_keys_only() -> None:
    text = (
        '[project.scripts]\nrun = "click.cli:main"\n\n'
        '[tool.coverage.run]\nsource = [\n  "click",  # keep\n]\n\n'
        '[tool.poetry]\npackages = [{include = "click", from = "src"}]\n'
    )

    def value(keys: tuple[str, ...], found: str) -> str | None:
        if keys[:2] == ("project", "scripts"):
            return found.replace("click", "clack", 1)
        if keys == ("tool", "poetry", "packages", "include"):
            return "clack"
        return None

    new = edit_toml(text, value_rule=value, key_rule=lambda table, key: None)
    assert 'run = "clack.cli:main"' in new
    assert '  "click",  # keep' in new
    assert 'packages = [{include = "clack", from = "src"}]' in new


def test_a_toml_edit_that_cannot_be_placed_refuses() -> None:
    text = 'x = """\nclick\n"""\n'
    with pytest.raises(TomlEditError):
        edit_toml(text, value_rule=lambda keys, v: "clack", key_rule=lambda t, k: None)
