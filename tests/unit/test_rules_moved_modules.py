"""IMC001-IMC004 on the in-memory view; text is read only as the kind declares."""

from __future__ import annotations

import pytest

from importcanon.analysis.cacheformat import _plan, plan_to_plain
from importcanon.model.diagnostic import Diagnostic, FixPlan, RewriteDotted
from importcanon.model.paths import follow
from importcanon.rules.base import Context
from importcanon.rules.memory import MemoryView, check, contract
from importcanon.rules.moved_modules import KIND
from importcanon.rules.view import TextNotDeclared

SOURCES = {
    "app/__init__.py": "",
    "app/ema.py": "class EMA: ...\n",
    "app/training/__init__.py": "",
    "app/training/ema.py": "class EMA: ...\n",
    "app/user.py": 'from app.ema import EMA\nNAME = "app.ema"  # app.ema in a comment\n',
    "README.md": "See app/ema.py and app.ema.\n",
}
MOVES = {"moves": {"app.ema": "app.training.ema"}, "text_files": ["README.md"]}


def _codes(options: dict[str, object]) -> list[tuple[str, str, int]]:
    found = check(KIND, MemoryView(SOURCES), options)
    return [(d.code, d.path.name, d.location.row) for d in found]


def test_legacy_imports_modules_and_references() -> None:
    assert _codes(MOVES) == [
        ("IMC003", "README.md", 1),
        ("IMC003", "README.md", 1),
        ("IMC002", "ema.py", 1),
        ("IMC001", "user.py", 1),
        ("IMC003", "user.py", 2),  # in the string, not in the comment
    ]


def test_a_legacy_import_is_fixed_only_towards_a_module_that_exists() -> None:
    found = check(KIND, MemoryView(SOURCES), MOVES)
    legacy = next(d for d in found if d.code == "IMC001")
    assert legacy.plan is not None and legacy.plan.applicability == "safe"


def test_a_canonical_path_that_does_not_exist() -> None:
    found = _codes({"moves": {"app.ema": "app.trainig.ema"}})
    assert ("IMC004", "c.toml", 1) in found
    legacy = next(d for d in check(KIND, MemoryView(SOURCES), {"moves": {"app.ema": "app.x"}}))
    assert legacy.code != "IMC001" or legacy.plan is None


def test_the_kind_reads_only_the_text_it_declares() -> None:
    assert KIND.needles(contract(KIND, MOVES)) == {b"app.ema"}
    ctx = Context(MemoryView(SOURCES), contract(KIND, MOVES))  # a view with no needles
    with pytest.raises(TextNotDeclared):
        list(KIND.check(ctx, KIND.options_of(ctx.contract)))


# --- IMC003 on a package named like a common word (issue 22, item 7) -------------------

WORD = {
    "newmd/__init__.py": "def markdown(text): ...\n__all__ = ['markdown', 'Markdown']\n",
    "newmd/core.py": "class Markdown: ...\n",
    "newmd/extensions/__init__.py": "",
    "newmd/extensions/toc.py": "",
    "newmd/use.py": (
        '"""Markdown is a text-to-HTML library: pip install markdown.\n\n'
        "    >>> import markdown\n"
        '"""\n'
        "import importlib\n"
        "import logging\n"
        "import sys\n"
        'URL = "https://docs.example.org/project/markdown/"\n'
        'REPO = "github.com/x/markdown"\n'
        'HOST = "https://python-markdown.github.io/reference/"\n'
        'HTML = \'<div markdown="1" class="markdown">\'\n'
        'ALL = ["markdown", "Markdown"]\n'
        'INSTALL = "pip install markdown"\n'
        'EXT = "markdown.extensions.toc"\n'
        'CLS = "markdown.core.Markdown"\n'
        'ENTRY = "markdown.__main__:run"\n'
        'ENTRY2 = "markdown:markdown"\n'
        'MOD = importlib.import_module("markdown")\n'
        'LOG = logging.getLogger("markdown")\n'
        'LOADED = sys.modules["markdown"]\n'
        'PLAIN = "markdown"\n'
        'CMD = "python -m markdown"\n'
    ),
    "README.md": (
        "# Markdown\n"
        "Markdown is a Python implementation of markdown.\n"
        "Install it with `pip install markdown`; see https://docs.example.org/project/markdown/\n"
        "and github.com/x/markdown, or https://python-markdown.github.io/.\n"
        '<div markdown="1">raw</div>\n'
        "Use `markdown.markdown(text)`, or `from markdown import Markdown`.\n"
        "    >>> import markdown\n"
        "The code lives in src/markdown/ and markdown/core.py.\n"
        "You can import markdown files too.\n"
    ),
}
WORD_MOVES = {"moves": {"markdown": "newmd"}, "text_files": ["README.md"]}


