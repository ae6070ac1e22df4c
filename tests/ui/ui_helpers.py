"""Helpers for the pilot and snapshot tests: a fixed fake clock, the app built by its factory, what the screen shows.

Time never passes by itself here: a test moves the fake clock and calls the run screen's public `poll()`, which is
what the screen's one-shot timer does on every boundary. No test sleeps to wait for a timer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, cast

from coach.engine.clock import FakeClock
from coach.engine.recording import Status
from coach.ui.app import CoachApp, make_app

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from coach.diary.entries import CrampEntry
    from coach.store.records import SessionRecord
    from coach.ui.screens.run import RunScreen

PARIS_WINTER = timezone(timedelta(hours=1))
MORNING = datetime(2026, 3, 2, 7, 30, tzinfo=PARIS_WINTER)
"""Monday 2 March 2026, 07:30 in Paris: the wall time every UI test starts at."""
BEDTIME = datetime(2026, 3, 2, 22, 15, tzinfo=PARIS_WINTER)


def fake_clock(wall: datetime = MORNING) -> FakeClock:
    return FakeClock(wall=wall, monotonic=5000.0)


def build_app(clock: FakeClock, data_dir: Path, routine_id: str | None = None) -> CoachApp:
    """The app exactly as `coach` (or `coach run ROUTINE`) builds it, with a fake clock and a test data folder."""
    routine = None
    if routine_id is not None:
        from coach.routines.catalog import load_catalog

        routine = load_catalog().get(routine_id)
        assert routine is not None, routine_id
    return make_app(clock=clock, data_dir=data_dir, routine=routine)


def run_screen(app: CoachApp) -> RunScreen:
    """The run screen under any dialog."""
    from coach.ui.screens.run import RunScreen

    for screen in reversed(app.screen_stack):
        if isinstance(screen, RunScreen):
            return screen
    raise AssertionError(f"no run screen in {app.screen_stack}")


def screen_text(app: CoachApp) -> str:
    """Every line the terminal shows now, as plain text (dialogs include the screen dimmed behind them)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def advance(pilot: Pilot[None], clock: FakeClock, seconds: float, step: float = 1.0) -> None:
    """Let `seconds` pass on the fake clock, waking the run screen as its timer would (at most `step` apart)."""
    screen = run_screen(cast(CoachApp, pilot.app))
    left = seconds
    while left > 1e-9:
        moved = min(step, left)
        clock.advance(moved)
        left -= moved
        screen.poll()
    await pilot.pause()


async def settle(pilot: Pilot[None]) -> None:
    """Let thread workers (history reads) finish and their results reach the screen: a worker may start another
    (a saved note reloads the history, the day's maintenance announces a change), so wait until two rounds in a
    row end with no worker pending or running (a worker just made is pending, not yet running)."""
    quiet = 0
    for _ in range(50):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        quiet = quiet + 1 if all(worker.is_finished for worker in pilot.app.workers) else 0
        if quiet == 2:
            break


async def shows(pilot: Pilot[None], text: str, rounds: int = 200) -> bool:
    """Whether the screen comes to show `text` within `rounds` settled rounds: a reload a worker starts after an
    edit may still be on its way under load, so wait for what the user would wait for, never for a fixed time."""
    for _ in range(rounds):
        await settle(pilot)
        if text in screen_text(cast("CoachApp", pilot.app)):
            return True
    return False


async def open_note_editor(pilot: Pilot[None]) -> None:
    """`a` on the history screen, then wait until the note's line has the keys, as a user would see the cursor
    there before typing: the focus moves a message later, and under load the table may still be filling (`a`
    does nothing then). Typed too early, the note is taken as keys (c logs a cramp)."""
    for _ in range(100):
        if not pilot.app.screen.query_one("#note-editor").has_class("-open"):
            await pilot.press("a")
        await settle(pilot)
        if pilot.app.screen.query_one("#note-input").has_focus:
            return
    raise AssertionError("the note editor never opened")


def digits(app: CoachApp) -> str:
    """The big countdown as the user reads it."""
    from coach.ui.widgets.countdown import BigCountdown

    return run_screen(app).query_one("#run-digits", BigCountdown).text


