"""Clocks for the session engine: durations come from the monotonic clock, history from the wall clock.

The engine never counts ticks: it reads a clock it is given, so a 20-minute soak runs in a test in microseconds
(with `FakeClock`) and a stalled or suspended loop never stretches or shrinks a countdown.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Protocol


class Clock(Protocol):
    """What the engine reads: monotonic seconds for durations, an aware wall time for history, a suspend-aware
    reading that keeps counting while the machine sleeps (so a sleep gap can be noticed)."""

    def monotonic(self) -> float:
        """Seconds on a clock that never jumps and (on Linux and macOS) stops while the machine is suspended."""
        ...

    def wall(self) -> datetime:
        """Now, aware, in the local UTC offset: what history records."""
        ...

    def boottime(self) -> float:
        """Seconds on a clock that keeps counting through a suspend; only its progress is compared."""
        ...


class SystemClock:
    """The real clocks of this machine."""

    def __init__(self) -> None:
        self._boottime = _boottime_reader()

    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> datetime:
        return datetime.now().astimezone()

    def boottime(self) -> float:
        return self._boottime()


def _boottime_reader() -> Callable[[], float]:
    """CLOCK_BOOTTIME where there is one (Linux); elsewhere the wall clock, whose progress against the monotonic
    clock also shows a suspend (but so does a wall-clock jump, which the user is then asked about)."""
    clock_id: int | None = getattr(time, "CLOCK_BOOTTIME", None)
    if clock_id is not None:
        try:
            time.clock_gettime(clock_id)
        except OSError:
            return time.time
        return lambda: time.clock_gettime(clock_id)
    return time.time


DEFAULT_FAKE_WALL = datetime(2025, 3, 3, 7, 30, tzinfo=timezone(timedelta(hours=1)))


class FakeClock:
    """A clock tests move by hand: `advance` is time passing, `suspend` a sleeping laptop, `jump_wall` an NTP fix."""

    def __init__(self, wall: datetime = DEFAULT_FAKE_WALL, monotonic: float = 1000.0) -> None:
        if wall.tzinfo is None:
            raise ValueError("the fake wall time must carry its UTC offset")
        self._monotonic = monotonic
        self._boottime = monotonic + 50.0
        self._wall = wall

    def monotonic(self) -> float:
        return self._monotonic

    def wall(self) -> datetime:
        return self._wall

    def boottime(self) -> float:
        return self._boottime

    def advance(self, seconds: float) -> None:
        """Time passes with the machine awake: every clock moves."""
        if seconds < 0:
            raise ValueError("time does not run backwards")
        self._monotonic += seconds
        self._boottime += seconds
        self._wall += timedelta(seconds=seconds)

    def suspend(self, seconds: float) -> None:
        """The machine sleeps: the wall and boot clocks move, the monotonic clock does not."""
        self._boottime += seconds
        self._wall += timedelta(seconds=seconds)

    def jump_wall(self, seconds: float) -> None:
        """The wall clock is set (NTP, DST, the user): only the wall time moves, by any amount either way."""
        self._wall += timedelta(seconds=seconds)
