"""The history schema, as a list of versioned migrations; `PRAGMA user_version` says which ones a file has.

Rules: migrations only ever add (tables, columns, indexes); one that had to reshape data would copy it first. They
run in one BEGIN IMMEDIATE transaction, so two coach processes opening an old file at once migrate it once, and a
crash half-way leaves the file as it was. The store copies an old file with data into backups/ before migrating it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from msgspec import Struct

from coach.store.connection import HistoryError, write_transaction
from coach.store.sync_tables import TRACKING, create_sync_tables

_DAY_CHECK = "GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"


class Migration(Struct, frozen=True):
    """One step of the schema, from `version - 1` to `version`."""

    version: int
    description: str
    apply: Callable[[sqlite3.Connection], None]


def _v1_sessions(connection: sqlite3.Connection) -> None:
    """The first schema: one row per session, written when it starts and updated at every checkpoint."""
    connection.execute(
        f"""
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY NOT NULL,           -- UUID4 string
            routine_id TEXT NOT NULL,               -- the routine file's stem, kept if the file goes away
            routine_name TEXT NOT NULL,             -- the name as it was when the session ran
            slot TEXT NOT NULL CHECK (slot IN ('morning', 'evening', 'bedtime')),
            day TEXT NOT NULL CHECK (day {_DAY_CHECK}),  -- the coach day, fixed at the start
            started_at TEXT NOT NULL,               -- ISO 8601 with the UTC offset in force at the start
            started_utc TEXT NOT NULL,              -- the same instant in UTC, fixed width: sorts in time order
            ended_at TEXT,                          -- ISO 8601 with offset; NULL while running
            status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'partial')),
            active_seconds REAL NOT NULL DEFAULT 0 CHECK (active_seconds >= 0),
            cycles_done INTEGER NOT NULL DEFAULT 0 CHECK (cycles_done >= 0),
            position TEXT NOT NULL DEFAULT '',      -- the last checkpoint, in words
            last_checkpoint_at TEXT                 -- ISO 8601 with offset
        )
        """
    )
    # Streaks read (day, slot) of completed sessions straight from this index, without touching the table.
    connection.execute("CREATE INDEX sessions_status_day_slot ON sessions (status, day, slot)")
    # Calendar months and `--since` read by day.
    connection.execute("CREATE INDEX sessions_day ON sessions (day, slot, status)")
    # The latest N sessions.
    connection.execute("CREATE INDEX sessions_started ON sessions (started_utc)")


def _v2_notes_and_rest_days(connection: sqlite3.Connection) -> None:
    """A note and a 0-10 discomfort score on each session, and days the user marks as rest days."""
    connection.execute("ALTER TABLE sessions ADD COLUMN note TEXT")
    connection.execute(
        "ALTER TABLE sessions ADD COLUMN discomfort INTEGER CHECK (discomfort IS NULL OR discomfort BETWEEN 0 AND 10)"
    )
    connection.execute(
        f"""
        CREATE TABLE rest_days (
            day TEXT PRIMARY KEY NOT NULL CHECK (day {_DAY_CHECK}),
            note TEXT NOT NULL DEFAULT '',
            marked_at TEXT NOT NULL                 -- ISO 8601 with offset
        )
        """
    )


ORDINAL = "CAST(julianday({day}) - 1721424.5 AS INTEGER)"
"""SQL for Python's date.toordinal() of a YYYY-MM-DD text."""
_BIT = "(CASE {slot} WHEN 'morning' THEN 1 WHEN 'evening' THEN 2 ELSE 4 END)"
_DAY_MASK = "(max(slot = 'morning') | (max(slot = 'evening') << 1) | (max(slot = 'bedtime') << 2))"
_RECOUNT = (
    "INSERT INTO day_slots (ordinal, mask) SELECT {ordinal}, {mask} FROM sessions "
    "WHERE status = 'completed' AND day IN ({days}) GROUP BY day"
)


