"""Shared helpers for the diary tests: cramps and sessions at fixed times, a settable clock."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone

from coach.diary.entries import UNKNOWN, CrampEntry, make_entry
from coach.engine.recording import Status
from coach.store.records import SessionRecord

PARIS_SUMMER = timezone(timedelta(hours=2))
FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)


def cramp(
    day: date,
    *,
    hour: int = 3,
    minute: int = 0,
    leg: str = "left",
    muscle: str = "calf",
    severity: int = 5,
    trigger: str = UNKNOWN,
    note: str = "",
    tz: timezone = PARIS_SUMMER,
    day_start_hour: int = 4,
    entry_id: str | None = None,
) -> CrampEntry:
    """A checked entry at `hour`:`minute` local time on the calendar date `day` (at 03:00 its coach day is the
    day before, as for a session)."""
    moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
    return make_entry(
        cramp_at=moment,
        leg=leg,
        muscle=muscle,
        severity=severity,
        trigger=trigger,
        note=note,
        now=FAR_FUTURE,
        day_start_hour=day_start_hour,
        entry_id=entry_id,
    )


def session(day: date, slot: str = "morning", *, hour: int = 7, status: Status = Status.COMPLETED) -> SessionRecord:
    """A finished 12-minute session that started at `hour` local time on `day` (its coach day)."""
    started = datetime(day.year, day.month, day.day, hour, 0, tzinfo=PARIS_SUMMER)
    ended = started + timedelta(minutes=13)
    return SessionRecord(
        id=str(uuid.uuid4()),
        routine_id="toe-exercises" if slot != "bedtime" else "foot-soak",
        routine_name="Toe exercises" if slot != "bedtime" else "Foot soak",
        slot=slot,
        day=day,
        started_at=started,
        ended_at=ended,
        status=status,
        active_seconds=720.0,
        cycles_done=55,
        position="done",
        last_checkpoint_at=ended,
    )


class SettableClock:
    """A wall clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now
