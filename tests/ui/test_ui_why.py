"""Why these exercises: w on home (or the palette) shows the article's seven causes and its two measures in coach's
words, scrollable; Escape goes back."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList
from textual.containers import VerticalScroll
from ui_helpers import build_app, screen_text, settle

from coach.diary.causes import CAUSES, MEASURES
from coach.engine.clock import FakeClock
from coach.ui.screens.home import HomeScreen
from coach.ui.screens.why import WhyScreen

SIZE = (100, 30)


async def test_w_shows_all_seven_causes_and_both_measures(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w")
        assert isinstance(app.screen, WhyScreen)
        seen = screen_text(app)
        page = app.screen.query_one("#why", VerticalScroll)
        assert page.has_focus and page.max_scroll_y > 0  # longer than the window: the keys scroll it
        while page.scroll_y < page.max_scroll_y:
            await pilot.press("pagedown")
            await pilot.pause()
            seen += screen_text(app)
        assert len(CAUSES) == 7
        for number, cause in enumerate(CAUSES, start=1):
            assert f"{number}. {cause.title}:" in seen, cause.title
        for title, _ in MEASURES:
            assert title in seen
        assert "Frequent cramps deserve a visit to a doctor." in seen
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_the_palette_opens_why(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"why")
        await settle(pilot)
        prompts = [str(option.prompt).split("\n")[0] for option in app.screen.query_one(CommandList).options]
        assert prompts[0] == "Why these exercises", prompts
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, WhyScreen)