def _references(sources: dict[str, str], options: dict[str, object]) -> list[tuple[str, int, str]]:
    found = check(KIND, MemoryView(sources), options)
    lines = {rel: text.splitlines() for rel, text in sources.items()}
    out = []
    for d in found:
        if d.code != "IMC003":
            continue
        rel = d.path.relative_to("/memory").as_posix()
        line = lines[rel][d.location.row - 1]
        out.append((rel, d.location.row, line[d.location.column - 1 :][:16]))
    return out


def test_a_package_named_like_a_word_is_reported_only_where_a_module_is_meant() -> None:
    found = _references(WORD, WORD_MOVES)
    assert found == [
        ("README.md", 6, "markdown.markdow"),  # a dotted path under it
        ("README.md", 6, "markdown import "),  # from markdown import Markdown
        ("README.md", 7, "markdown"),  # >>> import markdown
        ("README.md", 8, "markdown/ and ma"),  # src/markdown/
        ("README.md", 8, "markdown/core.py"),
        ("newmd/use.py", 3, "markdown"),  # a doctest's import
        ("newmd/use.py", 14, "markdown.extensi"),
        ("newmd/use.py", 15, "markdown.core.Ma"),
        ("newmd/use.py", 16, "markdown.__main_"),  # an entry point
        ("newmd/use.py", 17, "markdown:markdow"),
        ("newmd/use.py", 18, 'markdown")'),  # import_module("markdown")
        ("newmd/use.py", 19, 'markdown")'),  # getLogger("markdown")
        ("newmd/use.py", 20, 'markdown"]'),  # sys.modules["markdown"]
        ("newmd/use.py", 22, 'markdown"'),  # python -m markdown
    ]  # not: prose, URLs, host names, HTML attributes, pip install, __all__, "markdown"


def test_a_dotted_legacy_path_is_reported_wherever_it_is_a_token() -> None:
    sources = {
        "app/__init__.py": "",
        "app/training/__init__.py": "",
        "app/training/ema.py": "",
        "app/user.py": (
            '__all__ = ["app.ema"]\n'
            'URL = "https://example.org/app.ema"\n'
            'TEXT = "see app.ema for details"\n'
        ),
    }
    found = _references(sources, {"moves": {"app.ema": "app.training.ema"}})
    assert [(rel, row) for rel, row, _ in found] == [
        ("app/user.py", 1),
        ("app/user.py", 2),
        ("app/user.py", 3),
    ]


def test_file_names_and_kept_names_are_not_references() -> None:
    sources = {
        "new/__init__.py": "",
        "new/use.py": (
            'CATALOG = "old.po"\nDATA = "old.json"\nGROUP = "old.plugins"\nMOD = "old.core"\n'
        ),
    }
    found = _references(sources, {"moves": {"old": "new"}, "keep": ["old.plugins"]})
    assert found == [("new/use.py", 4, 'old.core"')]


# --- chained moves (issue 22, item 9) ------------------------------------------------------

CHAINED = {
    "new/__init__.py": "",
    "new/core.py": "",
    "new/processors/__init__.py": "",
    "new/processors/treeprocessors.py": "class X: ...\n",
    "app/__init__.py": "",
    "app/user.py": (
        "from old.treeprocessors import X\n"
        "import old.treeprocessors\n"
        "from old import treeprocessors\n"
        "from old import core\n"
        'NAME = "old.treeprocessors.X"\n'
    ),
}
FIRST = {"moves": {"old.treeprocessors": "old.processors.treeprocessors"}}
THEN = {"moves": {"old": "new"}}


