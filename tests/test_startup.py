"""The app starts without the cyclic collector and gets it back once its first frame is out."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from coach import startup


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    yield
    startup._paused = False
    gc.unfreeze()
    gc.enable()


def test_paused_until_resumed_then_collecting_again() -> None:
    startup.pause_collector()
    assert not gc.isenabled()
    startup.resume_collector()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0  # the start-up heap is left out of later collections


def test_resume_does_nothing_unless_paused_here() -> None:
    gc.disable()  # someone else's choice (a profiler, a test runner): not ours to undo
    startup.resume_collector()
    assert not gc.isenabled() and gc.get_freeze_count() == 0
