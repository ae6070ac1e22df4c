"""The history store: opening (folder, damage check, migrations, recovery, daily backup), queries and small writes.

Every method opens its own connection and closes it before returning, so a Store may be shared between threads
(the UI calls it from thread workers). SQLite and OS errors leave as CoachError with a message for the user.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from coach.common.problems import CoachError
from coach.days.day import today as coach_today
from coach.engine.recording import Status
from coach.store import locks
from coach.store.connection import (
    DamagedHistoryError,
    HistoryError,
    connect,
    database_path,
    explain,
    looks_like_sqlite,
    to_coach_error,
    write_transaction,
)
from coach.store.migrations import LATEST_VERSION, check_not_newer, migrate
from coach.store.records import (
    DaySummary,
    HistoryView,
    ImportResult,
    RestDay,
    SessionRecord,
    TodayView,
    parse_iso,
    to_iso,
    utc_key,
)

if TYPE_CHECKING:
    from coach.days.streaks import StreakReport
    from coach.diary.entries import CrampEntry
    from coach.store.cramps import CrampDiary

Clock = Callable[[], datetime]

SESSION_COLUMNS = (
    "id, routine_id, routine_name, slot, day, started_at, ended_at, status, active_seconds, cycles_done, "
    "position, last_checkpoint_at, note, discomfort"
)
_INSERT_SESSION = (
    "INSERT INTO sessions (id, routine_id, routine_name, slot, day, started_at, started_utc, ended_at, status, "
    "active_seconds, cycles_done, position, last_checkpoint_at, note, discomfort) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
)
_ORDINAL_OF_DAY = "CAST(julianday(day) - 1721424.5 AS INTEGER)"
"""SQLite's julianday of a YYYY-MM-DD day minus this constant is Python's date.toordinal()."""


def local_now() -> datetime:
    """Now, aware, in the local UTC offset in force."""
    return datetime.now().astimezone()


def history_exists(data_dir: Path) -> bool:
    """Whether a history file exists in the folder (without creating anything)."""
    return database_path(data_dir).exists()


def open_store(
    data_dir: Path | str | None = None,
    *,
    day_start_hour: int | None = None,
    clock: Clock = local_now,
    maintenance: bool = True,
) -> Store:
    """Open (or create) the history in `data_dir` (default: `coach.common.paths.data_dir()`), ready to use.

    On the way: create the folder; refuse a damaged file with DamagedHistoryError (nothing is changed); migrate
    an older schema (after copying the file into backups/); close sessions left `running` by a process that died
    (they become `partial` at their last checkpoint). With `maintenance`, once a day: `PRAGMA quick_check` and a
    backup into backups/ (the last 7 kept). Raises CoachError with a message for the user.
    """
    from coach.common.paths import data_dir as default_data_dir

    folder = default_data_dir(data_dir) if data_dir is None or isinstance(data_dir, str) else data_dir
    if day_start_hour is None:
        from coach.config.settings import load_settings

        day_start_hour = load_settings().settings.day_start_hour
    store = Store(folder, day_start_hour=day_start_hour, clock=clock)
    store.prepare(maintenance=maintenance)
    return store


class Store:
    """The history in one data folder. Create it with `open_store`, which prepares the file."""

    def __init__(self, data_dir: Path, *, day_start_hour: int = 4, clock: Clock = local_now) -> None:
        self.data_dir = data_dir
        self.path = database_path(data_dir)
        self.day_start_hour = day_start_hour
        self.clock = clock

    # -- opening ---------------------------------------------------------------------------------------------

    def prepare(self, *, maintenance: bool = True) -> None:
        """Create, check, migrate and recover the file (see `open_store`)."""
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise HistoryError(
                f"cannot create the history folder {self.data_dir}: {explain(error)}", self.data_dir, explain(error)
            ) from None
        if not looks_like_sqlite(self.path):
            raise DamagedHistoryError(self.path, "it is not an SQLite database file")
        with self._connection() as connection:
            version = check_not_newer(connection, self.path)
            if 0 < version < LATEST_VERSION and _has_rows(connection, "sessions"):
                from coach.store import backups

                backups.take_migration_backup(self.data_dir, connection, version, self.clock())
            migrate(connection)
            self._recover(connection)
            if maintenance:
                self._daily_maintenance(connection)

    def _daily_maintenance(self, connection: sqlite3.Connection) -> None:
        from coach.store import backups

        today = self.clock().date()
        if not backups.backup_due(self.data_dir, today):
            return
        if not any(_has_rows(connection, table) for table in ("sessions", "rest_days", "cramps")):
            return  # nothing to save yet
        backups.bound_cache(connection)  # the check and the copy read every page
        result = connection.execute("PRAGMA quick_check").fetchall()
        if result != [("ok",)]:
            raise DamagedHistoryError(self.path, f"quick_check: {result[0][0]}")
        backups.take_daily_backup(self.data_dir, connection, today)

    def _recover(self, connection: sqlite3.Connection) -> list[str]:
        """Close sessions left `running` by a process that is gone, ended at their last checkpoint: completed when
        that checkpoint reached the session's `counts_after` (the rule of every other ending), else partial."""
        running = [row[0] for row in connection.execute("SELECT id FROM sessions WHERE status = 'running'")]
        abandoned = [session_id for session_id in running if not locks.is_held(self.data_dir, session_id)]
        if not abandoned:
            return []
        with write_transaction(connection):
            for session_id in abandoned:
                connection.execute(
                    "UPDATE sessions SET ended_at = COALESCE(last_checkpoint_at, started_at), status = CASE "
                    "WHEN counts_after IS NOT NULL AND active_seconds >= counts_after - 1e-6 THEN 'completed' "
                    "ELSE 'partial' END "
                    "WHERE id = ? AND status = 'running'",
                    (session_id,),
                )
        for session_id in abandoned:
            locks.forget(self.data_dir, session_id)
        return abandoned

    def recover_abandoned(self) -> list[str]:
        """Close sessions left `running` by dead processes now; returns their ids (open_store does it too)."""
        with self._connection() as connection:
            return self._recover(connection)

    @contextmanager
    def _connection(self, timeout_ms: int | None = None) -> Iterator[sqlite3.Connection]:
        """A fresh connection, closed afterwards; SQLite and OS errors become CoachError."""
        try:
            connection = connect(self.path) if timeout_ms is None else connect(self.path, timeout_ms=timeout_ms)
        except (sqlite3.Error, OSError) as error:
            raise to_coach_error(self.path, error) from None
        try:
            with closing(connection):
                yield connection
        except (sqlite3.Error, OSError) as error:
            raise to_coach_error(self.path, error) from None

    def check(self) -> str | None:
        """Run `PRAGMA quick_check`: None when the file is sound, else the first problem SQLite names."""
        with self._connection() as connection:
            rows = connection.execute("PRAGMA quick_check").fetchall()
        return None if rows == [("ok",)] else str(rows[0][0])

    def today(self) -> date:
        """The coach day it is now (the day-start hour applied)."""
        return coach_today(self.clock(), self.day_start_hour)

    # -- sessions --------------------------------------------------------------------------------------------

    def sessions(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        routine: str | None = None,
        limit: int | None = None,
        newest_first: bool = True,
        include_running: bool = True,
    ) -> list[SessionRecord]:
        """Sessions by coach day and routine id, newest first unless asked otherwise."""
        where, params = day_filters(since=since, until=until, routine=routine, include_running=include_running)
        order = "DESC" if newest_first else "ASC"
        sql = f"SELECT {SESSION_COLUMNS} FROM sessions {where} ORDER BY started_utc {order}, id {order}"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        with self._connection() as connection:
            return [_record(row) for row in connection.execute(sql, params)]

    def get(self, session_id: str) -> SessionRecord | None:
        """One session by its full id."""
        with self._connection() as connection:
            row = connection.execute(f"SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return _record(row) if row else None

    def find(self, id_or_prefix: str) -> SessionRecord:
        """One session by id or by the start of its id (as `coach history` shows it); CoachError otherwise."""
        with self._connection() as connection:
            row = row_by_id_prefix(connection, "sessions", SESSION_COLUMNS, id_or_prefix, "session", "coach history")
        return _record(row)

    def count(self) -> int:
        """How many sessions are recorded."""
        with self._connection() as connection:
            return int(connection.execute("SELECT count(*) FROM sessions").fetchone()[0])

    def set_note(
        self, session_id: str, note: str | None, discomfort: int | None = None, *, set_discomfort: bool = False
    ) -> SessionRecord:
        """Set (or clear, with None) a session's note, and its 0-10 discomfort when `set_discomfort`."""
        if discomfort is not None and not 0 <= discomfort <= 10:
            raise CoachError(f"discomfort must be a whole number from 0 to 10, not {discomfort}")
        with self._connection() as connection, write_transaction(connection):
            if set_discomfort:
                cursor = connection.execute(
                    "UPDATE sessions SET note = ?, discomfort = ? WHERE id = ?", (note, discomfort, session_id)
                )
            else:
                cursor = connection.execute("UPDATE sessions SET note = ? WHERE id = ?", (note, session_id))
            if cursor.rowcount == 0:
                raise CoachError(f"no session with id {session_id!r}")
        record = self.get(session_id)
        assert record is not None
        return record

    def insert_sessions(self, records: Iterable[SessionRecord]) -> int:
        """Add sessions in one transaction; ids already present are left as they are. Returns how many were added."""
        with self._connection() as connection, write_transaction(connection):
            return _insert(connection, records)

    # -- rest days -------------------------------------------------------------------------------------------

    def rest_days(self, *, since: date | None = None) -> list[RestDay]:
        """Rest days, oldest first."""
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT day, note FROM rest_days WHERE day >= ? ORDER BY day", ((since or date.min).isoformat(),)
            ).fetchall()
        return [RestDay(date.fromisoformat(day), note) for day, note in rows]

    def mark_rest_day(self, day: date, note: str = "") -> bool:
        """Mark a rest day (or change its note); returns False when it was already one."""
        with self._connection() as connection, write_transaction(connection):
            existed = connection.execute("SELECT 1 FROM rest_days WHERE day = ?", (day.isoformat(),)).fetchone()
            connection.execute(
                "INSERT INTO rest_days (day, note, marked_at) VALUES (?, ?, ?) "
                "ON CONFLICT (day) DO UPDATE SET note = excluded.note",
                (day.isoformat(), note, to_iso(self.clock())),
            )
        return existed is None

    def unmark_rest_day(self, day: date) -> bool:
        """Make a rest day an ordinary day again; returns False when it was not a rest day."""
        with self._connection() as connection, write_transaction(connection):
            cursor = connection.execute("DELETE FROM rest_days WHERE day = ?", (day.isoformat(),))
            return cursor.rowcount > 0

    # -- the cramp diary (coach/store/cramps.py) ---------------------------------------------------------------

    @property
    def diary(self) -> CrampDiary:
        """The cramp diary in this history: log, entries, find, delete, insights."""
        from coach.store.cramps import CrampDiary

        return CrampDiary(self)

    # -- streaks and views -----------------------------------------------------------------------------------

    def streaks(self, planned: Sequence[str], today: date | None = None) -> StreakReport:
        """Per-slot and whole-day-plan streaks and rates as of `today` (default: the coach day now)."""
        today = today or self.today()
        with self._connection() as connection:
            connection.execute("BEGIN")
            report = _streaks(connection, planned, today)
            connection.execute("COMMIT")
        return report

    def day_summaries(self, since: date, until: date) -> dict[date, DaySummary]:
        """Calendar data: each day from `since` to `until` that has a session or is a rest day."""
        with self._connection() as connection:
            connection.execute("BEGIN")
            summaries = _day_summaries(connection, since, until)
            connection.execute("COMMIT")
        return summaries

    def today_view(self, planned: Sequence[str], today: date | None = None) -> TodayView:
        """What the home screen shows (one read, a few ms even with years of history)."""
        today = today or self.today()
        with self._connection() as connection:
            connection.execute("BEGIN")
            report = _streaks(connection, planned, today)
            where, params = day_filters(since=today, until=today)
            rows = connection.execute(
                f"SELECT {SESSION_COLUMNS} FROM sessions {where} ORDER BY started_utc", params
            ).fetchall()
            connection.execute("COMMIT")
        return TodayView(
            today=today,
            planned=report.planned,
            sessions=tuple(_record(row) for row in rows),
            streaks=report,
            rest_today=report.rest_today,
        )

    def history_view(
        self, planned: Sequence[str], today: date | None = None, *, limit: int = 50, months: int = 3
    ) -> HistoryView:
        """What the history screen shows: the latest `limit` sessions, the calendar of the last `months` months
        (from the first of the month), the streaks. Run it in a worker thread; it takes tens of ms at 100,000
        sessions."""
        today = today or self.today()
        calendar_from = _months_back(today, months)
        with self._connection() as connection:
            connection.execute("BEGIN")
            rows = connection.execute(
                f"SELECT {SESSION_COLUMNS} FROM sessions WHERE day <= ? ORDER BY started_utc DESC, id DESC LIMIT ?",
                (today.isoformat(), int(limit)),
            ).fetchall()
            calendar = _day_summaries(connection, calendar_from, today)
            report = _streaks(connection, planned, today)
            total = int(connection.execute("SELECT count(*) FROM sessions").fetchone()[0])
            connection.execute("COMMIT")
        return HistoryView(
            today=today,
            sessions=tuple(_record(row) for row in rows),
            calendar=calendar,
            calendar_from=calendar_from,
            streaks=report,
            total_sessions=total,
        )

    # -- import ----------------------------------------------------------------------------------------------

    def import_records(
        self, sessions: Sequence[SessionRecord], rest_days: Sequence[RestDay], cramps: Sequence[CrampEntry] = ()
    ) -> ImportResult:
        """Add sessions, rest days and cramps in one transaction (all or nothing). A session or a cramp whose id
        is already in the history is left exactly as it is, as is an existing rest day."""
        with self._connection() as connection, write_transaction(connection):
            existing = _existing(connection, [record.id for record in sessions])
            differing = sum(
                1 for record in sessions if record.id in existing and existing[record.id] != _fingerprint(record)
            )
            added = _insert(connection, sessions)
            rest_added = 0
            for rest in rest_days:
                cursor = connection.execute(
                    "INSERT INTO rest_days (day, note, marked_at) VALUES (?, ?, ?) ON CONFLICT (day) DO NOTHING",
                    (rest.day.isoformat(), rest.note, to_iso(self.clock())),
                )
                rest_added += cursor.rowcount
            cramps_added = 0
            if cramps:
                from coach.store.cramps import insert_cramps

                cramps_added = insert_cramps(connection, cramps)
        return ImportResult(
            added=added,
            already=len(sessions) - added,
            differing=differing,
            rest_added=rest_added,
            rest_already=len(rest_days) - rest_added,
            cramps_added=cramps_added,
            cramps_already=len(cramps) - cramps_added,
        )


