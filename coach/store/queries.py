"""The SQL of sessions: their columns, a row to a record and back, inserts, look-ups by id, filters by day.

Functions on an open connection (the caller owns the transaction), shared by the store, the diary and the
maintenance; no module here imports the store.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, date
from itertools import chain
from typing import cast

from coach.common.problems import CoachError
from coach.engine.recording import Status
from coach.store.records import SessionRecord, parse_iso, to_iso

SESSION_COLUMNS = (
    "id, routine_id, routine_name, slot, day, started_at, ended_at, status, active_seconds, cycles_done, "
    "position, last_checkpoint_at, note, discomfort"
)
EXPORT_COLUMNS = (
    "id, routine_id, routine_name, slot, day, started_at, ended_at, status, active_seconds, cycles_done, note, "
    "discomfort"
)
"""The stored columns of `records.EXPORT_FIELDS`, in its order: a row is an exported item as it is."""
INSERT_SESSION = (
    "INSERT INTO sessions (id, routine_id, routine_name, slot, day, started_at, started_utc, ended_at, status, "
    "active_seconds, cycles_done, position, last_checkpoint_at, note, discomfort) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
)
ORDINAL_OF_DAY = "CAST(julianday(day) - 1721424.5 AS INTEGER)"
"""SQLite's julianday of a YYYY-MM-DD day minus this constant is Python's date.toordinal()."""
_INSERT_COLUMNS = INSERT_SESSION[INSERT_SESSION.index("(") + 1 : INSERT_SESSION.index(")")].split(", ")
_ROW_MARKS = "(" + ", ".join("?" * len(_INSERT_COLUMNS)) + ")"
_INSERT_MANY = INSERT_SESSION.replace(_ROW_MARKS, "{values}")
SessionRow = tuple[object, ...]
"""A session as the INSERT_SESSION parameters (`session_row`): what an import checks its items into."""
ROWS_PER_INSERT = 500
"""Sessions per INSERT statement of a bulk insert (fewer when SQLite allows fewer parameters)."""
CHUNK = 500
"""Ids per `IN (...)` look-up (SQLite's default limit on parameters is far above)."""


MIN_ID_PREFIX = 4
"""The shortest start of an id a command accepts (ids are UUIDs; lists show their first 8 characters)."""


def row_by_id_prefix(
    connection: sqlite3.Connection, table: str, columns: str, id_or_prefix: str, what: str, listing: str
) -> Sequence[object]:
    """The one row whose id starts with `id_or_prefix`; CoachError naming `what` and the `listing` command that
    shows the ids when there is none, or more than one."""
    prefix = id_or_prefix.strip().lower()
    if len(prefix) < MIN_ID_PREFIX:
        raise CoachError(f"give at least {MIN_ID_PREFIX} characters of the {what}'s id, not {id_or_prefix!r}")
    rows = connection.execute(
        f"SELECT {columns} FROM {table} WHERE id >= ? AND id < ? ORDER BY id LIMIT 2", (prefix, prefix + "~")
    ).fetchall()
    if not rows:
        raise CoachError(f"no {what} with id {id_or_prefix!r}; `{listing}` shows the ids")
    if len(rows) > 1:
        raise CoachError(f"more than one {what} id starts with {id_or_prefix!r}; give more of it")
    return rows[0]  # type: ignore[no-any-return]


def has_rows(connection: sqlite3.Connection, table: str) -> bool:
    exists = connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
    return bool(exists) and connection.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None


def day_filters(
    *,
    since: date | None = None,
    until: date | None = None,
    routine: str | None = None,
    include_running: bool = True,
) -> tuple[str, list[object]]:
    """A WHERE clause (or "") and its parameters: by coach day, routine, and without running sessions."""
    clauses: list[str] = []
    params: list[object] = []
    if since is not None:
        clauses.append("day >= ?")
        params.append(since.isoformat())
    if until is not None:
        clauses.append("day <= ?")
        params.append(until.isoformat())
    if routine is not None:
        clauses.append("routine_id = ?")
        params.append(routine)
    if not include_running:
        clauses.append("status != 'running'")
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def record_from_row(row: Sequence[object]) -> SessionRecord:
    sid, routine_id, name, slot, day, started, ended, status, active, cycles, position, checkpoint_at, note, disc = row
    return SessionRecord(
        id=str(sid),
        routine_id=str(routine_id),
        routine_name=str(name),
        slot=str(slot),
        day=date.fromisoformat(str(day)),
        started_at=parse_iso(str(started)),
        ended_at=parse_iso(str(ended)) if ended is not None else None,
        status=Status(str(status)),
        active_seconds=float(active),  # type: ignore[arg-type]
        cycles_done=int(cycles),  # type: ignore[call-overload]
        position=str(position),
        last_checkpoint_at=parse_iso(str(checkpoint_at)) if checkpoint_at is not None else None,
        note=None if note is None else str(note),
        discomfort=None if disc is None else int(disc),  # type: ignore[call-overload]
    )


def insert_sessions(connection: sqlite3.Connection, records: Iterable[SessionRecord]) -> int:
    """Add sessions (ids already present are left as they are); returns how many were added."""
    return insert_session_rows(connection, [session_row(record) for record in records])


def insert_session_rows(connection: sqlite3.Connection, rows: Sequence[SessionRow]) -> int:
    """Add sessions given as `session_row`s, many to a statement; returns how many were added.

    What it buys: the table's CHECKs `slot IN (...)` and `status IN (...)` build a small lookup table each time a
    statement runs, so one INSERT per row built 200,000 of them for 100,000 sessions: 0.9-1.0 s of the insert
    against 0.55 s with ROWS_PER_INSERT rows to a statement (the CHECKs still hold every row)."""
    limit = connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(_INSERT_COLUMNS)
    per = max(1, min(ROWS_PER_INSERT, limit))
    whole = len(rows) - len(rows) % per if per > 1 else 0
    added = 0
    if whole:
        values = ", ".join([_ROW_MARKS] * per)
        chunks = (list(chain.from_iterable(rows[start : start + per])) for start in range(0, whole, per))
        cursor = connection.executemany(_INSERT_MANY.format(values=values), chunks)
        added += max(0, cursor.rowcount)
    if whole < len(rows):
        # rowcount (sqlite3_changes) counts the sessions inserted, not the day_slots rows the triggers touch.
        added += max(0, connection.executemany(INSERT_SESSION, rows[whole:]).rowcount)
    return added


def session_row(record: SessionRecord) -> tuple[object, ...]:
    """A record as the INSERT_SESSION parameters (times as ISO 8601 with their offset, the start also in UTC)."""
    started, ended, checkpoint_at = record.started_at, record.ended_at, record.last_checkpoint_at
    if started.utcoffset() is None:
        raise ValueError("a recorded time must carry its UTC offset")
    return (
        record.id,
        record.routine_id,
        record.routine_name,
        record.slot,
        record.day.isoformat(),
        started.isoformat(),
        started.astimezone(UTC).isoformat(timespec="microseconds"),
        to_iso(ended) if ended is not None else None,
        record.status.value,
        float(record.active_seconds),
        int(record.cycles_done),
        record.position,
        (
            ended.isoformat()
            if checkpoint_at is ended and ended is not None
            else to_iso(checkpoint_at)
            if checkpoint_at is not None
            else None
        ),
        record.note,
        record.discomfort,
    )


def record_from_session_row(row: SessionRow) -> SessionRecord:
    """The record a `session_row` stores (its UTC start left out: it follows from the start)."""
    return record_from_row(row[:6] + row[7:])


def row_fingerprint(row: SessionRow) -> tuple[object, ...]:
    """What tells a session of an import from the stored one of the same id (`existing_sessions` reads the same)."""
    return (row[1], row[3], row[4], row[5], row[7], row[8], round(cast(float, row[9]), 3))


def existing_sessions(connection: sqlite3.Connection, ids: Sequence[str]) -> dict[str, tuple[object, ...]]:
    """Which of `ids` are in the history, with what tells them apart (`row_fingerprint`)."""
    found: dict[str, tuple[object, ...]] = {}
    if connection.execute("SELECT 1 FROM sessions LIMIT 1").fetchone() is None:
        return found  # an empty history (a new machine's first import): 200 look-ups of 500 ids spared
    chunk = CHUNK
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        marks = ", ".join("?" * len(part))
        for row in connection.execute(
            "SELECT id, routine_id, slot, day, started_at, ended_at, status, round(active_seconds, 3) "
            f"FROM sessions WHERE id IN ({marks})",
            part,
        ):
            found[str(row[0])] = tuple(row[1:])
    return found


def tombstoned(connection: sqlite3.Connection, ids: Sequence[str]) -> set[str]:
    """Which of `ids` the user deleted (a deleted session is never brought back by an import)."""
    found: set[str] = set()
    if connection.execute("SELECT 1 FROM deleted_sessions LIMIT 1").fetchone() is None:
        return found
    chunk = CHUNK
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        marks = ", ".join("?" * len(part))
        found.update(
            str(row[0]) for row in connection.execute(f"SELECT id FROM deleted_sessions WHERE id IN ({marks})", part)
        )
    return found
