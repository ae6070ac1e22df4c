"""What the store hands out: immutable records of sessions, rest days, calendar days and screen-ready views."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from coach.engine.recording import Status

if TYPE_CHECKING:
    from coach.days.streaks import StreakReport

EXPORT_FIELDS: tuple[str, ...] = (
    "id",
    "routine",
    "routine_name",
    "slot",
    "day",
    "started_at",
    "ended_at",
    "status",
    "active_seconds",
    "cycles_done",
    "note",
    "discomfort",
)
"""The fields of an exported session, in order (JSON keys and CSV columns alike)."""


def to_iso(moment: datetime) -> str:
    """ISO 8601 with the moment's own UTC offset, e.g. 2024-03-31T07:15:00+02:00."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a recorded time must carry its UTC offset")
    return moment.isoformat()


def utc_key(moment: datetime) -> str:
    """The same instant in UTC with fixed width, so that text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_iso(text: str) -> datetime:
    """An aware datetime from ISO 8601 text with an offset; ValueError otherwise."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("no UTC offset")
    return moment


EARLIEST_YEAR, LATEST_YEAR = 1900, 2999
"""Times outside these years are not a session's (and would overflow a conversion to UTC)."""


def parse_moment(text: str) -> datetime:
    """An aware datetime from a file: ISO 8601 with an offset, within the years coach stores. ValueError with no
    text for a form that is not a time; with a message for a time out of range."""
    try:
        moment = parse_iso(text)
    except ValueError:
        raise ValueError() from None
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise ValueError(f"must be a time between the years {EARLIEST_YEAR} and {LATEST_YEAR}")
    return moment


class SessionRecord(Struct, frozen=True):
    """One recorded session, as stored."""

    id: str
    routine_id: str
    routine_name: str
    slot: str
    day: date
    """The coach day it counts for, fixed when it started."""
    started_at: datetime
    ended_at: datetime | None
    status: Status
    active_seconds: float
    cycles_done: int = 0
    position: str = ""
    last_checkpoint_at: datetime | None = None
    note: str | None = None
    discomfort: int | None = None

    @property
    def counts(self) -> bool:
        """Whether it keeps its slot on its day (only completed sessions do)."""
        return self.status is Status.COMPLETED

    def to_json(self) -> dict[str, Any]:
        """The exported form (the JSON contract: id, routine, slot, started_at, ended_at, status, active_seconds...)."""
        return {
            "id": self.id,
            "routine": self.routine_id,
            "routine_name": self.routine_name,
            "slot": self.slot,
            "day": self.day.isoformat(),
            "started_at": to_iso(self.started_at),
            "ended_at": to_iso(self.ended_at) if self.ended_at is not None else None,
            "status": str(self.status),
            "active_seconds": float(self.active_seconds),
            "cycles_done": self.cycles_done,
            "note": self.note,
            "discomfort": self.discomfort,
        }


class RestDay(Struct, frozen=True):
    """A day the user marked as a rest day: it neither breaks nor extends a streak."""

    day: date
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        """The exported form: {"rest_day": "YYYY-MM-DD", "note": "..."}."""
        return {"rest_day": self.day.isoformat(), "note": self.note}


class DaySummary(Struct, frozen=True):
    """One calendar day: which slots were kept, which only had partial sessions, and whether it is a rest day."""

    day: date
    kept: frozenset[str]
    partial: frozenset[str]
    """Slots with a partial (or still running) session and no completed one."""
    sessions: int
    rest: bool = False
    rest_note: str = ""


class TodayView(Struct, frozen=True):
    """What the home screen shows: today's slots, today's sessions, the streaks."""

    today: date
    planned: tuple[str, ...]
    sessions: tuple[SessionRecord, ...]
    """Today's sessions, oldest first."""
    streaks: StreakReport
    rest_today: bool

    @property
    def kept(self) -> frozenset[str]:
        """Slots already kept today."""
        return self.streaks.kept_today

    @property
    def open_slots(self) -> tuple[str, ...]:
        """Planned slots not kept yet today, in the order of the day."""
        return tuple(slot for slot in self.planned if slot not in self.kept)


class HistoryView(Struct, frozen=True):
    """What the history screen shows: the latest sessions, calendar months, streaks, rest days."""

    today: date
    sessions: tuple[SessionRecord, ...]
    """The latest sessions, newest first."""
    calendar: dict[date, DaySummary]
    """Every day from `calendar_from` to `today` that has a session or is a rest day."""
    calendar_from: date
    streaks: StreakReport
    total_sessions: int


class ImportResult(Struct, frozen=True):
    """What an import did."""

    added: int
    already: int
    """Sessions whose id was already in the history (kept as they were)."""
    differing: int
    """Of `already`, those whose details differ from the file (the history's version was kept)."""
    rest_added: int
    rest_already: int
    cramps_added: int = 0
    cramps_already: int = 0
    """Cramps whose id was already in the diary (kept as they were)."""
    deleted: int = 0
    """Sessions of the file the user had deleted (never brought back)."""
