"""Settings: s on home (or the palette); Ctrl+S writes settings.toml and the app uses it at once, Escape leaves the
file as it was; a preferred length outside the routine's range is refused; a file with mistakes shows them and is
only rewritten on save."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from msgspec.structs import replace
from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static, Switch
from ui_helpers import build_app, fake_clock, screen_text, settle

from coach.config.settings import Settings, load_settings
from coach.engine.clock import FakeClock
from coach.routines.catalog import Catalog, load_catalog
from coach.ui.app import CoachApp, make_app
from coach.ui.screens.home import HomeScreen
from coach.ui.screens.settings import SettingsScreen

SIZE = (100, 30)


def refusal(app: CoachApp) -> str:
    """Why the form was not saved, as shown under it."""
    return str(app.screen.query_one("#settings-refused", Static).render())


async def test_day_start_and_a_preferred_length_are_saved(
    clock: FakeClock, data_dir: Path, settings_file: Path
) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        assert app.screen.query_one("#settings-day-start", Select).has_focus
        await pilot.press("enter", "down", "down", "enter")  # the hour's list: 04:00 -> 06:00
        assert app.screen.query_one("#settings-day-start", Select).value == 6
        app.screen.length_inputs["foot-soak"].focus()
        await pilot.press(*"18m")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Saved in settings.toml" in screen_text(app)
    loaded = load_settings(settings_file)
    assert loaded.problems == []
    assert loaded.settings == Settings(day_start_hour=6, lengths={"foot-soak": "18m"})
    assert app.context.settings == loaded.settings  # used at once: the next soak ends by itself at 18 minutes


async def test_switches_speech_program_and_theme(clock: FakeClock, data_dir: Path, settings_file: Path) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        screen.query_one("#settings-sound", Switch).focus()
        await pilot.press("space")  # sounds off
        assert screen.query_one("#settings-sound", Switch).value is False
        assert "off" in screen_text(app)  # the state in words, not only in colour
        await pilot.press("tab", "tab", "space")  # past "How much sound": spoken cues on
        screen.query_one("#settings-sounds", Select).value = "starts and the end"
        screen.query_one("#settings-speech", Select).value = "espeak-ng"
        screen.query_one("#settings-theme", Select).value = "nord"
        await pilot.pause()
        assert app.theme == "nord"  # shown at once
        await pilot.press("ctrl+s")
        await settle(pilot)
    saved = load_settings(settings_file).settings
    assert (saved.sound, saved.voice, saved.speech_program, saved.theme) == (False, True, "espeak-ng", "nord")
    assert saved.sounds == "starts and the end"


async def test_escape_leaves_without_saving_and_puts_the_theme_back(
    clock: FakeClock, data_dir: Path, settings_file: Path
) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("enter", "down", "enter")
        app.screen.query_one("#settings-theme", Select).value = "nord"
        app.screen.length_inputs["toe-exercises"].value = "12m"
        await pilot.pause()
        assert app.theme == "nord"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.theme == "textual-dark"
        assert app.context.settings == Settings()
    assert not settings_file.exists()


async def test_a_length_outside_the_range_is_refused_and_nothing_written(
    clock: FakeClock, data_dir: Path, settings_file: Path
) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("s")
        await settle(pilot)
        length = app.screen.length_inputs["foot-soak"]
        length.focus()
        await pilot.press(*"25m")
        await pilot.pause()
        assert "15m to 20m" in screen_text(app)  # the allowed range is shown beside it
        assert not length.is_valid  # marked while typed
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)  # still there, to be corrected
        assert refusal(app) == "Foot soak: 25m is outside 15m to 20m. Nothing was saved."
        assert "Settings not saved" in screen_text(app)  # told at once, wherever the form is scrolled
        await pilot.press("backspace", "backspace", "backspace", *"1h")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        assert "1h is outside 15m to 20m" in refusal(app)
        await pilot.press("backspace", "backspace", *"soon", "ctrl+s")
        await settle(pilot)
        assert "'soon' is not a duration" in refusal(app)
        assert app.context.settings == Settings()
    assert not settings_file.exists()


async def test_a_file_with_mistakes_shows_them_and_is_rewritten_only_on_save(
    clock: FakeClock, data_dir: Path, settings_file: Path
) -> None:
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    written = 'day_start_hour = 20\nsound = "yes"\ntheme = "nord"\n'
    settings_file.write_text(written)
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert "settings.toml has mistakes" in screen_text(app)
        text = str(app.screen.query_one("#settings-problems", Static).render())
        assert f"{settings_file}:1:1: day_start_hour must be an hour from 0 to 12" in text
        assert f"{settings_file}:2:1: sound must be true or false" in text
        assert "only rewritten when you save here" in text
        assert app.screen.query_one("#settings-day-start", Select).value == 4  # the default, in use
        await pilot.press("escape")
        await settle(pilot)
        assert settings_file.read_text() == written  # left as it was
        await pilot.press("s")
        await settle(pilot)
        assert "settings.toml has mistakes" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    loaded = load_settings(settings_file)
    assert loaded.problems == []
    assert loaded.settings == Settings(theme="nord")  # the good value kept, the wrong ones now the defaults


async def test_the_palette_opens_settings_once(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"settings")
        await settle(pilot)
        prompts = [str(option.prompt).split("\n")[0] for option in app.screen.query_one(CommandList).options]
        assert prompts[0] == "Settings", prompts
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("ctrl+p", *"settings")  # from the settings screen itself: not offered again
        await settle(pilot)
        prompts = [str(option.prompt).split("\n")[0] for option in app.screen.query_one(CommandList).options]
        assert "Settings" not in prompts, prompts


async def test_reminder_times_and_the_sync_folder_are_saved(
    clock: FakeClock, data_dir: Path, settings_file: Path
) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("s")
        await settle(pilot)
        assert "Reminders" in screen_text(app) and "HH:MM, 24-hour clock" in screen_text(app)
        await pilot.press("tab")  # from the day start to the morning reminder
        assert app.screen.query_one("#reminder-morning", Input).has_focus
        await pilot.press(*"7:45", "tab", "tab", *"22:00")  # no evening reminder
        sync = app.screen.query_one("#settings-sync-folder", Input)
        sync.focus()
        await pilot.press(*"~/Sync/coach")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    saved = load_settings(settings_file)
    assert saved.problems == []
    assert saved.settings.reminders == {"morning": "07:45", "bedtime": "22:00"}  # written as HH:MM
    assert saved.settings.sync_folder == "~/Sync/coach"
    assert "[reminders]" in settings_file.read_text()
    assert app.context.settings == saved.settings


async def test_a_reminder_that_is_not_a_time_is_refused_and_focused(
    clock: FakeClock, data_dir: Path, settings_file: Path
) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("s")
        await settle(pilot)
        evening = app.screen.query_one("#reminder-evening", Input)
        evening.focus()
        await pilot.press(*"7pm")
        await pilot.pause()
        assert not evening.is_valid  # marked while typed
        app.screen.query_one("#settings-sync-folder", Input).focus()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        assert refusal(app).startswith("Evening reminder: '7pm' is not a time: write it as \"HH:MM\"")
        assert evening.has_focus  # taken back to the field to correct
    assert not settings_file.exists()


async def test_routine_ids_that_are_not_widget_ids_do_not_crash_the_form(
    clock: FakeClock, data_dir: Path, settings_file: Path
) -> None:
    """`meine-übungen` (from `routines copy --as`) or a hand-made `foot-soak.v2` cannot be Textual ids; the
    screen crashed while composing its length rows."""
    bundled = load_catalog()
    soak, toes = bundled.routines["foot-soak"], bundled.routines["toe-exercises"]
    routines = {
        "meine-übungen": replace(toes, id="meine-übungen", name="Meine Übungen"),
        "foot-soak.v2": replace(soak, id="foot-soak.v2", name="Foot soak v2"),
        "1st soak": replace(soak, id="1st soak", name="First soak"),
    }
    app = make_app(clock=clock, data_dir=data_dir, catalog=Catalog(routines=routines))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        assert {"Meine Übungen", "Foot soak v2", "First soak"} <= set(screen_text(app).split("  "))
        app.screen.length_inputs["meine-übungen"].focus()
        await pilot.press(*"12m")
        app.screen.length_inputs["foot-soak.v2"].focus()
        await pilot.press(*"1080")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert load_settings(settings_file).settings.lengths == {"meine-übungen": "12m", "foot-soak.v2": 1080}


async def test_a_length_in_seconds_shows_and_stays_a_number(
    clock: FakeClock, data_dir: Path, settings_file: Path
) -> None:
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    settings_file.write_text('[lengths]\nfoot-soak = 1080\ngone-routine = "3m"\n')  # the README allows seconds
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        assert app.screen.length_inputs["foot-soak"].value == "1080"
        assert app.screen.length_inputs["foot-soak"].is_valid
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert load_settings(settings_file).settings.lengths == {"foot-soak": 1080, "gone-routine": "3m"}


async def test_a_length_outside_its_range_in_the_file_is_said_where_it_stands(
    clock: FakeClock, data_dir: Path, settings_file: Path
) -> None:
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    settings_file.write_text('theme = "nord"\n[lengths]\nfoot-soak = "30m"\n')
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await settle(pilot)
        text = str(app.screen.query_one("#settings-problems", Static).render())
        assert f"{settings_file}:3:1: lengths.foot-soak: 30m is outside 15m to 20m (Foot soak)" in text
        assert app.screen.length_inputs["foot-soak"].value == ""  # not used: the soak ends at its longest
    assert app.context.settings.lengths == {} and app.context.settings.theme == "nord"


async def test_two_routines_of_one_name_are_told_apart(clock: FakeClock, data_dir: Path) -> None:
    toes = load_catalog().routines["toe-exercises"]
    routines = {"toe-exercises": toes, "my-toes": replace(toes, id="my-toes")}  # a copy keeps the name
    app = make_app(clock=clock, data_dir=data_dir, catalog=Catalog(routines=routines))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await settle(pilot)
        lines = [line for line in screen_text(app).splitlines() if "Toe exercises" in line]
        assert len(lines) == 2
        assert "10m to 15m · my-toes" in lines[0] and "10m to 15m · toe-exercises" in lines[1], lines


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (40, 15)])
async def test_the_help_wraps_and_is_never_cut(clock: FakeClock, data_dir: Path, size: tuple[int, int]) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=size) as pilot:
        await pilot.press("s")
        await settle(pilot)
        form = app.screen.query_one("#settings-form")
        seen: list[str] = []
        for _ in range(12):  # page down the form, reading every line shown
            seen.extend(screen_text(app).splitlines()[1:-1])
            form.scroll_page_down(animate=False)
            await pilot.pause()
        scrollbar = str.maketrans("", "", "▁▂▃▄▅▆▇█▔")
        words = " ".join(" ".join(line.translate(scrollbar).split()) for line in seen)
        for hint in (
            "a session before this hour counts for the day before",
            "desktop notifications for reminders and the end",
            "shown at once; kept when you save",
            "a ring at each change (the terminal's bell)",
        ):
            assert hint in words, (size, hint)


SnapCompare = Callable[..., bool]


async def _open_settings(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("s")
    await settle(pilot)


def test_snapshot_reminders_set_at_80x24(snap_compare: SnapCompare, data_dir: Path, settings_file: Path) -> None:
    """The reminder rows filled in from settings.toml (no evening reminder), the help wrapped beside each field."""
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    settings_file.write_text('[reminders]\nmorning = "08:00"\nbedtime = "22:00"\n')
    assert snap_compare(build_app(fake_clock(), data_dir), terminal_size=(80, 24), run_before=_open_settings)


def test_snapshot_narrow_window(snap_compare: SnapCompare, data_dir: Path) -> None:
    """At 40 columns each help goes under its field, whole."""
    assert snap_compare(build_app(fake_clock(), data_dir), terminal_size=(40, 15), run_before=_open_settings)
