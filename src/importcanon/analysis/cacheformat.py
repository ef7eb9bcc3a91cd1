"""The cache's records as plain values (lists, strings, integers...), and back.

Everything read from a cache file is untrusted: every value is checked for its type and
shape while it is turned back into a record, and anything odd raises ``Invalid`` (a cache
miss for the caller). Records are lists of their fields, in order.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import sys
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

from importcanon.analysis.plain import plain
from importcanon.model.diagnostic import (
    Action,
    Diagnostic,
    Edit,
    Fix,
    FixPlan,
    Location,
    ReplaceModule,
    ReplaceText,
    RewriteDotted,
    SplitName,
)
from importcanon.model.record import Value


class Invalid(ValueError):
    """A cache value that is not what importcanon writes."""


R = TypeVar("R")


def records(cls: type[R], columns: Sequence[Sequence[Any]]) -> list[R]:
    """``cls(*row)`` for each row of ``columns`` (a column per field, in order, checked
    by the caller), made a field at a time: a warm run rebuilds records by the hundred
    thousand, and a frozen dataclass's ``__init__`` runs Python code for each one, where
    filling one slot of every record is a loop in C. Invalid when the columns are not
    all of one length, one per field."""
    setters = _setters(cast(type, cls))
    size = len(columns[0]) if columns else 0
    if len(columns) != len(setters) or any(len(column) != size for column in columns):
        raise Invalid("not a column per field")
    made = cast("list[R]", list(map(object.__new__, itertools.repeat(cls, size))))
    for setter, column in zip(setters, columns, strict=True):
        deque(map(setter, made, column), maxlen=0)
    return made


@functools.cache
def _setters(cls: type) -> tuple[Callable[[Any, Any], None], ...]:
    """The slot setters of a frozen, slotted record class whose ``__init__`` only sets its
    fields (no ``__post_init__``), in field order."""
    names: tuple[str, ...] = (
        cls.__slots__  # (a record written by hand: its fields are its slots)
        if issubclass(cls, Value)
        else tuple(item.name for item in dataclasses.fields(cast(Any, cls)))
    )
    if getattr(cls, "__slots__", None) != names or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} is not a plain slotted record")
    return tuple(getattr(cls, name).__set__ for name in names)


def _int(value: Any) -> int:
    if type(value) is not int:
        raise Invalid("not an integer")
    return value


def _str(value: Any) -> str:
    if type(value) is not str:
        raise Invalid("not a string")
    return value


def _name(value: Any) -> str:
    """A dotted name, interned as the parser interns it (names recur across files)."""
    return sys.intern(_str(value))


def _opt_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise Invalid("not a boolean")
    return value


def _list(value: Any, size: int | None = None) -> list[Any]:
    if type(value) is not list or (size is not None and len(value) != size):
        raise Invalid("not a list of the right size")
    return value


def _ints(value: Any, size: int) -> tuple[int, ...]:
    if type(value) is not list or len(value) != size:
        raise Invalid("not a list of the right size")
    for item in value:
        if type(item) is not int:
            raise Invalid("not an integer")
    return tuple(value)


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(_name(v) for v in _list(value))


def _choice(value: Any, choices: tuple[str, ...]) -> Any:
    if value not in choices or type(value) is not str:
        raise Invalid("not one of the known values")
    return value


# --- diagnostics and fixes -----------------------------------------------------------


def diagnostics_to_plain(found: list[Diagnostic]) -> list[list[Any]]:
    """The diagnostics of one file (the cache files them by path, so the path is left out),
    by column: a warm run decodes thousands, and a column is checked in one go."""
    return [
        [d.code for d in found],
        [d.rule for d in found],
        [d.contract for d in found],
        [d.severity for d in found],
        [d.message for d in found],
        [d.location.row for d in found],
        [d.location.column for d in found],
        [d.end_location.row for d in found],
        [d.end_location.column for d in found],
        [d.noqa_rows[0] for d in found],
        [d.noqa_rows[1] for d in found],
        [fix_to_plain(d.fix) for d in found],
        _details([d.details for d in found]),
        [plan_to_plain(d.plan) for d in found],
    ]


def _details(column: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The details of a file's diagnostics as JSON output shows them and the cache keeps
    them: a tree of plain values (tuples become lists, keys strings, a list that two
    diagnostics share is copied), read back the same from either."""
    if plain(column):
        return column
    import json  # rarely: a rule's details hold a tuple, or share a list

    try:
        loaded: list[dict[str, Any]] = json.loads(json.dumps(column))
    except (TypeError, ValueError):
        return column  # not data: the cache will not take it (a warning, then a miss)
    return loaded


