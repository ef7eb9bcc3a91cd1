"""`importcanon move` on what a real package's documentation and tooling hold (issue 22:
Python-Markdown renamed ended with failing tests although the move exited 0): doctests in
docstrings and in pages, which must still pass after the move; tox, make, MANIFEST.in,
mkdocs and CI files; release notes that must stay as written; and the recorded contract,
which must keep reporting what the pages still say."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

from tests.helpers import run_cli, write_tree

INIT = '''"""Markdown to HTML.

>>> import markdown
>>> markdown.markdown("*hi*")
'<p><em>hi</em></p>'
"""

from markdown.core import Markdown, markdown

__all__ = ["Markdown", "markdown"]
'''
CORE = '''"""The converter.

>>> from markdown.core import Markdown
>>> type(Markdown())
<class 'markdown.core.Markdown'>
>>> import markdown.util
>>> markdown.util  # doctest: +ELLIPSIS
<module 'markdown.util' from ...>
"""

from markdown.util import MarkdownError


class Markdown:
    def convert(self, text: str) -> str:
        """
        >>> Markdown().convert("")
        Traceback (most recent call last):
          ...
        markdown.util.MarkdownError: empty
        >>> MarkdownError.__module__
        'markdown.util'
        """
        if not text:
            raise MarkdownError("empty")
        return "<p><em>" + text.strip("*") + "</em></p>"


def markdown(text: str) -> str:
    """
    >>> import markdown.util as u
    >>> u.MarkdownError("x")
    MarkdownError('x')
    >>> u.__name__
    'markdown.util'
    >>> markdown("*x*")  # this module's function, not the package
    '<p><em>x</em></p>'
    """
    return Markdown().convert(text)
'''
README = """# Markdown

Install with `pip install markdown`; <div markdown="1">raw</div>; see
https://github.com/example/markdown/ for the source.

```pycon
>>> import markdown
>>> markdown.markdown("*a*")
'<p><em>a</em></p>'

```

Use `markdown.core.Markdown` directly:

```python
from markdown.core import Markdown
html = Markdown().convert("*b*")
```

Run `python -m markdown.cli`, or import markdown in your own code.
"""
USAGE_RST = """Usage
=====

.. doctest::

    >>> from markdown import util
    >>> util.MarkdownError("x")
    MarkdownError('x')

A literal block::

    >>> import markdown.core
    >>> markdown.core.markdown("*c*")
    '<p><em>c</em></p>'

.. code-block:: python

    import markdown
    markdown.markdown("*d*")

.. automodule:: markdown.core

See :mod:`markdown` and :func:`~markdown.core.markdown`.
"""
PARTIAL_MD = """# Partial examples

```pycon
>>> from markdown.core import Markdown
>>> md = Markdown(
>>> markdown.core.Markdown(
```
"""
RELEASE = """title: Release Notes for v3.4

# Python-Markdown 3.4 Release Notes

The `markdown.util.etree` module was removed; see src/markdown/util.py and
`markdown.core`.
"""
TOX = """[tox]
envlist = py3

[testenv]
commands =
    coverage run --source=markdown -m unittest discover
    python -m markdown.cli --help
    flake8 markdown tests
    pytest --cov=markdown --doctest-modules src/markdown
"""
MAKEFILE = "test:\n\tpython -m markdown README.md\n\tpytest --cov=markdown src/markdown\n"
WORKFLOW = """name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: pip install markdown
      - run: python -m pytest --cov=markdown --doctest-modules src/markdown
