"""What happens to the history file before it is used, once per process: create it whole, refuse a damaged one,
migrate, save sessions kept in the spool, close sessions left running by a dead process; and once a day the
quick check and the backup, whose failure is a warning, never a stop.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from coach.store import backups, locks, spool
from coach.store.connection import (
    DamagedHistoryError,
    HistoryError,
    create_if_missing,
    explain,
    write_transaction,
)
from coach.store.migrations import LATEST_VERSION, check_not_newer, migrate
from coach.store.queries import has_rows

Warn = Callable[[str], None]


@dataclass
class Prepared:
    """What opening did that the user should hear about."""

    recovered: list[str] = field(default_factory=list)
    """Ids of sessions left `running` by a dead process, now `partial`."""
    spooled: int = 0
    """Finished sessions saved from the spool."""
    messages: list[str] = field(default_factory=list)


def make_folder(data_dir: Path) -> None:
    """Create the data folder; HistoryError with the reason when it cannot be."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise HistoryError(
            f"cannot create the history folder {data_dir}: {explain(error, data_dir.parent)}",
            data_dir,
            explain(error, data_dir.parent),
        ) from None


def create(path: Path) -> bool:
    """Make a new history file, whole, with the latest schema (False when one exists)."""
    return create_if_missing(path, migrate)


def prepare(data_dir: Path, connection: sqlite3.Connection, now: datetime) -> Prepared:
    """Migrate (after copying an old file with data into backups/), replay the spool, recover dead sessions."""
    path = data_dir / "history.sqlite3"
    version = check_not_newer(connection, path)
    if 0 < version < LATEST_VERSION and has_rows(connection, "sessions"):
        backups.take_migration_backup(data_dir, connection, version, now)
    migrate(connection)
    prepared = Prepared()
    if spool.waiting(data_dir):
        with write_transaction(connection):
            replayed = spool.replay(data_dir, connection)
        spool.forget(data_dir, replayed.unreadable)
        prepared.spooled = replayed.saved
        if replayed.saved:
            plural = replayed.saved != 1
            prepared.messages.append(
                f"saved {replayed.saved} finished session{'s' if plural else ''} that had been kept aside in "
                f"{spool.spool_dir(data_dir)} while the history could not take {'them' if plural else 'it'}"
            )
        for unreadable in replayed.unreadable:
            prepared.messages.append(f"{unreadable} is not a session coach kept aside; it was left where it is")
    prepared.recovered = recover(data_dir, connection)
    return prepared


def recover(data_dir: Path, connection: sqlite3.Connection) -> list[str]:
    """Close sessions left `running` by a process that is gone: `partial`, ended at their last checkpoint. A
    session waiting in the spool is left to the spool's replay (it holds how it really ended)."""
    running = [row[0] for row in connection.execute("SELECT id FROM sessions WHERE status = 'running'")]
    abandoned = [
        session_id
        for session_id in running
        if not locks.is_held(data_dir, session_id) and not spool.is_spooled(data_dir, session_id)
    ]
    if not abandoned:
        return []
    with write_transaction(connection):
        for session_id in abandoned:
            connection.execute(
                # The rule of every other ending: completed once the last checkpoint reached counts_after.
                "UPDATE sessions SET ended_at = COALESCE(last_checkpoint_at, started_at), status = CASE "
                "WHEN counts_after IS NOT NULL AND active_seconds >= counts_after - 1e-6 THEN 'completed' "
                "ELSE 'partial' END WHERE id = ? AND status = 'running'",
                (session_id,),
            )
    for session_id in abandoned:
        locks.forget(data_dir, session_id)
    return abandoned


def daily(data_dir: Path, connection: sqlite3.Connection, today: date) -> list[str] | None:
    """Once a day: `PRAGMA quick_check` (DamagedHistoryError when it fails), then a backup. A backup that cannot
    be written (no room, a file named `backups`) is returned as a warning: reading the history must go on.
    None when there is nothing to save yet (the next open of the day tries again)."""
    if not backups.backup_due(data_dir, today):
        return []
    if not any(has_rows(connection, table) for table in ("sessions", "rest_days", "cramps")):
        return None
    backups.bound_cache(connection)  # the check and the copy read every page
    result = connection.execute("PRAGMA quick_check").fetchall()
    if result != [("ok",)]:
        raise DamagedHistoryError(data_dir / "history.sqlite3", f"quick_check: {result[0][0]}")
    live = int(connection.execute("SELECT count(*) FROM sessions").fetchone()[0])
    try:
        return backups.take_daily_backup(data_dir, connection, today, live_sessions=live)
    except (OSError, sqlite3.Error) as error:
        where = backups.backup_dir(data_dir)
        return [f"today's backup could not be written to {where}: {explain(error, data_dir)}. The history is fine."]


_lock = threading.Lock()
_maintained: set[tuple[Path, date]] = set()


def claim_daily(data_dir: Path, today: date) -> bool:
    """True the first time this process runs the day's maintenance of the folder (once per process start, and
    again only if the process is still running on another day)."""
    key = (data_dir.resolve(), today)
    with _lock:
        if key in _maintained:
            return False
        _maintained.add(key)
        return True


def release_daily(data_dir: Path, today: date) -> None:
    """The maintenance stopped on an error: the next open may try again."""
    with _lock:
        _maintained.discard((data_dir.resolve(), today))
