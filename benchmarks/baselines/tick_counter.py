"""Baseline: a countdown that counts `set_interval` ticks, the way that drifts.

It waits on "Get ready" until Enter, then counts down from 15:00 by taking one second off per tick of
`set_interval(1, ...)`. Space pauses and resumes (pausing the timer), `s` blocks the event loop for 2.5 s with
`time.sleep` (a stall). Textual's timers skip the ticks they missed while the loop was blocked, so after the stall the
display is 2 s behind the truth for good.

With COACH_BENCH_TRACE=PATH it writes the trace that benchmarks/second_accuracy.py reads (trace_hook.py). It is the
contrast that shows the benchmark catches a wrong second: after a stall it ends whole seconds behind.

Run: python benchmarks/baselines/tick_counter.py   (q or Ctrl+Q quits)
"""

from __future__ import annotations

import time

from textual.app import App, ComposeResult
from textual.timer import Timer
from textual.widgets import Digits, Static
from trace_hook import Trace

MARKER = "Get ready"
START_SECONDS = 15 * 60


def fmt(seconds: int) -> str:
    minutes, secs = divmod(max(seconds, 0), 60)
    return f"{minutes}:{secs:02d}"


class Countdown(App[None]):
    """Shows a title and a big remaining time; subclasses decide how the remaining time is known."""

    BINDINGS = [("enter", "start", "Start"), ("space", "pause", "Pause"), ("s", "stall", "Stall"), ("q", "quit")]

    def __init__(self) -> None:
        super().__init__()
        self.trace = Trace()
        self.started = False
        self.paused = False
        self.shown: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(MARKER, id="title")
        yield Digits(fmt(START_SECONDS))

    def show(self, seconds: int) -> None:
        text = fmt(seconds)
        if text != self.shown:
            self.shown = text
            self.query_one(Digits).update(text)
            self.trace.write(text)

    def action_start(self) -> None:
        if self.started:
            return
        self.started = True
        self.query_one("#title", Static).update("Counting down")
        self.trace.write("@start")
        self.begin()

    def action_pause(self) -> None:
        if not self.started:
            return
        self.paused = not self.paused
        self.trace.write("@pause" if self.paused else "@resume")
        self.toggle(self.paused)

    def action_stall(self) -> None:
        self.trace.write("@stall-begin")
        time.sleep(2.5)
        self.trace.write("@stall-end")

    def begin(self) -> None:
        raise NotImplementedError

    def toggle(self, paused: bool) -> None:
        raise NotImplementedError


class TickCounter(Countdown):
    """One second off per timer tick."""

    remaining = START_SECONDS
    timer: Timer

    def begin(self) -> None:
        self.show(self.remaining)
        self.timer = self.set_interval(1, self.tick)

    def tick(self) -> None:
        self.remaining -= 1
        self.show(self.remaining)

    def toggle(self, paused: bool) -> None:
        if paused:
            self.timer.pause()
        else:
            self.timer.resume()


if __name__ == "__main__":
    TickCounter().run()