# -- helpers -------------------------------------------------------------------------------------------------


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


def _has_rows(connection: sqlite3.Connection, table: str) -> bool:
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


def _record(row: Sequence[object]) -> SessionRecord:
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


def _insert(connection: sqlite3.Connection, records: Iterable[SessionRecord]) -> int:
    # rowcount (sqlite3_changes) counts the sessions inserted, not the day_slots rows the triggers touch.
    cursor = connection.executemany(_INSERT_SESSION, (_row(record) for record in records))
    return max(0, cursor.rowcount)


def _row(record: SessionRecord) -> tuple[object, ...]:
    return (
        record.id,
        record.routine_id,
        record.routine_name,
        record.slot,
        record.day.isoformat(),
        to_iso(record.started_at),
        utc_key(record.started_at),
        to_iso(record.ended_at) if record.ended_at is not None else None,
        str(record.status),
        float(record.active_seconds),
        int(record.cycles_done),
        record.position,
        to_iso(record.last_checkpoint_at) if record.last_checkpoint_at is not None else None,
        record.note,
        record.discomfort,
    )


def _fingerprint(record: SessionRecord) -> tuple[object, ...]:
    return (
        record.routine_id,
        record.slot,
        record.day.isoformat(),
        to_iso(record.started_at),
        to_iso(record.ended_at) if record.ended_at else None,
        str(record.status),
        round(float(record.active_seconds), 3),
    )


