"""An opt-in trace of what the run screen shows and when, for benchmarks/second_accuracy.py.

Only with COACH_BENCH_TRACE=PATH; otherwise nothing is opened and every call is a no-op.
"""

from __future__ import annotations

import os
import time
from typing import TextIO


class BenchTrace:
    """Appends `monotonic<TAB>text` lines: the shown time whenever it changes, and @start/@pause/@resume."""

    def __init__(self, path: str | None = None) -> None:
        path = path if path is not None else os.environ.get("COACH_BENCH_TRACE")
        self._file: TextIO | None = open(path, "a", buffering=1, encoding="utf-8") if path else None  # noqa: SIM115

    def __bool__(self) -> bool:
        return self._file is not None

    def write(self, text: str) -> None:
        if self._file is not None:
            self._file.write(f"{time.monotonic():.6f}\t{text}\n")
