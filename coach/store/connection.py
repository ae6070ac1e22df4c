"""Opening the history database: pragmas, write transactions, and SQLite errors turned into words for the user.

Connections are opened per operation and closed at once, so they never cross threads (the UI calls the store from
thread workers). An open costs a fraction of a millisecond.
"""

from __future__ import annotations

import errno
import os
import random
import shutil
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from coach.common.problems import CoachError

DB_NAME = "history.sqlite3"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
"""How long a command waits for another coach that is writing (imports of many sessions take a second or two)."""

REPAIR_COMMAND = "coach history repair"

# Primary SQLite result codes (sqlite3.Error.sqlite_errorcode & 0xFF).
_PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 3, 5, 6, 8, 10, 11, 13, 14, 26


def database_path(data_dir: Path) -> Path:
    """The history file inside a data folder."""
    return data_dir / DB_NAME


class HistoryError(CoachError):
    """The history file cannot be used; `reason` is the short why, `str()` the whole message for the user."""

    def __init__(self, message: str, path: Path, reason: str) -> None:
        super().__init__(message)
        self.path = path
        self.reason = reason


class DamagedHistoryError(HistoryError):
    """The history file is not a usable SQLite database; nothing was changed, and the message says what to do."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"the history file {path} is damaged ({detail}). Nothing was changed. "
            f"Run `{REPAIR_COMMAND}` to move it aside (it is kept, never deleted) and restore the newest "
            f"daily backup, or start a fresh history if there is none.",
            path,
            f"the file is damaged ({detail}); run `{REPAIR_COMMAND}`",
        )
        self.detail = detail


class HistoryBusyError(HistoryError):
    """Another coach held the history for longer than we wait; nothing was changed."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"the history file {path} is busy: another coach has been writing to it for more than "
            f"{BUSY_TIMEOUT_MS // 1000} s. Nothing was changed; try again in a moment.",
            path,
            "another coach is writing to it",
        )


def unavailable(path: Path, reason: str) -> HistoryError:
    """The error for a history file or folder that cannot be opened, read or written."""
    return HistoryError(f"cannot use the history file {path}: {reason}", path, reason)


def is_damage(error: sqlite3.Error) -> bool:
    """Whether an error means the file itself is broken (not a database, or corrupt)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_CORRUPT, _NOTADB)
    text = str(error).lower()
    return "not a database" in text or "malformed" in text


def is_busy(error: sqlite3.Error) -> bool:
    """Whether an error means another connection holds the lock."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_BUSY, _LOCKED)
    return "locked" in str(error).lower() or "busy" in str(error).lower()


FULL_DISK_BYTES = 1024 * 1024
"""Less free space than this in the data folder makes a disk input/output error a full disk, said as such."""


def disk_is_full(folder: Path | None) -> bool:
    """Whether the folder's file system has (next to) no room left (False when that cannot be told)."""
    if folder is None:
        return False
    try:
        return shutil.disk_usage(folder).free < FULL_DISK_BYTES
    except OSError:
        return False


def explain(error: BaseException, folder: Path | None = None) -> str:
    """A short reason for a failed open or write, in the user's words (`folder`: where, to tell a full disk)."""
    if isinstance(error, OSError):
        if error.errno in (errno.ENOSPC, errno.EDQUOT) or (error.errno == errno.EIO and disk_is_full(folder)):
            return "the disk is full"
        return error.strerror or str(error)
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        primary = code & 0xFF if code is not None else None
        if primary == _FULL or (primary == _IOERR and disk_is_full(folder)):
            return "the disk is full"
        if primary in (_READONLY, _PERM):
            return "the folder or file is read-only"
        if primary == _CANTOPEN:
            return "the file cannot be opened or created (is the folder writable?)"
        if primary == _IOERR:
            return "a disk input/output error"
        if primary in (_BUSY, _LOCKED):
            return "another coach is writing to it"
        if primary in (_CORRUPT, _NOTADB):
            return f"the file is damaged ({error})"
    return str(error) or type(error).__name__


