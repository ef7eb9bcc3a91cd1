"""The contract kinds and their rules, discovered: the kind modules of this package (a
module named after its kind, ``-`` as ``_``, holding a ``KIND``) and the kinds of the
installed plugins (``rules.plugins``: the entry points of group ``importcanon.kinds``),
which the composition roots pass to the ``Registry`` they make.

Nothing a checked repository holds is ever imported: a kind name from a contract file
only selects one of these. Built-in kinds are found without looking at distributions,
so a run whose contracts use only those never reads the installed metadata.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
import sys
from collections.abc import Callable, Mapping
from typing import Any

from importcanon.model.codes import Codes
from importcanon.rules import meta
from importcanon.rules.base import Kind, Rule

_HERE = os.path.dirname(__file__)
# the modules of this package that are not kinds: the kinds' shared parts
_SHARED = frozenset({"base", "meta", "registry", "view", "memory", "plugins"})
KIND_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*\Z")
_METADATA_FOLDERS = (".dist-info", ".egg-info")


Plugins = Callable[[], Mapping[str, Kind[Any]]]


def search_path() -> list[str]:
    """Where installed plugins are looked for: the interpreter's path without its current
    folder (nothing a checked repository holds is imported)."""
    here = {"", os.getcwd()}
    return [p for p in sys.path if p not in here and os.path.abspath(p) != os.getcwd()]


def installed() -> tuple[str, ...]:
    """The distributions installed on ``search_path`` (the names of their metadata
    folders, which hold name and version): what the plugins found there depend on. Read
    from the folders' listings, not the metadata, so that every run can afford it."""
    found: list[str] = []
    for folder in search_path():
        try:
            with os.scandir(folder) as entries:
                found.extend(
                    f"{folder}/{e.name}" for e in entries if e.name.endswith(_METADATA_FOLDERS)
                )
        except OSError:  # not a folder (a zip file), or gone
            continue
    return tuple(sorted(found))


class Registry:
    """The kinds a run may use, looked up by name (``config.contracts.Kinds``): the
    built-in ones, then those ``plugins`` gives. Finding the installed plugins reads the
    metadata of every installed distribution (``rules.plugins.discover``, a tenth of a
    second), so the composition roots pass it and it is called only for a kind or code
    that is not built in. ``Registry()`` knows the built-in kinds only."""

    __slots__ = ("_found", "_plugins")

    def __init__(self, plugins: Plugins | None = None) -> None:
        self._plugins = plugins
        self._found: Mapping[str, Kind[Any]] | None = None

    def plugins(self) -> Mapping[str, Kind[Any]]:
        """The plugin kinds, by name (looked for once)."""
        if self._found is None:
            self._found = self._plugins() if self._plugins is not None else {}
        return self._found

    def stamp(self) -> str:
        """What the kinds and codes known depend on besides importcanon itself, for the
        result cache's key (a plugin installed or removed changes which codes a `# noqa`
        may name): the distributions installed where plugins are looked for; nothing for
        a registry of the built-in kinds only."""
        return "" if self._plugins is None else repr(installed())

    def kind(self, name: str) -> Kind[Any] | None:
        return _builtin(name) or self.plugins().get(name)

    def options(self, name: str) -> type[Any] | None:
        found = self.kind(name)
        return found.options if found is not None else None

    def names(self) -> list[str]:
        return list(self.kinds())

    def codes(self) -> Codes:
        """The known codes: the built-in table first, then every rule of the registry
        (built-in kinds' and installed plugins'), looked up only for a code not in it."""
        return Codes(more=self.code_names)

    def kinds(self) -> dict[str, Kind[Any]]:
        """Every kind: built-in ones in the order of their first rule code, then the
        plugins' in name order."""
        builtin = [k for k in map(_builtin, _builtin_names()) if k is not None]
        builtin.sort(key=lambda k: k.rules[0].code if k.rules else k.name)
        found = {k.name: k for k in builtin}
        for name, kind in sorted(self.plugins().items()):
            found.setdefault(name, kind)
        return found

    def rules(self) -> dict[str, Rule]:
        """Every rule by code: the kinds' and the checker's own (``meta``)."""
        found = {rule.code: rule for kind in self.kinds().values() for rule in kind.rules}
        found.update({rule.code: rule for rule in meta.RULES})
        return dict(sorted(found.items()))

    def code_names(self) -> dict[str, str]:
        """Every rule's code and name."""
        return {code: rule.name for code, rule in self.rules().items()}

    def rule(self, code: str) -> Rule | None:
        return self.rules().get(code.upper())


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
