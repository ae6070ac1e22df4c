"""Daily backups through SQLite's backup API, and moving a damaged history file aside (never deleting it).

A backup is taken when the store opens and no backup is dated today (the check is one folder listing), after a
`PRAGMA quick_check`, so a damaged file never replaces a good backup. The last 7 daily backups are kept. Before a
migration, a copy named after the schema version is taken and never pruned.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import threading
from datetime import date, datetime
from pathlib import Path

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
    """True when no backup is dated today or later (so at most one is taken a day)."""
    backups = daily_backups(data_dir)
    return not backups or backups[-1][0] < today


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
    destination = sqlite3.connect(partial, isolation_level=None)
    try:
        bound_cache(destination)  # the source is the caller's: the daily check bounds its own before reading
        source.backup(destination)
        destination.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
    finally:
        destination.close()
    os.replace(partial, target)


def take_daily_backup(data_dir: Path, source: sqlite3.Connection, today: date, keep: int = KEEP_DAILY) -> Path:
    """Back up into backups/history-<today>.sqlite3 and prune to the last `keep` daily backups."""
    target = backup_dir(data_dir) / f"history-{today.isoformat()}.sqlite3"
    copy_database(source, target)
    prune(data_dir, keep)
    return target


def prune(data_dir: Path, keep: int = KEEP_DAILY) -> None:
    """Remove daily backups beyond the newest `keep` (never anything else)."""
    backups = daily_backups(data_dir)
    for _, path in backups[: max(0, len(backups) - keep)]:
        path.unlink(missing_ok=True)


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


def restore_latest_backup(data_dir: Path) -> Path | None:
    """Copy the newest sound daily backup into place as history.sqlite3; returns it, or None if there is none.

    The history file must not exist (move a damaged one aside with `quarantine_damaged` first). The backup
    itself is left untouched.
    """
    live = data_dir / DB_NAME
    if live.exists():
        raise FileExistsError(f"{live} exists; move it aside before restoring a backup")
    for _, path in reversed(daily_backups(data_dir)):
        if not is_sound(path):
            continue
        partial = live.with_name(f".{live.name}.{os.getpid()}.restoring")
        shutil.copyfile(path, partial)
        with partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, live)
        return path
    return None