def diagnostics_from_plain(value: Any, path: Path, *, plans: bool = True) -> list[Diagnostic]:
    """The diagnostics of the file at ``path``, from the columns ``diagnostics_to_plain``
    gives; Invalid unless every column has the length and the types it should. Without
    ``plans`` their fix plans are left out (None), unread: only fixes made from them need
    them, and a warm run that shows no fix does not pay for decoding thousands."""
    if type(value) is not list or len(value) != 14 or not _only(list, value):
        raise Invalid("not a table of diagnostics")
    size = len(value[0])
    if any(len(column) != size for column in value):
        raise Invalid("columns of different lengths")
    (codes, rules, contracts, severities, messages, rows, cols, end_rows, end_cols) = value[:9]
    firsts, lasts, fixes, details, planned = value[9:]
    if not (
        _only(str, codes, rules, contracts, severities, messages)
        and _only(int, rows, cols, end_rows, end_cols, firsts, lasts)
        and _only(dict, details)
        and plain(details)
        and set(severities) <= {"error", "warning"}
    ):
        raise Invalid("not a table of diagnostics")
    return list(
        map(
            Diagnostic,
            codes,
            rules,
            contracts,
            severities,
            messages,
            itertools.repeat(path, size),
            map(Location, rows, cols),
            map(Location, end_rows, end_cols),
            zip(firsts, lasts, strict=True),
            [None if fix is None else fix_from_plain(fix) for fix in fixes],
            details,
            [None if plan is None else _plan(plan) for plan in planned]
            if plans
            else itertools.repeat(None, size),
        )
    )


def _only(kind: type, *columns: list[Any]) -> bool:
    """Every item of every column is exactly of type ``kind`` (checked at C speed)."""
    return set(map(type, itertools.chain(*columns))) <= {kind}


def _location(value: Any) -> Location:
    if type(value) is not list or len(value) != 2:
        raise Invalid("not a location")
    row, column = value
    if type(row) is not int or type(column) is not int:
        raise Invalid("not a location")
    return Location(row, column)


def fix_to_plain(fix: Fix | None) -> list[Any] | None:
    if fix is None:
        return None
    edits = [
        [
            e.content,
            [e.location.row, e.location.column],
            [e.end_location.row, e.end_location.column],
        ]
        for e in fix.edits
    ]
    return [fix.applicability, fix.message, edits]


def fix_from_plain(value: Any) -> Fix | None:
    if value is None:
        return None
    applicability, message, edits = _list(value, 3)
    return Fix(
        applicability=_choice(applicability, ("safe", "unsafe")),
        message=_str(message),
        edits=tuple(_edit(e) for e in _list(edits)),
    )


def _edit(value: Any) -> Edit:
    content, start, end = _list(value, 3)
    return Edit(_str(content), _location(start), _location(end))


# A fix made: from which content (its digest; None: unknown), from which text (the digest
# of what its plan read), and the fix (None: the plan cannot be carried out there).
FixEntry = tuple[str | None, str, Fix | None]


def fix_entries_to_plain(entries: dict[str, FixEntry]) -> dict[str, list[Any]]:
    """A file's fixes by plan key (see ``FixCache``)."""
    return {key: [made, read, fix_to_plain(fix)] for key, (made, read, fix) in entries.items()}


