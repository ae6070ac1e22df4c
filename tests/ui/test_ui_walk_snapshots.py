"""A walk through every screen this package owns besides the run screen and settings, at 80x24, 60x20, 40x15 and
160x48: home (at bedtime, the soak due now), history, the cramp form, the copy form and Why.

Deterministic like tests/ui/test_ui_snapshots.py (a fake clock, a seeded history and diary in a temporary folder, no
clock in the header). Regenerate with `pytest tests/ui/test_ui_walk_snapshots.py --snapshot-update` and look at every
SVG in __snapshots__/ before committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from ui_helpers import BEDTIME, build_app, fake_clock, seed_diary, settle

from coach.ui.app import CoachApp

SnapCompare = Callable[..., bool]
SIZES = [(80, 24), (60, 20), (40, 15), (160, 48)]
SIZE_IDS = [f"{width}x{height}" for width, height in SIZES]


def keys(*pressed: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False  # a blinking cursor would make the picture depend on the moment
        await pilot.pause()

    return run_before


@pytest.fixture
def app(data_dir: Path) -> Iterator[CoachApp]:
    seed_diary(data_dir)
    made = build_app(fake_clock(BEDTIME), data_dir)
    yield made
    made.recordings.close_all()


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_home(snap_compare: SnapCompare, app: CoachApp, size: tuple[int, int]) -> None:
    assert snap_compare(app, terminal_size=size, run_before=keys())


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_history(snap_compare: SnapCompare, app: CoachApp, size: tuple[int, int]) -> None:
    assert snap_compare(app, terminal_size=size, run_before=keys("h"))


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_history_note(snap_compare: SnapCompare, app: CoachApp, size: tuple[int, int]) -> None:
    """The note editor opens on screen, saying which session it is for."""
    assert snap_compare(app, terminal_size=size, run_before=keys("h", "down", "a"))


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_cramp_form(snap_compare: SnapCompare, app: CoachApp, size: tuple[int, int]) -> None:
    assert snap_compare(app, terminal_size=size, run_before=keys("c"))


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_copy_form(snap_compare: SnapCompare, app: CoachApp, size: tuple[int, int]) -> None:
    assert snap_compare(app, terminal_size=size, run_before=keys("up", "e"))


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_why(snap_compare: SnapCompare, app: CoachApp, size: tuple[int, int]) -> None:
    assert snap_compare(app, terminal_size=size, run_before=keys("w"))
