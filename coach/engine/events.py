"""What happened since the last engine call, in order: each is reported once, by the call that first sees it."""

from __future__ import annotations

from typing import TypeAlias

from msgspec import Struct

from coach.engine.recording import Status
from coach.engine.snapshot import Phase


class PhaseStarted(Struct, frozen=True):
    """A phase began (by itself, by a control, or again after `back`): the moment for a sound."""

    phase: Phase


class EndingSoon(Struct, frozen=True):
    """The current timed phase ends in 3, 2 or 1 seconds (named so, not `Warning`, to keep the builtin usable)."""

    seconds_left: int


class ReminderDue(Struct, frozen=True):
    """A step's repeated cue is due, e.g. top up the hot water; only the latest one is ever reported."""

    text: str


class MayFinish(Struct, frozen=True):
    """Active time reached the routine's `counts_after`: the session now counts if the user stops."""


class MayMoveOn(Struct, frozen=True):
    """The lower bound of a ranged block has passed: the user may leave it (`move_on`)."""

    title: str


class Finished(Struct, frozen=True):
    """The session ended: completed when active time reached `counts_after`, else partial."""

    status: Status
    active_seconds: float


class SleepGap(Struct, frozen=True):
    """The machine slept for this long mid-phase; the session paused itself until `resolve_gap` says if it counts."""

    seconds: float


Event: TypeAlias = PhaseStarted | EndingSoon | ReminderDue | MayFinish | MayMoveOn | Finished | SleepGap
