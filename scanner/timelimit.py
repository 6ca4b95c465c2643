"""Time budgets for one record (a flow, a page, a uiautomator dump), so that one hostile
record cannot stall a scan or the live proxy's checker.

A watchdog thread raises :class:`OverTime` in the thread whose budget ran out (CPython's
``PyThreadState_SetAsyncExc``; this works in any thread, where signals reach only the
main one). The exception arrives at the next Python instruction: it interrupts the
checks' Python code, not a single long call into C, which is why the page model's
algorithms are kept linear as well.
"""
from __future__ import annotations

import ctypes
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

# No real page, dump or flow takes a second; a budget far above that fails no real input.
RECORD_SECONDS = 30.0


class OverTime(BaseException):
    """The record's time budget ran out. A BaseException, so that the ``except
    Exception`` guards inside checks and the page model do not swallow it."""


class _Watchdog:
    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._deadlines: dict[int, float] = {}
        self._fired: set[int] = set()
        self._thread: threading.Thread | None = None
        # When the watchdog wakes next. Waking it costs a thread switch per record, so it
        # is woken only for a deadline earlier than that; a later deadline is met when it
        # wakes anyway (early, finding nothing due, and waiting again).
        self._wakes_at = float("inf")

    def enter(self, seconds: float) -> None:
        ident = threading.get_ident()
        with self._lock:
            deadline = self._deadlines[ident] = time.monotonic() + seconds
            self._fired.discard(ident)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="appaudit-watchdog", daemon=True)
                self._thread.start()
            if deadline < self._wakes_at:
                self._wakes_at = deadline
                self._lock.notify()

    def leave(self) -> bool:
        """End the budget; True if it ran out (its exception is then withdrawn if it had
        not been delivered yet)."""
        ident = threading.get_ident()
        with self._lock:
            self._deadlines.pop(ident, None)
            fired = ident in self._fired
            self._fired.discard(ident)
        if fired:
            _raise_in(ident, None)
        return fired

    def _run(self) -> None:
        with self._lock:
            while True:
                now = time.monotonic()
                for ident, deadline in list(self._deadlines.items()):
                    if deadline <= now:
                        del self._deadlines[ident]
                        self._fired.add(ident)
                        _raise_in(ident, OverTime)
                self._wakes_at = min(self._deadlines.values(), default=float("inf"))
                self._lock.wait(None if self._wakes_at == float("inf") else max(0.0, self._wakes_at - now))


def _raise_in(ident: int, exception: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(exception)
                                               if exception is not None else ctypes.c_void_p(0))


_watchdog = _Watchdog()
# A forked --jobs worker starts with a fresh watchdog: the parent's thread is not copied,
# and its lock may have been held at the moment of the fork.
os.register_at_fork(after_in_child=_watchdog.__init__)


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Run the block within ``seconds``; raises OverTime when it takes longer."""
    _watchdog.enter(seconds)
    try:
        yield
    finally:
        fired = _watchdog.leave()
    if fired:
        raise OverTime
