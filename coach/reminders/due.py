"""When a reminder is due: pure functions of the moment, the reminder times and what the history says of the day,
so the rules are tested without a clock, a history or a desktop.

A reminder time is read on the local clock in force at the moment asked about (travel and DST move it with the
user, as a wall clock does) and belongs to the coach day: a time before the day-start hour is in the small hours
after midnight, so a bedtime reminder at 00:30 belongs to the evening before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from msgspec import Struct

from coach.days.day import today


class Verdict(StrEnum):
    """Where a slot's reminder stands at a moment."""

    DUE = "due"
    NOT_YET = "not yet"
    DONE = "done"
    REST = "rest day"
    SENT = "already sent"
    RUNNING = "being done now"
    NOT_PLANNED = "no routine for it"


class DayState(Struct, frozen=True):
    """What the history says of one coach day."""

    day: date
    kept: frozenset[str] = frozenset()
    """Slots kept: a session that reached its routine's `counts_after` (a partial one does not keep a slot)."""
    rest: bool = False
    running: frozenset[str] = frozenset()
    """Slots with a session being recorded right now (reminding of it would be noise)."""


class SlotCheck(Struct, frozen=True):
    """One slot's reminder at a moment: when it is (local wall time), and whether it is due."""

    slot: str
    at: datetime
    """The reminder's moment on the local wall clock (naive), within the coach day."""
    verdict: Verdict


def reminder_moment(day: date, at: time, day_start_hour: int) -> datetime:
    """The local wall-clock moment of a reminder time within a coach day: a time before the day-start hour is in
    the small hours after midnight (00:30 with the day starting at 04:00 is the next calendar date's 00:30)."""
    moment = datetime.combine(day, at)
    return moment + timedelta(days=1) if at.hour < day_start_hour else moment


def coach_day(now: datetime, day_start_hour: int) -> date:
    """The coach day `now` (aware) falls in, on the local clock in force at `now`."""
    return today(now, day_start_hour)


def check_slots(
    now: datetime,
    times: Mapping[str, time],
    day_start_hour: int,
    state: DayState,
    planned: Sequence[str],
    sent: frozenset[str] = frozenset(),
) -> list[SlotCheck]:
    """Each slot with a reminder time, in the order given, and whether its reminder is due at `now`.

    Due means: its time has passed in the current coach day, a routine plans the slot, the day is not a rest day,
    the slot is neither kept nor being done now, and its reminder was not sent yet this coach day (`sent`).
    `state` must describe the coach day of `now` (see `coach_day`)."""
    if now.tzinfo is None:
        raise ValueError("now must carry its UTC offset")
    wall = now.replace(tzinfo=None)
    checks = []
    for slot, at in times.items():
        moment = reminder_moment(state.day, at, day_start_hour)
        checks.append(SlotCheck(slot, moment, _verdict(slot, moment, wall, state, planned, sent)))
    return checks


def due_slots(
    now: datetime,
    times: Mapping[str, time],
    day_start_hour: int,
    state: DayState,
    planned: Sequence[str],
    sent: frozenset[str] = frozenset(),
) -> list[str]:
    """The slots whose reminder is due at `now` (see `check_slots`)."""
    return [c.slot for c in check_slots(now, times, day_start_hour, state, planned, sent) if c.verdict is Verdict.DUE]


def _verdict(
    slot: str, moment: datetime, wall: datetime, state: DayState, planned: Sequence[str], sent: frozenset[str]
) -> Verdict:
    if slot not in planned:
        return Verdict.NOT_PLANNED
    if slot in state.kept:
        return Verdict.DONE
    if state.rest:
        return Verdict.REST
    if wall < moment:
        return Verdict.NOT_YET
    if slot in sent:
        return Verdict.SENT
    if slot in state.running:
        return Verdict.RUNNING
    return Verdict.DUE
