"""The events of a journal: what one line says, how a history row becomes one, and how one is checked before it may
touch the history (a journal is a file anybody could have edited).

One line is one JSON object with a `type`, the record's key fields, its values and `v`, the version of that value
(milliseconds since 1970, pushed past the version it overwrote, see docs/sync.md). `d`, the device that wrote the
value, is left out when it is the journal's own device.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, NamedTuple

from coach.diary.entries import LEGS, MUSCLES, TRIGGERS
from coach.store.records import utc_key

SLOTS = ("morning", "evening", "bedtime")
FINISHED = ("completed", "partial")
MAX_VERSION = 253_402_300_799_999
"""The last millisecond of the year 9999: a version beyond it is a damaged line (no clock says so)."""
MAX_TEXT = 20_000
"""The longest note or name taken from a journal (longer is a damaged line)."""

PREFIX: dict[str, str] = {
    "session": "s",
    "note": "n",
    "session_deleted": "x",
    "rest_day": "r",
    "rest_day_undone": "r",
    "cramp": "c",
    "cramp_deleted": "y",
}
"""Each event type and the register it writes (see coach/store/sync_tables.py)."""

COUNTED_AS: dict[str, str] = {
    "s": "sessions",
    "n": "notes",
    "x": "sessions deleted",
    "r": "rest days",
    "c": "cramps",
    "y": "cramps deleted",
}
"""How a register's changes are counted in a sync's report."""

_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{3,63}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DEVICE = re.compile(r"[0-9a-f]{16}")

SESSION_COLUMNS = "id, routine_id, routine_name, slot, day, started_at, ended_at, status, active_seconds, cycles_done"
"""The columns of a session that travel (the checkpoint's position stays on the machine that ran it)."""
CRAMP_COLUMNS = "id, cramp_at, day, leg, muscle, severity, trigger, note, logged_at"


class BadEvent(ValueError):
    """A line that is not an event this coach can take; the message says why."""


class Event(NamedTuple):
    """One checked event: the register it writes, the version and device of the value, and the value as the
    history's columns (None for a deletion or an undone rest day)."""

    key: str
    version: int
    device: str
    type: str
    values: tuple[Any, ...] | None


def is_device_id(text: str) -> bool:
    """Whether `text` has the shape of a device id (16 lowercase hex digits)."""
    return _DEVICE.fullmatch(text) is not None


# -- from the history to a line ---------------------------------------------------------------------------------


def session_event(row: tuple[Any, ...], version: int) -> dict[str, Any]:
    """A finished session's line, from its row (SESSION_COLUMNS)."""
    sid, routine, name, slot, day, started, ended, status, active, cycles = row
    return {
        "type": "session",
        "id": sid,
        "routine": routine,
        "routine_name": name,
        "slot": slot,
        "day": day,
        "started_at": started,
        "ended_at": ended,
        "status": status,
        "active_seconds": active,
        "cycles_done": cycles,
        "v": version,
    }


def note_event(session_id: str, note: str | None, discomfort: int | None, version: int) -> dict[str, Any]:
    """A session's note and discomfort score."""
    return {"type": "note", "id": session_id, "note": note, "discomfort": discomfort, "v": version}


def rest_event(day: str, note: str | None, version: int) -> dict[str, Any]:
    """A rest day set (note a string) or undone (note None)."""
    if note is None:
        return {"type": "rest_day_undone", "day": day, "v": version}
    return {"type": "rest_day", "day": day, "note": note, "v": version}


def cramp_event(row: tuple[Any, ...], version: int) -> dict[str, Any]:
    """A cramp's line, from its row (CRAMP_COLUMNS)."""
    cid, cramp_at, day, leg, muscle, severity, trigger, note, logged_at = row
    return {
        "type": "cramp",
        "id": cid,
        "cramp_at": cramp_at,
        "day": day,
        "leg": leg,
        "muscle": muscle,
        "severity": severity,
        "trigger": trigger,
        "note": note,
        "logged_at": logged_at,
        "v": version,
    }


def deletion_event(kind: str, record_id: str, version: int) -> dict[str, Any]:
    """A session's or a cramp's deletion (`kind` "session_deleted" or "cramp_deleted")."""
    return {"type": kind, "id": record_id, "v": version}


# -- from a line to a checked event -----------------------------------------------------------------------------


def read_event(item: object, journal_device: str) -> Event:
    """Check one parsed line; BadEvent when it is not an event this coach can take."""
    if not isinstance(item, dict):
        raise BadEvent("not a JSON object")
    kind = item.get("type")
    if not isinstance(kind, str) or kind not in PREFIX:
        raise BadEvent(f"unknown type {kind!r}")
    version = item.get("v")
    if not isinstance(version, int) or isinstance(version, bool) or not 0 <= version <= MAX_VERSION:
        raise BadEvent('"v" must be a version (milliseconds since 1970)')
    device = item.get("d", journal_device)
    if not isinstance(device, str) or not is_device_id(device):
        raise BadEvent('"d" must be a device id')
    if kind in ("rest_day", "rest_day_undone"):
        day = _day(item, "day")
        values = (day, _text(item, "note")) if kind == "rest_day" else None
        return Event(f"r:{day}", version, device, kind, values)
    record_id = _id(item)
    key = f"{PREFIX[kind]}:{record_id}"
    if kind == "session":
        return Event(key, version, device, kind, _session_values(item, record_id))
    if kind == "note":
        return Event(key, version, device, kind, (_text(item, "note", nullable=True), _discomfort(item)))
    if kind == "cramp":
        return Event(key, version, device, kind, _cramp_values(item, record_id))
    return Event(key, version, device, kind, None)


def _session_values(item: dict[str, Any], record_id: str) -> tuple[Any, ...]:
    """The session's columns as the history stores them (started_utc worked out, the checkpoint at the end)."""
    started = _required_moment(item, "started_at")
    ended = _moment(item, "ended_at", nullable=True)
    slot = item.get("slot")
    if slot not in SLOTS:
        raise BadEvent(f'"slot" must be one of {", ".join(SLOTS)}')
    status = item.get("status")
    if status not in FINISHED:
        raise BadEvent('"status" must be completed or partial')
    active = item.get("active_seconds")
    if not isinstance(active, int | float) or isinstance(active, bool) or not 0 <= active < 1e9:
        raise BadEvent('"active_seconds" must be a number of seconds')
    cycles = item.get("cycles_done", 0)
    if not isinstance(cycles, int) or isinstance(cycles, bool) or cycles < 0:
        raise BadEvent('"cycles_done" must be a whole number')
    return (
        record_id,
        _text(item, "routine"),
        _text(item, "routine_name"),
        slot,
        _day(item, "day"),
        item["started_at"],
        utc_key(started),
        item.get("ended_at"),
        status,
        float(active),
        cycles,
        "",
        item.get("ended_at") if ended is not None else None,
    )


def _cramp_values(item: dict[str, Any], record_id: str) -> tuple[Any, ...]:
    cramp_at = _required_moment(item, "cramp_at")
    _moment(item, "logged_at", nullable=True)
    for key, allowed in (("leg", LEGS), ("muscle", MUSCLES), ("trigger", TRIGGERS)):
        if item.get(key) not in allowed:
            raise BadEvent(f'"{key}" must be one of {", ".join(allowed)}')
    severity = item.get("severity")
    if not isinstance(severity, int) or isinstance(severity, bool) or not 0 <= severity <= 10:
        raise BadEvent('"severity" must be a whole number from 0 to 10')
    return (
        record_id,
        item["cramp_at"],
        utc_key(cramp_at),
        _day(item, "day"),
        item["leg"],
        item["muscle"],
        severity,
        item["trigger"],
        _text(item, "note"),
        item.get("logged_at"),
    )


def _id(item: dict[str, Any]) -> str:
    value = item.get("id")
    if not isinstance(value, str) or _ID.fullmatch(value) is None:
        raise BadEvent('"id" must be an id such as a UUID')
    return value


def _day(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    if isinstance(value, str) and _DAY.fullmatch(value):
        try:
            date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return value
    raise BadEvent(f'"{key}" must be a date YYYY-MM-DD')


def _text(item: dict[str, Any], key: str, *, nullable: bool = False) -> Any:
    value = item.get(key)
    if value is None and nullable:
        return None
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise BadEvent(f'"{key}" must be a string')
    return value


def _discomfort(item: dict[str, Any]) -> int | None:
    value = item.get("discomfort")
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10:
        raise BadEvent('"discomfort" must be a whole number from 0 to 10 or null')
    return value


def _required_moment(item: dict[str, Any], key: str) -> datetime:
    moment = _moment(item, key)
    assert moment is not None  # not nullable: _moment raised
    return moment


def _moment(item: dict[str, Any], key: str, *, nullable: bool = False) -> datetime | None:
    value = item.get(key)
    if value is None and nullable:
        return None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if moment.utcoffset() is not None:
                return moment
    raise BadEvent(f'"{key}" must be an ISO 8601 time with its UTC offset')
