"""Snapshots of every screen and state a user meets: home, hold, rest, paused, the soak's reminder, finished,
both questions, a short window and a tiny one.

Deterministic by construction: a fake clock at Monday 2 March 2026 07:30 (+01:00) that only the test moves, a
fixed history in a temporary folder, no clock in the header, no cursor to blink. `run_before` presses the keys,
moves the fake clock and calls the run screen's `poll()`, as its timer would. Regenerate with
`pytest tests/ui/test_ui_snapshots.py --snapshot-update` and look at the SVGs in __snapshots__/ before committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from ui_helpers import BEDTIME, MORNING, build_app, fake_clock, run_screen, seed_history, settle

from coach.engine.clock import FakeClock
from coach.ui.app import CoachApp

SnapCompare = Callable[..., bool]
RunBefore = Callable[[Pilot[None]], Awaitable[None]]


class Scene:
    """One app, built by its factory on a fake clock and a seeded history, and the steps that bring it to a state."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.apps: list[CoachApp] = []
        self.clock: FakeClock = fake_clock()

    def app(self, routine_id: str | None = None, *, at: Any = MORNING) -> CoachApp:
        self.clock = fake_clock(at)
        app = build_app(self.clock, self.data_dir, routine_id)
        self.apps.append(app)
        return app

    def steps(self, *keys_and_seconds: str | float) -> RunBefore:
        """Press keys (str) and let seconds pass (numbers) on the fake clock, polling as the timer would."""

        async def run_before(pilot: Pilot[None]) -> None:
            await settle(pilot)
            for item in keys_and_seconds:
                if isinstance(item, str):
                    await pilot.press(item)
                    continue
                screen = run_screen(pilot.app)  # type: ignore[arg-type]
                left = float(item)
                while left > 0:
                    self.clock.advance(min(1.0, left))
                    left -= 1.0
                    screen.poll()
            await settle(pilot)

        return run_before

    def suspend(self, seconds: float) -> RunBefore:
        """The laptop sleeps mid-soak, then the screen wakes up."""

        async def run_before(pilot: Pilot[None]) -> None:
            await self.steps("enter", 65)(pilot)
            self.clock.suspend(seconds)
            run_screen(pilot.app).poll()  # type: ignore[arg-type]
            await settle(pilot)

        return run_before


@pytest.fixture
def scene(data_dir: Path) -> Iterator[Scene]:
    seed_history(data_dir)
    made = Scene(data_dir)
    yield made
    for app in made.apps:
        app.recordings.close_all()


def test_home(snap_compare: SnapCompare, scene: Scene) -> None:
    assert snap_compare(scene.app(), terminal_size=(100, 30), run_before=scene.steps())


def test_history(snap_compare: SnapCompare, scene: Scene) -> None:
    assert snap_compare(scene.app(), terminal_size=(100, 30), run_before=scene.steps("h"))


def test_get_ready(snap_compare: SnapCompare, scene: Scene) -> None:
    assert snap_compare(scene.app("toe-exercises"), terminal_size=(100, 30), run_before=scene.steps())


def test_hold(snap_compare: SnapCompare, scene: Scene) -> None:
    assert snap_compare(scene.app("toe-exercises"), terminal_size=(100, 30), run_before=scene.steps("enter", 3))


def test_rest(snap_compare: SnapCompare, scene: Scene) -> None:
    assert snap_compare(scene.app("toe-exercises"), terminal_size=(100, 30), run_before=scene.steps("enter", 11))


def test_paused(snap_compare: SnapCompare, scene: Scene) -> None:
    app = scene.app("toe-exercises")
    assert snap_compare(app, terminal_size=(100, 30), run_before=scene.steps("enter", 40, "space", 30))


def test_soak_reminder(snap_compare: SnapCompare, scene: Scene) -> None:
    app = scene.app("foot-soak", at=BEDTIME)
    assert snap_compare(app, terminal_size=(100, 30), run_before=scene.steps("enter", 5 * 60 + 2))


def test_soak_may_stop(snap_compare: SnapCompare, scene: Scene) -> None:
    app = scene.app("foot-soak", at=BEDTIME)
    assert snap_compare(app, terminal_size=(100, 30), run_before=scene.steps("enter", 15 * 60 + 2))


def test_finished(snap_compare: SnapCompare, scene: Scene) -> None:
    app = scene.app("foot-soak", at=BEDTIME)
    assert snap_compare(app, terminal_size=(100, 30), run_before=scene.steps("enter", 20 * 60, "x"))


def test_sleep_gap_question(snap_compare: SnapCompare, scene: Scene) -> None:
    app = scene.app("foot-soak", at=BEDTIME)
    assert snap_compare(app, terminal_size=(100, 30), run_before=scene.suspend(25 * 60))


def test_quit_question(snap_compare: SnapCompare, scene: Scene) -> None:
    app = scene.app("toe-exercises")
    assert snap_compare(app, terminal_size=(100, 30), run_before=scene.steps("enter", 95, "q"))


def test_small_window_hold(snap_compare: SnapCompare, scene: Scene) -> None:
    app = scene.app("toe-exercises")
    assert snap_compare(app, terminal_size=(40, 12), run_before=scene.steps("enter", 3))


def test_small_window_soak_reminder(snap_compare: SnapCompare, scene: Scene) -> None:
    app = scene.app("foot-soak", at=BEDTIME)
    assert snap_compare(app, terminal_size=(40, 12), run_before=scene.steps("enter", 5 * 60 + 2))


def test_tiny_window(snap_compare: SnapCompare, scene: Scene) -> None:
    app = scene.app("toe-exercises")
    assert snap_compare(app, terminal_size=(30, 10), run_before=scene.steps("enter", 3))


# -- the run screen at the sizes a person meets: 80x24, 60x20, 40x15 and 160x48 --------------------------------

SIZES = [(80, 24), (60, 20), (40, 15), (160, 48)]


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_run_get_ready_at(snap_compare: SnapCompare, scene: Scene, size: tuple[int, int]) -> None:
    """Safety notes shown, or a visible way to them (s), at every size."""
    assert snap_compare(scene.app("toe-exercises"), terminal_size=size, run_before=scene.steps())


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_run_hold_at(snap_compare: SnapCompare, scene: Scene, size: tuple[int, int]) -> None:
    """The countdown is the dominant thing and grows with the window; Stop and Finish stay in the footer."""
    assert snap_compare(scene.app("toe-exercises"), terminal_size=size, run_before=scene.steps("enter", 80))


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_run_soak_at(snap_compare: SnapCompare, scene: Scene, size: tuple[int, int]) -> None:
    app = scene.app("foot-soak", at=BEDTIME)
    assert snap_compare(app, terminal_size=size, run_before=scene.steps("enter", 5 * 60 + 31))


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_run_stop_question_at(snap_compare: SnapCompare, scene: Scene, size: tuple[int, int]) -> None:
    """Every answer of the stop question in sight, uncut (the buttons at 60x20 among them)."""
    app = scene.app("toe-exercises")
    assert snap_compare(app, terminal_size=size, run_before=scene.steps("enter", 5, "q"))
