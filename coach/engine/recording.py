"""The small interface between a running session and the history store, so neither knows the other.

The session runner (`coach.engine.runner`, behind the plain and the full-screen run alike) calls `start` once when
the user begins, `checkpoint` at every phase change and at least every 10 s in long steps, and then either `finish`
once or, for a session just begun that the user throws away, `discard`. Whoever made the recorder calls `close`.
The store implements it; tests use an in-memory fake.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Protocol

from msgspec import Struct


class Status(StrEnum):
    """How a session ended; `running` only while it runs (or until the next start repairs a killed one)."""

    RUNNING = "running"
    COMPLETED = "completed"
    PARTIAL = "partial"


class SessionStart(Struct, frozen=True):
    """What is known when a session begins; written at once so that a killed process still leaves a record."""

    id: str
    """A UUID4 string."""
    routine_id: str
    routine_name: str
    slot: str
    started_at: datetime
    """Aware datetime with the local UTC offset in force at the start."""
    counts_after_seconds: float | None = None
    """The active time after which the session counts: a session found still `running` after a crash is closed as
    completed when its last checkpoint reached this, partial otherwise (the same rule as every other ending)."""


class Checkpoint(Struct, frozen=True):
    """Where a session is, so that at most seconds are lost when the process dies."""

    position: str
    """A short, human-readable place in the routine, e.g. "Heel raises > Heels up, hold (cycle 7)"."""
    active_seconds: float
    """Time spent in timed steps, pauses excluded."""
    cycles_done: int


class Recorder(Protocol):
    """Where sessions are recorded; the store's implementation must never block a countdown for long."""

    def start(self, session: SessionStart) -> None: ...

    def checkpoint(self, session_id: str, checkpoint: Checkpoint) -> None: ...

    def finish(self, session_id: str, status: Status, ended_at: datetime, checkpoint: Checkpoint) -> None: ...

    def discard(self, session_id: str) -> None:
        """Forget a session just begun, as if it never ran (the user chose to throw it away)."""
        ...

    def close(self) -> bool:
        """Wait for the writes asked for and let go of what is held; True when every write landed."""
        ...
