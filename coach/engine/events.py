"""What happened since the last engine call, in order: each is reported once, by the call that first sees it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from coach.engine.recording import Status
from coach.engine.snapshot import Phase


@dataclass(frozen=True)
class PhaseStarted:
    """A phase began (by itself, by a control, or again after `back`): the moment for a sound."""

    phase: Phase


@dataclass(frozen=True)
class EndingSoon:
    """The current timed phase ends in 3, 2 or 1 seconds (named so, not `Warning`, to keep the builtin usable)."""

    seconds_left: int


@dataclass(frozen=True)
class ReminderDue:
    """A step's repeated cue is due, e.g. top up the hot water; only the latest one is ever reported."""

    text: str


@dataclass(frozen=True)
class MayFinish:
    """Active time reached the routine's `counts_after`: the session now counts if the user stops."""


@dataclass(frozen=True)
class MayMoveOn:
    """The lower bound of a ranged block has passed: the user may leave it (`move_on`)."""

    title: str


@dataclass(frozen=True)
class Finished:
    """The session ended: completed when active time reached `counts_after`, else partial."""

    status: Status
    active_seconds: float


@dataclass(frozen=True)
class SleepGap:
    """The machine slept for this long mid-phase; the session paused itself until `resolve_gap` says if it counts."""

    seconds: float


Event: TypeAlias = PhaseStarted | EndingSoon | ReminderDue | MayFinish | MayMoveOn | Finished | SleepGap
