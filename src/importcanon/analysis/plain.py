"""Plain values: what the cache holds, and the check that a value read back is one."""

from __future__ import annotations

from typing import Any

_PLAIN = frozenset({dict, list, str, int, bool, type(None)})
_NESTED = frozenset({dict, list})


def plain(value: Any) -> bool:
    """``value`` is a tree of dicts keyed by strings, lists, strings, integers, booleans
    and None: no other type, and no dict or list met twice (marshal can make a list that
    holds itself; importcanon writes trees). Walked with a stack (no recursion); the
    items of a list or a dict are typed at C speed, and only the dicts and lists among
    them are visited."""
    stack = [value]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            if not set(map(type, item)) <= {str}:
                return False
            items = item.values()
        elif kind is list:
            items = item
        else:
            if kind not in _PLAIN:
                return False
            continue
        if id(item) in seen:
            return False
        seen.add(id(item))
        kinds = set(map(type, items))
        if not kinds <= _PLAIN:
            return False
        if kinds & _NESTED:
            stack.extend([v for v in items if type(v) is list or type(v) is dict])
    return True
