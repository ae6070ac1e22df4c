"""The app's output to the terminal, written at once by the thread that makes it, without ever blocking it.

Textual's Linux driver hands every write to a thread of its own. With both cores busy, that thread had to wait for a
core after the event loop had drawn a new second: a second wake-up per frame, and in a quarter of the seconds the
frame reached the terminal 2-4 ms later (benchmarks/second_accuracy.py; docs/performance.md, "Issue 15, fourth
session"). Here the event loop writes the frame itself, to a non-blocking descriptor of the same terminal: what the
terminal cannot take at once waits, in order, and goes out as soon as it can (the event loop watches for that), so a
terminal that stops reading delays the screen, never the countdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import selectors
import threading
import time
from typing import TextIO

FINISH_TIMEOUT = 5.0
"""Seconds `finish` waits for a terminal that does not read before dropping what is left (it is gone, or frozen)."""


class TerminalOutput:
    """Writes to one terminal through a descriptor of its own (non-blocking, so the shell's stays as it was)."""

    def __init__(self, fd: int, encoding: str = "utf-8", errors: str = "strict") -> None:
        os.set_blocking(fd, False)
        self.fd = fd
        self._encoding = encoding
        self._errors = errors
        self._pending = bytearray()
        """What the terminal has not taken yet, in order: every later write waits behind it. Not capped: a frozen
        terminal gets a countdown's ~1 KB a second, where Textual's 30-write queue would stop the event loop."""
        self._lock = threading.RLock()
        """Re-entrant: Textual's Ctrl+Z handler writes from a signal handler, which may run inside a write."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._watching = False
        self._gone = False
        """Set once the terminal is gone (hung up): nothing more is written, nothing is kept."""

    @classmethod
    def open(cls, file: TextIO | None) -> TerminalOutput | None:
        """A writer for the terminal behind `file`, or None when `file` is not a terminal, or its name leads to another
        device (a terminal from another namespace): Textual's own path then."""
        try:
            if file is None or not os.isatty(file.fileno()):
                return None
            fd = os.open(os.ttyname(file.fileno()), os.O_WRONLY | os.O_NOCTTY | os.O_NONBLOCK | os.O_CLOEXEC)
        except (OSError, ValueError):  # no such device name, or a closed file
            return None
        try:
            same = os.fstat(fd).st_rdev == os.fstat(file.fileno()).st_rdev
        except (OSError, ValueError):
            same = False
        if not same:
            os.close(fd)
            return None
        return cls(fd, file.encoding or "utf-8", file.errors or "strict")

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """The event loop that sends what the terminal could not take at once."""
        self._loop = loop

    @property
    def pending(self) -> int:
        """Bytes written but not yet taken by the terminal."""
        return len(self._pending)

    def write(self, text: str) -> None:
        """Send `text` now, as far as the terminal takes it; the rest follows in order, before anything later."""
        data = text.encode(self._encoding, self._errors)
        with self._lock:
            if self._gone:
                return
            if not self._pending:
                data = data[self._send(data) :]
            if data:
                self._pending += data
                self._watch()

    def _send(self, data: bytes | bytearray) -> int:
        """Write what the terminal takes now; how many bytes it took (all of them once it is gone)."""
        try:
            return os.write(self.fd, data)
        except BlockingIOError:
            return 0
        except OSError:  # hung up (EIO): the session goes on without a screen, as after SIGHUP
            self._gone = True
            self._pending.clear()
            return len(data)

    def _watch(self) -> None:
        """Have the event loop send the rest once the terminal can take more (callable from any thread)."""
        loop = self._loop
        if self._watching or loop is None or loop.is_closed():
            return
        self._watching = True
        loop.call_soon_threadsafe(self._add_writer)

    def _add_writer(self) -> None:
        with self._lock:
            if self._pending and self._loop is not None:
                try:
                    self._loop.add_writer(self.fd, self._drain)
                    return
                except (OSError, ValueError):  # the loop cannot watch it: what waits goes out with the next write
                    pass
            self._watching = False

    def _drain(self) -> None:
        with self._lock:
            del self._pending[: self._send(self._pending)]
            if not self._pending and self._watching and self._loop is not None:
                self._loop.remove_writer(self.fd)
                self._watching = False

    def finish(self, timeout: float = FINISH_TIMEOUT) -> bool:
        """Send everything still waiting, blocking for at most `timeout` seconds; True when all of it went out.

        Called as the app leaves the terminal (quitting, Ctrl+Z): the last writes give the shell its screen back."""
        deadline = time.monotonic() + timeout
        with self._lock:
            if self._watching and self._loop is not None and not self._loop.is_closed():
                with contextlib.suppress(RuntimeError):  # a loop of another thread: its watch just finds nothing
                    self._loop.remove_writer(self.fd)
            self._watching = False
            if not self._pending:
                return not self._gone
            with selectors.DefaultSelector() as selector:
                selector.register(self.fd, selectors.EVENT_WRITE)
                while self._pending:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        self._pending.clear()
                        return False
                    selector.select(left)
                    del self._pending[: self._send(self._pending)]
            return not self._gone

    def close(self) -> None:
        """Send what is waiting (as `finish`) and close the descriptor."""
        self.finish()
        with contextlib.suppress(OSError):
            os.close(self.fd)
