"""The gateway into the history: one object with every read and write the app and the commands need.

`Store` opens a fresh connection per call and closes it before returning, so one Store may be shared between
threads (the app calls it from thread workers). The file is prepared (created whole, checked, migrated, spool
replayed, dead sessions recovered) before the first call; the daily quick check and backup run once per process
(`maintain`), in a worker for the app. The day-start hour is passed in (a number, or a function the app reads at
each call); the store never reads settings. SQLite and OS errors leave as CoachError with a message for the user.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.common.problems import CoachError
from coach.days.day import today as coach_today
from coach.days.streaks import StreakReport
from coach.engine.recording import Status
from coach.store import locks, maintenance
from coach.store.connection import (
    DamagedHistoryError,
    HistoryBusyError,
    HistoryError,
    check_file,
    connect,
    connect_read_only,
    database_path,
    to_coach_error,
    write_transaction,
)
from coach.store.migrations import insert_in_bulk
from coach.store.queries import (
    EXPORT_COLUMNS,
    SESSION_COLUMNS,
    SessionRow,
    day_filters,
    existing_sessions,
    insert_session_rows,
    insert_sessions,
    record_from_row,
    row_by_id_prefix,
    row_fingerprint,
    session_row,
    tombstoned,
)
from coach.store.recorder import HistoryRecorder, ProblemHandler, problem_message
from coach.store.records import (
    EXPORT_FIELDS,
    DaySummary,
    HistoryView,
    ImportResult,
    RestDay,
    SessionRecord,
    TodayView,
    to_iso,
)
from coach.store.summary import read_summary, refresh_summary
from coach.store.views import count_sessions, day_summaries, months_back, read_streaks

if TYPE_CHECKING:
    from coach.diary.entries import CrampEntry
    from coach.store.cramps import CrampDiary

Clock = Callable[[], datetime]
Warn = Callable[[str], None]
DayStartHour = int | Callable[[], int]


def local_now() -> datetime:
    """Now, aware, in the local UTC offset in force."""
    return datetime.now().astimezone()


def history_exists(data_dir: Path) -> bool:
    """Whether a history file exists in the folder (without creating anything)."""
    return database_path(data_dir).exists()


def open_store(
    data_dir: Path | str,
    *,
    day_start_hour: DayStartHour,
    clock: Clock = local_now,
    maintenance: bool = True,
    background: bool = False,
    on_warning: Warn | None = None,
    read_only_fallback: bool = False,
) -> Store:
    """Open (or create) the history in `data_dir`, ready to use; with `maintenance`, the day's quick check and
    backup (once per process), in a detached process with `background` (see `Store.maintain`). With
    `read_only_fallback`, a history that cannot be written (a full disk, a read-only folder) is opened read-only,
    with a warning, so it can still be shown and exported.

    Raises CoachError with a message for the user (DamagedHistoryError for a damaged file: nothing is changed).
    """
    store = Store(data_dir, day_start_hour=day_start_hour, clock=clock, on_warning=on_warning)
    try:
        store.prepare()
    except HistoryError as error:
        if not read_only_fallback or isinstance(error, DamagedHistoryError | HistoryBusyError):
            raise
        if not history_exists(store.data_dir) or not store.open_read_only(error.reason):
            raise
        return store
    if maintenance:
        store.maintain(background=background)
    return store


class Store:
    """The history in one data folder; every read and write of the app and the commands goes through it."""

    def __init__(
        self,
        data_dir: Path | str,
        *,
        day_start_hour: DayStartHour,
        clock: Clock = local_now,
        on_warning: Warn | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.path = database_path(self.data_dir)
        self._hour = day_start_hour
        self.clock = clock
        self.on_warning = on_warning
        self.read_only: str | None = None
        """Why the history is open read-only (None: it is writable)."""
        self._prepared = False
        self._prepare_lock = threading.Lock()

    @property
    def day_start_hour(self) -> int:
        """The day-start hour in force now (the app's settings screen may change it while the app runs)."""
        return self._hour() if callable(self._hour) else self._hour

    # -- opening ---------------------------------------------------------------------------------------------

    def prepare(self) -> None:
        """Create (whole), check, migrate, replay the spool and recover: once for this Store, before its first
        call. Thread-safe: the app's first reads and its maintenance worker may arrive together."""
        with self._prepare_lock:
            if self._prepared:
                return
            maintenance.make_folder(self.data_dir)
            check_file(self.path)
            try:
                maintenance.create(self.path)
            except (sqlite3.Error, OSError) as error:
                raise to_coach_error(self.path, error) from None
            with self._connection(prepare=False) as connection:
                prepared = maintenance.prepare(self.data_dir, connection, self.clock())
                notes = maintenance.read_notes(self.data_dir)
                if notes is not None:
                    self._say_notes(connection, notes)
            for message in prepared.messages:
                self._warn(message)
            self._prepared = True

    def _say_notes(self, connection: sqlite3.Connection, notes: maintenance.Notes) -> None:
        """What the background check left: a finding of damage is checked again here (DamagedHistoryError
        when it holds); warnings are said once."""
        if notes.damaged is not None:
            rows = connection.execute("PRAGMA quick_check").fetchall()
            if rows != [("ok",)]:
                raise DamagedHistoryError(self.path, f"quick_check: {rows[0][0]}")
        for message in notes.warnings:
            self._warn(message)
        maintenance.forget_notes(self.data_dir)

    def maintain(self, *, background: bool = False) -> None:
        """The day's `PRAGMA quick_check` and backup, once per process (per day); the app runs it in a worker
        after its first frame. DamagedHistoryError when the check fails; a backup that cannot be written is
        a warning (`on_warning`), never a stop. With `background` (the commands), they run in a detached
        process when they are due, and what it finds is said by the next open (`maintenance.start_daily`)."""
        self.prepare()
        today = self.clock().date()
        if self.read_only is not None or not maintenance.claim_daily(self.data_dir, today):
            return
        try:
            with self._connection() as connection:
                in_background = background and maintenance.due(self.data_dir, connection, today)
                if in_background and maintenance.start_daily(self.data_dir, today):
                    return
                messages = maintenance.daily(self.data_dir, connection, today)
        except BaseException:
            maintenance.release_daily(self.data_dir, today)
            raise
        if messages is None:
            maintenance.release_daily(self.data_dir, today)
        for message in messages or ():
            self._warn(message)

    def open_read_only(self, reason: str) -> bool:
        """Use the history read-only from now on (it can be shown and exported); False when even that fails."""
        try:
            connect_read_only(self.path).close()
        except (sqlite3.Error, OSError):
            return False
        self.read_only = reason
        self._prepared = True
        self._warn(f"the history cannot be written ({reason}); it is shown read-only and nothing is changed")
        return True

    def recover_abandoned(self) -> list[str]:
        """Close sessions left `running` by dead processes now; returns their ids (opening does it too)."""
        with self._connection() as connection:
            return maintenance.recover(self.data_dir, connection)

    def recorder(self, on_problem: ProblemHandler | None = None) -> HistoryRecorder:
        """A recorder for a session, into this history; never raises (a problem is reported through it)."""
        try:
            self.prepare()
        except Exception as error:  # the session must run whatever the history's state
            reason = error.reason if isinstance(error, HistoryError) else str(error) or type(error).__name__
            return HistoryRecorder(
                self.data_dir,
                day_start_hour=self.day_start_hour,
                on_problem=on_problem,
                clock=self.clock,
                problem=problem_message(self.path, reason),
            )
        return HistoryRecorder(
            self.data_dir, day_start_hour=self.day_start_hour, on_problem=on_problem, clock=self.clock
        )

    @contextmanager
    def _connection(self, timeout_ms: int | None = None, *, prepare: bool = True) -> Iterator[sqlite3.Connection]:
        """A fresh connection, closed afterwards; SQLite and OS errors become CoachError."""
        if prepare and not self._prepared:
            self.prepare()
        try:
            if self.read_only is not None:
                connection = connect_read_only(self.path)
            elif timeout_ms is None:
                connection = connect(self.path)
            else:
                connection = connect(self.path, timeout_ms=timeout_ms)
        except (sqlite3.Error, OSError) as error:
            raise to_coach_error(self.path, error) from None
        try:
            with closing(connection):
                yield connection
        except (sqlite3.Error, OSError) as error:
            raise to_coach_error(self.path, error) from None

    def _warn(self, message: str) -> None:
        if self.on_warning is not None:
            self.on_warning(message)

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
            return [record_from_row(row) for row in connection.execute(sql, params)]

    def session_items(self, *, since: date | None = None, routine: str | None = None) -> Iterator[dict[str, Any]]:
        """Every finished session in the export's JSON form, oldest first, streamed from one read transaction
        (100,000 sessions are never all in memory: the export and `history --json` write them as they come)."""
        for row in self.session_rows(since=since, routine=routine):
            yield dict(zip(EXPORT_FIELDS, row, strict=True))

    def session_rows(self, *, since: date | None = None, routine: str | None = None) -> Iterator[tuple[Any, ...]]:
        """`session_items` as rows of values in the order of `records.EXPORT_FIELDS`, for
        `formats.write_session_rows` (the export of 100,000 sessions writes them without a dict each)."""
        where, params = day_filters(since=since, routine=routine, include_running=False)
        sql = f"SELECT {EXPORT_COLUMNS} FROM sessions {where} ORDER BY started_utc ASC, id ASC"
        with self._connection() as connection:
            connection.execute("BEGIN")
            try:
                yield from connection.execute(sql, params)
            finally:
                connection.execute("COMMIT")

    def get(self, session_id: str) -> SessionRecord | None:
        """One session by its full id."""
        with self._connection() as connection:
            row = connection.execute(f"SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return record_from_row(row) if row else None

    def find(self, id_or_prefix: str) -> SessionRecord:
        """One session by id or by the start of its id (as `coach history` shows it); CoachError otherwise."""
        with self._connection() as connection:
            row = row_by_id_prefix(connection, "sessions", SESSION_COLUMNS, id_or_prefix, "session", "coach history")
        return record_from_row(row)

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

    def delete_session(self, session_id: str) -> SessionRecord:
        """Delete a past session by its full id and keep a tombstone (table deleted_sessions), so that export,
        streaks and a later sync follow, and `coach import` never brings it back. Returns what was deleted;
        CoachError for an unknown id or a session still being recorded."""
        with self._connection() as connection, write_transaction(connection):
            row = connection.execute(f"SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,)).fetchone()
            if row is None:
                raise CoachError(f"no session with id {session_id!r}; `coach history` shows the ids")
            record = record_from_row(row)
            if record.status is Status.RUNNING and locks.is_held(self.data_dir, session_id):
                raise CoachError(f"session {session_id[:8]} is still being recorded; finish it first")
            connection.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
            connection.execute(
                "INSERT INTO deleted_sessions (id, deleted_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                (session_id, to_iso(self.clock())),
            )
        locks.forget(self.data_dir, session_id)
        return record

    def deleted_ids(self) -> set[str]:
        """The ids of sessions the user deleted (their tombstones)."""
        with self._connection() as connection:
            return {str(row[0]) for row in connection.execute("SELECT id FROM deleted_sessions")}

    def insert_sessions(self, records: Iterable[SessionRecord]) -> int:
        """Add sessions in one transaction; ids already present are left as they are. Returns how many were added."""
        with self._connection() as connection, write_transaction(connection):
            records = list(records)
            deleted = tombstoned(connection, [record.id for record in records])
            return insert_sessions(connection, [record for record in records if record.id not in deleted])

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
        from coach.store.cramps import CrampDiary  # first use: coach/store/__init__.py "Start-up"

        return CrampDiary(self._connection, clock=self.clock, day_start_hour=lambda: self.day_start_hour)

    # -- streaks and views -----------------------------------------------------------------------------------

    def streaks(self, planned: Sequence[str], today: date | None = None) -> StreakReport:
        """Per-slot and whole-day-plan streaks and rates as of `today` (default: the coach day now)."""
        today = today or self.today()
        with self._connection() as connection:
            connection.execute("BEGIN")
            summary = read_summary(connection)
            report = read_streaks(connection, planned, today, summary)
            connection.execute("COMMIT")
        if summary is None:
            self._remember_summary()
        return report

    def _remember_summary(self) -> None:
        """Make the summary of the past days (coach/store/summary.py) that a read found missing, if the history
        can be written at once: a read never waits for a writer, and a failure only leaves the next read slower."""
        if self.read_only is not None:
            return
        try:
            with self._connection(timeout_ms=0) as connection, write_transaction(connection):
                if read_summary(connection) is None:
                    refresh_summary(connection, self.today())
        except CoachError:
            pass

    def count(self) -> int:
        """How many sessions are recorded."""
        with self._connection() as connection:
            connection.execute("BEGIN")
            total = count_sessions(connection, read_summary(connection))
            connection.execute("COMMIT")
        return total

    def day_summaries(self, since: date, until: date) -> dict[date, DaySummary]:
        """Calendar data: each day from `since` to `until` that has a session or is a rest day."""
        with self._connection() as connection:
            connection.execute("BEGIN")
            summaries = day_summaries(connection, since, until)
            connection.execute("COMMIT")
        return summaries

    def today_view(self, planned: Sequence[str], today: date | None = None) -> TodayView:
        """What the home screen shows (one read, a few ms even with years of history)."""
        today = today or self.today()
        with self._connection() as connection:
            connection.execute("BEGIN")
            summary = read_summary(connection)
            report = read_streaks(connection, planned, today, summary)
            where, params = day_filters(since=today, until=today)
            rows = connection.execute(
                f"SELECT {SESSION_COLUMNS} FROM sessions {where} ORDER BY started_utc", params
            ).fetchall()
            connection.execute("COMMIT")
        if summary is None:
            self._remember_summary()
        return TodayView(
            today=today,
            planned=report.planned,
            sessions=tuple(record_from_row(row) for row in rows),
            streaks=report,
            rest_today=report.rest_today,
        )

    def history_view(
        self, planned: Sequence[str], today: date | None = None, *, limit: int = 50, months: int = 3
    ) -> HistoryView:
        """What the history screen shows: the latest `limit` sessions, the calendar of the last `months` months
        (from the first of the month), the streaks. It reads the latest sessions and the recent days only (the
        summary of the past, coach/store/summary.py): a few ms, whatever the size of the history."""
        today = today or self.today()
        calendar_from = months_back(today, months)
        with self._connection() as connection:
            connection.execute("BEGIN")
            rows = connection.execute(
                f"SELECT {SESSION_COLUMNS} FROM sessions WHERE day <= ? ORDER BY started_utc DESC, id DESC LIMIT ?",
                (today.isoformat(), int(limit)),
            ).fetchall()
            calendar = day_summaries(connection, calendar_from, today)
            summary = read_summary(connection)
            report = read_streaks(connection, planned, today, summary)
            total = count_sessions(connection, summary)
            connection.execute("COMMIT")
        if summary is None:
            self._remember_summary()
        return HistoryView(
            today=today,
            sessions=tuple(record_from_row(row) for row in rows),
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
        return self.import_rows([session_row(record) for record in sessions], rest_days, cramps)

    def import_rows(
        self, rows: Sequence[SessionRow], rest_days: Sequence[RestDay], cramps: Sequence[CrampEntry] = ()
    ) -> ImportResult:
        """`import_records` with the sessions as the rows an import file's check makes (`exchange.ImportBatch`)."""
        with self._connection() as connection, write_transaction(connection):
            deleted = tombstoned(connection, [str(row[0]) for row in rows])
            if deleted:
                rows = [row for row in rows if row[0] not in deleted]
            existing = existing_sessions(connection, [str(row[0]) for row in rows])
            differing = sum(1 for row in rows if row[0] in existing and existing[str(row[0])] != row_fingerprint(row))
            added = insert_in_bulk(connection, lambda: insert_session_rows(connection, rows), len(rows))
            rest_added = 0
            for rest in rest_days:
                cursor = connection.execute(
                    "INSERT INTO rest_days (day, note, marked_at) VALUES (?, ?, ?) ON CONFLICT (day) DO NOTHING",
                    (rest.day.isoformat(), rest.note, to_iso(self.clock())),
                )
                rest_added += cursor.rowcount
            cramps_added = 0
            if cramps:
                from coach.store.cramps import insert_cramps  # the diary on first use ("Start-up")

                cramps_added = insert_cramps(connection, cramps)
            refresh_summary(connection, self.today())  # one pass now, not at the next screen
        return ImportResult(
            added=added,
            already=len(rows) - added,
            differing=differing,
            rest_added=rest_added,
            rest_already=len(rest_days) - rest_added,
            cramps_added=cramps_added,
            cramps_already=len(cramps) - cramps_added,
            deleted=len(deleted),
        )


def open_recorder(
    data_dir: Path | str,
    *,
    day_start_hour: int,
    on_problem: ProblemHandler | None = None,
    clock: Clock = local_now,
) -> HistoryRecorder:
    """A recorder into the history of `data_dir` for a process that records one session (`coach run --plain`);
    never raises. Opening prepares the store and runs the day's maintenance (once per process); when that fails
    (a folder that cannot be written, a damaged file), the recorder is returned anyway: it reports the problem
    once, at once, through `on_problem` and `problem`, records nothing, and the session runs."""
    data_dir = Path(data_dir)
    store = Store(data_dir, day_start_hour=day_start_hour, clock=clock, on_warning=on_problem)
    try:
        store.prepare()
        store.maintain(background=True)
    except Exception as error:  # CoachError or anything else: the session must still run
        reason = error.reason if isinstance(error, HistoryError) else str(error) or type(error).__name__
        return HistoryRecorder(
            data_dir,
            day_start_hour=day_start_hour,
            on_problem=on_problem,
            clock=clock,
            problem=problem_message(database_path(data_dir), reason),
        )
    return store.recorder(on_problem)
