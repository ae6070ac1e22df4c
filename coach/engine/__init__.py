"""The session engine: plain Python (never textual or rich) that runs a routine against a clock it is given.

`SessionEngine(routine, clock)` starts a session; each call returns an `Update` (a frozen `Snapshot` and the
events since the previous call). See docs/engine.md for the rules in the user's words.
"""

from coach.engine.clock import Clock, FakeClock, SystemClock
from coach.engine.events import (
    EndingSoon,
    Event,
    Finished,
    MayFinish,
    MayMoveOn,
    PhaseStarted,
    ReminderDue,
    SleepGap,
)
from coach.engine.session import SessionEngine, Update
from coach.engine.snapshot import Block, Phase, PhaseKind, Progress, Rep, Snapshot, clock_text, shown_seconds

__all__ = [
    "Block",
    "Clock",
    "EndingSoon",
    "Event",
    "FakeClock",
    "Finished",
    "MayFinish",
    "MayMoveOn",
    "Phase",
    "PhaseKind",
    "PhaseStarted",
    "Progress",
    "ReminderDue",
    "Rep",
    "SessionEngine",
    "SleepGap",
    "Snapshot",
    "SystemClock",
    "Update",
    "clock_text",
    "shown_seconds",
]
