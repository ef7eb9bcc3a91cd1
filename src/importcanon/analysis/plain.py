"""Plain values: what the cache holds, and the check that a value read back is one."""

from __future__ import annotations

from itertools import chain
from typing import Any

_PLAIN = frozenset({dict, list, str, int, bool, type(None)})
_STR = frozenset({str})


def plain(value: Any) -> bool:
    """``value`` is a tree of dicts keyed by strings, lists, strings, integers, booleans
    and None: no other type, and no dict or list met twice (marshal can make a list that
    holds itself; importcanon writes trees). Walked a level at a time (no recursion):
    the keys and items of every dict and list of a level are typed together, at C speed,
    and only the dicts and lists among them make the next level."""
    if type(value) not in _PLAIN:
        return False
    level = [value]
    seen: set[int] = set()
    while level:
        dicts = [item for item in level if type(item) is dict]
        lists = [item for item in level if type(item) is list]
        if not dicts and not lists:
            return True
        count = len(seen)
        seen.update(map(id, dicts), map(id, lists))
        if len(seen) != count + len(dicts) + len(lists):
            return False  # a dict or list met twice
        if not set(map(type, chain.from_iterable(dicts))) <= _STR:
            return False
        items = list(chain(chain.from_iterable(map(dict.values, dicts)), *lists))
        if not set(map(type, items)) <= _PLAIN:
            return False
        level = items
    return True
