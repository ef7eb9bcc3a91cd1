"""Import-statement edits made from the statement's own text, without libcst.

The common layouts, a statement on one line, in parentheses over several (comments
inside them included) or continued by backslashes between its names, are rewritten with
a few regular expressions in microseconds. Any other layout (and any shape these
expressions do not recognise) returns None, and the caller asks ``fixes.cst_edits``,
which parses the statement with libcst. For every
statement this module handles, both give the same text: tests/unit/test_fix_text.py
proves it on generated statements, tests/realworld/test_fix_text_agreement.py on every
import statement of the real-world corpora.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from importcanon.model.diagnostic import Edit, Location, ReplaceModule, SplitName

Span4 = tuple[int, int, int, int]

_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
_DOTTED = rf"{_IDENT}(?:\.{_IDENT})*"
# (``(?![ \t])``: the spaces after ``from`` are all taken or the match fails, so a
# statement it does not match is given up in time linear in its spaces, not quadratic.)
_FROM = re.compile(
    rf"from(?P<after_from>[ \t]*)(?![ \t])(?P<dots>\.*)(?P<module>{_DOTTED})?"
    r"(?P<before_import>[ \t]+)import(?P<after_import>[ \t]+)(?P<names>.*)",
    re.ASCII | re.DOTALL,
)
_IMPORT = re.compile(r"import(?P<after_import>[ \t]+)(?P<names>.*)", re.ASCII | re.DOTALL)
# Between names: spaces and backslash continuations; inside parentheses also newlines
# and comments (a comment runs to its line's end, commas and parentheses in it included).
_BARE_GAP = r"(?:[ \t]|\\\n)*"
_PARENTHESISED_GAP = r"(?:[ \t\n]|\\\n|\#[^\n]*\n)*"


def _alias_pattern(gap: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?P<lead>{gap})(?P<name>{_DOTTED})"
        rf"(?P<rest>(?:[ \t]+as[ \t]+(?P<asname>{_IDENT}))?)(?P<trail>{gap})",
        re.ASCII,
    )


_BARE_ALIAS = _alias_pattern(_BARE_GAP)
_PARENTHESISED_ALIAS = _alias_pattern(_PARENTHESISED_GAP)
_PARENTHESISED_END = re.compile(_PARENTHESISED_GAP)
_LAYOUT_NEEDS_CST = re.compile(r"[\r;]")
# What may follow a statement on its last line if the logical line is to end there: no
# bracket, quote or backslash before a comment (a conservative test, tokenizer-free).
_ENDS_LOGICAL_LINE = re.compile(r"[^(\[{'\"\\#]*(?:#.*)?")


@dataclass(frozen=True)
class _Alias:
    lead: str  # whitespace before it (after the comma before it)
    name: str
    rest: str  # ` as x`, as written, or empty
    asname: str | None
    trail: str  # whitespace between it and the comma after it

    @property
    def core(self) -> str:
        return self.name + self.rest


@dataclass(frozen=True)
class _Names:
    """The names of a statement: ``a, b as c`` or ``(a, b as c,)``, whitespace and all."""

    aliases: list[_Alias]
    parenthesised: bool
    after_last: str  # between the last name and ``)``: whitespace, maybe a trailing comma

    def closing(self) -> str:
        return f"{self.after_last})" if self.parenthesised else ""

    @functools.cached_property
    def _joined(self) -> list[str]:
        """Each name with what follows it up to the next name: a comma keeps the
        whitespace around it, whichever name follows it (the last name: none)."""
        aliases = self.aliases
        return [f"{a.core}{a.trail},{b.lead}" for a, b in itertools.pairwise(aliases)]

    def without(self, index: int) -> str:
        """The names after the opening parenthesis, but the one at ``index``: the last
        name left takes what followed the last one."""
        joined, aliases = self._joined, self.aliases
        if index == len(aliases) - 1:
            return "".join(joined[: index - 1]) + aliases[index - 1].core + self.closing()
        rest = joined[index + 1 :]
        return "".join(joined[:index]) + "".join(rest) + aliases[-1].core + self.closing()


def replace_module(action: ReplaceModule, lines: Sequence[str]) -> list[Edit] | None:
    """``ReplaceModule``'s edits, or None when the statement's layout needs libcst."""
    text = _simple_statement(lines, action.stmt)
    if text is None:
        return None
    found = _FROM.fullmatch(text)
    if found is not None:
        names = found["names"]
        if not (found["after_from"] or found["dots"]) or (names != "*" and not _names(names)):
            return None
        head = _from_head(found["after_from"], action.new_module, found["before_import"])
        return [_edit(action.stmt, f"{head}{found['after_import']}{found['names']}")]
    found = _IMPORT.fullmatch(text)
    parsed = _names(found["names"]) if found is not None else None
    if found is None or parsed is None or parsed.parenthesised or action.old_module is None:
        return None
    aliases = parsed.aliases
    old, new = action.old_module, action.new_module
    renamed = [
        _Alias(a.lead, new + a.name[len(old) :], a.rest, a.asname, a.trail)
        if a.name == old or a.name.startswith(old + ".")
        else a
        for a in aliases
    ]
    names = ",".join(a.lead + a.core + a.trail for a in renamed)
    return [_edit(action.stmt, f"import{found['after_import']}{names}")]


def split_name(action: SplitName, lines: Sequence[str]) -> list[Edit] | None:
    """``SplitName``'s edits, or None when the statement's layout needs libcst (or the
    name is not there, which libcst reports)."""
    text = _simple_statement(lines, action.stmt)
    parsed = _from_names(text) if text is not None else None
    if parsed is None:
        return None
    found, names = parsed
    aliases = names.aliases
    index = next(
        (i for i, a in enumerate(aliases) if a.name == action.name and a.asname == action.alias),
        None,
    )
    if index is None:
        return None
    bound = action.alias or action.name
    imported = action.new_name if action.new_name == bound else f"{action.new_name} as {bound}"
    opening = f"({aliases[0].lead}" if names.parenthesised else aliases[0].lead
    if len(aliases) == 1:
        head = _from_head(found["after_from"], action.new_module, found["before_import"])
        new = f"{head}{found['after_import']}{opening}{imported}{names.closing()}"
        return [_edit(action.stmt, new)]
    indent = insertion_indent(lines, action.stmt)
    if indent is None:
        return None  # the logical line holds more than the statement: libcst says no fix
    module = f"{found['dots']}{found['module'] or ''}"
    head = f"from{found['after_from']}{module}{found['before_import']}import"
    end_row = action.stmt[2]
    return [
        _edit(action.stmt, f"{head}{found['after_import']}{opening}{names.without(index)}"),
        Edit(
            f"{indent}from {action.new_module} import {imported}\n",
            Location(end_row + 1, 1),
            Location(end_row + 1, 1),
        ),
    ]


@functools.lru_cache(maxsize=64)  # a statement's names are split out one plan at a time
def _from_names(text: str) -> tuple[dict[str, str], _Names] | None:
    """A ``from`` statement's parts and names, when its layout is one handled here."""
    found = _FROM.fullmatch(text)
    if found is None or not (found["after_from"] or found["dots"]):
        return None
    names = _names(found["names"])
    return None if names is None else (found.groupdict(""), names)


