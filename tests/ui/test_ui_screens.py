"""Home, history and the forms as a person meets them: what is due now, the keys the footer keeps, the history's
lower part and its note editor at 80x24, broken routine files, the cramp form's starting answers."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from textual.widgets import OptionList
from ui_helpers import (
    PARIS_WINTER,
    build_app,
    diary_entries,
    fake_clock,
    history,
    open_note_editor,
    record,
    screen_text,
    seed_cramps,
    seed_diary,
    settle,
)

from coach.diary.entries import FIRST_DEFAULTS, cramp_defaults
from coach.engine.clock import FakeClock
from coach.routines.catalog import load_catalog
from coach.store.store import open_store
from coach.ui.app import CoachApp, make_app
from coach.ui.screens.cramp import CrampDialog
from coach.ui.screens.history import HistoryScreen
from coach.ui.screens.run import RunScreen
from coach.ui.widgets.footer import CoachFooter

LATE = datetime(2026, 3, 2, 22, 30, tzinfo=PARIS_WINTER)
"""Monday 2 March 2026, 22:30: bedtime."""


def footer_keys(app: CoachApp) -> str:
    """The footer's line as the terminal shows it."""
    return screen_text(app).splitlines()[-1]


def seed_today(data_dir: Path, *slots: str) -> None:
    sessions = [record(date(2026, 3, 2), slot, hour=7 if slot == "morning" else 18) for slot in slots]
    open_store(data_dir, day_start_hour=4, clock=lambda: LATE).insert_sessions(sessions)


# -- home: what is due now --------------------------------------------------------------------------------------


