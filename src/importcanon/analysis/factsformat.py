"""Per-file facts as plain JSON values, and back (checked as cacheformat checks)."""

from __future__ import annotations

from typing import Any

from importcanon.analysis.cacheformat import (
    _bool,
    _int,
    _ints,
    _list,
    _name,
    _opt_str,
    _str,
    _strs,
)
from importcanon.model.facts import Binding, FileFacts, ImportStmt, Span


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
        imports=tuple(_import(v) for v in _list(imports)),
        syntax_error=_syntax_error(error),
        defined=frozenset(_strs(defined)),
        bindings=tuple(_binding(v) for v in _list(bindings)),
        star_imports=tuple(_int(v) for v in _list(stars)),
        all_names=None if all_names is None else _strs(all_names),
        all_extends=_strs(extends),
        used_names=frozenset(_strs(used)),
        shim=_bool(shim),
        noqa=tuple((_int(row), _str(text)) for row, text in (_list(p, 2) for p in _list(noqa))),
        first_width=_int(width),
    )


def _import(value: Any) -> ImportStmt:
    span, module, level, names, base, in_function, type_checking, module_level = _list(value, 8)
    row, col, end_row, end_col = _ints(span, 4)
    return ImportStmt(
        span=Span(row, col, end_row, end_col),
        module=None if module is None else _name(module),
        level=_int(level),
        names=tuple((_name(n), _opt_str(a)) for n, a in (_list(p, 2) for p in _list(names))),
        base=None if base is None else _name(base),
        in_function=_bool(in_function),
        type_checking=_bool(type_checking),
        module_level=_bool(module_level),
    )


def _syntax_error(value: Any) -> tuple[int, int, str] | None:
    if value is None:
        return None
    row, col, message = _list(value, 3)
    return (_int(row), _int(col), _str(message))


def _binding(value: Any) -> Binding:
    name, source, original, stmt = _list(value, 4)
    return Binding(_name(name), _name(source), _opt_str(original), _int(stmt))
