"""The app starts without the cyclic collector and gets it back once its first frame is out."""

from __future__ import annotations

import gc

import pytest

from coach.ui import startup

pytestmark = pytest.mark.usefixtures("collector_restored")


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
