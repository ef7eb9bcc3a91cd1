"""The text path for import-statement fixes against the libcst path, on every import
statement of the real-world corpora: a module replaced (IMC001, IMC201, IMC202), and the
first, a middle and the last name split out (IMC001, IMC102). Where the text path
answers, the edits must be identical; the share it answers is written to
.cache/fix-text-<package>.json."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

import pytest

from importcanon.analysis.parse import extract
from importcanon.analysis.source import decode, split_lines
from importcanon.fixes import cst_edits, statement_text
from importcanon.model.diagnostic import Edit, ReplaceModule, SplitName
from tests.realworld.corpus import PACKAGES, ROOT, install

pytestmark = pytest.mark.realworld

Path4 = tuple[int, int, int, int]


def _cst(call: Callable[..., list[Edit]], action: object, lines: Sequence[str]) -> object:
    try:
        return call(action, lines)
    except (ValueError, IndexError):
        return None


@pytest.mark.parametrize("package", PACKAGES)
def test_text_fixes_equal_libcst_fixes(package: str) -> None:
    folder = install(package)
    compared = answered = 0
    disagreements: list[str] = []
    for path in sorted((folder / package).rglob("*.py")):
        data = path.read_bytes()
        facts = extract(data, module=None, is_init=path.name == "__init__.py")
        if facts.syntax_error is not None:
            continue
        lines = split_lines(decode(data))
        for stmt in facts.imports:
            span: Path4 = stmt.span.tuple
            actions: list[tuple[object, Callable[..., object], Callable[..., list[Edit]]]] = []
            if stmt.is_from:
                actions.append(
                    (
                        ReplaceModule(span, "canon.mod"),
                        statement_text.replace_module,
                        cst_edits.replace_module,
                    )
                )
                names = stmt.names if stmt.names and stmt.names[0][0] != "*" else ()
                for name, alias in {names[0], names[len(names) // 2], names[-1]} if names else ():
                    actions.append(
                        (
                            SplitName(span, name, alias, "canon.mod", "renamed"),
                            statement_text.split_name,
                            cst_edits.split_name,
                        )
                    )
            else:
                old = stmt.names[0][0].split(".")[0]
                actions.append(
                    (
                        ReplaceModule(span, "canon.mod", old_module=old),
                        statement_text.replace_module,
                        cst_edits.replace_module,
                    )
                )
            for action, by_text, by_cst in actions:
                compared += 1
                found = by_text(action, lines)
                if found is None:
                    continue
                answered += 1
                if found != _cst(by_cst, action, lines):
                    rel = path.relative_to(folder).as_posix()
                    disagreements.append(f"{rel}:{span[0]}: {action!r}")
    share = answered / compared
    (ROOT / ".cache" / f"fix-text-{package}.json").write_text(
        json.dumps({"compared": compared, "answered_by_text": answered, "share": share})
    )
    assert not disagreements, disagreements[:10]
    assert share > 0.8, f"the text path answered only {share:.1%} of {compared}"
