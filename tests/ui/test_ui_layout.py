"""Window sizes: rapid resizing never crashes, a tiny window asks to be larger while the timer runs on, and at
40x12 what must be read from a step away (the step, the countdown, what is left) is on the screen."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from textual.app import ComposeResult
from textual.geometry import Region
from textual.widgets import Footer
from ui_helpers import advance, build_app, digits, run_screen, screen_text, settle

from coach.engine.clock import FakeClock
from coach.ui.app import CoachApp
from coach.ui.screens.dialogs import Question
from coach.ui.widgets.footer import CoachFooter


def readable(app: CoachApp, selector: str) -> bool:
    """The widget is drawn whole, inside the screen and above the footer."""
    screen = run_screen(app)
    widget = screen.query_one(selector)
    footer = screen.query_one(Footer)
    area = Region(0, 0, screen.size.width, screen.size.height - (footer.outer_size.height if footer.display else 0))
    region = widget.region
    return widget.display and region.width > 0 and region.height > 0 and area.contains_region(region)


async def test_rapid_resizing_never_crashes(clock: FakeClock, data_dir: Path) -> None:
    sizes = random.Random(7)
    app = build_app(clock, data_dir)
    async with app.run_test(size=(100, 30)) as pilot:

        async def shake(times: int) -> None:
            for _ in range(times):
                await pilot.resize_terminal(sizes.randint(20, 250), sizes.randint(8, 70))

        await shake(10)  # home
        await pilot.press("h")
        await shake(10)  # history
        await pilot.press("escape", "enter")
        await shake(10)  # get ready
        await pilot.press("enter")
        for _ in range(10):  # counting down
            await pilot.resize_terminal(sizes.randint(20, 250), sizes.randint(8, 70))
            await advance(pilot, clock, 3)
        await pilot.press("space")
        await shake(10)  # paused
        await pilot.press("q")
        await shake(10)  # the quit question
        await pilot.press("n", "space")
        for width, height in ((20, 8), (250, 70), (39, 11), (40, 12), (20, 70), (250, 8)):
            await pilot.resize_terminal(width, height)
            assert app.screen.size == (width, height)
        assert app.is_running and run_screen(app).snapshot is not None


async def test_a_tiny_window_asks_to_be_larger_and_the_timer_runs_on(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir, "foot-soak")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = run_screen(app)
        await pilot.press("enter")
        assert not screen.has_class("-tiny")
        await pilot.resize_terminal(30, 10)
        assert screen.has_class("-tiny")
        assert "Make the window larger" in screen_text(app) and "(at least 40×12)" in screen_text(app)
        await advance(pilot, clock, 65)
        assert screen.runner.engine.snapshot().shown_remaining == 20 * 60 - 65  # still counting, unseen
        await pilot.resize_terminal(39, 30)
        assert screen.has_class("-tiny")
        await pilot.resize_terminal(100, 11)
        assert screen.has_class("-tiny")
        await pilot.resize_terminal(40, 12)
        assert not screen.has_class("-tiny")
        assert "Make the window larger" not in screen_text(app)
        assert digits(app) == "18:55"


async def test_starting_in_a_tiny_window_asks_at_once(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir, "foot-soak")
    async with app.run_test(size=(30, 10)) as pilot:
        await pilot.pause()
        assert run_screen(app).has_class("-tiny")
        assert "Make the window larger" in screen_text(app)


@pytest.mark.parametrize(
    ("routine", "seconds", "wanted"),
    [
        ("toe-exercises", None, ["#run-label", "#run-title", "#run-say", "#run-left", "#run-hint"]),
        ("toe-exercises", 3, ["#run-label", "#run-title", "#run-digits", "#run-rep", "#run-left", "#run-hint"]),
        ("toe-exercises", 10 * 60 + 1, ["#run-title", "#run-digits", "#run-rep", "#run-left", "#run-hint"]),
        ("foot-soak", 5 * 60 + 1, ["#run-label", "#run-title", "#run-digits", "#run-reminder", "#run-left"]),
        ("foot-soak", 15 * 60 + 1, ["#run-title", "#run-digits", "#run-reminder", "#run-left", "#run-hint"]),
        ("foot-soak", 20 * 60, ["#run-label", "#run-title", "#run-digits", "#run-left", "#run-hint"]),
    ],
)
async def test_at_40x12_the_step_the_countdown_and_what_is_left_are_readable(
    routine: str, seconds: float | None, wanted: list[str], clock: FakeClock, data_dir: Path
) -> None:
    app = build_app(clock, data_dir, routine)
    async with app.run_test(size=(40, 12)) as pilot:
        if seconds is not None:
            await pilot.press("enter")
            await advance(pilot, clock, seconds, step=10)
        screen = run_screen(app)
        assert screen.has_class("-small") and not screen.has_class("-tiny")
        unreadable = [selector for selector in wanted if not readable(app, selector)]
        assert not unreadable, screen_text(app)


async def test_the_paused_label_and_digits_are_readable_at_40x12(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir, "foot-soak")
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("enter")
        await advance(pilot, clock, 30)
        await pilot.press("space")
        assert "PAUSED" in screen_text(app) and "Paused. Press space to go on." in screen_text(app)
        assert all(readable(app, selector) for selector in ("#run-label", "#run-digits", "#run-left", "#run-hint"))


async def test_a_tall_window_shows_everything(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir, "toe-exercises")
    async with app.run_test(size=(100, 30)) as pilot:
        assert readable(app, "#run-safety")  # getting ready: the safety notes in full
        await pilot.press("enter")
        screen = run_screen(app)
        assert not screen.has_class("-small")
        for selector in ("#run-label", "#run-title", "#run-digits", "#run-say", "#run-rep", "#run-progress"):
            assert readable(app, selector), selector
        for selector in ("#run-left", "#run-next"):
            assert readable(app, selector), selector


async def test_the_dialogs_fit_a_small_window(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir, "foot-soak")
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("enter")
        await advance(pilot, clock, 5)
        clock.suspend(60)
        run_screen(app).poll()
        await pilot.pause()
        assert isinstance(app.screen, Question)
        text = screen_text(app)
        assert "(y)" in text and "(n)" in text  # both answers can be read
        await pilot.press("n", "q")
        text = screen_text(app)
        assert "Stop this session?" in text and "Stop (y)" in text and "Keep going (n)" in text


async def test_the_footer_is_not_rebuilt_every_second(clock: FakeClock, data_dir: Path) -> None:
    """The keys' footer is refreshed when what they can do changes, not with every shown second (it costs a full
    relayout, and Textual's footer keeps the key widgets it replaces)."""
    app = build_app(clock, data_dir, "foot-soak")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = run_screen(app)
        await pilot.press("enter")
        refreshes: list[object] = []
        screen.bindings_updated_signal.subscribe(screen, refreshes.append)
        await advance(pilot, clock, 120)
        assert len(refreshes) == 0
        await pilot.press("space")
        assert len(refreshes) == 1


