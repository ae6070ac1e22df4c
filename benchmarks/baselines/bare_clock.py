"""Baseline: a bare Textual app showing a 1 Hz clock the ordinary way, for CPU per wall minute and peak memory.

`set_interval(1, ...)` updates a Digits widget with the wall-clock time, as Textual's own examples do.
Run: python benchmarks/baselines/bare_clock.py   (q or Ctrl+Q quits)
"""

from datetime import datetime

from textual.app import App, ComposeResult
from textual.widgets import Digits, Static

MARKER = "Bare clock"


class BareClock(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static(MARKER)
        yield Digits(self._now())

    def on_mount(self) -> None:
        self.set_interval(1, self.tick)

    def tick(self) -> None:
        self.query_one(Digits).update(self._now())

    @staticmethod
    def _now() -> str:
        return datetime.now().strftime("%H:%M:%S")


if __name__ == "__main__":
    BareClock().run()
