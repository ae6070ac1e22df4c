"""The cramp diary in the app: c on home (or the palette) logs a cramp in a few keys; the history screen's insights
set the cramps beside the sessions kept, in honest words."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import Input
from ui_helpers import MORNING, build_app, diary_entries, screen_text, seed_cramps, seed_diary, settle

from coach.diary.entries import last_night
from coach.diary.insights import ASSOCIATION, DOCTOR
from coach.engine.clock import FakeClock
from coach.ui.screens.cramp import CrampDialog
from coach.ui.screens.history import HistoryScreen
from coach.ui.screens.home import HomeScreen

SIZE = (100, 30)


async def test_c_logs_a_cramp_now_with_the_defaults(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, CrampDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Cramp logged" in screen_text(app)
    [entry] = diary_entries(data_dir)
    assert (entry.cramp_at, entry.day) == (MORNING, date(2026, 3, 2))
    assert (entry.leg, entry.muscle, entry.severity, entry.trigger, entry.note) == ("both", "calf", 5, "unknown", "")


async def test_last_night_left_calf_in_the_cold_with_a_note(clock: FakeClock, data_dir: Path) -> None:
    """l for last night, arrows choose in each row (Tab moves on), digits say how bad, the note is typed."""
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "l")
        await pilot.press("tab", "right")  # leg: both -> left (the arrows go round)
        await pilot.press("tab", "right")  # muscle: calf -> foot/toes
        await pilot.press("1", "0")  # how bad: 1 then 0 is 10
        assert app.screen.query_one("#cramp-severity", Input).value == "10"
        await pilot.press("tab", "tab", "down")  # past how bad, to the triggers: don't know -> cold (round)
        await pilot.press("tab", *"window open")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    [entry] = diary_entries(data_dir)
    expected = last_night(MORNING, 4)
    assert entry.cramp_at == expected
    assert (entry.leg, entry.muscle, entry.severity, entry.trigger, entry.note) == (
        "left",
        "foot",
        10,
        "cold",
        "window open",
    )


async def test_at_a_time_this_morning(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "6", "t")
        assert app.screen.query_one("#cramp-at-input", Input).has_focus
        await pilot.press(*"05:40", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    [entry] = diary_entries(data_dir)
    assert entry.cramp_at.strftime("%H:%M") == "05:40" and entry.severity == 6


async def test_a_cramp_in_the_future_is_refused_with_the_message(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "t", *"2030-01-01 03:00", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CrampDialog)  # kept open, to be corrected
        assert "a cramp cannot be logged in the future" in screen_text(app)
        assert "Nothing was logged" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
    assert diary_entries(data_dir) == []


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        (("t", "enter"), "give the time of the cramp"),
        (("t", *"yesterday", "enter"), "cannot read the time"),
        (("tab", "tab", "tab", "backspace", "enter"), "severity must be a whole number from 0 to 10"),
    ],
)
async def test_what_cannot_be_read_is_refused(
    clock: FakeClock, data_dir: Path, keys: tuple[str, ...], message: str
) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", *keys)
        await settle(pilot)
        assert isinstance(app.screen, CrampDialog) and app.is_running
        assert message in screen_text(app)
    assert diary_entries(data_dir) == []


async def test_escape_logs_nothing(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "l", "7", "escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert diary_entries(data_dir) == []


async def test_a_busy_history_is_reported_not_a_crash(
    clock: FakeClock, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import coach.store.cramps
    from coach.common.problems import CoachError

    def busy(*args: object, **kwargs: object) -> object:
        raise CoachError("the history is busy in another coach; try again in a moment")

    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(coach.store.cramps.CrampDiary, "log", busy)
        await pilot.press("c", "enter")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, CrampDialog)
        assert "the history is busy" in screen_text(app)


async def test_the_palette_logs_a_cramp_and_history_shows_it_at_once(clock: FakeClock, data_dir: Path) -> None:
    seed_diary(data_dir)
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await settle(pilot)
        panel = app.screen.query_one("#insights-lines")
        assert "1 in the last 8 days" in " ".join(str(w.render()) for w in panel.children)
        await pilot.press("ctrl+p", *"log cramp")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        prompts = [str(option.prompt).split("\n")[0] for option in app.screen.query_one(CommandList).options]
        assert prompts[0] == "Log cramp", prompts
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CrampDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        panel = app.screen.query_one("#insights-lines")
        assert "2 in the last 8 days" in " ".join(str(w.render()) for w in panel.children)
    assert len(diary_entries(data_dir)) == 13


# -- insights -----------------------------------------------------------------------------------------------------


def insights_text(app: object) -> str:
    """The insights panel's words, whether or not it is scrolled into view."""
    from coach.ui.app import CoachApp

    assert isinstance(app, CoachApp)
    screen = app.screen
    chart = str(screen.query_one("#insights-chart").render())
    lines = [str(widget.render()) for widget in screen.query_one("#insights-lines").children]
    return " ".join("\n".join([chart, *lines]).split())


async def test_insights_with_no_data_say_so_in_one_friendly_line(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await settle(pilot)
        text = insights_text(app)
        assert text.startswith("Nothing to set side by side yet")
        assert "press c on the home screen" in text
        assert not app.screen.query_one("#insights-lines").children


async def test_insights_chart_comparison_trigger_and_honest_words(clock: FakeClock, data_dir: Path) -> None:
    seed_diary(data_dir)
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await settle(pilot)
        text = insights_text(app)
        assert "09 Dec – 15 Dec" in text and "24 Feb – 02 Mar" in text  # 12 weeks, the last ending today
        assert "12/21" in text and "before the program" in text
        assert f"Fewer cramps since you began — {ASSOCIATION}" in text
        assert "Most often you suspected cold" in text and "Keep your legs warm at night" in text
        assert DOCTOR not in text
        await pilot.press("i")  # scrolls the panel into view
        await pilot.pause()
        assert "Cramps and sessions" in screen_text(app)
        assert "Most often you suspected cold" in " ".join(screen_text(app).split())


async def test_insights_show_the_doctor_warning_when_cramps_are_frequent(clock: FakeClock, data_dir: Path) -> None:
    today = date(2026, 3, 2)
    seed_cramps(data_dir, [(today - timedelta(days=back), "cold") for back in range(1, 15)])  # every night
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await settle(pilot)
        text = insights_text(app)
        assert "You logged 6.5 cramps a week lately" in text
        assert DOCTOR in text
        doctor = [w for w in app.screen.query(".insight") if DOCTOR in str(w.render())]
        assert len(doctor) == 1 and doctor[0].has_class("-doctor")  # set apart (bold, warning colour)
        assert f"Read the two columns side by side: {ASSOCIATION}." in text  # no comparison: said anyway


async def test_a_narrow_window_stacks_the_choices(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        text = screen_text(app)
        assert "At (t)" in text and "both" in text and "thigh" in text  # nothing cut off at the right
        await pilot.press("l", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert len(diary_entries(data_dir)) == 1


async def test_the_palette_offers_nothing_over_the_dialog(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "ctrl+p", *"log")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        prompts = [str(option.prompt).split("\n")[0] for option in app.screen.query_one(CommandList).options]
        assert "Log cramp" not in prompts, prompts  # a second dialog over the first would lose the first
        await pilot.press("escape")
        assert isinstance(app.screen, CrampDialog)