async def test_at_2230_with_the_evening_done_enter_starts_the_soak(data_dir: Path) -> None:
    seed_today(data_dir, "morning", "evening")
    app = build_app(fake_clock(LATE), data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = screen_text(app).splitlines()
        [bedtime] = [line for line in lines if "Bedtime" in line and "to do" in line]
        assert "◀ now" in bedtime and "Foot soak" in bedtime
        assert not any("◀" in line for line in lines if "Evening" in line or "Morning" in line)
        await pilot.press("enter")
        assert isinstance(app.screen, RunScreen) and app.screen.routine.id == "foot-soak"


async def test_at_2230_with_nothing_done_the_soak_is_due_not_the_missed_morning(data_dir: Path) -> None:
    app = build_app(fake_clock(LATE), data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        [now] = [line for line in screen_text(app).splitlines() if "◀" in line]
        assert "Bedtime" in now and "◀ now" in now
        await pilot.press("enter")
        assert isinstance(app.screen, RunScreen) and app.screen.routine.id == "foot-soak"


async def test_in_the_afternoon_with_the_morning_done_the_evening_is_next(data_dir: Path) -> None:
    seed_today(data_dir, "morning")
    app = build_app(fake_clock(datetime(2026, 3, 2, 12, 0, tzinfo=PARIS_WINTER)), data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        [evening] = [line for line in screen_text(app).splitlines() if "Evening" in line and "to do" in line]
        assert "◀ next" in evening
        await pilot.press("enter")
        assert isinstance(app.screen, RunScreen) and app.screen.routine.id == "toe-exercises"


async def test_a_cursor_the_user_moved_stays_where_they_put_it(data_dir: Path) -> None:
    app = build_app(fake_clock(LATE), data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("up")  # before the plan is read: from the soak (due at 22:30) to the toes
        await settle(pilot)
        options = app.screen.query_one("#routines", OptionList)
        assert options.highlighted is not None
        assert options.get_option_at_index(options.highlighted).id == "toe-exercises"


async def test_a_started_not_finished_slot_keeps_a_gap_before_the_routine(data_dir: Path) -> None:
    from coach.engine.recording import Status

    partial = record(date(2026, 3, 2), "morning", status=Status.PARTIAL, minutes=2)
    open_store(data_dir, day_start_hour=4, clock=lambda: LATE).insert_sessions([partial])
    app = build_app(fake_clock(datetime(2026, 3, 2, 9, 0, tzinfo=PARIS_WINTER)), data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        [morning] = [line for line in screen_text(app).splitlines() if "Morning" in line and "started" in line]
        assert "started, not finished  ◀ now   Toe exercises" in morning


@pytest.mark.parametrize("width", [80, 60, 40])
async def test_plan_lines_never_end_on_a_cut_name_or_a_comma(width: int, data_dir: Path) -> None:
    app = build_app(fake_clock(LATE), data_dir)
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        for line in screen_text(app).splitlines()[1:5]:
            assert not line.rstrip().endswith(","), line


# -- the footer keeps the keys that matter ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("width", "shown", "gone"),
    [
        (80, ["Start", "History", "Log cramp", "Make it mine", "Settings", "Why", "q Quit"], ["palette"]),
        (60, ["Start", "History", "Log cramp", "Make it mine", "q Quit"], ["Settings", "Why"]),
        (40, ["Start", "History", "q Quit"], ["Log cramp", "Make it mine"]),
    ],
)
async def test_home_footer_keeps_start_and_quit(
    width: int, shown: list[str], gone: list[str], clock: FakeClock, data_dir: Path
) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=(width, 20)) as pilot:
        await settle(pilot)
        footer = footer_keys(app)
        assert all(key in footer for key in shown), footer
        assert not any(key in footer for key in gone), footer


async def test_the_footer_gives_keys_back_when_the_window_widens(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=(40, 20)) as pilot:
        await settle(pilot)
        assert "Settings" not in footer_keys(app)
        await pilot.resize_terminal(100, 20)
        await settle(pilot)
        assert "Settings" in footer_keys(app) and "palette" in footer_keys(app)
        assert isinstance(app.screen.query_one(CoachFooter), CoachFooter)


# -- history at 80x24 -------------------------------------------------------------------------------------------


async def test_history_at_80x24_the_arrows_reach_the_insights_below(clock: FakeClock, data_dir: Path) -> None:
    seed_diary(data_dir)
    app = build_app(clock, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        await settle(pilot)
        assert "30 d" in screen_text(app) and "Cramps and sessions" not in screen_text(app)
        await pilot.press(*["down"] * 15)  # through the 15 sessions, then once past the last one
        assert "Cramps and sessions" in screen_text(app)
        await pilot.press(*["down"] * 4)
        assert "12 weeks of 7 days to 02 Mar 2026" in screen_text(app)  # the end of the chart
        await pilot.press("up")  # back to the last session: the page follows the cursor
        assert "Mon 23 Feb 2026  Morning" in screen_text(app)
        await pilot.press(*["up"] * 16)  # past the first row: the calendar again
        assert "Morning ·" in screen_text(app)


async def test_the_note_editor_opens_on_screen_for_the_session_it_is_for(clock: FakeClock, data_dir: Path) -> None:
    seed_diary(data_dir)
    app = build_app(clock, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        await settle(pilot)
        await pilot.press(*["down"] * 9)  # Wed 25 Feb, evening: far down the page at 80x24
        await open_note_editor(pilot)
        text = screen_text(app)
        assert "Note for Wed 25 Feb 2026 · Evening · Toe exercises, 12m, completed" in text
        await pilot.press(*"calves tight", "enter")
        await settle(pilot)
    notes = {(r.day.isoformat(), r.slot): r.note for r in history(data_dir) if r.note}
    assert notes == {("2026-02-25", "evening"): "calves tight"}


async def test_escape_closes_the_note_editor_without_saving(clock: FakeClock, data_dir: Path) -> None:
    seed_diary(data_dir)
    app = build_app(clock, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        await settle(pilot)
        await open_note_editor(pilot)
        await pilot.press(*"oops", "escape")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen) and "Note for" not in screen_text(app)
    assert not [r for r in history(data_dir) if r.note]


async def test_one_session_is_one_session(clock: FakeClock, data_dir: Path) -> None:
    open_store(data_dir, day_start_hour=4, clock=lambda: LATE).insert_sessions([record(date(2026, 3, 1), "morning")])
    app = build_app(clock, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        await settle(pilot)
        assert "1 session in all" in screen_text(app)


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (40, 15)])
async def test_history_rows_keep_the_routine_and_the_status_whole(size: tuple[int, int], data_dir: Path) -> None:
    seed_diary(data_dir)
    app = build_app(fake_clock(), data_dir)
    async with app.run_test(size=size) as pilot:
        await pilot.press("h")
        await settle(pilot)
        rows = [line for line in screen_text(app).splitlines() if "Foot soak" in line]
        assert rows and all("completed" in line or "partial" in line for line in rows), rows


@pytest.mark.parametrize(("answer", "left"), [("n", 15), ("y", 14)])
async def test_d_deletes_the_selected_session_once_asked(
    answer: str, left: int, clock: FakeClock, data_dir: Path
) -> None:
    seed_diary(data_dir)
    app = build_app(clock, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("down", "down", "down", "d")  # Sat 28 Feb, the partial soak
        text = screen_text(app)
        assert "Delete this session?" in text and "Sat 28 Feb 2026 · Bedtime · Foot soak, 6m, partial" in text
        await pilot.press(answer)
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert f"{left} sessions in all" in screen_text(app)  # the streaks and the calendar read again too
    kept = [(r.day.isoformat(), r.slot) for r in history(data_dir)]
    assert (("2026-02-28", "bedtime") in kept) is (answer == "n")


# -- broken routine files ---------------------------------------------------------------------------------------


async def test_a_broken_routine_file_is_shown_with_its_problem(
    clock: FakeClock, data_dir: Path, isolated_user_dirs: Path
) -> None:
    folder = isolated_user_dirs / "config" / "routines"
    folder.mkdir(parents=True)
    (folder / "my-toes.toml").write_text('name = "My toes"\nslots = ["morning"]\ntiem = "10s"\n')
    app = make_app(clock=clock, data_dir=data_dir, catalog=load_catalog())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "⚠ my-toes.toml not loaded" in text and "line 3:" in text
        assert "Routine not loaded: my-toes.toml" in text  # the notification, as settings mistakes get
        options = app.screen.query_one("#routines", OptionList)
        assert options.get_option_at_index(len(options.options) - 1).disabled  # shown, never started


# -- the cramp form starts where `coach cramp` does ---------------------------------------------------------------


async def test_the_cramp_form_starts_from_the_last_entry_like_the_cli(clock: FakeClock, data_dir: Path) -> None:
    seed_cramps(data_dir, [(date(2026, 2, 27), "cold")])  # left calf, 5
    [last] = diary_entries(data_dir)
    expected = cramp_defaults(last)
    assert (expected.leg, expected.muscle, expected.severity, expected.trigger) == ("left", "calf", 5, "unknown")
    app = build_app(clock, data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CrampDialog)
        assert dialog.query_one("#cramp-leg").value == "left"  # type: ignore[attr-defined]


def test_a_new_diary_starts_from_both_legs_the_calf_and_5() -> None:
    assert cramp_defaults(None) == FIRST_DEFAULTS
    assert (FIRST_DEFAULTS.leg, FIRST_DEFAULTS.muscle, FIRST_DEFAULTS.severity) == ("both", "calf", 5)