def _existing(connection: sqlite3.Connection, ids: Sequence[str]) -> dict[str, tuple[object, ...]]:
    found: dict[str, tuple[object, ...]] = {}
    chunk = 500
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


def _streaks(connection: sqlite3.Connection, planned: Sequence[str], today: date) -> StreakReport:
    from coach.days.streaks import streak_report_masks  # not at the top: the recorder's thread never needs the rules

    # day_slots holds one row per day with a kept slot (kept up to date by triggers on sessions), in day order.
    masks = connection.execute(
        "SELECT ordinal, mask FROM day_slots WHERE ordinal <= ? ORDER BY ordinal", (today.toordinal(),)
    ).fetchall()
    rest = [row[0] for row in connection.execute(f"SELECT {_ORDINAL_OF_DAY} FROM rest_days ORDER BY day")]
    first = connection.execute("SELECT min(day) FROM sessions").fetchone()[0]
    # Rates count from the first recorded day; with nothing recorded there is no day to rate yet.
    began = date.fromisoformat(first).toordinal() if first else today.toordinal() + 1
    return streak_report_masks(masks, rest, planned, today, began)


def _day_summaries(connection: sqlite3.Connection, since: date, until: date) -> dict[date, DaySummary]:
    bounds = (since.isoformat(), until.isoformat())
    kept: dict[str, set[str]] = {}
    other: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for day, slot, status, number in connection.execute(
        "SELECT day, slot, status, count(*) FROM sessions WHERE day BETWEEN ? AND ? GROUP BY day, slot, status",
        bounds,
    ):
        (kept if status == "completed" else other).setdefault(day, set()).add(slot)
        counts[day] = counts.get(day, 0) + int(number)
    rests = dict(connection.execute("SELECT day, note FROM rest_days WHERE day BETWEEN ? AND ?", bounds).fetchall())
    summaries: dict[date, DaySummary] = {}
    for day in sorted(set(counts) | set(rests)):
        kept_slots = frozenset(kept.get(day, ()))
        summaries[date.fromisoformat(day)] = DaySummary(
            day=date.fromisoformat(day),
            kept=kept_slots,
            partial=frozenset(other.get(day, set()) - kept_slots),
            sessions=counts.get(day, 0),
            rest=day in rests,
            rest_note=str(rests.get(day, "")),
        )
    return summaries


def _months_back(today: date, months: int) -> date:
    """The first day of the month `months - 1` months before today's month."""
    index = today.year * 12 + (today.month - 1) - max(0, months - 1)
    return date(index // 12, index % 12 + 1, 1)
