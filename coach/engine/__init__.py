"""The session engine: plain Python (never textual or rich) that runs a routine against a clock it is given.

`SessionEngine(routine, clock)` starts a session; each call returns an `Update` (a frozen `Snapshot` and the
events since the previous call). See docs/engine.md for the rules in the user's words.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Names load on first use (PEP 562), so `from coach.engine.clock import SystemClock` stays cheap for the app's
# first frame and the session machinery loads only when a session starts.
_HOMES = {
    "Clock": "clock",
    "FakeClock": "clock",
    "SystemClock": "clock",
    "EndingSoon": "events",
    "Event": "events",
    "Finished": "events",
    "MayFinish": "events",
    "MayMoveOn": "events",
    "PhaseStarted": "events",
    "ReminderDue": "events",
    "SleepGap": "events",
    "SessionEngine": "session",
    "Update": "session",
    "Block": "snapshot",
    "Phase": "snapshot",
    "PhaseKind": "snapshot",
    "Progress": "snapshot",
    "Rep": "snapshot",
    "Snapshot": "snapshot",
    "clock_text": "snapshot",
    "shown_seconds": "snapshot",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'coach.engine' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"coach.engine.{home}"), name)
    globals()[name] = value
    return value