def _fixes(found: list[Diagnostic]) -> list[tuple[str, int, object]]:
    out: list[tuple[str, int, object]] = []
    for d in found:
        if d.code not in ("IMC001", "IMC003", "IMC004"):
            continue
        action = d.plan.action if d.plan is not None else None
        target = getattr(action, "new_module", None) or getattr(action, "text", None)
        if isinstance(action, RewriteDotted):
            target = action.new
        out.append((d.code, d.location.row, target))
    return out


def test_a_move_of_a_moved_module_is_fixed_to_where_it_ends_in_two_contracts() -> None:
    first = contract(KIND, FIRST, contract_id="first")
    then = check(KIND, MemoryView(CHAINED), THEN, others=[first])
    assert _fixes(then) == [
        ("IMC001", 1, "new.processors.treeprocessors"),
        ("IMC001", 2, "new.processors.treeprocessors"),
        ("IMC001", 3, "new.processors"),  # the name moved apart: split out
        ("IMC001", 4, "new"),
        ("IMC003", 5, "new.processors.treeprocessors.X"),
    ]
    (message,) = [d.message for d in then if d.location.row == 1]
    assert "`old.treeprocessors` to `new.processors.treeprocessors`" in message
    later = contract(KIND, THEN, contract_id="then")
    earlier = check(KIND, MemoryView(CHAINED), FIRST, others=[later])
    assert _fixes(earlier) == [  # no IMC004: the canonical path moved on, and exists there
        ("IMC001", 1, "new.processors.treeprocessors"),
        ("IMC001", 2, "new.processors.treeprocessors"),
        ("IMC001", 3, "new.processors"),
        ("IMC003", 5, "new.processors.treeprocessors"),
    ]
    assert "has moved to `new.processors.treeprocessors`" in earlier[0].message


def test_moves_recorded_by_successive_moves_in_one_contract_compose() -> None:
    # `move old.treeprocessors old.processors.treeprocessors`, then `move old new`
    recorded = {"moves": {"old": "new", "new.treeprocessors": "new.processors.treeprocessors"}}
    assert _fixes(check(KIND, MemoryView(CHAINED), recorded)) == [
        ("IMC001", 1, "new.processors.treeprocessors"),
        ("IMC001", 2, "new.processors.treeprocessors"),
        ("IMC001", 3, "new.processors"),
        ("IMC001", 4, "new"),
        ("IMC003", 5, "new.processors.treeprocessors.X"),
    ]


def test_an_import_of_a_package_fixes_its_uses_along_the_chain() -> None:
    sources = {**CHAINED, "app/user.py": "import old\n\nold.treeprocessors.X()\n"}
    (found,) = check(KIND, MemoryView(sources), THEN, others=[contract(KIND, FIRST)])
    assert found.plan is not None and isinstance(found.plan.action, RewriteDotted)
    assert dict(found.plan.action.chain) == {**FIRST["moves"], **THEN["moves"]}


def test_moves_that_loop_are_reported_without_a_fix() -> None:
    sources = {"a/__init__.py": "", "b/__init__.py": "", "app/__init__.py": "import a\n"}
    back = contract(KIND, {"moves": {"b": "a"}}, contract_id="back")
    found = check(KIND, MemoryView(sources), {"moves": {"a": "b"}}, others=[back])
    assert [(d.code, d.plan) for d in found] == [("IMC002", None), ("IMC001", None)]
    assert "loop: `a` -> `b` -> `a`" in found[1].message


def test_follow_moves_to_their_end() -> None:
    assert follow({"a.b": "a.c.b", "a": "z"}, "a.b.X") == (["a.b.X", "a.c.b.X", "z.c.b.X"], False)
    assert follow({"x.a": "x"}, "x.a.a.f") == (["x.a.a.f", "x.a.f", "x.f"], False)
    assert follow({"a": "b", "b": "a"}, "a.x")[1]
    assert follow({"a": "b.x", "b": "a.y"}, "a.z")[1]  # ever longer: a loop too
    assert follow({"a": "b"}, "c") == (["c"], False)


def test_a_chain_survives_the_result_cache() -> None:
    action = RewriteDotted((1, 1, 1, 11), "old", "new", (("old", "new"), ("new.a", "new.b.a")))
    for chain in (action, RewriteDotted((1, 1, 1, 11), "old", "new")):
        plan = FixPlan("unsafe", "Import from `new`", chain)
        assert _plan(plan_to_plain(plan)) == plan
