"""Home: today's plan, the routines to start (Enter, a click), history (h, Escape back), quitting."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, OptionList
from ui_helpers import (
    build_app,
    digits,
    history,
    open_note_editor,
    run_screen,
    screen_text,
    seed_history,
    settle,
    shows,
)

from coach.engine.clock import FakeClock
from coach.ui.screens.history import HistoryScreen
from coach.ui.screens.home import HomeScreen
from coach.ui.screens.run import RunScreen

SIZE = (100, 30)


async def test_home_shows_today_the_routines_and_streaks(clock: FakeClock, data_dir: Path) -> None:
    seed_history(data_dir)
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Today · Monday 2 March" in text
        for line in ("Morning  to do", "Evening  to do", "Bedtime  to do"):
            assert line in text
        assert "Toe exercises" in text and "Foot soak" in text
        assert "Morning     7 days  longest 7" in text  # seeded: the 7 mornings before today were kept


async def test_enter_starts_the_highlighted_routine(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        options = app.screen.query_one("#routines", OptionList)
        assert options.get_option_at_index(0).id == "toe-exercises"  # the morning's routine first
        await pilot.press("down", "enter")
        assert isinstance(app.screen, RunScreen)
        assert app.screen.routine.id == "foot-soak"
        assert "Prepare the water" in screen_text(app)


async def test_clicking_a_routine_starts_it(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        options = app.screen.query_one("#routines", OptionList)
        # The second option (Foot soak) is drawn on lines 2-3 of the list: click its first line.
        assert await pilot.click("#routines", offset=(4, 3))
        await pilot.pause()
        assert isinstance(app.screen, RunScreen), options.highlighted
        assert app.screen.routine.id == "foot-soak"
        assert len(app.screen_stack) == 2  # one run screen, not two (click and Enter are not both acted on)


async def test_selecting_an_option_starts_it_once(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        options = app.screen.query_one("#routines", OptionList)
        options.highlighted = 0
        options.action_select()
        await pilot.pause()
        assert isinstance(app.screen, RunScreen)
        assert app.screen.routine.id == "toe-exercises"
        assert len(app.screen_stack) == 2


async def test_h_opens_history_and_escape_comes_back(clock: FakeClock, data_dir: Path) -> None:
    seed_history(data_dir)
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        assert isinstance(app.screen, HistoryScreen)
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 15  # the seeded sessions: 7 mornings, 6 evenings, 2 soaks
        text = screen_text(app)
        assert "Sun 01 Mar 2026" in text and "partial" in text
        assert "15 sessions in all" in text  # the streaks beside the calendar are not pushed off the screen
        # The calendar's latest days are the ones that matter: never cut off at the right edge.
        assert "Bedtime ····" in text and "◧■·" in text and "02 Mar" in text
        assert "Morning       7     7  100%" in text
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("h", "q")
        assert isinstance(app.screen, HomeScreen)


async def test_history_of_a_new_user_says_so(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await settle(pilot)
        assert "No sessions yet." in screen_text(app)


async def test_q_on_home_exits(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        assert not app.is_running
    assert app.return_code == 0


async def test_back_home_after_a_session_the_plan_shows_it(clock: FakeClock, data_dir: Path) -> None:
    """A soak finished and closed: the home screen says bedtime is done (history written before it is read)."""
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter", "enter")  # Foot soak, ready
        screen = run_screen(app)
        for _ in range(20 * 6):
            clock.advance(10)
            screen.poll()
        await pilot.pause()
        assert screen.snapshot is not None and screen.snapshot.finished
        assert digits(app) == "20:00"
        await pilot.press("q")
        assert isinstance(app.screen, HomeScreen)
        await settle(pilot)
        assert "Bedtime  done" in screen_text(app)
    assert app.recordings.close_all()
    assert [(r.routine_id, r.status.value) for r in history(data_dir)] == [("foot-soak", "completed")]


async def test_a_adds_a_note_to_the_selected_session(clock: FakeClock, data_dir: Path) -> None:
    seed_history(data_dir)
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("down")  # the second newest: Sunday evening
        await open_note_editor(pilot)
        await pilot.press(*"calf cramp at 3am", "enter")
        assert await shows(pilot, "calf cramp at 3am"), screen_text(app)
        assert not app.screen.query_one("#note-editor").has_class("-open")
    notes = {(r.day.isoformat(), r.slot): r.note for r in history(data_dir) if r.note}
    assert notes == {("2026-03-01", "evening"): "calf cramp at 3am"}


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (40, 15), (160, 48)])
async def test_the_note_being_typed_is_on_screen(clock: FakeClock, data_dir: Path, size: tuple[int, int]) -> None:
    """The note editor and the footer share the bottom edge: the line typed into must not be under the footer."""
    seed_history(data_dir)
    app = build_app(clock, data_dir)
    async with app.run_test(size=size) as pilot:
        await pilot.press("h")
        await settle(pilot)
        await open_note_editor(pilot)
        await pilot.press(*"calves tight")
        await settle(pilot)
        assert "calves tight" in screen_text(app)


async def test_narrowing_the_window_keeps_the_status_whole(clock: FakeClock, data_dir: Path) -> None:
    """From 80 to 60 columns with a note on a session: the columns are laid out anew for the narrower window."""
    seed_history(data_dir)
    app = build_app(clock, data_dir)
    async with app.run_test(size=(80, 44)) as pilot:
        await pilot.press("h")
        await settle(pilot)
        await open_note_editor(pilot)
        await pilot.press(*"calves tight", "enter")
        assert await shows(pilot, "calves tight")
        await pilot.resize_terminal(60, 44)
        await settle(pilot)
        rows = [line for line in screen_text(app).splitlines() if "Foot soak" in line or "Toe exercises" in line]
        assert rows and all(line.rstrip().endswith(("completed", "partial")) for line in rows), rows


async def test_a_note_that_cannot_be_saved_is_reported_not_a_crash(
    clock: FakeClock, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import coach.store.store
    from coach.common.problems import CoachError

    seed_history(data_dir)
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("h")
        await settle(pilot)

        def busy(*args: object, **kwargs: object) -> object:
            raise CoachError("the history is busy in another coach; try again in a moment")

        monkeypatch.setattr(coach.store.store.Store, "set_note", busy)
        await open_note_editor(pilot)
        await pilot.press(*"x", "enter")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, HistoryScreen)
        assert "the history is busy" in screen_text(app)


async def test_a_history_that_cannot_be_read_is_said_on_the_plan_too(clock: FakeClock, data_dir: Path) -> None:
    """Today's lines wait for the history with "…"; when it cannot be read they say so (the message says why and
    what to do), instead of waiting for ever."""
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "history.sqlite3").write_bytes(b"not a database " * 200)
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert await shows(pilot, "damaged")
        text = screen_text(app)
        assert "Morning  not read" in text and "Bedtime  not read" in text and "…" not in text
