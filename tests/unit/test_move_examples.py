"""The example rewriter of `importcanon move` on in-memory text: doctests and code blocks
rewritten by the Python rewrite and put back with their prompts, expected output naming a
moved class, examples that do not parse."""

from __future__ import annotations

import pytest

from importcanon.fixes.move_examples import (
    rewrite_docstrings,
    rewrite_document,
    rewrite_examples,
    rewrite_output,
)
from importcanon.fixes.move_python import Rename

MARKDOWN = Rename("markdown", "mdown")
TERMUI = Rename("click.termui", "click.ui.termui")


def test_a_doctest_is_one_program_with_its_prompts_kept() -> None:
    doc = (
        "Convert.\n\n"
        "    >>> import markdown\n"
        "    >>> markdown.markdown('*a*')\n"
        "    '<p>a</p>'\n"
        "    >>> for _ in [1]:\n"
        "    ...     from markdown.core import Markdown\n"
    )
    result = rewrite_examples(doc, MARKDOWN)
    assert result.text == (
        "Convert.\n\n"
        "    >>> import mdown\n"
        "    >>> mdown.markdown('*a*')\n"
        "    '<p>a</p>'\n"
        "    >>> for _ in [1]:\n"
        "    ...     from mdown.core import Markdown\n"
    )
    assert result.changes == 3 and not result.unsure


def test_a_split_import_gets_a_prompt_for_each_statement() -> None:
    doc = ">>> from click import termui, echo\n>>> termui.x\n1\n"
    result = rewrite_examples(doc, TERMUI)
    assert result.text == (
        ">>> from click.ui import termui\n>>> from click import echo\n>>> termui.x\n1\n"
    )


def test_a_name_the_examples_never_bind_is_the_package() -> None:
    doc = ">>> markdown.util.x\n1\n>>> markdown = None\n"
    assert rewrite_examples(doc, MARKDOWN).text == doc  # bound here: not the package
    free = ">>> markdown.util.x()\n1\n"
    assert rewrite_examples(free, MARKDOWN).text == ">>> mdown.util.x()\n1\n"
    assert rewrite_examples(free, MARKDOWN, bound_elsewhere=True).text == free


@pytest.mark.parametrize(
    ("line", "after"),
    [
        ("<class 'markdown.core.Markdown'>", "<class 'mdown.core.Markdown'>"),
        ("<markdown.core.Markdown object at 0x7f00>", "<mdown.core.Markdown object at 0x7f00>"),
        ("<module 'markdown.util' from '...'>", "<module 'mdown.util' from '...'>"),
        ("<module 'markdown' (namespace)>", "<module 'mdown' (namespace)>"),
        ("markdown.util.Error: bad input", "mdown.util.Error: bad input"),
        ("'markdown.util'", "'mdown.util'"),
        ("markdownx.util.Error: no", "markdownx.util.Error: no"),
        ("'markdown'", "'markdown'"),
        ("markdown: a word", "markdown: a word"),
        ("see markdown.util here", "see markdown.util here"),
    ],
)
def test_expected_output_naming_a_moved_class(line: str, after: str) -> None:
    assert rewrite_output(line, MARKDOWN)[0] == after


def test_an_example_that_does_not_parse_has_its_import_lines_rewritten() -> None:
    doc = (
        ">>> from markdown.core import Markdown\n>>> import markdown\n>>> md = markdown.Markdown(\n"
    )
    result = rewrite_examples(doc, MARKDOWN)
    # `import markdown` would bind another name: the uses could not follow it
    assert result.text == (
        ">>> from mdown.core import Markdown\n>>> import markdown\n>>> md = markdown.Markdown(\n"
    )
    assert [(u.row, u.col) for u in result.unsure] == [(2, 5), (3, 5)]


def test_fenced_and_directive_code_blocks() -> None:
    page = (
        "# Use\n\n"
        "```python\nimport markdown\nmarkdown.markdown(text)\n```\n\n"
        "```bash\npython -c 'import markdown'\n```\n\n"
        "- item\n\n  ```py\n  from markdown import util\n  ```\n"
    )
    result = rewrite_document(page, MARKDOWN, suffix=".md")
    assert result.text == (
        "# Use\n\n"
        "```python\nimport mdown\nmdown.markdown(text)\n```\n\n"
        "```bash\npython -c 'import markdown'\n```\n\n"
        "- item\n\n  ```py\n  from mdown import util\n  ```\n"
    )
    assert 9 not in result.owned  # the shell block is text
    rst = (
        "Title\n=====\n\n.. code-block:: python\n   :linenos:\n\n"
        "   import markdown\n   markdown.x()\n\nText after.\n\n"
        ".. code-block:: console\n\n   $ python -m markdown\n"
    )
    assert rewrite_document(rst, MARKDOWN, suffix=".rst").text == rst.replace(
        "   import markdown\n   markdown.x()", "   import mdown\n   mdown.x()"
    )


def test_docstrings_of_a_python_file() -> None:
    source = (
        'def f():\n    r"""Do.\n\n    >>> from markdown import util\n    """\n\n'
        'X = b""">>> import markdown"""\n'
    )
    result = rewrite_docstrings(source, MARKDOWN)
    assert result.text == source.replace("from markdown import", "from mdown import")
    assert result.changes == 1
