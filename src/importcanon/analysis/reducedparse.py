"""The reduced parse: a module's facts without a syntax tree of its top-level ``def`` and
``class`` bodies (analysis/reduced.py finds them in the text), the full parse
(analysis/parse.py) taking over whenever it is unsure. Not what a run uses: measured, it is
no faster (docs/performance.md, "The reduced parse"), so it lives apart from the parser and
no run imports it or compiles its regular expressions; tests prove it equal to
``parse.extract`` and the bench counts its fallbacks."""

from __future__ import annotations

import ast
import symtable

from importcanon.analysis.parse import Collector, extract_with, is_type_checking
from importcanon.analysis.reduced import plan
from importcanon.model.facts import FileFacts


def extract_reduced(
    data: bytes, *, module: str | None, is_init: bool
) -> tuple[FileFacts, str | None]:
    """The same facts as ``parse.extract``, and why it handed the file to the full parse
    (None when it did not)."""
    return extract_with(data, module=module, is_init=is_init, reduced=_reduced_facts)


def _reduced_facts(text: str, lines: list[str], package: str | None) -> FileFacts | str:
    """The facts of a module (not a package) without a syntax tree of its top-level
    bodies, or why not. CPython's own parser checks the whole text first (through
    ``symtable``, which parses as ``ast.parse`` does but builds no tree and is stricter,
    never looser), so a syntax error anywhere is found and reported by the full parse."""
    try:
        symtable.symtable(text, "<unknown>", "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return "not accepted by the compiler"
    found = plan(text)
    if isinstance(found, str):
        return found
    try:
        tree = ast.parse(found.text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return "reduced source does not parse"
    collector = Collector(lines, package, False)
    collector.walk(tree)  # the module-level imports (each stub's body is ``pass``)
    for row, column, source, in_function, tests in found.imports:
        node = _body_import(row, column, source)
        checking = [_test_is_type_checking(test) for test in tests]
        if node is None or None in checking:
            return "body import not understood"
        collector.add_import(node, in_function, any(checking), False)
    # in source order, as the full parse's depth-first walk finds them
    imports = collector.imports
    order = sorted(range(len(imports)), key=lambda i: (imports[i].span.row, imports[i].span.col))
    position = {old: new for new, old in enumerate(order)}
    collector.imports = [imports[i] for i in order]
    collector.index_of = {key: position[i] for key, i in collector.index_of.items()}
    return collector.facts(tree)


def _body_import(row: int, column: int, source: str) -> ast.Import | ast.ImportFrom | None:
    """The import statement at the start of ``source``, which begins at 0-based ``row`` and
    ``column`` (after spaces only) of the file, placed there."""
    try:
        node = ast.parse(source).body[0]
    except (SyntaxError, ValueError, RecursionError, MemoryError, IndexError):
        return None
    if not isinstance(node, ast.Import | ast.ImportFrom) or node.lineno != 1 or node.col_offset:
        return None
    if node.end_lineno == 1 and node.end_col_offset is not None:
        node.end_col_offset += column
    node.lineno, node.col_offset = row + 1, column
    node.end_lineno = (node.end_lineno or 1) + row
    return node


def _test_is_type_checking(test: str) -> bool | None:
    """Whether an ``if`` test's text reads TYPE_CHECKING (None: it is not an expression)."""
    try:
        return is_type_checking(ast.parse(test.strip(), mode="eval").body)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
