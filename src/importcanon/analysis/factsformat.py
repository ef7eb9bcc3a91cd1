"""Per-file facts as plain JSON values, and back (checked as cacheformat checks).

A warm run that re-checks a project decodes the facts of every file, so the checks work a
column at a time: each field of every import (and of every binding) is gathered with
``zip`` and its types compared as a set, at C speed, before any record is made.
"""

from __future__ import annotations

import sys
from itertools import chain
from typing import Any

from importcanon.analysis.cacheformat import Invalid, _bool, _int, _list, _str, records
from importcanon.model.facts import Binding, FileFacts, ImportStmt, Span

_STR: frozenset[type] = frozenset({str})
_INT: frozenset[type] = frozenset({int})
_BOOL: frozenset[type] = frozenset({bool})
_LIST: frozenset[type] = frozenset({list})
_OPT_STR: frozenset[type] = frozenset({str, type(None)})
_OPT_LIST: frozenset[type] = frozenset({list, type(None)})


def facts_to_plain(facts: FileFacts) -> list[Any]:
    return [
        [
            [
                list(s.span.tuple),
                s.module,
                s.level,
                [list(pair) for pair in s.names],
                s.base,
                s.in_function,
                s.type_checking,
                s.module_level,
            ]
            for s in facts.imports
        ],
        list(facts.syntax_error) if facts.syntax_error is not None else None,
        sorted(facts.defined),
        [[b.name, b.source, b.original, b.stmt] for b in facts.bindings],
        list(facts.star_imports),
        list(facts.all_names) if facts.all_names is not None else None,
        list(facts.all_extends),
        sorted(facts.used_names),
        facts.shim,
        [list(pair) for pair in facts.noqa],
        facts.first_width,
    ]


def facts_from_plain(value: Any) -> FileFacts:
    (imports, error, defined, bindings, stars, all_names, extends, used, shim, noqa, width) = _list(
        value, 11
    )
    return FileFacts(
        imports=_imports(imports),
        syntax_error=_syntax_error(error),
        defined=frozenset(_names(defined)),
        bindings=_bindings(bindings),
        star_imports=tuple(_column(stars, _INT)),
        all_names=None if all_names is None else _names(all_names),
        all_extends=_names(extends),
        used_names=frozenset(_names(used)),
        shim=_bool(shim),
        noqa=_noqa(noqa),
        first_width=_int(width),
    )


def _types(*columns: Any) -> set[type]:
    """The types of the items of every column."""
    found: set[type] = set()
    for column in columns:
        found.update(map(type, column))
    return found


def _column(value: Any, kinds: frozenset[type]) -> list[Any]:
    """``value``: a list whose every item is of one of ``kinds``."""
    if type(value) is not list or not _types(value) <= kinds:
        raise Invalid("not a list of the right type")
    return value


def _rows(value: Any, size: int) -> list[tuple[Any, ...]]:
    """The columns of a list of lists of ``size`` items ([] when it has no row)."""
    _column(value, _LIST)
    if not value:
        return []
    if set(map(len, value)) != {size}:
        raise Invalid("not rows of the right size")
    return list(zip(*value, strict=True))


def _names(value: Any) -> tuple[str, ...]:
    """Dotted names, interned as the parser interns them (names recur across files)."""
    return tuple(map(sys.intern, _column(value, _STR)))


def _imports(value: Any) -> tuple[ImportStmt, ...]:
    columns = _rows(value, 8)
    if not columns:
        return ()
    spans, modules, levels, names, bases, in_function, type_checking, module_level = columns
    corners = _rows(list(spans), 4)
    pairs = list(chain.from_iterable(_column(list(names), _LIST)))
    firsts: tuple[Any, ...] = ()
    aliases: tuple[Any, ...] = ()
    if pairs:
        firsts, aliases = _rows(pairs, 2)
        if not (_types(firsts) <= _STR and _types(aliases) <= _OPT_STR):
            raise Invalid("not imported names")
    if not (
        _types(*corners) <= _INT
        and _types(modules, bases) <= _OPT_STR
        and _types(levels) <= _INT
        and _types(in_function, type_checking, module_level) <= _BOOL
    ):
        raise Invalid("not an import")
    intern = sys.intern
    listed = _split(tuple(zip(map(intern, firsts), aliases, strict=True)), names)
    return tuple(
        records(
            ImportStmt,
            [
                records(Span, corners),
                [None if m is None else intern(m) for m in modules],
                levels,
                listed,
                [None if b is None else intern(b) for b in bases],
                in_function,
                type_checking,
                module_level,
            ],
        )
    )


def _syntax_error(value: Any) -> tuple[int, int, str] | None:
    if value is None:
        return None
    row, col, message = _list(value, 3)
    return (_int(row), _int(col), _str(message))


def _bindings(value: Any) -> tuple[Binding, ...]:
    columns = _rows(value, 4)
    if not columns:
        return ()
    names, sources, originals, stmts = columns
    if not (
        _types(names, sources) <= _STR and _types(originals) <= _OPT_STR and _types(stmts) <= _INT
    ):
        raise Invalid("not a binding")
    intern = sys.intern
    return tuple(
        records(Binding, [list(map(intern, names)), list(map(intern, sources)), originals, stmts])
    )


def _noqa(value: Any) -> tuple[tuple[int, str], ...]:
    columns = _rows(value, 2)
    if not columns:
        return ()
    rows, texts = columns
    if not (_types(rows) <= _INT and _types(texts) <= _STR):
        raise Invalid("not noqa rows")
    return tuple(zip(rows, texts, strict=True))


def facts_table(table: Any) -> dict[str, FileFacts]:
    """The facts of a whole shard (content digest -> facts) checked together, a column
    of every file at a time (a few set comparisons per shard rather than per file);
    Invalid when any entry is odd (the caller then decodes them one by one)."""
    if type(table) is not dict or not _types(table) <= _STR:
        raise Invalid("not a table of facts")
    if not table:
        return {}
    (imports, errors, defined, bindings, stars, all_names, extends, used, shim, noqa, width) = (
        _rows(list(table.values()), 11)
    )
    named = [v for v in all_names if v is not None]
    if not (
        _types(defined, bindings, stars, extends, used, noqa, imports) <= _LIST
        and _types(all_names) <= _OPT_LIST
        and _types(chain.from_iterable(chain(defined, extends, used, named))) <= _STR
        and _types(chain.from_iterable(stars)) <= _INT
        and _types(shim) <= _BOOL
        and _types(width) <= _INT
    ):
        raise Invalid("not a table of facts")
    made = _split(_imports(list(chain.from_iterable(imports))), imports)
    bound = _split(_bindings(list(chain.from_iterable(bindings))), bindings)
    marks = _split(_noqa(list(chain.from_iterable(noqa))), noqa)
    intern = sys.intern
    made_facts = records(
        FileFacts,
        [
            made,
            list(map(_syntax_error, errors)),
            [frozenset(map(intern, v)) for v in defined],
            bound,
            list(map(tuple, stars)),
            [None if v is None else tuple(map(intern, v)) for v in all_names],
            [tuple(map(intern, v)) for v in extends],
            [frozenset(map(intern, v)) for v in used],
            shim,
            marks,
            width,
        ],
    )
    return dict(zip(table, made_facts, strict=True))


def _split(items: tuple[Any, ...], lists: tuple[list[Any], ...]) -> list[tuple[Any, ...]]:
    """``items`` (the items of ``lists`` one after the other) cut back into one tuple per
    list."""
    out, start = [], 0
    for listed in lists:
        end = start + len(listed)
        out.append(items[start:end])
        start = end
    return out