def to_coach_error(path: Path, error: sqlite3.Error | OSError) -> HistoryError:
    """The CoachError a printing command shows for a failure on the history file."""
    if isinstance(error, sqlite3.Error) and is_damage(error):
        return DamagedHistoryError(path, str(error))
    if isinstance(error, sqlite3.Error) and is_busy(error):
        return HistoryBusyError(path)
    return unavailable(path, explain(error, path.parent))


def check_file(path: Path) -> None:
    """Refuse what cannot be the history before SQLite opens it (cheap: one stat and 16 bytes): a folder or other
    non-file (HistoryError), and a file that is empty or does not start with SQLite's header (DamagedHistoryError).
    coach never leaves an empty history file (a new one is made aside and linked into place), so an empty one
    lost its content: taking it for a new history would let the real sessions' backups rotate out."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    except OSError as error:
        raise unavailable(path, explain(error)) from None
    if stat.S_ISDIR(info.st_mode):
        raise unavailable(path, "it is a folder, not a history file; move it away")
    if not stat.S_ISREG(info.st_mode):
        raise unavailable(path, "it is not a regular file; move it away")
    if info.st_size == 0:
        raise DamagedHistoryError(path, "it is empty: 0 bytes")
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise unavailable(path, explain(error)) from None
    if head != SQLITE_HEADER:
        raise DamagedHistoryError(path, "it is not an SQLite database file")


def create_if_missing(path: Path, build: Callable[[sqlite3.Connection], object]) -> bool:
    """Make a new history file whole: built aside by `build(connection)` (WAL, the schema), then linked into place,
    so nobody ever sees an empty file at `path`. False when it already existed (another coach may just have made
    it: its file is used)."""
    if path.exists():
        return False
    partial = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.new")
    try:
        connection = sqlite3.connect(partial, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            build(connection)
        finally:
            connection.close()  # the last connection: its WAL is checkpointed into the file and removed
        try:
            os.link(partial, path)
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links: a rename, which may replace a file made meanwhile
            if path.exists():
                return False
            os.replace(partial, path)
        return True
    finally:
        for leftover in (partial, partial.with_name(partial.name + "-wal"), partial.with_name(partial.name + "-shm")):
            leftover.unlink(missing_ok=True)


def connect(path: Path, *, timeout_ms: int = BUSY_TIMEOUT_MS, create: bool = True) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), WAL, synchronous=FULL, with a busy timeout;
    without `create`, a missing file is an error instead of a new empty database.

    Raises sqlite3.Error or OSError; callers map them with `to_coach_error`.
    """
    target: str | Path = path if create else f"{path.resolve().as_uri()}?mode=rw"
    connection = sqlite3.connect(target, timeout=timeout_ms / 1000, isolation_level=None, uri=not create)
    try:
        connection.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
        _ensure_wal(connection, timeout_ms)
    except BaseException:
        connection.close()
        raise
    return connection


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection, for showing and exporting a history that cannot be written (a full disk, a
    read-only folder). Falls back to reading the file as immutable when even the WAL index cannot be made."""
    uri = path.resolve().as_uri()
    try:
        connection = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None)
        connection.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        return connection
    except sqlite3.Error:
        connection = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None)
        connection.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        return connection


def _ensure_wal(connection: sqlite3.Connection, timeout_ms: int) -> None:
    """Switch a new file to WAL. While several coaches create the file at once, the switch (and the first read
    after it) can fail with SQLITE_BUSY without SQLite's busy handler being asked, so retry until the timeout."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        try:
            mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if not is_busy(error) or time.monotonic() > deadline:
                raise
            time.sleep(random.uniform(0.002, 0.02))


@contextmanager
def write_transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error: the write lock is taken up front, so two writers
    queue on the busy timeout instead of failing half-way."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
