"""Snapshots of the settings screen, the cramp dialog and the insights panel.

Deterministic like tests/ui/test_ui_snapshots.py: a fake clock at Monday 2 March 2026 07:30 (+01:00), a fixed history
and cramp diary in a temporary folder, no clock in the header, and the focus on widgets without a blinking cursor.
Regenerate with `pytest tests/ui/test_ui_forms_snapshots.py --snapshot-update` and look at the SVGs before committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from ui_helpers import build_app, fake_clock, seed_diary, settle

from coach.ui.app import CoachApp

SnapCompare = Callable[..., bool]


def keys(*pressed: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.fixture
def app(data_dir: Path) -> Iterator[CoachApp]:
    seed_diary(data_dir)
    made = build_app(fake_clock(), data_dir)
    yield made
    made.recordings.close_all()


def test_settings(snap_compare: SnapCompare, app: CoachApp) -> None:
    assert snap_compare(app, terminal_size=(100, 30), run_before=keys("s"))


def test_cramp_dialog(snap_compare: SnapCompare, app: CoachApp) -> None:
    """Last night, the right leg (one on from the last entry's left), how bad 7: the choices read without colour."""
    assert snap_compare(app, terminal_size=(100, 30), run_before=keys("c", "l", "tab", "right", "7"))


def test_insights(snap_compare: SnapCompare, app: CoachApp) -> None:
    assert snap_compare(app, terminal_size=(100, 30), run_before=keys("h", "i"))
