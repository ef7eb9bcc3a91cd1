"""Module references in the text of pages and tool files for `importcanon move`: what is
rewritten without doubt, what is left alone, and what is left but reported."""

from __future__ import annotations

import pytest

from importcanon.fixes.move_text import plausible_references, rewrite_references


@pytest.mark.parametrize(
    ("line", "after"),
    [
        ("pytest --cov=markdown tests", "pytest --cov=mdown tests"),
        ("coverage run --source=markdown -m unittest", "coverage run --source=mdown -m unittest"),
        ("python -m markdown README.md", "python -m mdown README.md"),
        ("python -m markdown.cli", "python -m mdown.cli"),
        ("::: markdown.core", "::: mdown.core"),
        (".. automodule:: markdown", ".. automodule:: mdown"),
        (":mod:`markdown` and :func:`~markdown.util.x`", ":mod:`mdown` and :func:`~mdown.util.x`"),
        ("see markdown.extensions.toc.", "see mdown.extensions.toc."),
        ("markdown:main", "mdown:main"),
        # left: a distribution, a URL, an HTML attribute, a file, a host, a longer name
        ("pip install markdown", "pip install markdown"),
        ("https://github.com/example/markdown/", "https://github.com/example/markdown/"),
        ('<div markdown="1">', '<div markdown="1">'),
        ("markdown.py and markdown.github.io", "markdown.py and markdown.github.io"),
        ("markdown_extensions:", "markdown_extensions:"),
        ("python-markdown.x and markdownx.y", "python-markdown.x and markdownx.y"),
        ("Markdown is a markdown parser", "Markdown is a markdown parser"),
    ],
)
def test_module_references_in_text(line: str, after: str) -> None:
    assert rewrite_references(line, "markdown", "mdown")[0] == after


def test_an_ini_source_setting_names_a_module() -> None:
    assert rewrite_references("source = markdown", "markdown", "m2", ini=True)[0] == "source = m2"
    assert rewrite_references("source = markdown", "markdown", "m2")[0] == "source = markdown"


def test_what_is_left_is_reported_only_when_it_looks_like_code() -> None:
    assert list(plausible_references("then import markdown and go", "markdown")) == [12]
    assert list(plausible_references("from markdown.util import x", "markdown")) == [5]
    assert list(plausible_references("pip install markdown", "markdown")) == []
    assert list(plausible_references("see click.termui here", "click.termui")) == [4]
    assert list(plausible_references("github.com/x/click.termui", "click.termui")) == []
