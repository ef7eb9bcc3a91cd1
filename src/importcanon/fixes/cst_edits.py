"""Import-statement edits made with libcst on the statement's own text, so parentheses,
comments and spacing inside it are kept: for the layouts fixes.statement_text leaves to
it. A statement libcst cannot parse, or one that is not what the plan expects, raises
ValueError (no fix)."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import libcst as cst

from importcanon.fixes.move_python import Rename, rewrite_import
from importcanon.fixes.statement_text import insertion_indent, snippet
from importcanon.model.diagnostic import Edit, Location, ReplaceModule, RewriteDotted, SplitName

Span4 = tuple[int, int, int, int]
_EMPTY = cst.Module([])


def _edit(span: Span4, content: str) -> Edit:
    row, col, end_row, end_col = span
    return Edit(content, Location(row, col), Location(end_row, end_col))


def _statement(lines: Sequence[str], span: Span4) -> cst.BaseSmallStatement:
    return _parsed(snippet(lines, span))


@functools.lru_cache(maxsize=64)  # a statement's names are split out one plan at a time
def _parsed(text: str) -> cst.BaseSmallStatement:
    """The one import statement in ``text`` (libcst's nodes are immutable: shared)."""
    try:
        parsed = cst.parse_statement(text)
    except cst.ParserSyntaxError as exc:
        raise ValueError(str(exc)) from None
    if not isinstance(parsed, cst.SimpleStatementLine) or len(parsed.body) != 1:
        raise ValueError("not a single import statement")
    return parsed.body[0]


def dotted(name: str) -> cst.Attribute | cst.Name:
    parts = name.split(".")
    node: cst.Attribute | cst.Name = cst.Name(parts[0])
    for part in parts[1:]:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


def _name_of(node: cst.BaseExpression) -> str:
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        raise ValueError("not a dotted name")
    parts.append(node.value)
    return ".".join(reversed(parts))


def _code(node: cst.CSTNode) -> str:
    return _EMPTY.code_for_node(node)


def replace_module(action: ReplaceModule, lines: Sequence[str]) -> list[Edit]:
    node = _statement(lines, action.stmt)
    new: cst.CSTNode
    if isinstance(node, cst.ImportFrom):
        new = _from_module(node, action.new_module)
    elif isinstance(node, cst.Import) and action.old_module:
        new = node.with_changes(names=_renamed(node.names, action.old_module, action.new_module))
    else:
        raise ValueError("unexpected statement")
    return [_edit(action.stmt, _code(new))]


def _from_module(node: cst.ImportFrom, module: str) -> cst.ImportFrom:
    """``from <module> import ...``: absolute, with a space after ``from``."""
    space = node.whitespace_after_from
    if not space.value:
        space = cst.SimpleWhitespace(" ")
    return node.with_changes(module=dotted(module), relative=[], whitespace_after_from=space)


def _renamed(names: Sequence[cst.ImportAlias], old: str, new: str) -> list[cst.ImportAlias]:
    out = []
    for alias in names:
        name = _name_of(alias.name)
        if name == old or name.startswith(old + "."):
            alias = alias.with_changes(name=dotted(new + name[len(old) :]))
        out.append(alias)
    return out


def split_name(action: SplitName, lines: Sequence[str]) -> list[Edit]:
    node = _statement(lines, action.stmt)
    if not isinstance(node, cst.ImportFrom) or isinstance(node.names, cst.ImportStar):
        raise ValueError("not a from-import of names")
    bound = action.alias or action.name
    keep: list[cst.ImportAlias] = []
    moved: cst.ImportAlias | None = None
    for alias in node.names:
        asname = alias.asname.name.value if alias.asname else None  # type: ignore[union-attr]
        if moved is None and _name_of(alias.name) == action.name and asname == action.alias:
            moved = alias
        else:
            keep.append(alias)
    if moved is None:
        raise ValueError("name not found")
    new_alias = moved.with_changes(
        name=cst.Name(action.new_name),
        asname=None if action.new_name == bound else cst.AsName(name=cst.Name(bound)),
    )
    if not keep:  # the only name: rewrite in place, keeping parentheses and comments
        new = _from_module(node, action.new_module).with_changes(names=[new_alias])
        return [_edit(action.stmt, _code(new))]
    indent = insertion_indent(lines, action.stmt)
    if indent is None:  # a line inserted after it would not be a statement of its own
        raise ValueError("the statement shares its logical line")
    last = keep[-1]
    if node.rpar is None:  # no parentheses: no trailing comma allowed
        keep[-1] = last.with_changes(comma=cst.MaybeSentinel.DEFAULT)
    elif moved is node.names[-1]:
        keep[-1] = last.with_changes(comma=moved.comma)
    remaining = node.with_changes(names=keep)
    plain = new_alias.with_changes(comma=cst.MaybeSentinel.DEFAULT)
    added = cst.ImportFrom(module=dotted(action.new_module), names=[plain])
    end_row = action.stmt[2]
    return [
        _edit(action.stmt, _code(remaining)),
        Edit(f"{indent}{_code(added)}\n", Location(end_row + 1, 1), Location(end_row + 1, 1)),
    ]


def rewrite_dotted(action: RewriteDotted, lines: Sequence[str]) -> list[Edit]:
    """``import old[.sub]`` -> ``import new[.sub]`` and every use of the name it binds,
    with `importcanon move`'s engine (``move_python.rewrite_import``); ValueError when a
    use cannot be rewritten safely."""
    rename = Rename(action.old, action.new, chain=action.chain)
    text = "\n".join(lines)
    found = rewrite_import(text, stmt=action.stmt[:2], rename=rename)
    return [_edit((row, col, end_row, end_col), new) for row, col, end_row, end_col, new in found]
