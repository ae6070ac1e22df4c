"""Reference: the same countdown done right, to show that the shown-second target can be met in Textual at all.

The remaining time is derived from `time.monotonic()` (running time = monotonic time minus time spent paused), and
a one-shot timer is set for the next whole-second boundary, so each change lands within a few milliseconds of it and
the first redraw after a stall is already right. Same keys and COACH_BENCH_TRACE hook as tick_counter.py.

Run: python benchmarks/baselines/monotonic_countdown.py   (q or Ctrl+Q quits)
"""

from __future__ import annotations

import math
import time

from textual.timer import Timer
from tick_counter import START_SECONDS, Countdown


class MonotonicCountdown(Countdown):
    """Shows ceil(remaining) and wakes at the next boundary."""

    run_from = 0.0
    banked = 0.0  # running seconds before the last resume
    timer: Timer | None = None

    def running_seconds(self) -> float:
        return self.banked + (0.0 if self.paused else time.monotonic() - self.run_from)

    def begin(self) -> None:
        self.run_from = time.monotonic()
        self.refresh_time()

    def refresh_time(self) -> None:
        remaining = START_SECONDS - self.running_seconds()
        self.show(math.ceil(remaining))
        if not self.paused and remaining > 0:
            wake = remaining - math.floor(remaining) or 1.0
            self.timer = self.set_timer(wake + 0.0005, self.refresh_time)

    def toggle(self, paused: bool) -> None:
        now = time.monotonic()
        if paused:
            self.banked += now - self.run_from
            if self.timer is not None:
                self.timer.stop()
        else:
            self.run_from = now
            self.refresh_time()


if __name__ == "__main__":
    MonotonicCountdown().run()
