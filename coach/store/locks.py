"""Which `running` sessions are really still running: the recording process holds a lock file per session.

The operating system drops a process's locks when it dies, SIGKILL included, so a session whose lock can be taken
was left `running` by a process that is gone, and recovery may close it. A session running in another terminal
keeps its lock and is left alone. The lock is taken before the row is written, so there is no window in which a
live session looks abandoned.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

LOCK_DIR = "running"


def lock_path(data_dir: Path, session_id: str) -> Path:
    """The lock file of one session."""
    return data_dir / LOCK_DIR / f"{session_id}.lock"


class SessionLock:
    """An exclusive lock held for as long as a session records; `release` removes the file."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    def release(self) -> None:
        """Unlock and remove the lock file (idempotent, never raises)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            unlock(fd)
        os.close(fd)


def acquire(data_dir: Path, session_id: str) -> SessionLock:
    """Take the lock of a new session; raises OSError when the folder cannot be written."""
    path = lock_path(data_dir, session_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not try_lock(fd):
            raise BlockingIOError(f"session {session_id} is already being recorded")
    except BaseException:
        os.close(fd)
        raise
    return SessionLock(path, fd)


def is_held(data_dir: Path, session_id: str) -> bool:
    """Whether a live process holds the session's lock (False when there is no lock file)."""
    path = lock_path(data_dir, session_id)
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return False
    except OSError:
        return True  # cannot tell: leave the session alone rather than close a live one
    try:
        if try_lock(fd):
            unlock(fd)
            return False
        return True
    finally:
        os.close(fd)


def try_lock_file(path: Path) -> int | None:
    """Open (creating) `path` and take its exclusive lock without waiting: the descriptor, or None when another
    process holds it. OSError when the file cannot be made."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if try_lock(fd):
            return fd
    except BaseException:
        os.close(fd)
        raise
    os.close(fd)
    return None


def wait_for_file_lock(path: Path, timeout: float) -> bool:
    """Wait until nobody holds the lock of `path` (True; also when there is no such file), at most `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(path, os.O_RDWR)
        except FileNotFoundError:
            return True
        try:
            if try_lock(fd):
                unlock(fd)
                return True
        finally:
            os.close(fd)
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)


def forget(data_dir: Path, session_id: str) -> None:
    """Remove a dead session's lock file, if any."""
    with contextlib.suppress(OSError):
        lock_path(data_dir, session_id).unlink(missing_ok=True)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def try_lock(fd: int) -> bool:
        """Take the OS lock on an open file at once, or say it is held (by another process, or another open)."""
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def unlock(fd: int) -> None:
        """Release the lock `try_lock` took."""
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def try_lock(fd: int) -> bool:
        """Take the OS lock on an open file at once, or say it is held (by another process, or another open)."""
        # flock locks belong to the open file, not the process: a second open in the same process conflicts too.
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def unlock(fd: int) -> None:
        """Release the lock `try_lock` took."""
        fcntl.flock(fd, fcntl.LOCK_UN)
