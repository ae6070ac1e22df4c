"""The cramp diary in the history file (table `cramps`, schema v4): adding, listing, deleting, and the data that
insights read. The rules (what a valid entry is, what insights say) are in coach/diary.py; this module only
stores and fetches.

Reach it through a store: `open_store(...).diary` is a `CrampDiary`. Like every `Store` method, each call opens
its own connection and closes it, so the app may call it from thread workers; every write is one
`BEGIN IMMEDIATE` transaction. Insights read a few index ranges (`cramps_day` covers day and trigger), so they
stay quick however long the diary grows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta
from typing import Any

from coach.days.day import local_day
from coach.days.day import today as coach_today
from coach.days.streaks import SLOT_BITS
from coach.diary.entries import CRAMP_FIELDS, UNKNOWN, CrampEntry, check_not_future, choices, make_entry
from coach.diary.insights import COMPARE_DAYS, DEFAULT_WEEKS, FREQUENT_WINDOW_DAYS, Insights, compute_insights
from coach.store.connection import write_transaction
from coach.store.formats import csv_table, json_array, uuid_text
from coach.store.queries import day_filters, row_by_id_prefix
from coach.store.records import parse_iso, parse_moment, to_iso, utc_key

Connect = Callable[[], AbstractContextManager[sqlite3.Connection]]

CRAMP_COLUMNS = "id, cramp_at, day, leg, muscle, severity, trigger, note, logged_at"
_INSERT_CRAMP = (
    "INSERT INTO cramps (id, cramp_at, cramp_utc, day, leg, muscle, severity, trigger, note, logged_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
)


class CrampDiary:
    """The cramp diary of one store: `store.diary` (given the store's connections, clock and day-start hour)."""

    def __init__(self, connect: Connect, *, clock: Callable[[], datetime], day_start_hour: Callable[[], int]) -> None:
        self._connect = connect
        self._clock = clock
        self._hour = day_start_hour

    # -- writes ----------------------------------------------------------------------------------------------

    def log(
        self,
        *,
        leg: str,
        muscle: str,
        severity: int,
        trigger: str = UNKNOWN,
        note: str = "",
        cramp_at: datetime | None = None,
    ) -> CrampEntry:
        """Check and add a new cramp (default: now, by the store's clock); its coach day comes from the store's
        day-start hour. DiaryError (a CoachError) when it is in the future or a value is unknown."""
        now = self._clock()
        entry = make_entry(
            cramp_at=cramp_at if cramp_at is not None else now.replace(microsecond=0),
            leg=leg,
            muscle=muscle,
            severity=severity,
            trigger=trigger,
            note=note,
            now=now,
            day_start_hour=self._hour(),
        )
        self.add(entry)
        return entry

    def add(self, entry: CrampEntry) -> bool:
        """Add an entry made with `coach.diary.make_entry`; False when its id was already in the diary (the
        diary's version is kept). DiaryError for a cramp after now."""
        check_not_future(entry.cramp_at, self._clock())
        with self._connect() as connection, write_transaction(connection):
            return insert_cramps(connection, [entry]) == 1

    def delete(self, cramp_id: str) -> bool:
        """Remove one entry by its full id; False when there was none."""
        with self._connect() as connection, write_transaction(connection):
            return connection.execute("DELETE FROM cramps WHERE id = ?", (cramp_id,)).rowcount > 0

    # -- reads -----------------------------------------------------------------------------------------------

    def entries(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        limit: int | None = None,
        newest_first: bool = True,
    ) -> list[CrampEntry]:
        """Entries by coach day, newest first unless asked otherwise (the latest `limit` either way)."""
        clauses, params = day_filters(since=since, until=until)
        order = "DESC" if newest_first else "ASC"
        if limit is not None and not newest_first:
            # The latest `limit`, then turned oldest first.
            latest = self.entries(since=since, until=until, limit=limit, newest_first=True)
            return latest[::-1]
        sql = f"SELECT {CRAMP_COLUMNS} FROM cramps {clauses} ORDER BY cramp_utc {order}, id {order}"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        with self._connect() as connection:
            return [_entry(row) for row in connection.execute(sql, params)]

    def get(self, cramp_id: str) -> CrampEntry | None:
        """One entry by its full id."""
        with self._connect() as connection:
            row = connection.execute(f"SELECT {CRAMP_COLUMNS} FROM cramps WHERE id = ?", (cramp_id,)).fetchone()
        return _entry(row) if row else None

    def find(self, id_or_prefix: str) -> CrampEntry:
        """One entry by id or by the start of its id (as `coach cramp list` shows it); CoachError otherwise."""
        with self._connect() as connection:
            row = row_by_id_prefix(connection, "cramps", CRAMP_COLUMNS, id_or_prefix, "cramp", "coach cramp list")
        return _entry(row)

    def count(self) -> int:
        """How many cramps are in the diary."""
        with self._connect() as connection:
            return int(connection.execute("SELECT count(*) FROM cramps").fetchone()[0])

    def insights(self, planned: Sequence[str], today: date | None = None, *, weeks: int = DEFAULT_WEEKS) -> Insights:
        """Insights as of `today` (default: the coach day now) over the last `weeks` weeks, for the day plan
        `planned`. One read transaction over index ranges: a few ms whatever the size of the history."""
        today = today or coach_today(self._clock(), self._hour())
        with self._connect() as connection:
            connection.execute("BEGIN")
            try:
                return read_insights(connection, planned, today, weeks)
            finally:
                connection.execute("COMMIT")


# -- SQL -------------------------------------------------------------------------------------------------------


def insert_cramps(connection: sqlite3.Connection, entries: Iterable[CrampEntry]) -> int:
    """Insert entries inside the caller's write transaction; ids already present are left as they are.
    Returns how many were added."""
    cursor = connection.executemany(_INSERT_CRAMP, (_row(entry) for entry in entries))
    return max(0, cursor.rowcount)


def existing_ids(connection: sqlite3.Connection, ids: Sequence[str]) -> set[str]:
    """Which of these ids the diary already has."""
    found: set[str] = set()
    chunk = 500
    for start in range(0, len(ids), chunk):
        part = list(ids[start : start + chunk])
        marks = ", ".join("?" * len(part))
        found.update(str(row[0]) for row in connection.execute(f"SELECT id FROM cramps WHERE id IN ({marks})", part))
    return found


def read_insights(connection: sqlite3.Connection, planned: Sequence[str], today: date, weeks: int) -> Insights:
    """What `compute_insights` needs, read by index ranges only: the first session's day, the cramps of the
    chart's weeks, of the last 4 weeks and of the 4 weeks before the program began, and the kept slots of the
    chart's weeks (from the v3 per-day summary)."""
    first_session = connection.execute("SELECT min(day) FROM sessions").fetchone()[0]
    start = date.fromisoformat(first_session) if first_session else None
    if start is not None and start > today:
        start = None
    chart_from = today - timedelta(days=7 * max(1, weeks) - 1)
    ranges = [(min(chart_from, today - timedelta(days=FREQUENT_WINDOW_DAYS - 1)), today)]
    if start is not None:
        ranges.append((start - timedelta(days=COMPARE_DAYS), start - timedelta(days=1)))
    pairs: list[tuple[date, str]] = []
    for low, high in _merged(ranges):
        pairs.extend(
            (date.fromisoformat(day), str(trigger))
            for day, trigger in connection.execute(
                "SELECT day, trigger FROM cramps WHERE day BETWEEN ? AND ?", (low.isoformat(), high.isoformat())
            )
        )
    total, first_cramp = connection.execute(
        "SELECT count(*), min(day) FROM cramps WHERE day <= ?", (today.isoformat(),)
    ).fetchone()
    kept = [
        (date.fromordinal(ordinal), slot)
        for ordinal, mask in connection.execute(
            "SELECT ordinal, mask FROM day_slots WHERE ordinal BETWEEN ? AND ?",
            (chart_from.toordinal(), today.toordinal()),
        )
        for slot, bit in SLOT_BITS.items()
        if int(mask) & bit
    ]
    return compute_insights(
        pairs,
        kept,
        today=today,
        program_start=start,
        planned=planned,
        diary_start=date.fromisoformat(first_cramp) if first_cramp else None,
        total_cramps=int(total),
        weeks=weeks,
    )


def _merged(ranges: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Day ranges without overlaps, so that no cramp is read twice."""
    merged: list[tuple[date, date]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def _row(entry: CrampEntry) -> tuple[object, ...]:
    return (
        entry.id,
        to_iso(entry.cramp_at),
        utc_key(entry.cramp_at),
        entry.day.isoformat(),
        entry.leg,
        entry.muscle,
        int(entry.severity),
        entry.trigger,
        entry.note,
        to_iso(entry.logged_at) if entry.logged_at is not None else None,
    )


def _entry(row: Sequence[object]) -> CrampEntry:
    cramp_id, cramp_at, day, leg, muscle, severity, trigger, note, logged_at = row
    return CrampEntry(
        id=str(cramp_id),
        cramp_at=parse_iso(str(cramp_at)),
        day=date.fromisoformat(str(day)),
        leg=str(leg),
        muscle=str(muscle),
        severity=int(severity),  # type: ignore[call-overload]
        trigger=str(trigger),
        note=str(note),
        logged_at=parse_iso(str(logged_at)) if logged_at is not None else None,
    )


# -- export and import -----------------------------------------------------------------------------------------

CRAMP_REQUIRED: tuple[str, ...] = ("cramp_at", "id", "leg", "muscle", "severity")
CRAMP_OPTIONAL: tuple[str, ...] = ("day", "trigger", "note", "logged_at")


def cramps_json(entries: Iterable[CrampEntry]) -> str:
    """Cramps as a JSON array of {"cramp_at", "id", "day", ...} items, oldest first as given (importable)."""
    return json_array(entries)


def cramps_csv(entries: Iterable[CrampEntry]) -> str:
    """Cramps as CSV with the JSON export's keys as columns; empty cells for missing values."""
    return csv_table(entries, CRAMP_FIELDS)


def cramp_from_item(
    item: dict[str, Any],
    *,
    bad: Callable[[str | None, str], None],
    show: Callable[[object], str],
    day_start_hour: int,
    now: datetime | None = None,
    warn: Callable[[str | None, str], None] | None = None,
) -> CrampEntry | None:
    """Check one import item with a "cramp_at" key; each problem goes to `bad(key, message)` (key None: the
    item as a whole), located by the caller. None when anything is wrong. With `now`, a cramp after it is a
    problem (the diary records what happened)."""
    ok = True

    def problem(key: str | None, message: str) -> None:
        nonlocal ok
        ok = False
        bad(key, message)

    missing = [key for key in CRAMP_REQUIRED if key not in item]
    if missing:
        names = ", ".join(f'"{key}"' for key in missing)
        problem(None, f"this cramp lacks {names}")
    cramp_id = ""
    if "id" in item:
        cramp_id = uuid_text(item["id"])
        if not cramp_id:
            problem("id", f'"id" must be a UUID string, not {show(item["id"])}')
    cramp_at = _moment(item, "cramp_at", problem, show, nullable=False)
    logged_at = _moment(item, "logged_at", problem, show, nullable=True)
    if cramp_at is not None and now is not None and cramp_at > now:
        if logged_at is not None and warn is not None:  # coach's own record, logged while the clock ran ahead
            warn(
                "cramp_at",
                f'"cramp_at" {cramp_at.isoformat()} is after now (a clock set ahead when it was logged?); '
                "imported as recorded",
            )
        else:
            problem("cramp_at", f'"cramp_at" {cramp_at.isoformat()} is in the future; the diary records what happened')
    values: dict[str, str] = {}
    for key in ("leg", "muscle", "trigger"):
        if key not in item:
            continue
        value = item[key]
        if key == "trigger" and value is None:
            continue
        if not isinstance(value, str) or value not in choices(key):
            problem(key, f'"{key}" must be one of {", ".join(choices(key))}, not {show(value)}')
        else:
            values[key] = value
    severity = item.get("severity")
    if "severity" in item and (not isinstance(severity, int) or isinstance(severity, bool) or not 0 <= severity <= 10):
        problem("severity", f'"severity" must be a whole number from 0 to 10, not {show(severity)}')
    note = item.get("note")
    if note is None:
        note = ""
    if not isinstance(note, str):
        problem("note", f'"note" must be a string, not {show(note)}')
    day: date | None = None
    if cramp_at is not None:
        value = item.get("day")
        if value is None:
            day = local_day(cramp_at, day_start_hour)
        else:
            try:
                day = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
            except ValueError:
                day = None
            if day is None:
                problem("day", f'"day" must be a date YYYY-MM-DD, not {show(value)}')
            elif not (day == cramp_at.date() or (day == cramp_at.date() - timedelta(days=1) and cramp_at.hour < 12)):
                problem("day", f'"day" {value} does not fit "cramp_at" {cramp_at.isoformat()}')
    if not ok or cramp_at is None or day is None or not isinstance(severity, int):
        return None
    return CrampEntry(
        id=cramp_id,
        cramp_at=cramp_at,
        day=day,
        leg=values["leg"],
        muscle=values["muscle"],
        severity=severity,
        trigger=values.get("trigger", UNKNOWN),
        note=str(note),
        logged_at=logged_at,
    )


def _moment(
    item: dict[str, Any],
    key: str,
    problem: Callable[[str | None, str], None],
    show: Callable[[object], str],
    *,
    nullable: bool,
) -> datetime | None:
    if key not in item or (nullable and item[key] is None):
        return None
    value = item[key]
    if isinstance(value, str):
        try:
            return parse_moment(value)
        except ValueError as error:
            if str(error):
                problem(key, f'"{key}" {error}, not {show(value)}')
                return None
    problem(
        key, f'"{key}" must be an ISO 8601 time with its UTC offset, e.g. 2024-05-01T03:10:00+02:00, not {show(value)}'
    )
    return None
