"""Daily backups through SQLite's backup API, and moving a damaged history file aside (never deleting it).

A backup is taken once a process opens the history and no backup is dated today (the check is one folder listing),
after a `PRAGMA quick_check`, so a damaged file never replaces a good backup. A backup dated after today (a clock
once set ahead) never stands in for today's. The last 7 daily backups are kept, but never one that holds more
sessions than the live history (that is said instead). Before a migration, a copy named after the schema version
is taken and never pruned. A repair restores the sound backup holding the newest data, whatever its name.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import threading
from datetime import date, datetime
from pathlib import Path

from msgspec import Struct

from coach.store.connection import DB_NAME

BACKUP_DIR = "backups"
KEEP_DAILY = 7
MAINTENANCE_CACHE_KIB = 256
_DAILY = re.compile(r"^history-(\d{4}-\d{2}-\d{2})\.sqlite3$")


def backup_dir(data_dir: Path) -> Path:
    """Where backups live."""
    return data_dir / BACKUP_DIR


def daily_backups(data_dir: Path) -> list[tuple[date, Path]]:
    """The daily backups, oldest first."""
    try:
        names = os.listdir(backup_dir(data_dir))
    except OSError:
        return []
    found: list[tuple[date, Path]] = []
    for name in names:
        match = _DAILY.match(name)
        if match:
            try:
                found.append((date.fromisoformat(match[1]), backup_dir(data_dir) / name))
            except ValueError:
                continue
    return sorted(found)


def backup_due(data_dir: Path, today: date) -> bool:
    """True when no backup is dated today (at most one a day). One dated later (a clock once set years ahead)
    does not count: otherwise it would stop every backup, and the daily check, until that date."""
    return all(day != today for day, _ in daily_backups(data_dir))


def bound_cache(connection: sqlite3.Connection) -> None:
    """Keep a connection that reads the whole file (a check, a backup) to a small page cache.

    SQLite's default is 2 MiB per connection, filled by a whole-file read and kept by the process after the
    connection closes: the day's first session, whose recorder takes the daily backup, grew by 4.4 MiB with a
    2.5 MiB history (6,000 sessions) while it counted down."""
    connection.execute(f"PRAGMA cache_size = -{MAINTENANCE_CACHE_KIB}")


def copy_database(source: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of an open database into `target` (written aside, then renamed into place)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # Two coaches, or two threads of one (the home screen's read and a session's recorder), may back up at once.
    partial = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.partial")
    partial.unlink(missing_ok=True)
    try:
        destination = sqlite3.connect(partial, isolation_level=None)
        try:
            bound_cache(destination)  # the source is the caller's: the daily check bounds its own before reading
            source.backup(destination)
            destination.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            destination.close()
        os.replace(partial, target)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)  # a full disk leaves no half-written copy behind
        raise


def take_daily_backup(
    data_dir: Path, source: sqlite3.Connection, today: date, keep: int = KEEP_DAILY, *, live_sessions: int = 0
) -> list[str]:
    """Back up into backups/history-<today>.sqlite3 and prune to the last `keep` daily backups; returns what the
    user should hear about the pruning (see `prune`). OSError or sqlite3.Error when the copy cannot be written."""
    target = backup_dir(data_dir) / f"history-{today.isoformat()}.sqlite3"
    copy_database(source, target)
    return prune(data_dir, today, keep, live_sessions=live_sessions)


def prune(data_dir: Path, today: date, keep: int = KEEP_DAILY, *, live_sessions: int = 0) -> list[str]:
    """Remove daily backups beyond the newest `keep` (never anything else). Backups dated after today go first
    (their date is a wrong clock's). A backup holding more sessions than the live history is never removed: it
    is kept, and the message returned says so (the live file may have lost them)."""
    backups = sorted(daily_backups(data_dir), key=lambda item: (item[0] <= today, item[0]))
    said: list[str] = []
    for _, path in backups[: max(0, len(backups) - keep)]:
        held = count_sessions(path)
        if held is not None and held > live_sessions:
            said.append(
                f"kept the backup {path}: it holds {held} sessions, more than the history's {live_sessions}. "
                f"If sessions are missing, `coach history repair` can restore it."
            )
            continue
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
    return said


def count_sessions(path: Path) -> int | None:
    """How many sessions a backup holds (None when it cannot be read)."""
    summary = summarize(path)
    return None if summary is None else summary.sessions


class BackupSummary(Struct, frozen=True):
    """What a backup holds: how many sessions, and the start of the newest (UTC text; "" when none)."""

    sessions: int
    newest: str


def summarize(path: Path) -> BackupSummary | None:
    """Count a database file's sessions and find its newest (read-only; None when it cannot be read)."""
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except (sqlite3.Error, OSError):
        return None
    try:
        count, newest = connection.execute("SELECT count(*), max(started_utc) FROM sessions").fetchone()
        return BackupSummary(int(count), str(newest or ""))
    except sqlite3.Error:
        return None
    finally:
        connection.close()


def take_migration_backup(data_dir: Path, source: sqlite3.Connection, version: int, now: datetime) -> Path:
    """A copy taken before migrating a file from `version`; never pruned."""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    path = backup_dir(data_dir) / f"schema-v{version}-before-migration-{stamp}.sqlite3"
    target, counter = path, 1
    while target.exists():
        target = path.with_name(f"{path.stem}-{counter}{path.suffix}")
        counter += 1
    copy_database(source, target)
    return target


def is_sound(path: Path) -> bool:
    """Whether a database file opens and passes `PRAGMA quick_check` (read-only; never changes it)."""
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        rows = connection.execute("PRAGMA quick_check").fetchall()
        return rows == [("ok",)]
    except sqlite3.Error:
        return False
    finally:
        connection.close()


def quarantine_damaged(data_dir: Path, now: datetime | None = None) -> Path:
    """Move history.sqlite3 (with its -wal and -shm files) aside under a timestamped name; returns the new path.

    The bytes are kept exactly as they were: a rename, never a rewrite, never a delete.
    """
    now = now or datetime.now().astimezone()
    source = data_dir / DB_NAME
    stamp = now.strftime("%Y%m%d-%H%M%S")
    target = data_dir / f"history-damaged-{stamp}.sqlite3"
    counter = 1
    while target.exists():
        target = data_dir / f"history-damaged-{stamp}-{counter}.sqlite3"
        counter += 1
    os.replace(source, target)
    for suffix in ("-wal", "-shm"):
        companion = data_dir / f"{DB_NAME}{suffix}"
        if companion.exists():
            os.replace(companion, target.with_name(target.name + suffix))
    return target


class Restored(Struct, frozen=True):
    """The backup a repair put in place, and what it holds."""

    path: Path
    summary: BackupSummary


def best_backup(data_dir: Path) -> Restored | None:
    """The sound daily backup holding the newest data: the newest session start, then the most sessions, then
    the latest name. Not the newest name: a clock once set ahead names a stale copy after the real ones."""
    best: Restored | None = None
    for _, path in daily_backups(data_dir):
        if not is_sound(path):
            continue
        summary = summarize(path)
        if summary is None:
            continue
        if best is None or (summary.newest, summary.sessions) >= (best.summary.newest, best.summary.sessions):
            best = Restored(path, summary)
    return best


def restore_latest_backup(data_dir: Path) -> Restored | None:
    """Copy the sound backup holding the newest data (`best_backup`) into place as history.sqlite3; returns it,
    or None if there is none.

    The history file must not exist (move a damaged one aside with `quarantine_damaged` first). The backup
    itself is left untouched.
    """
    live = data_dir / DB_NAME
    if live.exists():
        raise FileExistsError(f"{live} exists; move it aside before restoring a backup")
    chosen = best_backup(data_dir)
    if chosen is None:
        return None
    partial = live.with_name(f".{live.name}.{os.getpid()}.restoring")
    shutil.copyfile(chosen.path, partial)
    with partial.open("rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, live)
    return chosen
