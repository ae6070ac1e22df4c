"""The session's progress bar: Textual's ProgressBar without its once-a-second refresh for an ETA coach never shows.

That refresh alone doubled the screen updates of a countdown (one for the shown second, one for the bar).
"""

from __future__ import annotations

from textual import events
from textual.widgets import ProgressBar


class SessionBar(ProgressBar):
    """Moves only when the run screen sets its progress."""

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # ProgressBar.on_mount would start set_interval(1, self.update) for the ETA
        self.update()
