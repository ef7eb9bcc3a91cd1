"""Records written by hand (model/record.py ``Value``) behave as the frozen, slotted
dataclasses they replace: the same constructor (positional and keyword, the same
defaults), equality, hashing, repr (the facts digest hashes it), immutability and
pickling, checked against the dataclass on generated field values."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importcanon.engine.run import Options
from importcanon.engine.selection import Selection
from importcanon.model.contract import Contract, IgnoreImport, ProjectConfig
from importcanon.model.diagnostic import (
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
from importcanon.model.facts import Binding, FileFacts, ImportStmt, Span
from importcanon.model.record import Value
from importcanon.rules.registry import Registry

# each record class, as the dataclass it was: (field name, default or MISSING), in order
FACTS = (
    ("imports", ()),
    ("syntax_error", None),
    ("defined", frozenset()),
    ("bindings", ()),
    ("star_imports", ()),
    ("all_names", None),
    ("all_extends", ()),
    ("used_names", frozenset()),
    ("shim", False),
    ("noqa", ()),
    ("first_width", 0),
)
M = dataclasses.MISSING
FACTORY = object()  # (``default_factory=dict``, not compared: a diagnostic's details)
UNCOMPARED = object()  # (default None, not compared: a diagnostic's plan)
DICT = object()  # (``default_factory=dict``, compared: a contract's options)
SELECTION = object()  # (``default_factory=Selection``: a run's selection)
REGISTRY = object()  # (``default_factory=Registry``: a run's kinds)
FACTORIES = {FACTORY, DICT, SELECTION, REGISTRY}
DIAGNOSTIC = (
    *((name, M) for name in ("code", "rule", "contract", "severity", "message", "path")),
    ("location", M),
    ("end_location", M),
    ("noqa_rows", (0, 0)),
    ("fix", None),
    ("details", FACTORY),
    ("plan", UNCOMPARED),
)
CLASSES: dict[type[Value], tuple[tuple[str, Any], ...]] = {
    Span: (("row", M), ("col", M), ("end_row", M), ("end_col", M)),
    ImportStmt: tuple(
        (name, M)
        for name in (
            "span",
            "module",
            "level",
            "names",
            "base",
            "in_function",
            "type_checking",
            "module_level",
        )
    ),
    Binding: (("name", M), ("source", M), ("original", M), ("stmt", M)),
    FileFacts: FACTS,
    Location: (("row", M), ("column", M)),
    Edit: (("content", M), ("location", M), ("end_location", M)),
    Fix: (("applicability", M), ("message", M), ("edits", M)),
    Diagnostic: DIAGNOSTIC,
    ReplaceModule: (("stmt", M), ("new_module", M), ("old_module", None)),
    SplitName: tuple((n, M) for n in ("stmt", "name", "alias", "new_module", "new_name")),
    RewriteDotted: (("stmt", M), ("old", M), ("new", M), ("chain", ())),
    ReplaceText: (("span", M), ("text", M)),
    FixPlan: (("applicability", M), ("message", M), ("action", M)),
    IgnoreImport: tuple((n, M) for n in ("expression", "importer", "imported", "line")),
    Contract: (
        *((n, M) for n in ("id", "name", "kind", "file", "line")),
        ("acceptance", ""),
        ("severity", "error"),
        ("paths", ()),
        ("exclude", ()),
        ("ignore_imports", ()),
        ("options", DICT),
        ("lines", DICT),
    ),
    ProjectConfig: (
        *((n, M) for n in ("root", "pyproject", "root_packages", "source_roots")),
        ("contracts_dir", "contracts"),
        ("exclude", ()),
        ("respect_gitignore", True),
        ("per_file_ignores", DICT),
        ("baseline", None),
    ),
    Selection: (("select", ()), ("ignore", ()), ("extend_select", ())),
    Options: (
        ("selection", SELECTION),
        ("contract_ids", ()),
        ("paths", ()),
        ("baseline", None),
        ("kinds", REGISTRY),
        ("plans", True),
        ("shown", None),
    ),
}


def field(name: str, default: Any) -> tuple[str, Any] | tuple[str, Any, Any]:
    if default is M:
        return (name, Any)
    if default is FACTORY:
        return (name, Any, dataclasses.field(default_factory=dict, compare=False, hash=False))
    if default is UNCOMPARED:
        return (name, Any, dataclasses.field(default=None, compare=False, hash=False))
    if default is DICT:
        return (name, Any, dataclasses.field(default_factory=dict))
    if default is SELECTION:
        return (name, Any, dataclasses.field(default_factory=Selection))
    if default is REGISTRY:
        return (name, Any, dataclasses.field(default_factory=Registry))
    return (name, Any, dataclasses.field(default=default))


def reference(cls: type[Value]) -> type:
    """The frozen, slotted dataclass of the same name and fields."""
    fields = [field(name, default) for name, default in CLASSES[cls]]
    ordered = cls is Location
    made = dataclasses.make_dataclass(cls.__name__, fields, frozen=True, slots=True, order=ordered)
    made.__qualname__ = cls.__qualname__
    return made


REFERENCES = {cls: reference(cls) for cls in CLASSES}

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-2, 2), st.text(max_size=2), st.frozensets(st.text())
)
VALUES = st.recursive(SCALARS, lambda inner: st.tuples(inner, inner), max_leaves=4)
KINDS = st.sampled_from(sorted(CLASSES, key=lambda cls: cls.__name__))


def made_of(cls: type[Value], drawn: list[Any]) -> list[Any]:
    """``drawn`` with each field that has a default factory given a dictionary (None, not
    a valid value there, makes a new one)."""
    return [
        {"k": value} if default in FACTORIES else value
        for value, (_, default) in zip(drawn, CLASSES[cls], strict=True)
    ]


def hashed(record: object) -> int | str:
    """The record's hash; a dataclass holding a dictionary in a compared field has none."""
    try:
        return hash(record)
    except TypeError as exc:
        return str(exc)


