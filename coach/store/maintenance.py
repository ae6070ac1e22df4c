"""What happens to the history file before it is used, once per process: create it whole, refuse a damaged one,
migrate, save sessions kept in the spool, close sessions left running by a dead process; and once a day the
quick check and the backup, whose failure is a warning, never a stop.

The commands run the day's check and backup in a detached process of their own (`start_daily`, the job in
coach/store/daily_job.py), so the day's first command does not wait for them: at 100,000 sessions they take 1-4 s.
That process holds `running/daily.lock` from before it starts until it ends (the lock is taken here and handed
down), leaves what the user should hear in `maintenance-notes.json`, and the next coach to open the history says
it (`take_notes`); a history the check found damaged is checked again there, in the open, before anything else.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from msgspec import Struct

from coach.store import backups, locks, spool
from coach.store.connection import (
    DamagedHistoryError,
    HistoryError,
    check_file,
    connect,
    create_if_missing,
    database_path,
    explain,
    to_coach_error,
    write_transaction,
)
from coach.store.migrations import LATEST_VERSION, check_not_newer, migrate
from coach.store.queries import has_rows
from coach.store.summary import refresh_summary

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


def due(data_dir: Path, connection: sqlite3.Connection, today: date) -> bool:
    """Whether the day's check and backup have something to do: no backup dated today, and data to save."""
    return backups.backup_due(data_dir, today) and any(
        has_rows(connection, table) for table in ("sessions", "rest_days", "cramps")
    )


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
    with contextlib.suppress(sqlite3.OperationalError), write_transaction(connection):
        refresh_summary(connection, today)  # the past moved on by a day: the screens read less (derived data)
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


# -- the day's check and backup in a process of its own ----------------------------------------------------------

DAILY_LOCK = "daily.lock"
NOTES_FILE = "maintenance-notes.json"
NOTES_LIMIT_BYTES = 64 * 1024
"""A notes file larger than this is not coach's: it is ignored and removed."""
JOB_MODULE = "coach.store.daily_job"
JOB_FD = 3
"""The lock's descriptor in the job's process."""


def daily_lock_path(data_dir: Path) -> Path:
    """The lock held by the process that runs the day's check and backup."""
    return data_dir / locks.LOCK_DIR / DAILY_LOCK


def notes_path(data_dir: Path) -> Path:
    """Where the background job leaves what the user should hear (read and removed by the next open)."""
    return data_dir / NOTES_FILE


def can_run_in_background() -> bool:
    """Whether this platform can hand a lock to a detached process (posix_spawn with setsid, flock)."""
    return (
        sys.platform != "win32"
        and hasattr(os, "posix_spawn")
        and hasattr(os, "POSIX_SPAWN_DUP2")
        and bool(sys.executable)
    )


def start_daily(data_dir: Path, today: date) -> bool:
    """Start the day's check and backup in a detached process (lower priority, its own session, no terminal);
    True when it was started or one is running already, False when it cannot be (then run `daily` here).

    The lock is taken here, before the process exists, and handed to it: whoever sees the lock held knows a check
    is under way, and `wait_for_daily` cannot miss a job that has not started yet."""
    if not can_run_in_background():
        return False
    try:
        fd = locks.try_lock_file(daily_lock_path(data_dir))
    except OSError:
        return False
    if fd is None:
        return True  # another coach is running it now
    try:
        null = os.devnull
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, null, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, null, os.O_WRONLY, 0),
            (os.POSIX_SPAWN_DUP2, 1, 2),
            (os.POSIX_SPAWN_DUP2, fd, JOB_FD),  # dup2 leaves the copy inheritable: the job holds the lock
        ]
        argv = [sys.executable, "-m", JOB_MODULE, str(data_dir.resolve()), today.isoformat(), str(JOB_FD)]
        os.posix_spawn(sys.executable, argv, os.environ, file_actions=actions, setsid=True)
    except (OSError, NotImplementedError):  # setsid is not offered everywhere: then the check runs here
        return False
    finally:
        os.close(fd)  # the job's copy keeps the lock (flock belongs to the open file, shared by both)
    return True


def run_daily_job(data_dir: Path, today: date) -> None:
    """The job's work (in its own process): check and back up the history, and leave any warning or a finding of
    damage in the notes file. Never creates the history (it may have been moved aside by a repair meanwhile)."""
    path = database_path(data_dir)
    notes: list[str] = []
    damaged: str | None = None
    try:
        if not path.exists():
            return
        check_file(path)
        connection = connect(path, create=False)
        try:
            notes = daily(data_dir, connection, today) or []
        finally:
            connection.close()
    except DamagedHistoryError as error:
        damaged = error.detail
    except HistoryError as error:
        notes = [f"today's check and backup could not run: {error.reason}. The history was not changed."]
    except (sqlite3.Error, OSError) as error:
        problem = to_coach_error(path, error)
        if isinstance(problem, DamagedHistoryError):
            damaged = problem.detail
        else:
            notes = [f"today's check and backup could not run: {problem.reason}. The history was not changed."]
    if notes or damaged:
        add_notes(data_dir, notes, damaged)


def add_notes(data_dir: Path, warnings: list[str], damaged: str | None) -> None:
    """Add to the notes file (written aside, then renamed into place); a failure to write it is dropped."""
    old = read_notes(data_dir)
    document = {
        "warnings": [*(old.warnings if old else []), *warnings][-20:],
        "damaged": damaged or (old.damaged if old else None),
    }
    target = notes_path(data_dir)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    with contextlib.suppress(OSError):
        partial.write_text(json.dumps(document), encoding="utf-8")
        os.replace(partial, target)
    with contextlib.suppress(OSError):
        partial.unlink(missing_ok=True)


class Notes(Struct, frozen=True):
    """What the background job left for the user."""

    warnings: tuple[str, ...]
    damaged: str | None
    """What the check found wrong with the file (it is checked again before anyone is told)."""


def read_notes(data_dir: Path) -> Notes | None:
    """The notes file, read like any input (a regular file, small, the shape coach writes); None when absent."""
    try:
        with notes_path(data_dir).open("rb") as handle:
            raw = handle.read(NOTES_LIMIT_BYTES + 1)
    except OSError:
        return None
    try:
        document = json.loads(raw) if len(raw) <= NOTES_LIMIT_BYTES else None
    except ValueError:
        document = None
    if not isinstance(document, dict):
        return Notes((), None)
    warnings = document.get("warnings")
    damaged = document.get("damaged")
    return Notes(
        tuple(str(item) for item in warnings if isinstance(item, str)) if isinstance(warnings, list) else (),
        damaged if isinstance(damaged, str) else None,
    )


def forget_notes(data_dir: Path) -> None:
    """Remove the notes once they were said (a read-only folder keeps them: they are said again)."""
    with contextlib.suppress(OSError):
        notes_path(data_dir).unlink(missing_ok=True)


def wait_for_daily(data_dir: Path, timeout: float = 60.0) -> bool:
    """Wait until no background check holds the lock (True), or `timeout` seconds (False). For tests and the
    benchmark; the commands never wait."""
    return locks.wait_for_file_lock(daily_lock_path(data_dir), timeout)
