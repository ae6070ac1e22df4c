"""Names and words from files show as written: markup is not interpreted and escape sequences never reach the
terminal; the command palette offers the app's verbs; messages with brackets survive."""

from __future__ import annotations

import sys
from pathlib import Path

from textual.command import CommandList, CommandPalette
from textual.widgets import DataTable, OptionList
from ui_helpers import advance, build_app, screen_text, settle

from coach.engine.clock import FakeClock
from coach.ui.screens.history import HistoryScreen
from coach.ui.screens.home import HomeScreen
from coach.ui.screens.run import RunScreen

SIZE = (100, 30)
NAME = "[bold]Mark[/] \\u001b[31mred"
"""A routine name as written in TOML: markup, and an escape sequence (ESC [31m turns a real terminal red)."""
SHOWN_NAME = "[bold]Mark[/] \\x1b[31mred"
"""How it is shown: the brackets as typed, the escape character as a visible escape."""


def write_routine(stem: str = "marked") -> Path:
    from coach.common.paths import user_routines_dir

    folder = user_routines_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.toml"
    path.write_text(
        f'name = "{NAME}"\n'
        'summary = "[i]summary[/i] \\u001b[2J"\n'
        'slots = ["morning"]\n'
        "[[steps]]\n"
        'title = "[b]Step[/b] \\u001b]0;pwned\\u0007"\n'
        'say = "[red]Say[/red]"\n'
        'time = "30s"\n'
        'remind = { every = "10s", say = "[blink]Top up[/blink]" }\n'
        "[[steps]]\n"
        'title = "[link=x]Then[/link]"\n'
        'time = "10s"\n',
        encoding="utf-8",
    )
    return path


def rendered_output(app: object) -> str:
    """Everything the screen would write to the terminal, escapes included (the SVG keeps raw characters)."""
    return app.export_screenshot()  # type: ignore[attr-defined,no-any-return]


async def test_markup_and_escapes_in_a_routine_show_literally(clock: FakeClock, data_dir: Path) -> None:
    write_routine()
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert SHOWN_NAME in text
        assert "\x1b" not in rendered_output(app)
        options = app.screen.query_one(OptionList)
        options.highlighted = options.get_option_index("marked")
        await pilot.press("enter")
        assert isinstance(app.screen, RunScreen) and app.screen.routine.id == "marked"
        text = screen_text(app)
        assert "[b]Step[/b] \\x1b]0;pwned\\x07" in text
        assert "[red]Say[/red]" in text
        assert "Next: [link=x]Then[/link]" in text
        await advance(pilot, clock, 10)
        assert "[blink]Top up[/blink] (reminded at 07:30)" in screen_text(app)
        assert "\x1b" not in rendered_output(app) and "\x07" not in rendered_output(app)
        await pilot.press("q", "y")
        await pilot.press("h")
        assert isinstance(app.screen, HistoryScreen)
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 1
        assert SHOWN_NAME in screen_text(app)
        assert "\x1b" not in rendered_output(app)


async def test_palette_offers_the_routines_and_history(clock: FakeClock, data_dir: Path) -> None:
    write_routine()
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"run")
        await settle(pilot)
        prompts = [str(option.prompt).split("\n")[0] for option in app.screen.query_one(CommandList).options]
        for wanted in ("Run Toe exercises", "Run Foot soak", f"Run {SHOWN_NAME}"):
            assert wanted in prompts, prompts
        assert "\x1b" not in rendered_output(app)
        await pilot.press("escape")
        await pilot.press("ctrl+p", *"history")
        await settle(pilot)
        prompts = [str(option.prompt).split("\n")[0] for option in app.screen.query_one(CommandList).options]
        assert prompts[0] == "History", prompts
        await pilot.press("enter")
        assert isinstance(app.screen, HistoryScreen)


async def test_palette_runs_a_routine(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"foot soak")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RunScreen) and app.screen.routine.id == "foot-soak"
        # Mid-session the palette offers nothing that would start another session.
        await pilot.press("ctrl+p", *"run")
        await settle(pilot)
        prompts = [str(option.prompt) for option in app.screen.query_one(CommandList).options]
        assert not [prompt for prompt in prompts if prompt.startswith("Run ")], prompts
        await pilot.press("escape")
        assert isinstance(app.screen, RunScreen)


async def test_the_providers_commands_without_typing(clock: FakeClock, data_dir: Path) -> None:
    """Opened with nothing typed, the palette lists the coach commands first (discovery)."""
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await settle(pilot)
        prompts = [str(option.prompt).split("\n")[0] for option in app.screen.query_one(CommandList).options]
        assert {"Run Toe exercises", "Run Foot soak", "History"} <= set(prompts), prompts


async def test_a_settings_problem_with_brackets_is_shown_as_written(
    clock: FakeClock, data_dir: Path, settings_file: Path
) -> None:
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    settings_file.write_text('"[bold]loud[/bold]" = true\n', encoding="utf-8")
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        assert "Settings not used" in text
        assert "'[bold]loud[/bold]'" in text


def test_every_key_coach_binds_shows_in_the_footer_as_textual_would_show_it() -> None:
    """coach names its keys without Textual's Unicode name lookup (memory); what the footer shows must not change."""
    import importlib
    import inspect
    import pkgutil

    from textual.app import App
    from textual.binding import Binding
    from textual.dom import DOMNode

    import coach.ui.screens
    from coach.ui.app import CoachApp

    for info in pkgutil.iter_modules(coach.ui.screens.__path__):
        importlib.import_module(f"coach.ui.screens.{info.name}")
    classes = {CoachApp} | {
        cls
        for module in list(sys.modules.values())
        if module is not None and getattr(module, "__name__", "").startswith("coach.ui")
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, DOMNode) and cls.__module__.startswith("coach.ui")
    }
    bound = [
        binding if isinstance(binding, Binding) else Binding(*binding) for cls in classes for binding in cls.BINDINGS
    ]
    keys = [Binding(key, binding.action) for binding in bound for key in binding.key.split(",")]
    assert len(keys) > 30 and any(binding.key == "plus" for binding in keys)
    keys += [Binding("ctrl+p", "palette"), Binding("shift+n", "x"), Binding("ctrl+plus", "x"), Binding("f5", "x")]
    app = CoachApp.__new__(CoachApp)
    for binding in keys:
        assert app.get_key_display(binding) == App.get_key_display(app, binding), binding.key