def values(cls: type[Value]) -> st.SearchStrategy[list[Any]]:
    return st.lists(VALUES, min_size=len(CLASSES[cls]), max_size=len(CLASSES[cls]))


@given(st.data())
def test_a_record_behaves_as_its_dataclass(data: st.DataObject) -> None:
    cls = data.draw(KINDS)
    ref = REFERENCES[cls]
    a, b = data.draw(values(cls)), data.draw(st.one_of(values(cls), st.just(None)))
    b = list(a) if b is None else b
    a, b = made_of(cls, a), made_of(cls, b)
    mine, theirs = cls(*a), ref(*a)
    other, other_ref = cls(*b), ref(*b)
    assert repr(mine) == repr(theirs)
    assert hashed(mine) == hashed(theirs)
    assert (mine == other) == (theirs == other_ref)
    assert (mine != other) == (theirs != other_ref)
    assert (hashed(mine) == hashed(other)) == (hashed(theirs) == hashed(other_ref))
    names = [name for name, _ in CLASSES[cls]]
    assert cls(**dict(zip(names, a, strict=True))) == mine
    assert pickle.loads(pickle.dumps(mine)) == mine
    assert mine != tuple(a) and mine != theirs  # (another class is never equal)


@pytest.mark.parametrize("cls", list(CLASSES), ids=lambda cls: cls.__name__)
def test_a_record_has_its_dataclass_signature_and_is_frozen(cls: type[Value]) -> None:
    def shape(of: type) -> list[tuple[str, Any, Any]]:
        found = inspect.signature(of).parameters.values()
        # (a dataclass shows a factory as its default; a record's default is None)
        return [
            (item.name, item.kind, None if repr(item.default) == "<factory>" else item.default)
            for item in found
        ]

    assert shape(cls) == shape(REFERENCES[cls])
    assert cls.__slots__ == tuple(name for name, _ in CLASSES[cls])
    record = cls(*[0] * len(CLASSES[cls]))
    with pytest.raises(AttributeError):
        setattr(record, cls.__slots__[0], 1)
    with pytest.raises(AttributeError):
        delattr(record, cls.__slots__[0])
    with pytest.raises(AttributeError):
        record.__dict__  # noqa: B018 - (slotted: no instance dictionary)


def test_facts_with_the_text_facts_replaced() -> None:
    facts = FileFacts(*[(i,) for i in range(len(FACTS))])
    made = facts.with_text(first_width=7, noqa=((1, "# noqa"),))
    assert made == FileFacts(*[(i,) for i in range(len(FACTS) - 2)], ((1, "# noqa"),), 7)
    assert facts.first_width == (10,)  # (unchanged)


@given(st.lists(st.integers(-2, 2), min_size=4, max_size=4))
def test_locations_are_ordered_as_the_dataclass(rows: list[int]) -> None:
    a, b, c, d = rows
    ref = REFERENCES[Location]
    mine, other, theirs, other_ref = Location(a, b), Location(c, d), ref(a, b), ref(c, d)
    assert [mine < other, mine <= other, mine > other, mine >= other] == [
        theirs < other_ref,
        theirs <= other_ref,
        theirs > other_ref,
        theirs >= other_ref,
    ]
    with pytest.raises(TypeError):
        _ = mine < (a, b)  # type: ignore[operator]


def test_a_diagnostics_details_and_plan_are_not_compared() -> None:
    here = Location(1, 1)
    plan = FixPlan("safe", "m", ReplaceText((1, 1, 1, 2), "x"))
    a = Diagnostic("C", "r", "c", "error", "m", Path("a.py"), here, here, plan=plan)
    b = Diagnostic("C", "r", "c", "error", "m", Path("a.py"), here, here, details={"k": 1})
    assert a == b and hash(a) == hash(b) and a.details == {} and b.plan is None
    assert a.details is not Diagnostic("C", "r", "c", "error", "m", Path(), here, here).details


@given(st.data())
def test_dataclasses_functions_treat_a_record_as_its_dataclass(data: st.DataObject) -> None:
    cls = data.draw(KINDS)
    ref = REFERENCES[cls]
    a, b = data.draw(values(cls)), data.draw(values(cls))
    a, b = made_of(cls, a), made_of(cls, b)
    mine, theirs = cls(*a), ref(*a)
    assert dataclasses.is_dataclass(mine) and dataclasses.is_dataclass(cls)

    def described(of: object) -> list[tuple[str, bool, Any]]:
        return [
            (f.name, f.compare, None if f.default_factory is not M else f.default)
            for f in dataclasses.fields(of)
        ]

    assert described(cls) == described(ref)
    assert dataclasses.asdict(mine) == dataclasses.asdict(theirs)
    assert dataclasses.astuple(mine) == dataclasses.astuple(theirs)
    name = data.draw(st.sampled_from(cls.__slots__))
    index = cls.__slots__.index(name)
    changed = dataclasses.replace(mine, **{name: b[index]})
    assert type(changed) is cls
    assert repr(changed) == repr(dataclasses.replace(theirs, **{name: b[index]}))
    assert changed == cls(*a[:index], b[index], *a[index + 1 :])
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(mine, name, b[index])
