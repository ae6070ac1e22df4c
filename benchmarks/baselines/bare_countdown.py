"""Baseline: a bare Textual countdown built on a deadline, the ordinary way to do it right.

It waits on "Get ready" until Enter, then counts down from 15:00 in a Digits widget. The remaining time is always
`deadline - time.monotonic()` (Space pauses: the time left is kept, and resuming sets a new deadline), and a one-shot
`set_timer` is set for just after the next whole-second boundary, so each change is drawn right after its boundary
and the first redraw after a stall is already right. `s` blocks the event loop for 2.5 s (a stall from inside).
coach's shown second is compared with this one's, measured the same way in the same run.

With COACH_BENCH_TRACE=PATH it writes the trace that benchmarks/second_accuracy.py reads (trace_hook.py).

Run: python benchmarks/baselines/bare_countdown.py   (q or Ctrl+Q quits)
"""

from __future__ import annotations

import math
import time

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Digits, Footer, Static
from trace_hook import Trace

MARKER = "Get ready"
START_SECONDS = 15 * 60
SLACK = 0.0005
"""Wake this long after a boundary, so the reading is surely past it."""


def fmt(seconds: int) -> str:
    minutes, secs = divmod(max(seconds, 0), 60)
    return f"{minutes}:{secs:02d}"


class BareCountdown(App[None]):
    """Shows ceil(deadline - now) and wakes just after the next boundary."""

    BINDINGS = [
        Binding("enter", "start", "Start"),
        Binding("space", "pause", "Pause"),
        Binding("s", "stall", "Stall"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.trace = Trace()
        self.deadline: float | None = None
        self.left = float(START_SECONDS)
        self.timer: Timer | None = None
        self.started = False
        self.shown = fmt(START_SECONDS)

    def compose(self) -> ComposeResult:
        yield Static(MARKER, id="title")
        yield Digits(self.shown)
        yield Footer()

    def show(self, seconds: int) -> None:
        text = fmt(seconds)
        if text != self.shown:
            self.shown = text
            self.query_one(Digits).update(text)
            self.trace.write(text)

    def tick(self) -> None:
        if self.deadline is None:
            return
        remaining = self.deadline - time.monotonic()
        self.show(math.ceil(remaining))
        if remaining > 0:
            self.timer = self.set_timer(remaining - math.floor(remaining) + SLACK, self.tick)

    def action_start(self) -> None:
        if self.started:
            return
        self.started = True
        self.query_one("#title", Static).update("Counting down")
        self.deadline = time.monotonic() + self.left
        self.trace.write("@start")
        self.trace.write(self.shown)
        self.tick()

    def action_pause(self) -> None:
        if self.deadline is not None:
            self.left = self.deadline - time.monotonic()
            self.deadline = None
            if self.timer is not None:
                self.timer.stop()
            self.trace.write("@pause")
        elif self.started:
            self.deadline = time.monotonic() + self.left
            self.trace.write("@resume")
            self.tick()

    def action_stall(self) -> None:
        self.trace.write("@stall-begin")
        time.sleep(2.5)
        self.trace.write("@stall-end")


if __name__ == "__main__":
    BareCountdown().run()