def fix_tables_from_plain(values: list[Any]) -> list[dict[str, FixEntry]]:
    """The entries (as ``fix_entries_to_plain`` gives them) of many files at once,
    checked and made a column at a time (a warm run reads thousands of fixes); Invalid
    unless every value of every file is of its type."""
    if not _only(dict, values) or not _only(str, *values):
        raise Invalid("not a table of fixes")
    made, read, fixes = _rows(list(itertools.chain.from_iterable(map(dict.values, values))), 3)
    if not (set(map(type, made)) <= {str, type(None)} and _only(str, read)):
        raise Invalid("not a table of fixes")
    applicabilities, messages, edit_lists = _rows([f for f in fixes if f is not None], 3)
    if not (_only(str, applicabilities, messages) and _only(list, edit_lists)):
        raise Invalid("not a fix")
    if not set(applicabilities) <= {"safe", "unsafe"}:
        raise Invalid("not a fix")
    contents, starts, ends = _rows(list(itertools.chain.from_iterable(edit_lists)), 3)
    (rows, columns), (end_rows, end_columns) = _rows(starts, 2), _rows(ends, 2)
    if not (_only(str, contents) and _only(int, rows, columns, end_rows, end_columns)):
        raise Invalid("not an edit")
    made_edits = iter(
        records(
            Edit,
            [
                contents,
                records(Location, [rows, columns]),
                records(Location, [end_rows, end_columns]),
            ],
        )
    )
    groups = [tuple(itertools.islice(made_edits, len(edits))) for edits in edit_lists]
    made_fixes = iter(records(Fix, [applicabilities, messages, groups]))
    made_or_none = [None if f is None else next(made_fixes) for f in fixes]
    entries = iter(zip(made, read, made_or_none, strict=True))
    return [dict(zip(value, entries, strict=False)) for value in values]  # (n at a time)


def _rows(table: list[Any], size: int) -> list[list[Any]]:
    """The columns of ``table``, a list of lists of ``size`` items each; Invalid if it is
    not one."""
    if not _only(list, table) or not {size}.issuperset(map(len, table)):
        raise Invalid("not a table")
    return (
        [list(column) for column in zip(*table, strict=True)]
        if table
        else [[] for _ in range(size)]
    )


def plan_to_plain(plan: FixPlan | None) -> list[Any] | None:
    if plan is None:
        return None
    action = plan.action
    shape: list[Any]
    if isinstance(action, ReplaceModule):
        shape = ["module", list(action.stmt), action.new_module, action.old_module]
    elif isinstance(action, SplitName):
        shape = ["split", list(action.stmt), action.name, action.alias]
        shape += [action.new_module, action.new_name]
    elif isinstance(action, RewriteDotted):
        shape = ["dotted", list(action.stmt), action.old, action.new]
        if action.chain:
            shape.append([list(move) for move in action.chain])
    else:
        shape = ["text", list(action.span), action.text]
    return [plan.applicability, plan.message, shape]


def _plan(value: Any) -> FixPlan:
    if type(value) is not list or len(value) != 3:
        raise Invalid("not a fix plan")
    applicability, message, shape = value
    if not ((applicability == "safe" or applicability == "unsafe") and type(message) is str):
        raise Invalid("not a fix plan")
    return FixPlan(applicability, message, _action(shape))


def _action(shape: Any) -> Action:
    if type(shape) is not list or not shape:
        raise Invalid("not a fix action")
    kind, size = shape[0], len(shape)
    if kind == "module" and size == 4:
        _, stmt, new_module, old_module = shape
        return ReplaceModule(_span(stmt), _str(new_module), _opt_str(old_module))
    if kind == "split" and size == 6:
        _, stmt, name, alias, new_module, new_name = shape
        return SplitName(_span(stmt), _str(name), _opt_str(alias), _str(new_module), _str(new_name))
    if kind == "dotted" and size in (4, 5):
        chain = _chain(shape[4]) if size == 5 else ()
        return RewriteDotted(_span(shape[1]), _str(shape[2]), _str(shape[3]), chain)
    if kind == "text" and size == 3:
        return ReplaceText(_span(shape[1]), _str(shape[2]))
    raise Invalid("not a fix action")


def _chain(value: Any) -> tuple[tuple[str, str], ...]:
    if type(value) is not list or not all(type(m) is list and len(m) == 2 for m in value):
        raise Invalid("not a chain of moves")
    return tuple((_str(legacy), _str(canonical)) for legacy, canonical in value)


def _span(value: Any) -> tuple[int, int, int, int]:
    if type(value) is not list or len(value) != 4:
        raise Invalid("not a span")
    row, col, end_row, end_col = value
    if type(row) is not int or type(col) is not int:
        raise Invalid("not a span")
    if type(end_row) is not int or type(end_col) is not int:
        raise Invalid("not a span")
    return (row, col, end_row, end_col)
