"""The session's progress bar: one line drawn with Textual's bar renderable, moved only by the run screen.

Textual's ProgressBar is four widgets (bar, percentage, ETA) and refreshes its ETA once a second; coach shows
neither, so that tree cost time before the first frame and the refresh doubled a countdown's screen updates.
"""

from __future__ import annotations

from rich.style import Style
from textual.app import RenderResult
from textual.reactive import reactive
from textual.renderables.bar import Bar
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

    def render(self) -> RenderResult:
        done = min(max(self.progress, 0.0), 1.0)
        style = self.get_component_rich_style("session-bar--complete" if done >= 1 else "session-bar--bar")
        filled = int(self.size.width * done * 2) / 2  # whole half cells, as the bar draws them
        return Bar(
            highlight_range=(0, filled),
            highlight_style=Style.from_color(style.color),
            background_style=Style.from_color(style.bgcolor),
        )
