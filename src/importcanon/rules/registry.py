"""The contract kinds and their rules, discovered: the kind modules of this package (a
module named after its kind, ``-`` as ``_``, holding a ``KIND``) and the entry points of
group ``importcanon.kinds`` of the installed distributions (each names a ``Kind``, or a
module holding one as ``KIND``).

Nothing a checked repository holds is ever imported: a kind name from a contract file
only selects one of these, and distributions are looked for on the interpreter's path
without its current folder. Built-in kinds are found without looking at distributions,
so a run whose contracts use only those never reads the installed metadata.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
import sys
from typing import Any

from importcanon.config.wall import warn
from importcanon.model.codes import Codes
from importcanon.rules import meta
from importcanon.rules.base import Kind, Rule

GROUP = "importcanon.kinds"
_HERE = os.path.dirname(__file__)
# the modules of this package that are not kinds: the kinds' shared parts
_SHARED = frozenset({"base", "meta", "registry", "view", "memory"})
KIND_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*\Z")


class Registry:
    """The kinds a run may use, looked up by name (``config.contracts.Kinds``)."""

    def kind(self, name: str) -> Kind[Any] | None:
        return _builtin(name) or _plugins().get(name)

    def options(self, name: str) -> type[Any] | None:
        found = self.kind(name)
        return found.options if found is not None else None

    def names(self) -> list[str]:
        return list(kinds())

    def codes(self) -> Codes:
        """The known codes: the built-in table first, then every rule of the registry
        (built-in kinds' and installed plugins'), looked up only for a code not in it."""
        return Codes(more=codes)


def kinds() -> dict[str, Kind[Any]]:
    """Every kind: built-in ones in the order of their first rule code, then the plugins'
    in name order."""
    builtin = [k for k in map(_builtin, _builtin_names()) if k is not None]
    builtin.sort(key=lambda k: k.rules[0].code if k.rules else k.name)
    found = {k.name: k for k in builtin}
    for name, kind in sorted(_plugins().items()):
        found.setdefault(name, kind)
    return found


def rules() -> dict[str, Rule]:
    """Every rule by code: the kinds' and the checker's own (``meta``)."""
    found = {rule.code: rule for kind in kinds().values() for rule in kind.rules}
    found.update({rule.code: rule for rule in meta.RULES})
    return dict(sorted(found.items()))


def codes() -> dict[str, str]:
    """Every rule's code and name."""
    return {code: rule.name for code, rule in rules().items()}


def rule(code: str) -> Rule | None:
    return rules().get(code.upper())


@functools.cache
def _builtin_names() -> tuple[str, ...]:
    files = (entry.name for entry in os.scandir(_HERE) if entry.name.endswith(".py"))
    modules = (name.removesuffix(".py") for name in files)
    names = (name.replace("_", "-") for name in modules if name not in _SHARED)
    return tuple(sorted(name for name in names if KIND_NAME.match(name)))


@functools.cache
def _builtin(name: str) -> Kind[Any] | None:
    if not KIND_NAME.match(name) or name not in _builtin_names():
        return None
    module = importlib.import_module(f"importcanon.rules.{name.replace('-', '_')}")
    found = getattr(module, "KIND", None)
    return found if isinstance(found, Kind) and found.name == name else None


@functools.cache
def _plugins() -> dict[str, Kind[Any]]:
    from importlib import metadata

    here = {"", os.getcwd()}
    path = [p for p in sys.path if p not in here and os.path.abspath(p) != os.getcwd()]
    found: dict[str, Kind[Any]] = {}
    for dist in metadata.distributions(path=path):
        for entry in dist.entry_points.select(group=GROUP):
            if entry.name in found or not KIND_NAME.match(entry.name):
                continue
            try:
                loaded = entry.load()
            except Exception as exc:  # a broken plugin leaves the other kinds usable
                warn(f"skipped contract kind `{entry.name}`: {type(exc).__name__}: {exc}")
                continue
            kind = loaded if isinstance(loaded, Kind) else getattr(loaded, "KIND", None)
            if isinstance(kind, Kind) and kind.name == entry.name:
                found[entry.name] = kind
    return found
