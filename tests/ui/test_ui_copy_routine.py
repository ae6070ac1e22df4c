"""Make it mine: e on the highlighted routine (or "Copy <routine>" in the palette) saves a validated copy with one's
own numbers; it is in the home list at once. An id already taken is refused."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList
from textual.widgets import Input, OptionList
from ui_helpers import build_app, screen_text, settle

from coach.engine.clock import FakeClock
from coach.routines.catalog import load_catalog
from coach.routines.model import Group, Span, StepKind, TimedStep
from coach.ui.screens.copy_routine import CopyRoutineDialog
from coach.ui.screens.home import HomeScreen

SIZE = (100, 30)


def home_ids(app: object) -> list[str | None]:
    from coach.ui.app import CoachApp

    assert isinstance(app, CoachApp)
    options = app.screen.query_one("#routines", OptionList)
    return [options.get_option_at_index(index).id for index in range(options.option_count)]


async def fill(pilot: object, field: str, text: str) -> None:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    field_input = pilot.app.screen.query_one(f"#copy-{field}", Input)
    field_input.value = ""
    field_input.focus()
    await pilot.press(*text)


async def test_e_copies_the_highlighted_routine_with_new_numbers(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("e")
        assert isinstance(app.screen, CopyRoutineDialog)
        assert app.screen.routine.id == "toe-exercises"  # the highlighted one
        assert [app.screen.query_one(f"#copy-{key}", Input).value for key in ("id", "hold", "rest", "length")] == [
            "my-toe-exercises",
            "10s",
            "4s",
            "10m..15m",
        ]
        await fill(pilot, "id", "short-toes")
        await fill(pilot, "name", "Short toes")
        await fill(pilot, "hold", "12s")
        await fill(pilot, "length", "8m..10m")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "short-toes" in home_ids(app)
        options = app.screen.query_one("#routines", OptionList)
        assert options.get_option_at_index(options.highlighted or 0).id == "short-toes"  # under the cursor
        assert "Short toes" in screen_text(app)
        assert "Saved as short-toes" in screen_text(app)
        assert app.context.catalog.get("short-toes") is not None
    copy = load_catalog().get("short-toes")
    assert copy is not None and copy.origin == "user" and copy.name == "Short toes"
    [raises] = [step for step in copy.steps if isinstance(step, Group)][:1]
    assert raises.for_ == Span(480, 600)
    holds = [step for step in raises.steps if isinstance(step, TimedStep) and step.kind is StepKind.HOLD]
    rests = [step for step in raises.steps if isinstance(step, TimedStep) and step.kind is StepKind.REST]
    assert [step.time for step in holds] == [Span(12, 12)] and [step.time for step in rests] == [Span(4, 4)]


async def test_the_soak_has_no_hold_or_rest_to_change(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "e")
        assert isinstance(app.screen, CopyRoutineDialog)
        assert not app.screen.query("#copy-hold") and not app.screen.query("#copy-rest")
        await fill(pilot, "length", "18m")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    copy = load_catalog().get("my-foot-soak")
    assert copy is not None and copy.name == "Foot soak (my-foot-soak)"
    assert copy.min_seconds == copy.max_seconds == 18 * 60


async def test_an_id_already_taken_is_refused(clock: FakeClock, data_dir: Path) -> None:
    from coach.common.paths import user_routines_dir

    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await fill(pilot, "id", "foot-soak")  # a bundled routine's
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CopyRoutineDialog)
        assert "there is already a routine with the id 'foot-soak'" in screen_text(app)
        await fill(pilot, "id", "mine")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("e")  # the cursor is on the new copy: copying it as "mine" again is refused
        await fill(pilot, "id", "mine")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CopyRoutineDialog)
        assert "there is already a routine with the id 'mine'" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
    assert sorted(path.name for path in user_routines_dir().glob("*.toml")) == ["mine.toml"]


async def test_bad_numbers_and_ids_are_refused_and_nothing_written(clock: FakeClock, data_dir: Path) -> None:
    from coach.common.paths import user_routines_dir

    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        for field, text, message in (
            ("id", "../escape", "is not a routine id"),
            ("id", "fine", ""),
            ("hold", "0s", "a duration must be more than zero seconds"),
            ("hold", "12s", ""),
            ("length", "15m..10m", "starts after it ends"),
            ("length", "10s", "would not be a valid routine: one round of these steps takes 16s, longer than 10s"),
        ):
            await fill(pilot, field, text)
            if message:
                await pilot.press("enter")
                await settle(pilot)
                assert isinstance(app.screen, CopyRoutineDialog)
                assert message in str(app.screen.query_one("#copy-problem").render()), message
    assert not list(user_routines_dir().glob("*.toml"))


async def test_the_palette_offers_a_copy_of_each_routine(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"copy foot")
        await settle(pilot)
        prompts = [str(option.prompt).split("\n")[0] for option in app.screen.query_one(CommandList).options]
        assert prompts[0] == "Copy Foot soak", prompts
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CopyRoutineDialog) and app.screen.routine.id == "foot-soak"