def insertion_indent(lines: Sequence[str], span: Span4) -> str | None:
    """The statement's indentation, when a line of that indentation inserted right after
    it is a statement of its own in the same block: the statement starts its logical line
    (no code before it, no backslash at the end of the line above) and its logical line
    ends on its last row (after it at most a comment, or statements opening no bracket,
    string or continuation). None otherwise: no fix."""
    row, col, end_row, end_col = span
    indent = lines[row - 1][: col - 1]
    if indent.strip() or (row > 1 and lines[row - 2].endswith("\\")):
        return None
    return indent if _ENDS_LOGICAL_LINE.fullmatch(lines[end_row - 1], end_col - 1) else None


def snippet(lines: Sequence[str], span: Span4) -> str:
    """The text of ``span`` in ``lines``, its lines joined by ``\\n``."""
    row, col, end_row, end_col = span
    if row == end_row:
        return lines[row - 1][col - 1 : end_col - 1]
    parts = [
        lines[row - 1][col - 1 :],
        *lines[row : end_row - 1],
        lines[end_row - 1][: end_col - 1],
    ]
    return "\n".join(parts)


def _simple_statement(lines: Sequence[str], span: Span4) -> str | None:
    """The statement's text when it holds nothing libcst must interpret."""
    if not 0 < span[0] <= span[2] <= len(lines):
        return None
    text = snippet(lines, span)
    if _LAYOUT_NEEDS_CST.search(text):
        return None
    return text


def _names(text: str) -> _Names | None:
    """The names of ``a, b as c`` or ``(a, b as c,)``; None for any other shape."""
    parenthesised = len(text) > 1 and text[0] == "(" and text[-1] == ")"
    inner = text[1:-1] if parenthesised else text
    alias_pattern = _PARENTHESISED_ALIAS if parenthesised else _BARE_ALIAS
    found: list[_Alias] = []
    after_last = ""
    at = 0
    while True:
        alias = alias_pattern.match(inner, at)
        if alias is None:
            return None
        found.append(
            _Alias(alias["lead"], alias["name"], alias["rest"], alias["asname"], alias["trail"])
        )
        at = alias.end()
        if at == len(inner):
            break
        if inner[at] != ",":
            return None
        at += 1
        if parenthesised and _PARENTHESISED_END.fullmatch(inner, at) is not None:
            after_last = "," + inner[at:]  # a trailing comma, and what follows it
            break
    if found[-1].trail and not parenthesised:
        return None
    return _Names(found, parenthesised, found[-1].trail + after_last)


def _from_head(after_from: str, module: str, before_import: str) -> str:
    """``from <module> import``, absolute, with a space after ``from``."""
    return f"from{after_from or ' '}{module}{before_import}import"


def _edit(span: Span4, content: str) -> Edit:
    row, col, end_row, end_col = span
    return Edit(content, Location(row, col), Location(end_row, end_col))
