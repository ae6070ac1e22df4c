"""The driver: its keyboard thread sleeps until a key (yet a lone Escape still arrives, and exit is immediate), and a
stopped and continued coach (kill -STOP / -CONT) keeps its one keyboard reader; Ctrl+Z still comes back."""

from __future__ import annotations

import os
import selectors
import signal
import threading
import time
from collections.abc import AsyncIterator

import pytest
from textual import events
from textual._xterm_parser import XTermParser
from textual.app import App

from coach.ui.driver import CoachDriver, escape_wait


@pytest.fixture
async def driver(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[CoachDriver, list[str]]]:
    """The driver as a running app makes it (it needs the event loop), its restarts recorded instead of done."""
    before = {number: signal.getsignal(number) for number in (signal.SIGTSTP, signal.SIGCONT)}
    made = CoachDriver(App(), debug=False, mouse=False)
    restarts: list[str] = []
    monkeypatch.setattr(made, "start_application_mode", lambda: restarts.append("start"))
    yield made, restarts
    for number, handler in before.items():
        signal.signal(number, handler)


async def test_a_continue_without_ctrl_z_leaves_the_terminal_and_threads_alone(
    driver: tuple[CoachDriver, list[str]],
) -> None:
    made, restarts = driver
    made._sigcont_application()
    assert restarts == []


async def test_a_continue_after_ctrl_z_resumes_application_mode(
    driver: tuple[CoachDriver, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    made, restarts = driver
    made._must_signal_resume = True  # what Textual's SIGTSTP handler sets once it has suspended application mode
    made._sigcont_application()
    assert restarts == ["start"]


def test_the_app_runs_on_this_driver_in_a_real_terminal() -> None:
    from coach.ui.app import CoachApp

    assert issubclass(CoachApp.get_driver_class(App.__new__(CoachApp)), CoachDriver)


class KeyboardThread:
    """The driver's keyboard thread reading from a pipe instead of the terminal, the keys it sends recorded."""

    def __init__(self, made: CoachDriver, monkeypatch: pytest.MonkeyPatch) -> None:
        self.driver = made
        self.read_fd, self.write_fd = os.pipe()
        made.fileno = self.read_fd
        self.keys: list[str] = []
        self.arrived = threading.Event()

        def record(message: object) -> None:
            if isinstance(message, events.Key):
                self.keys.append(message.key)
                self.arrived.set()

        monkeypatch.setattr(made, "process_message", record)
        self.timeouts: list[float | None] = []
        select = selectors.SelectSelector.select

        def timed_select(selector: selectors.SelectSelector, timeout: float | None = None) -> list[object]:
            self.timeouts.append(timeout)
            return select(selector, timeout)

        monkeypatch.setattr(selectors.SelectSelector, "select", timed_select)
        self.thread = threading.Thread(target=made.run_input_thread, daemon=True)
        self.thread.start()

    def type(self, text: str) -> list[str]:
        """Type text and wait (at most 5 s, for a slow machine) until a key from it arrives."""
        return self.type_bytes(text.encode())

    def type_bytes(self, data: bytes) -> list[str]:
        self.arrived.clear()
        os.write(self.write_fd, data)
        assert self.arrived.wait(5), f"no key arrived for {data!r}"
        return self.keys

    def __enter__(self) -> KeyboardThread:
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Exit as the app does (the event set), then close the pipe."""
        self.driver.exit_event.set()
        self.thread.join(5)
        os.close(self.read_fd)
        os.close(self.write_fd)


async def test_the_keyboard_thread_sends_keys_and_a_lone_escape_then_stops_at_once_on_exit(
    driver: tuple[CoachDriver, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    made, _ = driver
    with KeyboardThread(made, monkeypatch) as keyboard:
        assert keyboard.type("q") == ["q"]
        # A lone Escape is only known to be one when no more of a sequence follows: the parser's timeout sends it.
        assert keyboard.type("\x1b") == ["q", "escape"]
        assert keyboard.type("\x1b[A") == ["q", "escape", "up"]
    assert not keyboard.thread.is_alive()  # exit woke it at once
    # Asleep until a key: no timeout at all, except while an Escape waited to be known as a lone one.
    assert keyboard.timeouts[0] is None and keyboard.timeouts[-1] is None
    assert 0.1 not in keyboard.timeouts  # Textual's own loop wakes every 0.1 s


async def test_the_keyboard_thread_sleeps_without_a_timeout_unless_an_escape_is_unfinished() -> None:
    parser = XTermParser()
    assert escape_wait(parser) is None
    list(parser.feed("\x1b"))
    wait = escape_wait(parser)
    assert wait is not None and 0 < wait <= 1
    list(parser.feed("[A"))
    assert escape_wait(parser) is None


async def test_an_exit_set_while_no_keyboard_thread_runs_does_not_wake_the_next_one(
    driver: tuple[CoachDriver, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    made, _ = driver
    made.exit_event.set()  # as Ctrl+Z does: the thread stops, the event is cleared, the pipe keeps its byte
    made.exit_event.clear()
    with KeyboardThread(made, monkeypatch) as keyboard:
        assert keyboard.type("a") == ["a"]
        assert keyboard.thread.is_alive()
        # A wake-up left in the pipe would make every select return at once: a core spinning for the whole session.
        # Asleep, the loop went round once for the key (a select before it, one after).
        assert len(keyboard.timeouts) <= 3, f"{len(keyboard.timeouts)} selects for one key"


async def test_a_character_split_across_two_reads_arrives_whole(
    driver: tuple[CoachDriver, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over a slow link "é" can come in two reads; the first decodes to nothing and must not read as end of input."""
    made, _ = driver
    with KeyboardThread(made, monkeypatch) as keyboard:
        os.write(keyboard.write_fd, "é".encode()[:1])
        deadline = time.monotonic() + 5
        while len(keyboard.timeouts) < 2 and time.monotonic() < deadline:  # the first byte read, asleep again
            threading.Event().wait(0.01)
        assert keyboard.type_bytes("é".encode()[1:]) == ["é"]
        assert keyboard.type("q") == ["é", "q"]
