"""The session's progress bar: one line drawn as Textual's bar renderable draws it, moved only by the run screen.

Textual's ProgressBar is four widgets (bar, percentage, ETA) and refreshes its ETA once a second; coach shows
neither, so that tree cost time before the first frame and the refresh doubled a countdown's screen updates.
The line is made directly (Textual's line API), not by rendering the `Bar` renderable through Rich: the bar moves
every few seconds during a countdown, and Rich's path cost 0.53 ms of that second's frame against ~0.1 ms.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.reactive import reactive
from textual.renderables.bar import Bar
from textual.strip import Strip
from textual.widget import Widget


class SessionBar(Widget, can_focus=False):
    """How much of the session is done, 0.0 to 1.0; coloured as complete at 1.0."""

    COMPONENT_CLASSES = {"session-bar--bar", "session-bar--complete"}
    DEFAULT_CSS = """
    SessionBar {
        width: 32;
        height: 1;
        &> .session-bar--bar {
            color: $primary;
            background: $surface;
        }
        &> .session-bar--complete {
            color: $success;
            background: $surface;
        }
    }
    """

    progress: reactive[float] = reactive(0.0)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y != 0 or width <= 0:
            return Strip.blank(width, self.visual_style.rich_style)
        done = min(max(self.progress, 0.0), 1.0)
        style = self.get_component_rich_style("session-bar--complete" if done >= 1 else "session-bar--bar")
        base = self.visual_style.rich_style
        empty = style.bgcolor
        segments = bar_segments(
            width,
            done,
            base + Style.from_color(style.color),
            base + Style.from_color(empty),
            draw_empty=empty is None or not empty.is_default,  # as Bar: a terminal's default colour shows as blank
        )
        return Strip(segments)


def bar_segments(width: int, done: float, filled: Style, empty: Style, draw_empty: bool = True) -> list[Segment]:
    """The bar `done` (0.0 to 1.0) of `width` cells, in whole half cells: the characters Textual's `Bar` draws for a
    range that starts at 0 (its heavy line, a half line where the fill ends, then the empty rest, drawn as blanks
    when `draw_empty` is False)."""
    end = int(width * done * 2) / 2
    if end <= 0:
        return [Segment(Bar.BAR * width, empty)]
    whole = int(end)
    half = end > whole
    line, half_line = (Bar.BAR, Bar.HALF_BAR_LEFT) if draw_empty else (" ", " ")
    segments = [Segment(Bar.BAR * whole + (Bar.HALF_BAR_RIGHT if half else ""), filled)]
    rest = (half_line if not half and whole < width else "") + line * max(0, width - whole - 1)
    if rest:
        segments.append(Segment(rest, empty))
    return segments
