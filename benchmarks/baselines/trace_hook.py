"""The COACH_BENCH_TRACE hook of the baseline countdowns, as coach's run screen offers it (see benchkit/trace.py).

Appends `<time.monotonic()>\t<text>` lines to the file the variable names: the shown time each time it changes and
the marks @start, @pause, @resume, @stall-begin and @stall-end. Nothing is opened without the variable.
"""

from __future__ import annotations

import os
import time


class Trace:
    """Appends `<monotonic>\t<text>` lines to the file named by COACH_BENCH_TRACE; does nothing without it."""

    def __init__(self) -> None:
        path = os.environ.get("COACH_BENCH_TRACE")
        self._file = open(path, "a", buffering=1, encoding="utf-8") if path else None  # noqa: SIM115

    def write(self, text: str) -> None:
        if self._file is not None:
            self._file.write(f"{time.monotonic():.6f}\t{text}\n")