def shown(app: CoachApp, selector: str) -> str:
    """The text of one line on the run screen."""
    from textual.widgets import Static

    return str(run_screen(app).query_one(selector, Static).render())


def history(data_dir: Path) -> list[SessionRecord]:
    """Every recorded session, oldest first (read after `app.recordings.close_all()`)."""
    from coach.store.store import open_store

    return open_store(data_dir, day_start_hour=4, clock=lambda: MORNING).sessions(newest_first=False)


def record(
    day: date,
    slot: str,
    *,
    status: Status = Status.COMPLETED,
    hour: int = 7,
    minutes: float = 12.0,
    routine: str = "toe-exercises",
    name: str = "Toe exercises",
) -> SessionRecord:
    """A finished session on a fixed day, to seed the history with."""
    from coach.store.records import SessionRecord

    started = datetime(day.year, day.month, day.day, hour, 0, tzinfo=PARIS_WINTER)
    ended = started + timedelta(minutes=minutes + 1)
    return SessionRecord(
        id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"coach-test/{day}/{slot}/{hour}")),
        routine_id=routine,
        routine_name=name,
        slot=slot,
        day=day,
        started_at=started,
        ended_at=ended,
        status=status,
        active_seconds=minutes * 60,
        cycles_done=int(minutes * 60 // 14),
        position="done",
        last_checkpoint_at=ended,
    )


def seed_history(data_dir: Path) -> None:
    """A week of history before Monday 2 March 2026: mornings kept, evenings mostly kept, one partial soak."""
    from coach.store.store import open_store

    records = []
    for back in range(1, 8):
        day = date(2026, 3, 2) - timedelta(days=back)
        records.append(record(day, "morning", hour=7))
        if back != 3:
            records.append(record(day, "evening", hour=18))
        if back <= 2:
            status = Status.PARTIAL if back == 2 else Status.COMPLETED
            minutes = 6.0 if back == 2 else 18.0
            records.append(
                record(day, "bedtime", hour=22, minutes=minutes, status=status, routine="foot-soak", name="Foot soak")
            )
    store = open_store(data_dir, day_start_hour=4, clock=lambda: MORNING)
    store.insert_sessions(records)


@dataclass
class CueCalls:
    """What reached the speech program and the desktop instead of the real ones."""

    spoken: list[str] = field(default_factory=list)
    notified: list[str] = field(default_factory=list)
    desktop_available: bool = True


def seed_cramps(data_dir: Path, cramps: list[tuple[date, str]]) -> None:
    """Cramps in the diary, each at 03:10 (+01:00) in the night after its coach day, with fixed ids."""
    from coach.diary.entries import make_entry
    from coach.store.store import open_store

    store = open_store(data_dir, day_start_hour=4, clock=lambda: MORNING)
    for number, (day, trigger) in enumerate(cramps):
        at = datetime(day.year, day.month, day.day, 3, 10, tzinfo=PARIS_WINTER) + timedelta(days=1)
        entry = make_entry(
            cramp_at=at,
            leg="left",
            muscle="calf",
            severity=5,
            trigger=trigger,
            now=MORNING,
            day_start_hour=4,
            entry_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"coach-test/cramp/{number}")),
        )
        store.diary.add(entry)


def seed_diary(data_dir: Path) -> None:
    """The seeded week of sessions (the program began on Monday 23 February 2026) and a cramp diary: nine cramps
    in the 4 weeks before, mostly in the cold, and one since."""
    seed_history(data_dir)
    before = date(2026, 2, 22)
    seed_cramps(
        data_dir,
        [
            (before - timedelta(days=back), trigger)
            for back, trigger in (
                (0, "cold"),
                (2, "cold"),
                (3, "posture"),
                (6, "cold"),
                (9, "unknown"),
                (12, "cold"),
                (17, "effort"),
                (20, "cold"),
                (26, "cold"),
                (40, "cold"),
                (55, "fatigue"),
            )
        ]
        + [(date(2026, 2, 27), "cold")],
    )


def diary_entries(data_dir: Path) -> list[CrampEntry]:
    """Every cramp in the diary, oldest first."""
    from coach.store.store import open_store

    return open_store(data_dir, day_start_hour=4, clock=lambda: MORNING).diary.entries(newest_first=False)
