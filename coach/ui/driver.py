"""Textual's Linux driver, made quiet for a program that mostly waits: for the next second, or for a key.

Three changes, each measured on the run screen:
- The keyboard thread sleeps until a key arrives. Textual's wakes ten times a second to look for an unfinished
  escape sequence and for exit: ~40 ms of CPU per 30 s of countdown, as much as the countdown itself. Here it waits
  for the escape timeout only while a sequence is unfinished, and exit wakes it through a pipe.
- A SIGCONT with no Ctrl+Z before it leaves the terminal alone. Textual re-enters application mode on every SIGCONT;
  after a plain SIGSTOP (`kill -STOP`, a debugger, a stalled machine) nothing was handed back, and the restart
  started another input and output thread each time (3 became 7 after one stop), so two threads read the keyboard.
- The event loop writes each frame to the terminal itself (coach/ui/terminal_output.py), instead of handing it to
  Textual's output thread, which had to wake up and find a free core before a new second reached the screen.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import selectors
import threading
import weakref
from codecs import getincrementaldecoder
from typing import Any

from textual._parser import ParseError
from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

from coach.ui.terminal_output import TerminalOutput


class WakingEvent(threading.Event):
    """An event that also makes a pipe readable when set, so a thread asleep in select() sees it at once.

    The pipe lives as long as the event (the driver's whole life: a Ctrl+Z closes the driver and starts it again)."""

    def __init__(self) -> None:
        super().__init__()
        self.wake_fd, self._write_fd = os.pipe()
        for fd in (self.wake_fd, self._write_fd):
            os.set_blocking(fd, False)
        weakref.finalize(self, close_all, (self.wake_fd, self._write_fd))

    def set(self) -> None:
        super().set()
        with contextlib.suppress(BlockingIOError):  # full of wake-ups nobody read: the reader is awake anyway
            os.write(self._write_fd, b"!")

    def drain(self) -> None:
        """Empty the pipe: a wake-up for an exit that has passed must not wake the next reader."""
        with contextlib.suppress(BlockingIOError):
            while os.read(self.wake_fd, 512):
                pass


def close_all(fds: tuple[int, ...]) -> None:
    """Close the pipe when its event is gone (a function, not a method: the finalizer must not hold the event)."""
    for fd in fds:
        os.close(fd)


def escape_wait(parser: XTermParser) -> float | None:
    """How long the keyboard thread may sleep: until an unfinished escape sequence times out, else until a key.

    The parser keeps that deadline to itself (`_timeout_time`, checked by its `tick`); Textual is pinned to 8.2, a
    rename fails loudly here, and a test presses a lone Escape through this loop."""
    deadline: float | None = parser._timeout_time
    return None if deadline is None else max(0.0, deadline - get_time())


class CoachDriver(LinuxDriver):
    """Textual's Linux driver with a keyboard thread that sleeps, frames written by the event loop, and no restart
    on a SIGCONT without Ctrl+Z."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exit_event: WakingEvent = WakingEvent()
        self.output: TerminalOutput | None = None
        """Where every write goes, opened with application mode (again after a Ctrl+Z); None when Textual's output is
        not a terminal: its own thread writes then."""

    def write(self, data: str) -> None:
        if self.output is None:
            super().write(data)
        else:
            self.output.write(data)

    def start_application_mode(self) -> None:
        if self.output is None:  # the first start, or back from Ctrl+Z (which closed the driver)
            self.output = TerminalOutput.open(self._file)
        if self.output is not None:
            self.output.attach(asyncio.get_running_loop())
        super().start_application_mode()  # type: ignore[no-untyped-call]  # Textual leaves it unannotated

    def stop_application_mode(self) -> None:
        super().stop_application_mode()
        if self.output is not None:
            self.output.finish()  # the shell gets its screen back before the process stops or exits

    def close(self) -> None:
        if self.output is not None:
            self.output.close()
            self.output = None
        super().close()

    def run_input_thread(self) -> None:
        """Read keys and send them to the app until exit (Textual's loop, without its timed wake-ups)."""
        exit_event = self.exit_event
        exit_event.drain()
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode
        with selectors.SelectSelector() as selector:
            selector.register(self.fileno, selectors.EVENT_READ)
            selector.register(exit_event.wake_fd, selectors.EVENT_READ)
            while not exit_event.is_set():
                for key, _mask in selector.select(escape_wait(parser)):
                    if key.fd != self.fileno:
                        continue  # the exit wake-up: the loop's test sees it
                    raw = os.read(self.fileno, 1024 * 4)
                    if not raw:  # end of input (stdin was a pipe): stop watching it rather than spin on it
                        selector.unregister(self.fileno)
                        continue
                    data = decode(raw)  # "" while a character is split across reads: the rest comes next
                    if data:
                        for event in parser.feed(data):
                            self.process_message(event)
                for event in parser.tick():
                    self.process_message(event)
        with contextlib.suppress(EOFError, ParseError):  # as Textual ends: the parser closes its debug log
            for _event in parser.feed(""):
                pass

    def _sigcont_application(self, *args: object) -> None:
        if self._must_signal_resume:  # set by Textual's SIGTSTP handler when it suspended application mode
            super()._sigcont_application(*args)
