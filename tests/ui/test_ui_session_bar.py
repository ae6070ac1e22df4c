"""The session bar draws exactly what Textual's `Bar` renderable draws (the characters and colour of every cell),
made directly as one line instead of through Rich, at every width and every half cell of progress."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual.renderables.bar import Bar

from coach.ui.widgets.session_bar import bar_segments

FILLED, EMPTY = Style(color="green"), Style(color="grey37")
DEFAULT = Style(color="default")
"""The empty part's colour in the ansi themes: the terminal's own, which Bar leaves blank."""


def cells(segments: list[Segment]) -> list[tuple[str, object]]:
    return [(char, segment.style.color if segment.style else None) for segment in segments for char in segment.text]


@pytest.mark.parametrize("empty", [EMPTY, DEFAULT], ids=["coloured", "terminal-default"])
@pytest.mark.parametrize("width", [1, 2, 3, 7, 32, 40])
def test_the_bar_is_textuals_bar_at_every_half_cell(width: int, empty: Style) -> None:
    console = Console(width=width, color_system="truecolor")
    draw_empty = empty.color is None or not empty.color.is_default
    for step in range(2 * width + 1):
        done = step / (2 * width)
        textual = Bar(highlight_range=(0, int(width * done * 2) / 2), highlight_style=FILLED, background_style=empty)
        drawn = [segment for segment in console.render(textual, console.options) if segment.text != "\n"]
        mine = bar_segments(width, done, FILLED, empty, draw_empty=draw_empty)
        assert cells(mine) == cells(drawn), (width, done)
        assert len(cells(mine)) == width


def test_an_empty_and_a_full_bar() -> None:
    assert "".join(segment.text for segment in bar_segments(4, 0.0, FILLED, EMPTY)) == "━━━━"
    assert bar_segments(4, 1.0, FILLED, EMPTY) == [Segment("━━━━", FILLED)]
    assert [segment.text for segment in bar_segments(4, 0.375, FILLED, EMPTY)] == ["━╸", "━━"]
    assert [segment.text for segment in bar_segments(4, 0.5, FILLED, DEFAULT, draw_empty=False)] == ["━━", "  "]