def _v3_day_slots(connection: sqlite3.Connection) -> None:
    """A summary of the kept slots of each day, kept up to date by triggers, so that streaks over 100,000
    sessions read one small row per day instead of every session. Derived data only: filled from the sessions."""
    connection.execute(
        """
        CREATE TABLE day_slots (
            ordinal INTEGER PRIMARY KEY NOT NULL,   -- the coach day as date.toordinal()
            mask INTEGER NOT NULL                   -- kept slots: morning 1, evening 2, bedtime 4
        )
        """
    )
    ordinal = ORDINAL.format(day="day")
    connection.execute(_RECOUNT.replace("day IN ({days})", "1").format(ordinal=ordinal, mask=_DAY_MASK))
    connection.execute(
        f"""
        CREATE TRIGGER sessions_kept_insert AFTER INSERT ON sessions WHEN NEW.status = 'completed'
        BEGIN
            INSERT INTO day_slots (ordinal, mask)
            VALUES ({ORDINAL.format(day="NEW.day")}, {_BIT.format(slot="NEW.slot")})
            ON CONFLICT (ordinal) DO UPDATE SET mask = mask | excluded.mask;
        END
        """
    )
    recount = _RECOUNT.format(ordinal=ordinal, mask=_DAY_MASK, days="{days}")
    connection.execute(
        f"""
        CREATE TRIGGER sessions_kept_update AFTER UPDATE OF status, day, slot ON sessions
        WHEN OLD.status = 'completed' OR NEW.status = 'completed'
        BEGIN
            DELETE FROM day_slots WHERE ordinal IN ({ORDINAL.format(day="OLD.day")}, {ORDINAL.format(day="NEW.day")});
            {recount.format(days="OLD.day, NEW.day")};
        END
        """
    )
    connection.execute(
        f"""
        CREATE TRIGGER sessions_kept_delete AFTER DELETE ON sessions WHEN OLD.status = 'completed'
        BEGIN
            DELETE FROM day_slots WHERE ordinal = {ORDINAL.format(day="OLD.day")};
            {recount.format(days="OLD.day")};
        END
        """
    )


def _v4_cramps(connection: sqlite3.Connection) -> None:
    """The cramp diary: one row per cramp, with its coach day fixed when logged (as a session's). Leg, muscle and
    severity are checked here; the trigger is checked by coach.diary, so that the article's list can grow
    without rebuilding the table."""
    connection.execute(
        f"""
        CREATE TABLE cramps (
            id TEXT PRIMARY KEY NOT NULL,           -- UUID4 string: imports are keyed on it
            cramp_at TEXT NOT NULL,                 -- ISO 8601 with the UTC offset in force then
            cramp_utc TEXT NOT NULL,                -- the same instant in UTC, fixed width: sorts in time order
            day TEXT NOT NULL CHECK (day {_DAY_CHECK}),  -- the coach day, fixed when logged
            leg TEXT NOT NULL CHECK (leg IN ('left', 'right', 'both')),
            muscle TEXT NOT NULL CHECK (muscle IN ('calf', 'foot', 'thigh')),
            severity INTEGER NOT NULL CHECK (severity BETWEEN 0 AND 10),
            trigger TEXT NOT NULL DEFAULT 'unknown',  -- a key of coach.diary.TRIGGERS
            note TEXT NOT NULL DEFAULT '',
            logged_at TEXT                          -- ISO 8601 with offset: when it was written down
        )
        """
    )
    # Insights read (day, trigger) of a range of days straight from this index, without touching the table.
    connection.execute("CREATE INDEX cramps_day ON cramps (day, trigger)")
    # `coach cramp list`: the latest N.
    connection.execute("CREATE INDEX cramps_time ON cramps (cramp_utc)")


