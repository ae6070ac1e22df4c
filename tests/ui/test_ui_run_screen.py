"""The run screen as a person across the room meets it: digits that grow with the window and stay legible in
every colour mode, offsets that never read as clock times, safety notes within reach at every size."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.color import Color, ColorSystem
from ui_helpers import advance, build_app, run_screen, screen_text, shown

from coach.engine.clock import FakeClock
from coach.ui.screens.dialogs import SafetyNotes
from coach.ui.widgets.countdown import BigCountdown, rows_at

STEP_KINDS = {"toe-exercises": [(11, "-rest"), (4, "-hold")], "foot-soak": [(5, "-soak")]}


def contrast(one: tuple[int, int, int], two: tuple[int, int, int]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours."""

    def luminance(rgb: tuple[int, int, int]) -> float:
        channels = [c / 255 for c in rgb]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def in_mode(color: Color, system: ColorSystem) -> tuple[int, int, int]:
    """The colour a terminal of that kind shows (the standard palettes Rich maps to)."""
    triplet = color.downgrade(system).get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


@pytest.mark.parametrize(("size", "rows"), [((80, 24), 5), ((160, 48), 10), ((40, 12), 3)])
async def test_the_countdown_grows_with_the_window(
    size: tuple[int, int], rows: int, clock: FakeClock, data_dir: Path
) -> None:
    app = build_app(clock, data_dir, "foot-soak")
    async with app.run_test(size=size) as pilot:
        await pilot.press("enter")
        await advance(pilot, clock, 31)
        countdown = run_screen(app).query_one("#run-digits", BigCountdown)
        assert countdown.text == "19:29"
        assert countdown.scale >= 1 and rows_at(countdown.scale) >= rows  # still a countdown at 40x12
        drawn = [line for line in screen_text(app).splitlines() if "█" in line or "▀" in line or "▄" in line]
        assert len(drawn) >= rows


@pytest.mark.parametrize("routine", sorted(STEP_KINDS))
async def test_digits_contrast_at_least_4_5_for_every_step_kind_in_every_colour_mode(
    routine: str, clock: FakeClock, data_dir: Path
) -> None:
    app = build_app(clock, data_dir, routine)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        screen = run_screen(app)
        for seconds, state in STEP_KINDS[routine]:
            await advance(pilot, clock, seconds)
            assert screen.query_one("#run").has_class(state)
            style = screen.query_one("#run-digits", BigCountdown).rich_style
            assert style.color is not None and style.bgcolor is not None
            for system in (ColorSystem.TRUECOLOR, ColorSystem.EIGHT_BIT, ColorSystem.STANDARD):
                ratio = contrast(in_mode(style.color, system), in_mode(style.bgcolor, system))
                assert ratio >= 4.5, (state, system, ratio)


async def test_offsets_never_read_as_clock_times(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir, "toe-exercises")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        assert "ends by itself in 15 min" in shown(app, "#run-rep")
        await advance(pilot, clock, 9 * 60 + 29)  # a hold, 31 s before the heel raises may be left
        assert "you may move on in 0:31" in shown(app, "#run-rep")  # rounded up, as the digits are
        assert "0:00" not in screen_text(app)
    app = build_app(clock, data_dir, "foot-soak")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await advance(pilot, clock, 19 * 60 + 32, step=30)  # the soak may stop any time now: not "0:00–0:28 left"
        assert shown(app, "#run-left") == "up to 0:28 left"


@pytest.mark.parametrize("size", [(80, 18), (60, 15), (40, 12)])
async def test_safety_notes_are_within_reach_at_every_size(
    size: tuple[int, int], clock: FakeClock, data_dir: Path
) -> None:
    app = build_app(clock, data_dir, "foot-soak")
    async with app.run_test(size=size) as pilot:
        assert "Safety notes: press s to read them." in screen_text(app)
        await pilot.press("s")
        assert isinstance(app.screen, SafetyNotes)
        assert "thermometer" in screen_text(app)
        assert "Enter or Escape to close" in screen_text(app)  # how to leave: on the frame, at every size
        await pilot.press("escape")
        assert not isinstance(app.screen, SafetyNotes)


@pytest.mark.parametrize(
    ("width", "kept", "dropped"), [(80, ["Stop", "Finish"], []), (40, ["Stop", "Finish"], ["Back"])]
)
async def test_the_footer_keeps_stop_and_finish(
    width: int, kept: list[str], dropped: list[str], clock: FakeClock, data_dir: Path
) -> None:
    app = build_app(clock, data_dir, "toe-exercises")
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.press("enter")
        footer = screen_text(app).splitlines()[-1]
        for name in kept:
            assert f" {name} " in f"{footer} "
        for name in dropped:
            assert name not in footer
        await advance(pilot, clock, 3)
        await pilot.press("b")  # a key dropped from a narrow footer still works: the hold starts again
        assert run_screen(app).query_one("#run-digits", BigCountdown).text == "10"
