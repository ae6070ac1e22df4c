"""A stopped and continued coach (kill -STOP / -CONT) keeps its one keyboard reader; Ctrl+Z still comes back."""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator

import pytest
from textual.app import App

from coach.ui.driver import CoachDriver


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
