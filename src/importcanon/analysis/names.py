"""Name-level resolution over the root packages (SPEC section 2, kind "no-reexports").

A module *binds a name by import* when a module-level statement imports it; the name's
*defining module* is found by following sources until a module that defines it. Importing
a submodule binds the submodule itself and is never a re-export; where a package's
``__init__.py`` binds a name that is also a submodule, the binding wins, as at runtime.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from importcanon.analysis.project import Project
from importcanon.model.facts import Binding, FileFacts


@dataclass(frozen=True)
class Origin:
    """Where a name bound by import in ``via`` really comes from."""

    name: str
    via: str
    defined_in: str


class NameIndex:
    """Resolves names of the root packages' modules; memoised, loop-safe."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.modules = set(project.modules)
        self._resolved: dict[tuple[str, str], str | None] = {}
        self._exports: dict[str, frozenset[str] | None] = {}
        self._all: dict[str, frozenset[str] | None] = {}
        self._facts: dict[str, FileFacts] = {}
        self._bindings: dict[str, dict[str, Binding]] = {}

    def facts(self, module: str) -> FileFacts:
        found = self._facts.get(module)
        if found is None:
            found = self._facts[module] = self.project.facts(self.project.modules[module])
        return found

    def binding(self, module: str, name: str) -> Binding | None:
        """The first module-level import binding of ``name`` in ``module``."""
        by_name = self._bindings.get(module)
        if by_name is None:
            by_name = {}
            for binding in self.facts(module).bindings:
                by_name.setdefault(binding.name, binding)
            self._bindings[module] = by_name
        return by_name.get(name)

    def is_submodule_binding(self, module: str, binding: Binding) -> bool:
        """``import a.b [as c]`` and ``from pkg import sub`` (a submodule) bind modules."""
        if binding.original is None:
            return True
        source, name = binding.source, binding.original
        candidate = f"{source}.{name}"
        if candidate not in self.modules:
            return False
        if source == module or source not in self.modules:
            return True
        return not self._has_own(source, name)

    def _has_own(self, module: str, name: str) -> bool:
        return name in self.facts(module).defined or self.binding(module, name) is not None

    def defining_module(self, module: str, name: str) -> str | None:
        """The module that defines ``name`` as seen from ``module``; None when it is
        outside the root packages, a submodule, or cannot be found (including loops)."""
        key = (module, name)
        if key in self._resolved:
            return self._resolved[key]
        self._resolved[key] = None  # a loop resolves to None
        found = self._resolve(module, name)
        self._resolved[key] = found
        return found

    def _resolve(self, module: str, name: str) -> str | None:
        if module not in self.modules:
            return None
        facts = self.facts(module)
        if name in facts.defined:
            return module
        binding = self.binding(module, name)
        if binding is not None:
            if binding.original is None or binding.source == module:
                return None
            if self.is_submodule_binding(module, binding):
                return None
            return self.defining_module(binding.source, binding.original)
        for index in facts.star_imports:
            source = facts.imports[index].base
            if source and source in self.modules and name in (self.exports(source) or ()):
                return self.defining_module(source, name)
        return None  # a submodule, or a name this analysis cannot see

    def exports(self, module: str) -> frozenset[str] | None:
        """Names ``from module import *`` binds: ``__all__`` if given, else public names."""
        if module in self._exports:
            return self._exports[module]
        self._exports[module] = frozenset()
        facts = self.facts(module)
        names = self.all_names(module)
        if names is None:
            public = set(facts.defined) | {b.name for b in facts.bindings}
            for index in facts.star_imports:
                source = facts.imports[index].base
                if source in self.modules:
                    public |= set(self.exports(source) or ())
            names = frozenset(n for n in public if not n.startswith("_"))
        self._exports[module] = names
        return names

    def all_names(self, module: str) -> frozenset[str] | None:
        """``__all__`` with ``__all__ += other.__all__`` followed; None when absent."""
        if module in self._all:
            return self._all[module]
        facts = self.facts(module)
        if facts.all_names is None and not facts.all_extends:
            self._all[module] = None
            return None
        self._all[module] = frozenset(facts.all_names or ())  # a loop sees this much
        names = set(facts.all_names or ())
        for local in facts.all_extends:
            binding = self.binding(module, local)
            other = _bound_module(binding, self.modules) if binding else None
            if other and other != module:
                names |= set(self.all_names(other) or ())
        self._all[module] = frozenset(names)
        return self._all[module]

    def reexports(self, module: str) -> Iterator[tuple[Binding, Origin]]:
        """Each name ``module`` binds by import from a root-package name defined elsewhere."""
        facts = self.facts(module)
        seen: set[str] = set()
        for binding in facts.bindings:
            if binding.name in seen or binding.name in facts.defined:
                continue
            seen.add(binding.name)
            if binding.original is None or self.is_submodule_binding(module, binding):
                continue
            defined_in = self.defining_module(module, binding.name)
            if defined_in is not None and defined_in != module:
                yield binding, Origin(binding.name, module, defined_in)


def _bound_module(binding: Binding, modules: set[str]) -> str | None:
    if binding.original is None:
        return binding.source if binding.source in modules else None
    candidate = f"{binding.source}.{binding.original}"
    return candidate if candidate in modules else None
