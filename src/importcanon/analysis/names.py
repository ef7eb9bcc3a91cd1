"""Name-level resolution over the root packages (SPEC section 2, the re-export rules).

A module *binds a name by import* when a module-level statement imports it; the name's
*defining module* is found by following sources until a module that defines it. Importing
a submodule binds the submodule itself and is never a re-export; where a package's
``__init__.py`` binds a name that is also a submodule, the binding wins, as at runtime.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, NamedTuple, Protocol, TypeVar

from importcanon.analysis.files import SourceFile

if TYPE_CHECKING:  # a run answered from the cache never loads the facts' classes
    from importcanon.model.facts import Binding, FileFacts


class Modules(Protocol):
    """Where the names come from: the modules of the root packages and their facts."""

    @property
    def modules(self) -> Mapping[str, SourceFile]: ...

    def facts(self, file: SourceFile) -> FileFacts: ...


class Origin(NamedTuple):
    """Where a name bound by import in ``via`` really comes from."""

    name: str
    via: str
    defined_in: str


class NameIndex:
    """Resolves names of the root packages' modules; memoised, loop-safe."""

    def __init__(self, source: Modules) -> None:
        self.source = source
        self.modules = set(source.modules)
        self._resolved: dict[tuple[str, str], str | None] = {}
        self._exports: dict[str, frozenset[str] | None] = {}
        self._all: dict[str, frozenset[str] | None] = {}
        self._facts: dict[str, FileFacts] = {}
        self._bindings: dict[str, dict[str, Binding]] = {}

    def facts(self, module: str) -> FileFacts:
        found = self._facts.get(module)
        if found is None:
            found = self._facts[module] = self.source.facts(self.source.modules[module])
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
        outside the root packages, a submodule, or cannot be found (including loops).
        Follows a chain of any length without recursion; every hop is memoised."""
        walked: list[tuple[str, str]] = []
        key = (module, name)
        while key not in self._resolved:
            self._resolved[key] = None  # a loop resolves to None
            walked.append(key)
            step = self._step(*key)
            if not isinstance(step, tuple):
                found = step
                break
            key = step
        else:
            found = self._resolved[key]
        for hop in walked:
            self._resolved[hop] = found
        return found

    def _step(self, module: str, name: str) -> str | tuple[str, str] | None:
        """One hop: the defining module, None, or the (module, name) to look at next."""
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
            return (binding.source, binding.original)
        for index in facts.star_imports:
            source = facts.imports[index].base
            if source and source in self.modules and name in (self.exports(source) or ()):
                return (source, name)
        return None  # a submodule, or a name this analysis cannot see

    def exports(self, module: str) -> frozenset[str] | None:
        """Names ``from module import *`` binds: ``__all__`` if given, else public names
        (star imports followed, a loop sees nothing of the module it comes back to)."""
        return _post_order(
            module,
            memo=self._exports,
            begin=lambda _: frozenset(),
            children=self._star_sources,
            finish=self._finish_exports,
        )

    def _star_sources(self, module: str) -> list[str]:
        if self.all_names(module) is not None:
            return []
        facts = self.facts(module)
        bases = (facts.imports[index].base for index in facts.star_imports)
        return [base for base in bases if base is not None and base in self.modules]

    def _finish_exports(self, module: str) -> frozenset[str]:
        names = self.all_names(module)
        if names is not None:
            return names
        facts = self.facts(module)
        public = set(facts.defined) | {b.name for b in facts.bindings}
        for source in self._star_sources(module):
            public |= set(self._exports.get(source) or ())
        return frozenset(n for n in public if not n.startswith("_"))

    def all_names(self, module: str) -> frozenset[str] | None:
        """``__all__`` with ``__all__ += other.__all__`` followed; None when absent (a
        loop sees the module's own names)."""
        return _post_order(
            module,
            memo=self._all,
            begin=self._own_all,
            children=self._all_sources,
            finish=self._finish_all,
        )

    def _own_all(self, module: str) -> frozenset[str] | None:
        facts = self.facts(module)
        if facts.all_names is None and not facts.all_extends:
            return None
        return frozenset(facts.all_names or ())

    def _all_sources(self, module: str) -> list[str]:
        found = []
        for local in self.facts(module).all_extends:
            binding = self.binding(module, local)
            other = _bound_module(binding, self.modules) if binding else None
            if other and other != module:
                found.append(other)
        return found

    def _finish_all(self, module: str) -> frozenset[str] | None:
        own = self._own_all(module)
        if own is None:
            return None
        names = set(own)
        for other in self._all_sources(module):
            names |= set(self._all.get(other) or ())
        return frozenset(names)

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


V = TypeVar("V")


def _post_order(
    start: str,
    *,
    memo: dict[str, V],
    begin: Callable[[str], V],
    children: Callable[[str], list[str]],
    finish: Callable[[str], V],
) -> V:
    """Depth-first from ``start`` with an explicit stack (chains of any depth): a module's
    value is ``begin`` while it is being worked out (what a loop back to it sees), then
    ``finish``, once every child not seen before has its own value in ``memo``."""
    if start in memo:
        return memo[start]
    memo[start] = begin(start)
    stack = [(start, iter(children(start)))]
    while stack:
        node, pending = stack[-1]
        child = next((c for c in pending if c not in memo), None)
        if child is not None:
            memo[child] = begin(child)
            stack.append((child, iter(children(child))))
            continue
        stack.pop()
        memo[node] = finish(node)
    return memo[start]


def _bound_module(binding: Binding, modules: set[str]) -> str | None:
    if binding.original is None:
        return binding.source if binding.source in modules else None
    candidate = f"{binding.source}.{binding.original}"
    return candidate if candidate in modules else None