def _v5_deleted_sessions(connection: sqlite3.Connection) -> None:
    """Tombstones of sessions the user deleted: an import never brings one back, and a sync can pass it on."""
    connection.execute(
        """
        CREATE TABLE deleted_sessions (
            id TEXT PRIMARY KEY NOT NULL,           -- the deleted session's UUID
            deleted_at TEXT NOT NULL                -- ISO 8601 with offset
        )
        """
    )


_BEFORE_SUMMARY = "{ordinal} < (SELECT through FROM history_summary)"


def _v8_history_summary(connection: sqlite3.Connection) -> None:
    """A summary of the days before one day (coach/store/summary.py): the session count and the runs of kept days,
    so the screens read only the recent days. Derived data only: triggers forget it when anything before its
    day changes, and the next import, maintenance or read makes it again."""
    connection.execute(
        """
        CREATE TABLE history_summary (
            id INTEGER PRIMARY KEY CHECK (id = 1),  -- one row, or none (nothing summed up)
            through INTEGER NOT NULL,               -- a day ordinal: the summary is of the days before it
            sessions INTEGER NOT NULL               -- sessions on those days, running ones included
        )
        """
    )
    connection.execute(
        """
        CREATE TABLE streak_summary (
            mask INTEGER PRIMARY KEY NOT NULL,      -- a set of slots: morning 1, evening 2, bedtime 4
            longest INTEGER NOT NULL,               -- the longest run of days keeping all of them, before `through`
            run INTEGER NOT NULL                    -- the run still going on the day before `through`
        )
        """
    )
    day = ORDINAL.format(day="{row}.day")
    watched = {
        "summary_day_slots_insert": ("AFTER INSERT ON day_slots", "NEW.ordinal"),
        "summary_day_slots_update": ("AFTER UPDATE ON day_slots", "min(OLD.ordinal, NEW.ordinal)"),
        "summary_day_slots_delete": ("AFTER DELETE ON day_slots", "OLD.ordinal"),
        "summary_rest_insert": ("AFTER INSERT ON rest_days", day.format(row="NEW")),
        "summary_rest_update": (
            "AFTER UPDATE OF day ON rest_days",
            f"min({day.format(row='OLD')}, {day.format(row='NEW')})",
        ),
        "summary_rest_delete": ("AFTER DELETE ON rest_days", day.format(row="OLD")),
        "summary_sessions_insert": ("AFTER INSERT ON sessions", day.format(row="NEW")),
        "summary_sessions_update": (
            "AFTER UPDATE OF day ON sessions",
            f"min({day.format(row='OLD')}, {day.format(row='NEW')})",
        ),
        "summary_sessions_delete": ("AFTER DELETE ON sessions", day.format(row="OLD")),
    }
    for name, (event, ordinal) in watched.items():
        connection.execute(
            f"CREATE TRIGGER {name} {event} WHEN {_BEFORE_SUMMARY.format(ordinal=ordinal)}\n"
            "BEGIN\nDELETE FROM history_summary;\nEND"
        )


BULK_ROWS = 5000
"""From this many new sessions at once, the v3 insert trigger is set aside and the summary recounted once."""
BULK_CACHE_KIB = 64 * 1024
"""The page cache of a bulk insert (the default 2 MiB makes 100,000 inserts into four indexes thrash). 100,000
sessions take 41 MB with their indexes: with 32 MiB the cache spilled pages to the WAL before the commit (and
wrote some of them twice); with 64 MiB the import's part in the store took 1.20 s of CPU instead of 1.35 s."""


SET_ASIDE_IN_BULK = (
    "sessions_kept_insert",
    "summary_sessions_insert",
    "summary_day_slots_insert",
    "summary_day_slots_delete",
)
"""Per-row triggers whose whole effect a bulk insert makes again in one pass afterwards: the kept-slots summary is
recounted, and the summary of past days (coach/store/summary.py) is forgotten for the import to make again."""
SYNC_INSERT_TRIGGER = "sync_session_insert"
"""Sync's trigger on a new session: it notes nothing while the data folder has never synced (`TRACKING` false),
so a bulk insert sets it aside then, and only then. Each trigger firing costs SQLite a sub-program: 100,000
sessions inserted in 2.96 s of CPU with every trigger, 1.56 s without the kept-slots, summary and sync ones."""