async def test_the_run_screen_footer_has_its_keys_from_the_first_frame(
    clock: FakeClock, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run screen's keys are its own bindings, known before anything has focus: the footer is built once, with
    them, as the screen is composed. Waiting for "the bindings are ready" drew an empty footer first and the keys a
    frame later (20-30 ms of the screen's start, for a person waiting to begin)."""
    builds: list[int] = []
    compose = CoachFooter.compose

    def counted(footer: CoachFooter) -> ComposeResult:
        keys = list(compose(footer))
        builds.append(len(keys))
        yield from keys

    monkeypatch.setattr(CoachFooter, "compose", counted)
    app = build_app(clock, data_dir, "toe-exercises")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "Ready" in screen_text(app) and "Stop" in screen_text(app)
        assert builds[0] > 0  # the keys from the first build
        assert len(builds) == 1


async def test_the_home_footer_is_built_once_its_keys_are_known(
    clock: FakeClock, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Focus, the list's highlight and the screen's idle each say "the bindings changed" before the plan shows;
    Textual's footer was rebuilt for every one (15 ms each, the complete screen came later). Built again only when
    what it shows changes: a narrower window drops keys, and the footer follows."""
    builds: list[int] = []
    compose = CoachFooter.compose

    def counted(footer: CoachFooter) -> ComposeResult:
        builds.append(footer.size.width)
        yield from compose(footer)

    monkeypatch.setattr(CoachFooter, "compose", counted)
    app = build_app(clock, data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "History" in screen_text(app) and "Why" in screen_text(app)
        assert len(builds) <= 2  # empty at mount (the keys are not known yet), then once with the keys
        before = len(builds)
        await pilot.resize_terminal(50, 30)
        await settle(pilot)
        assert len(builds) == before + 1
        assert "Quit" in screen_text(app) and "Why" not in screen_text(app)


@pytest.mark.parametrize("size", [(40, 20), (60, 20)])
async def test_a_safety_note_that_wraps_goes_on_under_its_words(
    clock: FakeClock, data_dir: Path, size: tuple[int, int]
) -> None:
    """In a narrow window (a phone's browser) each note reads as one block: its wrapped lines start under its first
    word, never under the bullet, on the run screen and in the notes' dialog."""
    app = build_app(clock, data_dir, "toe-exercises")
    async with app.run_test(size=size) as pilot:
        for _ in range(2):  # the run screen's box, then the dialog s opens
            await pilot.pause()
            inside = [
                line[line.index(edge) + 1 : line.rindex(edge)].rstrip()
                for line in screen_text(app).splitlines()
                for edge in "│█"  # the run screen's box, the dialog's frame
                if line.count(edge) >= 2
            ]
            notes = [line for line in inside if line.strip() and "Safety" not in line and not {"▀", "▄"} & set(line)]
            bullet = min(line.index("•") for line in notes if "•" in line)
            wrapped = [line for line in notes if "•" not in line]
            assert wrapped, notes  # this width wraps some note
            assert all(len(line) - len(line.lstrip()) == bullet + 2 for line in wrapped), notes
            await pilot.press("s")
