"""The contract kinds of installed plugins: the entry points of group ``importcanon.kinds``
of the installed distributions (each names a ``Kind``, or a module holding one as
``KIND``).

Reading every installed distribution's metadata costs a tenth of a second, so only the
composition roots load this module, and pass ``discover`` to the ``Registry`` they make
(which calls it only for a kind or code that is not built in). Distributions are looked
for on ``registry.search_path()``: nothing a checked repository holds is ever imported.
"""

from __future__ import annotations

import functools
from importlib import metadata
from typing import Any

from importcanon.config.wall import warn
from importcanon.rules.base import Kind
from importcanon.rules.registry import KIND_NAME, search_path

GROUP = "importcanon.kinds"


@functools.cache  # (once per process: a run makes several registries)
def discover() -> dict[str, Kind[Any]]:
    """The installed plugin kinds, by name; a plugin that fails to load is skipped with a
    warning, and the other kinds stay usable."""
    found: dict[str, Kind[Any]] = {}
    for dist in metadata.distributions(path=search_path()):
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
