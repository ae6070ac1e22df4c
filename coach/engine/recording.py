"""The small interface between a running session and the history store, so neither knows the other.

The session runner (plain or full-screen) calls `start` once, `checkpoint` at every phase change and at least every
10 s in long steps, and `finish` once. The store implements it; tests use an in-memory fake.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import NamedTuple, Protocol


class Status(StrEnum):
    """How a session ended; `running` only while it runs (or until the next start repairs a killed one)."""

    RUNNING = "running"
    COMPLETED = "completed"
    PARTIAL = "partial"


class SessionStart(NamedTuple):
    """What is known when a session begins; written at once so that a killed process still leaves a record."""

    id: str
    """A UUID4 string."""
    routine_id: str
    routine_name: str
    slot: str
    started_at: datetime
    """Aware datetime with the local UTC offset in force at the start."""


class Checkpoint(NamedTuple):
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
