"""The terminal output (coach/ui/terminal_output.py): a frame reaches the terminal at once and whole, from the thread
that drew it; a terminal that stops reading never blocks the app and later gets everything in order; a terminal
that is gone costs nothing. A real pseudo-terminal stands in for the user's."""

from __future__ import annotations

import asyncio
import contextlib
import os
import select
import signal
import threading
import time
import tty
from collections.abc import Iterator

import pytest
from textual.app import App
from textual.drivers.linux_driver import LinuxDriver

from coach.ui.driver import CoachDriver
from coach.ui.terminal_output import TerminalOutput


@pytest.fixture
def terminal() -> Iterator[tuple[int, int]]:
    """A pseudo-terminal in raw mode, as Textual puts the user's: (the terminal's end, the app's end)."""
    master, slave = os.openpty()
    tty.setraw(slave)
    yield master, slave
    for fd in (master, slave):
        with contextlib.suppress(OSError):  # closed by the test
            os.close(fd)


def received(master: int, quiet: float = 0.2) -> bytes:
    """Everything the terminal has been sent, read until nothing more comes for `quiet` seconds."""
    data = bytearray()
    while select.select([master], [], [], quiet)[0]:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    return bytes(data)


def test_a_frame_reaches_the_terminal_at_once_and_whole_without_the_event_loop(terminal: tuple[int, int]) -> None:
    master, slave = terminal
    output = TerminalOutput(slave)
    output.write("\x1b[11;63H████\n\x1b[12;63H████")
    assert select.select([master], [], [], 0)[0], "nothing was written before the call returned"
    assert os.read(master, 4096) == "\x1b[11;63H████\n\x1b[12;63H████".encode()
    assert output.pending == 0


def test_a_terminal_that_stops_reading_never_blocks_and_later_gets_everything_in_order(
    terminal: tuple[int, int],
) -> None:
    master, slave = terminal
    output = TerminalOutput(slave)
    frames = [f"frame {n:05d} " + "█" * 400 + "\n" for n in range(2000)]  # ~2.4 MB: far more than a pty holds

    async def scenario() -> bytes:
        output.attach(asyncio.get_running_loop())
        writer = threading.Thread(target=lambda: [output.write(frame) for frame in frames], daemon=True)
        writer.start()  # on a thread of its own, so that a write that blocks fails this test instead of hanging it
        writer.join(timeout=10)
        assert not writer.is_alive(), "a write waited for a terminal that does not read"
        assert output.pending > 0, "the terminal took everything: the test did not fill it"
        got = bytearray(os.read(master, 4096))  # the terminal reads a little: what comes next must still wait
        output.write("last\n")
        expected = len("".join(frames).encode()) + len("last\n")
        loop = asyncio.get_running_loop()
        done = loop.create_future()

        def read() -> None:
            got.extend(os.read(master, 65536))
            if len(got) >= expected and not done.done():
                done.set_result(None)

        loop.add_reader(master, read)  # the terminal reads again; the event loop sends the rest as it can
        try:
            await asyncio.wait_for(done, timeout=30)
        finally:
            loop.remove_reader(master)
        return bytes(got)

    assert asyncio.run(scenario()) == ("".join(frames) + "last\n").encode()
    assert output.pending == 0


def test_finish_sends_what_waits_and_gives_up_on_a_terminal_that_never_reads(terminal: tuple[int, int]) -> None:
    master, slave = terminal
    output = TerminalOutput(slave)
    big = "x" * 1_000_000
    output.write(big)
    assert output.pending > 0

    began = time.monotonic()
    assert output.finish(timeout=0.3) is False  # nobody reads: it stops waiting, it does not hang
    assert time.monotonic() - began < 2
    assert output.pending == 0

    received(master)  # empty the terminal, then a reader keeps up while finish waits
    output.write(big)
    reader = threading.Thread(target=lambda: received(master, quiet=1.0))
    reader.start()
    assert output.finish(timeout=10) is True
    reader.join()


def test_a_terminal_that_is_gone_costs_nothing(terminal: tuple[int, int]) -> None:
    master, slave = terminal
    output = TerminalOutput(slave)
    os.close(master)  # the window was closed: writing to its terminal fails with EIO
    output.write("14:59")
    output.write("14:58")
    assert output.pending == 0
    assert output.finish(timeout=0.1) is False


def test_it_opens_a_terminal_of_its_own_and_nothing_else(terminal: tuple[int, int]) -> None:
    master, slave = terminal
    read_end, write_end = os.pipe()
    with os.fdopen(write_end, "w") as pipe:
        assert TerminalOutput.open(pipe) is None  # output redirected: Textual's own thread writes
    os.close(read_end)
    assert TerminalOutput.open(None) is None
    with os.fdopen(os.dup(slave), "w", encoding="utf-8") as file:
        output = TerminalOutput.open(file)
        assert output is not None
        assert output.fd != file.fileno()  # its own descriptor: the shell's stays blocking
        assert os.get_blocking(file.fileno())
        output.write("é")
        assert os.read(master, 16) == "é".encode()
        output.close()


async def test_the_driver_writes_through_it_and_opens_it_again_after_ctrl_z(
    terminal: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    master, slave = terminal
    handlers = {number: signal.getsignal(number) for number in (signal.SIGTSTP, signal.SIGCONT)}
    try:
        driver = CoachDriver(App(), debug=False, mouse=False)
    finally:
        for number, handler in handlers.items():  # the driver sets Ctrl+Z handlers for the app's life
            signal.signal(number, handler)
    opened: list[TerminalOutput] = []

    def open_terminal(file: object) -> TerminalOutput:
        opened.append(TerminalOutput(os.dup(slave)))
        return opened[-1]

    monkeypatch.setattr(TerminalOutput, "open", open_terminal)
    monkeypatch.setattr(LinuxDriver, "start_application_mode", lambda self: None)  # the terminal modes: not here
    monkeypatch.setattr(LinuxDriver, "close", lambda self: None)
    driver.start_application_mode()
    driver.write("\x07")
    assert os.read(master, 16) == b"\x07"
    driver.close()  # what Textual's Ctrl+Z does after leaving application mode
    assert driver.output is None
    driver.start_application_mode()  # back with fg
    driver.write("14:59")
    assert os.read(master, 16) == b"14:59"
    assert len(opened) == 2
    driver.close()
