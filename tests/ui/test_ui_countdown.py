"""The big countdown repaints only what a new second changes, and never leaves a stale cell on the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.style import Style
from textual.geometry import Region, Size
from textual.widget import Widget
from ui_helpers import advance, build_app, run_screen

from coach.engine.clock import FakeClock
from coach.engine.snapshot import clock_text
from coach.ui.widgets.countdown import BigCountdown, changed_cells, drawing_strips, place

SIZES = [Size(80, 14), Size(38, 9), Size(160, 40), Size(21, 3), Size(12, 2)]


def cells(text: str, size: Size) -> list[str]:
    """The content area as a terminal shows it after a full redraw of `text`."""
    return [strip.text for strip in drawing_strips(text, size, Style())]


def countdown(seconds: int, long: bool) -> list[str]:
    """Every time a countdown shows from `seconds` to 0, as the run screen writes it."""
    return [clock_text(left) if long else str(left) for left in range(seconds, -1, -1)]


@pytest.mark.parametrize("size", SIZES, ids=str)
@pytest.mark.parametrize("long", [True, False], ids=["M:SS", "seconds"])
def test_every_cell_a_new_second_changes_is_repainted(size: Size, long: bool) -> None:
    times = countdown(20 * 60 if long else 99, long)
    for old, new in zip(times, times[1:], strict=False):
        layout = place(new, size)
        region = changed_cells(old, new, layout) if layout == place(old, size) else None
        if region is None:
            continue  # the whole drawing is repainted
        before, after = cells(old, size), cells(new, size)
        for y, (was, now) in enumerate(zip(before, after, strict=True)):
            for x, (a, b) in enumerate(zip(was, now, strict=True)):
                assert a == b or region.contains(x, y), (old, new, size, region, (x, y))


def test_a_new_second_repaints_one_cell_of_one_glyph_not_the_drawing() -> None:
    size = Size(80, 14)
    layout = place("14:59", size)
    region = changed_cells("14:59", "14:58", layout)
    assert region is not None and 0 < region.area <= 4 * layout.scale * layout.scale  # one pixel of the 9
    assert changed_cells("10:00", "9:59", place("9:59", size)) is None  # shorter: all of it


async def test_a_second_asks_for_the_digits_cells_and_nothing_else(
    clock: FakeClock, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = build_app(clock, data_dir, "foot-soak")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await advance(pilot, clock, 30)
        asked: list[tuple[str | None, tuple[Region, ...]]] = []
        refresh = Widget.refresh

        def spy(self: Widget, *regions: Region, **kwargs: bool) -> Widget:
            asked.append((self.id, regions))
            return refresh(self, *regions, **kwargs)

        monkeypatch.setattr(Widget, "refresh", spy)
        await advance(pilot, clock, 1)  # 19:30 to 19:29
        digits = run_screen(app).query_one("#run-digits", BigCountdown)
        assert [name for name, _ in asked] == ["run-digits"]
        (regions,) = [regions for _, regions in asked]
        assert len(regions) == 1 and 0 < regions[0].area < digits.content_size.area // 4
