"""The history file's side of sync (coach/sync): the tables it keeps its bookkeeping in, and the triggers that note
every local change with its edit time, whichever part of coach makes it.

Why triggers: a change reaches the history through many doors (the recorder, `history note`, rest days, the cramp
diary, imports, deletions). A trigger sees all of them without any of them knowing about sync, and it reads the
edit time when the edit is written, so the later of two edits made offline on two machines can win.

Nothing is noted until the data folder first syncs (`sync_meta.track` = 1): a history that never syncs only pays
for the check. While sync applies what came from other machines it sets `track` to 0 inside its own transaction
(other connections never see that), so merged changes are not sent back out as local ones.

Registers (keys of `sync_changes` and `sync_versions`), one per thing that can change on its own:

| key | what |
| --- | --- |
| `s:<session id>` | a finished session as recorded (running sessions are never noted) |
| `n:<session id>` | its note and discomfort score |
| `x:<session id>` | its deletion (final) |
| `r:<YYYY-MM-DD>` | a rest day, set or undone |
| `c:<cramp id>` | a cramp in the diary |
| `y:<cramp id>` | its deletion (final) |
"""

from __future__ import annotations

import sqlite3

NOW_MS = "CAST(round((julianday('now') - 2440587.5) * 86400000.0) AS INTEGER)"
"""SQL: milliseconds since 1970 by this machine's clock, read when the statement runs."""

TRACKING = "(SELECT value FROM sync_meta WHERE name = 'track') = 1"
"""SQL: whether local changes are being noted (the data folder has synced, and sync is not applying)."""


def ms_of(column: str) -> str:
    """SQL: milliseconds since 1970 of an ISO 8601 text column with its UTC offset (0 when NULL)."""
    return f"coalesce(CAST(round((julianday({column}) - 2440587.5) * 86400000.0) AS INTEGER), 0)"


def _note(key: str, where: str = "") -> str:
    """SQL for a trigger body: note a change of register `key` (an SQL expression), now, above its known version."""
    return (
        f"INSERT INTO sync_changes (key, wall, floor) SELECT {key}, {NOW_MS}, "
        f"coalesce((SELECT version + 1 FROM sync_versions WHERE key = {key}), 0) WHERE {where or 'true'} "
        "ON CONFLICT (key) DO UPDATE SET wall = excluded.wall, floor = max(floor, excluded.floor);"
    )


_CORE_CHANGED = " OR ".join(
    f"OLD.{column} IS NOT NEW.{column}"
    for column in (
        "status",
        "ended_at",
        "active_seconds",
        "cycles_done",
        "routine_id",
        "routine_name",
        "slot",
        "day",
        "started_at",
    )
)
_HAS_NOTE = "(NEW.note IS NOT NULL OR NEW.discomfort IS NOT NULL)"


def create_sync_tables(connection: sqlite3.Connection) -> None:
    """The migration that adds sync's tables and triggers (run inside the migration's transaction)."""
    connection.execute(
        """
        CREATE TABLE sync_meta (
            name TEXT PRIMARY KEY NOT NULL,         -- track, device, generation, folder, own_lines
            value
        )
        """
    )
    connection.execute("INSERT INTO sync_meta (name, value) VALUES ('track', 0)")
    connection.execute(
        """
        CREATE TABLE sync_changes (                 -- local changes not yet written to this device's journal
            key TEXT PRIMARY KEY NOT NULL,          -- a register, see coach/store/sync_tables.py
            wall INTEGER NOT NULL,                  -- ms since 1970 by this machine's clock at the edit
            floor INTEGER NOT NULL                  -- 1 + the version the edit overwrote: a new edit always wins
        ) WITHOUT ROWID
        """
    )
    connection.execute(
        """
        CREATE TABLE sync_versions (                -- the version of each register's value held here
            key TEXT PRIMARY KEY NOT NULL,
            version INTEGER NOT NULL,               -- ms since 1970, pushed past the version it overwrote
            device TEXT NOT NULL,                   -- the device that wrote it (breaks a tie)
            payload TEXT                            -- a value that could not be applied yet (JSON), else NULL
        ) WITHOUT ROWID
        """
    )
    # The few values still waiting for their record (a note whose session has not arrived), found at each merge.
    connection.execute("CREATE INDEX sync_versions_waiting ON sync_versions (key) WHERE payload IS NOT NULL")
    connection.execute(
        """
        CREATE TABLE sync_files (                   -- how far each journal in the sync folder was read
            name TEXT PRIMARY KEY NOT NULL,
            generation TEXT NOT NULL DEFAULT '',    -- changes when the journal's owner rewrites it
            offset INTEGER NOT NULL DEFAULT 0,      -- bytes read (whole lines only)
            size INTEGER NOT NULL DEFAULT -1,
            mtime_ns INTEGER NOT NULL DEFAULT -1,
            problem TEXT                            -- why it is not read, until it changes
        ) WITHOUT ROWID
        """
    )
    triggers = {
        "sync_session_insert": (
            "AFTER INSERT ON sessions WHEN NEW.status != 'running'",
            _note("'s:' || NEW.id") + _note("'n:' || NEW.id", _HAS_NOTE),
        ),
        "sync_session_update": (
            f"AFTER UPDATE ON sessions WHEN NEW.status != 'running' AND ({_CORE_CHANGED})",
            _note("'s:' || NEW.id") + _note("'n:' || NEW.id", f"OLD.status = 'running' AND {_HAS_NOTE}"),
        ),
        "sync_session_note": (
            "AFTER UPDATE OF note, discomfort ON sessions WHEN NEW.status != 'running' "
            "AND (OLD.note IS NOT NEW.note OR OLD.discomfort IS NOT NEW.discomfort)",
            _note("'n:' || NEW.id"),
        ),
        "sync_session_delete": ("AFTER DELETE ON sessions WHEN true", _note("'x:' || OLD.id")),
        "sync_rest_insert": ("AFTER INSERT ON rest_days WHEN true", _note("'r:' || NEW.day")),
        "sync_rest_update": (
            "AFTER UPDATE ON rest_days WHEN OLD.note IS NOT NEW.note OR OLD.day IS NOT NEW.day",
            _note("'r:' || NEW.day") + _note("'r:' || OLD.day", "OLD.day IS NOT NEW.day"),
        ),
        "sync_rest_delete": ("AFTER DELETE ON rest_days WHEN true", _note("'r:' || OLD.day")),
        "sync_cramp_insert": ("AFTER INSERT ON cramps WHEN true", _note("'c:' || NEW.id")),
        "sync_cramp_update": ("AFTER UPDATE ON cramps WHEN true", _note("'c:' || NEW.id")),
        "sync_cramp_delete": ("AFTER DELETE ON cramps WHEN true", _note("'y:' || OLD.id")),
    }
    for name, (when, body) in triggers.items():
        when = when.replace(" WHEN ", " WHEN (", 1) + f") AND {TRACKING}"  # the cheap test first
        connection.execute(f"CREATE TRIGGER {name} {when}\nBEGIN\n{body}\nEND")
