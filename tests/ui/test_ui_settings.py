"""Settings: s on home (or the palette); Ctrl+S writes settings.toml and the app uses it at once, Escape leaves the
file as it was; a preferred length outside the routine's range is refused; a file with mistakes shows them and is
only rewritten on save."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList
from textual.widgets import Input, Select, Static, Switch
from ui_helpers import build_app, screen_text, settle

from coach.config.settings import Settings, load_settings
from coach.engine.clock import FakeClock
from coach.ui.screens.home import HomeScreen
from coach.ui.screens.settings import SettingsScreen

SIZE = (100, 30)


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
        app.screen.query_one("#length-foot-soak", Input).focus()
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
        await pilot.press("tab", "space")  # sounds off
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
        app.screen.query_one("#length-toe-exercises", Input).value = "12m"
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
        length = app.screen.query_one("#length-foot-soak", Input)
        length.focus()
        await pilot.press(*"25m")
        await pilot.pause()
        assert "15m to 20m" in screen_text(app)  # the allowed range is shown beside it
        assert not length.is_valid  # marked while typed
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)  # still there, to be corrected
        assert "Foot soak: 25m is outside 15m to 20m. Nothing was saved." in screen_text(app)
        await pilot.press("backspace", "backspace", "backspace", *"1h")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        assert "1h is outside 15m to 20m" in screen_text(app)
        await pilot.press("backspace", "backspace", *"soon", "ctrl+s")
        await settle(pilot)
        assert "'soon' is not a duration" in screen_text(app)
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