"""
FILES = {
    "pyproject.toml": '[project]\nname = "markdown"\nversion = "3.4"\n\n'
    '[tool.importcanon]\nroot_packages = ["markdown"]\n',
    "src/markdown/__init__.py": INIT,
    "src/markdown/core.py": CORE,
    "src/markdown/util.py": 'class MarkdownError(Exception):\n    """An error."""\n',
    "src/markdown/cli.py": "def main() -> None:\n    pass\n",
    "README.md": README,
    "docs/usage.rst": USAGE_RST,
    "docs/partial.md": PARTIAL_MD,
    "docs/reference.md": "# Reference\n\n::: markdown.core\n",
    "docs/change_log/release-3.4.md": RELEASE,
    "tox.ini": TOX,
    "Makefile": MAKEFILE,
    "MANIFEST.in": "graft src/markdown\ninclude markdown/py.typed\n",
    "mkdocs.yml": "site_name: Markdown\nmarkdown_extensions:\n  - toc\nwatch:\n  - src/markdown\n",
    ".github/workflows/ci.yml": WORKFLOW,
}


def doctests(project: Path, code: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=project,
        env={**env, "PYTHONPATH": str(project / "src")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def moved(tmp_path: Path) -> tuple[Path, str]:
    project = write_tree(tmp_path / "p", FILES)
    before = "import doctest, markdown.core as m; assert not doctest.testmod(m).failed"
    assert doctests(project, before).returncode == 0  # the examples pass before the move
    result = run_cli("move", "markdown", "mdown", cwd=project)
    assert result.code == 0, result.stderr
    return project, result.stdout


def test_docstring_doctests_pass_after_the_move(tmp_path: Path) -> None:
    project, _ = moved(tmp_path)
    for module in ("mdown", "mdown.core"):
        code = f"import doctest, {module} as m; r = doctest.testmod(m); assert not r.failed, r"
        run = doctests(project, code)
        assert run.returncode == 0, run.stdout + run.stderr
    pytest_run = doctests(
        project, "import pytest, sys; sys.exit(pytest.main(['-q', '--doctest-modules', 'src']))"
    )
    assert pytest_run.returncode == 0, pytest_run.stdout + pytest_run.stderr


def test_doctests_in_pages_pass_after_the_move(tmp_path: Path) -> None:
    project, _ = moved(tmp_path)
    for page in ("README.md", "docs/usage.rst"):
        code = (
            "import doctest; "
            f"r = doctest.testfile({page!r}, module_relative=False); assert not r.failed, r"
        )
        run = doctests(project, code)
        assert run.returncode == 0, run.stdout + run.stderr
    readme = (project / "README.md").read_text()
    assert "from mdown.core import Markdown\nhtml = Markdown()" in readme
    assert "`mdown.core.Markdown`" in readme and "python -m mdown.cli" in readme
    # a distribution name, an HTML attribute, a URL: not module references
    assert "pip install markdown" in readme and 'markdown="1"' in readme
    assert "github.com/example/markdown/" in readme
    usage = (project / "docs/usage.rst").read_text()
    assert "    import mdown\n    mdown.markdown(" in usage
    assert ".. automodule:: mdown.core" in usage
    assert ":mod:`mdown`" in usage and ":func:`~mdown.core.markdown`" in usage
    assert (project / "docs/reference.md").read_text() == "# Reference\n\n::: mdown.core\n"


def test_an_example_that_does_not_parse_is_rewritten_where_it_can_and_reported(
    tmp_path: Path,
) -> None:
    project, out = moved(tmp_path)
    partial = (project / "docs/partial.md").read_text()
    assert ">>> from mdown.core import Markdown\n" in partial
    assert ">>> markdown.core.Markdown(\n" in partial
    assert re.search(r"docs/partial\.md:6:\d+: IMC003 not rewritten .*markdown\.core", out), out
    # prose that names the package in a code way is reported, not guessed at
    assert re.search(r"README\.md:\d+:\d+: IMC003 not rewritten \(code in text\)", out), out


def test_tool_files_follow_the_move(tmp_path: Path) -> None:
    project, out = moved(tmp_path)
    tox = (project / "tox.ini").read_text()
    assert "coverage run --source=mdown -m unittest" in tox
    assert "python -m mdown.cli --help" in tox
    assert "pytest --cov=mdown --doctest-modules src/mdown" in tox
    assert "flake8 markdown tests" in tox  # a bare word: maybe the folder, maybe not
    assert re.search(r"tox\.ini:8:\d+: IMC003 not rewritten", out), out
    assert (project / "Makefile").read_text() == (
        "test:\n\tpython -m mdown README.md\n\tpytest --cov=mdown src/mdown\n"
    )
    assert (project / "MANIFEST.in").read_text() == "graft src/mdown\ninclude mdown/py.typed\n"
    mkdocs = (project / "mkdocs.yml").read_text()
    assert "markdown_extensions:" in mkdocs and "  - src/mdown\n" in mkdocs
    workflow = (project / ".github/workflows/ci.yml").read_text()
    assert "pip install markdown\n" in workflow
    assert "--cov=mdown --doctest-modules src/mdown\n" in workflow


def test_release_notes_stay_as_written_and_the_contract_checks_the_pages(
    tmp_path: Path,
) -> None:
    project, out = moved(tmp_path)
    assert (project / "docs/change_log/release-3.4.md").read_text() == RELEASE
    assert "release-3.4" not in out
    contract = tomllib.loads((project / "contracts/moves.toml").read_text())["contract"][0]
    globs = contract["text_files"]
    assert "README*" in globs and "docs/**/*.rst" in globs
    assert {"docs/partial.md", "docs/reference.md", "tox.ini", "Makefile", "mkdocs.yml"} <= set(
        globs
    )
    assert ".github/workflows/*.yml" in globs
    assert not any("change_log" in g or g == "docs/**/*.md" for g in globs)


def test_the_summary_counts_references_and_files_consistently(tmp_path: Path) -> None:
    _, out = moved(tmp_path)
    match = re.search(r"rewrote (\d+) references in (\d+) files; moved (\d+) files", out)
    assert match is not None, out
    references, files, moved_files = (int(g) for g in match.groups())
    assert references >= files > 0
    assert moved_files == 4
