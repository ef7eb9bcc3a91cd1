"""Debug events for tests and troubleshooting: with IMPORTCANON_DEBUG_LOG=PATH set, each
event is appended to PATH as ``<pid> <event>`` (how often the project was analysed, how
its graph was obtained)."""

from __future__ import annotations

import os


def event(name: str) -> None:
    path = os.environ.get("IMPORTCANON_DEBUG_LOG")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()} {name}\n")
