"""SIGINT and SIGTERM while a move writes: noted, never raised in the middle of a step.

The work checks between steps (``Caught.check``) and stops there: a step is never half
done by a signal, and the move is then undone (or, past its commit point, finished) before
the process exits with 128 + the signal's number, as shells expect.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

Handler = Any  # (a signal handler: a callable, SIG_IGN or SIG_DFL)

NAMES: dict[int, str] = {signal.SIGINT: "SIGINT", signal.SIGTERM: "SIGTERM"}


class Interrupted(Exception):
    """The work stopped at a signal; ``str()`` says what was left behind."""

    def __init__(self, signum: int, outcome: str = "") -> None:
        super().__init__(f"interrupted by {NAMES.get(signum, signum)}{outcome}")
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


class Caught:
    """The first signal received while deferred, if any."""

    def __init__(self) -> None:
        self.signum: int | None = None

    def note(self, signum: int, frame: FrameType | None) -> None:
        if self.signum is None:
            self.signum = signum

    def check(self) -> None:
        """Raise Interrupted if a signal came."""
        if self.signum is not None:
            raise Interrupted(self.signum)


@contextlib.contextmanager
def deferred(*, then: Handler | None = None) -> Iterator[Caught]:
    """SIGINT and SIGTERM noted rather than acted on, inside the block (in the main thread;
    elsewhere nothing can be installed, and nothing changes); after it, the handlers as
    they were, or ``then`` (SIG_IGN: a process whose work is done just ends)."""
    caught = Caught()
    if threading.current_thread() is not threading.main_thread():
        yield caught
        return
    previous = {signum: signal.signal(signum, caught.note) for signum in NAMES}
    try:
        yield caught
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if then is None else then)