def insert_in_bulk(connection: sqlite3.Connection, insert: Callable[[], int], expected: int) -> int:
    """Run `insert()` (inside the caller's write transaction) and keep the derived tables true. For a bulk insert
    the per-row triggers of `SET_ASIDE_IN_BULK` (and sync's when it notes nothing) are dropped and put back from
    their own stored SQL; the kept-slots summary is recounted in one pass and the summary of past days forgotten.
    All in the transaction: a failure undoes it all, triggers included."""
    if expected < BULK_ROWS:
        return insert()
    names = list(SET_ASIDE_IN_BULK)
    if not connection.execute(f"SELECT {TRACKING}").fetchone()[0]:
        names.append(SYNC_INSERT_TRIGGER)
    marks = ", ".join("?" * len(names))
    triggers = connection.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})", names
    ).fetchall()
    if "sessions_kept_insert" not in {name for name, _ in triggers}:
        return insert()
    connection.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    for name, _ in triggers:
        connection.execute(f"DROP TRIGGER {name}")
    connection.execute("DELETE FROM history_summary")
    added = insert()
    connection.execute("DELETE FROM day_slots")
    connection.execute(
        _RECOUNT.replace("day IN ({days})", "1").format(ordinal=ORDINAL.format(day="day"), mask=_DAY_MASK)
    )
    for _, sql in triggers:
        connection.execute(str(sql))
    return added


def _v7_counts_after(connection: sqlite3.Connection) -> None:
    """The active time after which each session counts, written when it begins: a session left `running` by a
    process that died is closed as completed when its last checkpoint reached it (NULL in older rows: partial)."""
    connection.execute("ALTER TABLE sessions ADD COLUMN counts_after REAL")


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "sessions", _v1_sessions),
    Migration(2, "session notes and discomfort; rest days", _v2_notes_and_rest_days),
    Migration(3, "per-day summary of kept slots, for fast streaks", _v3_day_slots),
    Migration(4, "the cramp diary", _v4_cramps),
    Migration(5, "tombstones of deleted sessions", _v5_deleted_sessions),
    Migration(6, "sync: its bookkeeping, and triggers that note local changes", create_sync_tables),
    Migration(7, "when each session counts, for the repair of a crashed one", _v7_counts_after),
    Migration(8, "a summary of the days before yesterday, so screens read only recent days", _v8_history_summary),
)
LATEST_VERSION = MIGRATIONS[-1].version


def schema_version(connection: sqlite3.Connection) -> int:
    """The file's `PRAGMA user_version` (0 for a new, empty file)."""
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def check_not_newer(connection: sqlite3.Connection, path: Path) -> int:
    """The file's version; raises HistoryError when a newer coach made it (this one must not touch it)."""
    version = schema_version(connection)
    if version > LATEST_VERSION:
        raise HistoryError(
            f"the history file {path} was made by a newer coach (schema version {version}, this coach knows "
            f"up to {LATEST_VERSION}). Nothing was changed; update coach to use it.",
            path,
            f"it was made by a newer coach (schema version {version}); update coach",
        )
    return version


def migrate(connection: sqlite3.Connection, target: int = LATEST_VERSION) -> tuple[int, int]:
    """Bring the file up to `target`; returns (version before, version after). Safe to call concurrently."""
    before = schema_version(connection)
    if before >= target:
        return before, before
    with write_transaction(connection):
        before = schema_version(connection)  # another process may have migrated while we waited for the lock
        for migration in MIGRATIONS:
            if before < migration.version <= target:
                migration.apply(connection)
        if before < target:
            connection.execute(f"PRAGMA user_version = {int(target)}")
    return before, max(before, target)
