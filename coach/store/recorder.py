"""The store's side of `coach.engine.recording.Recorder`: a running session is written at once and kept up to date.

Promises to the countdown:
- every call returns in about a millisecond (one small write in its own connection; measured in the tests);
- no call ever raises: a failure (read-only folder, full disk, damaged file) is reported once, through
  `on_problem(message)` and the `problem` attribute, as "History is not being saved: <path>: <reason>", and the
  session carries on;
- what is already saved is never harmed: writes are single-row upserts in their own transaction.

Each write carries the whole row (an upsert), so a write that failed for a moment (another coach importing) is
made good by the next checkpoint. A lock file per session tells other coach processes the session is alive, so
their recovery leaves it alone; when this process dies, the lock goes with it and the next open marks the
session `partial` at its last checkpoint.

A finished session is never dropped: when the final write cannot land (another coach held the write lock for
longer than a finish waits, a full disk), the row is kept in the spool (coach/store/spool.py), said once, and
written into the history at its next open. No connection stays open between writes: each write's connection is
the last to close, so SQLite folds the WAL into the file at once, and deleting `-wal`/`-shm` during a session
cannot lose a commit (SQLite lists that as a way to corrupt a database open elsewhere).

The session's end is its start plus the time that really passed (a monotonic clock) when the wall clock says
something impossible: an end before the start, or a session shorter than its active time (the clock stepped
back during the session; `CLOCK_SLACK_SECONDS` of slack).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from coach.days.day import local_day
from coach.engine.recording import Checkpoint, SessionStart, Status
from coach.store import locks, spool
from coach.store.connection import DB_NAME, connect, explain, is_busy, write_transaction
from coach.store.records import to_iso, utc_key

ProblemHandler = Callable[[str], None]
Clock = Callable[[], datetime]
Monotonic = Callable[[], float]
CLOCK_SLACK_SECONDS = 60.0
"""How much shorter than its active time a session's wall-clock length may be before the monotonic time is used
(the importer's ACTIVE_SLACK_SECONDS: what the recorder writes, the importer accepts)."""

RECORDER_BUSY_TIMEOUT_MS = 250
"""Start and checkpoints wait at most this for another writer, then leave it to the next checkpoint."""
FINISH_BUSY_TIMEOUT_MS = 10_000

_UPSERT = (
    "INSERT INTO sessions (id, routine_id, routine_name, slot, day, started_at, started_utc, ended_at, status, "
    "active_seconds, cycles_done, position, last_checkpoint_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (id) DO UPDATE SET ended_at = excluded.ended_at, status = excluded.status, "
    "active_seconds = excluded.active_seconds, cycles_done = excluded.cycles_done, position = excluded.position, "
    "last_checkpoint_at = excluded.last_checkpoint_at"
)
_COUNTS_AFTER = "UPDATE sessions SET counts_after = ? WHERE id = ?"
"""Written with the first row (in the same transaction): the rule a crashed session is repaired by."""


def problem_message(path: Path, reason: str) -> str:
    """The one line shown when history cannot be saved."""
    return f"History is not being saved: {path}: {reason}"


def local_now() -> datetime:
    """Now, aware, in the local UTC offset in force."""
    return datetime.now().astimezone()


def spooled_message(path: Path, reason: str) -> str:
    """The one line shown when a finished session was kept aside."""
    return f"Session kept aside in {path} ({reason}); it is written into the history the next time coach opens it."


@dataclass
class _Live:
    start: SessionStart
    day: str
    lock: locks.SessionLock | None
    began: float
    """The monotonic clock when the session started (for its true length)."""
    checkpoint: Checkpoint = field(default_factory=lambda: Checkpoint("", 0.0, 0))
    checkpoint_at: datetime | None = None


class HistoryRecorder:
    """Records sessions into the history file of a data folder; see the module docstring for its promises."""

    def __init__(
        self,
        data_dir: Path,
        *,
        day_start_hour: int,
        on_problem: ProblemHandler | None = None,
        clock: Clock = local_now,
        problem: str | None = None,
        monotonic: Monotonic = time.monotonic,
    ) -> None:
        self.data_dir = data_dir
        self.path = data_dir / DB_NAME
        self.on_problem = on_problem
        self.clock = clock
        self.monotonic = monotonic
        self.problem: str | None = None
        """The first failure, as shown to the user; None while everything is saved."""
        self.spooled: list[Path] = []
        """Finished sessions kept aside in the spool (not in the history yet)."""
        self.lost: list[str] = []
        """Ids of finished sessions that could be neither written nor kept aside."""
        self._day_start_hour = day_start_hour
        self._live: dict[str, _Live] = {}
        self._mutex = threading.Lock()
        self._broken = problem is not None
        if problem is not None:
            self._report(problem)

    @property
    def unsaved(self) -> bool:
        """True when a finished session is not in the history (kept aside in the spool, or lost)."""
        return bool(self.spooled or self.lost)

    @property
    def saving(self) -> bool:
        """False once the history is known not to be written (read-only folder, damaged file...)."""
        return not self._broken

    def start(self, session: SessionStart) -> None:
        """Write the session at once, status `running`."""
        try:
            day = local_day(session.started_at, self._day_start_hour).isoformat()
        except Exception as error:  # a bad start time must not stop the session
            self._report(problem_message(self.path, f"cannot record this session: {error}"))
            return
        live = _Live(start=session, day=day, lock=None, began=self.monotonic())
        with self._mutex:
            self._live[session.id] = live
        if self._broken:
            return
        try:
            live.lock = locks.acquire(self.data_dir, session.id)
        except OSError as error:
            self._fail(error)
            return
        self._write(live, Status.RUNNING, None, RECORDER_BUSY_TIMEOUT_MS)

    def checkpoint(self, session_id: str, checkpoint: Checkpoint) -> None:
        """Save where the session is (position, active time, cycles)."""
        live = self._live.get(session_id)
        if live is None:
            return
        live.checkpoint = checkpoint
        live.checkpoint_at = self._true_time(live, self._now(), checkpoint.active_seconds)
        if not self._broken:
            self._write(live, Status.RUNNING, None, RECORDER_BUSY_TIMEOUT_MS)

    def finish(self, session_id: str, status: Status, ended_at: datetime, checkpoint: Checkpoint) -> None:
        """Close the session as `completed` or `partial` and release its lock."""
        with self._mutex:
            live = self._live.pop(session_id, None)
        if live is None:
            return
        ended_at = self._true_time(live, ended_at, checkpoint.active_seconds)
        live.checkpoint = checkpoint
        live.checkpoint_at = ended_at
        final = status if status is not Status.RUNNING else Status.PARTIAL
        try:
            if self._broken or not self._write(live, final, ended_at, FINISH_BUSY_TIMEOUT_MS, report_busy=True):
                self._keep_aside(live, final, ended_at)
        finally:
            if live.lock is not None:
                live.lock.release()

    def discard(self, session_id: str) -> None:
        """Delete a session just begun (still `running`) that the user threw away, and release its lock."""
        with self._mutex:
            live = self._live.pop(session_id, None)
        if live is None:
            return
        try:
            if not self._broken:
                connection = connect(self.path, timeout_ms=FINISH_BUSY_TIMEOUT_MS)
                try:
                    with write_transaction(connection):
                        connection.execute("DELETE FROM sessions WHERE id = ? AND status = 'running'", (session_id,))
                finally:
                    connection.close()
        except Exception as error:  # never raise into the countdown
            self._fail(error)
        finally:
            if live.lock is not None:
                live.lock.release()

    def close(self) -> bool:
        """Release the locks of sessions never finished (they are repaired at the next start); True when every
        finished session is in the history (not kept aside, not lost)."""
        with self._mutex:
            remaining, self._live = list(self._live.values()), {}
        for live in remaining:
            if live.lock is not None:
                live.lock.release()
        return not self.unsaved

    def __enter__(self) -> HistoryRecorder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- inside ----------------------------------------------------------------------------------------------

    def _true_time(self, live: _Live, wall: datetime, active_seconds: float = 0.0) -> datetime:
        """`wall`, unless it is impossible (before the start, or shorter than the active time: the clock stepped
        back during the session); then the start plus the time that really passed (monotonic)."""
        try:
            started = live.start.started_at
            if (wall - started).total_seconds() + CLOCK_SLACK_SECONDS >= max(0.0, active_seconds) and wall >= started:
                return wall
            elapsed = max(self.monotonic() - live.began, active_seconds, 0.0)
            return (started + timedelta(seconds=elapsed)).astimezone(wall.tzinfo)
        except Exception:  # never raise into the countdown
            return wall

    def _now(self) -> datetime:
        try:
            return self.clock()
        except Exception:
            return local_now()

    def _row(self, live: _Live, status: Status, ended_at: datetime | None) -> tuple[object, ...]:
        start, checkpoint = live.start, live.checkpoint
        return (
            start.id,
            start.routine_id,
            start.routine_name,
            str(start.slot),
            live.day,
            to_iso(start.started_at),
            utc_key(start.started_at),
            to_iso(ended_at) if ended_at is not None else None,
            str(status),
            max(0.0, float(checkpoint.active_seconds)),
            max(0, int(checkpoint.cycles_done)),
            checkpoint.position,
            to_iso(live.checkpoint_at) if live.checkpoint_at is not None else None,
        )

    def _write(
        self, live: _Live, status: Status, ended_at: datetime | None, timeout_ms: int, *, report_busy: bool = False
    ) -> bool:
        """One upsert in its own short connection; False when it did not land (said once, unless busy)."""
        try:
            row = self._row(live, status, ended_at)
            connection = connect(self.path, timeout_ms=timeout_ms)
            try:
                with write_transaction(connection):
                    connection.execute(_UPSERT, row)
                    if status is Status.RUNNING and live.start.counts_after_seconds is not None:
                        connection.execute(_COUNTS_AFTER, (live.start.counts_after_seconds, live.start.id))
            finally:
                connection.close()
        except sqlite3.Error as error:
            if is_busy(error) and not report_busy:
                return False  # the next checkpoint writes the whole row again
            if not is_busy(error):
                self._fail(error)
            return False
        except Exception as error:  # never raise into the countdown
            self._fail(error)
            return False
        return True

    def _keep_aside(self, live: _Live, status: Status, ended_at: datetime) -> None:
        """The final write did not land: keep the finished session in the spool, and say so once."""
        try:
            path = spool.keep(self.data_dir, self._row(live, status, ended_at))
        except Exception as error:  # not even the spool: the user must hear that this session is not saved
            self.lost.append(live.start.id)
            self.problem = None  # this is worse than what was said before: say it
            self._report(problem_message(self.path, f"this session could not be saved: {explain(error)}"))
            return
        self.spooled.append(path)
        reason = "another coach held the history" if self.problem is None else "the history could not be written"
        self.problem = None
        self._report(spooled_message(path, reason))

    def _fail(self, error: BaseException) -> None:
        self._broken = True
        self._report(problem_message(self.path, explain(error)))

    def _report(self, message: str) -> None:
        if self.problem is not None:
            return
        self.problem = message
        self._broken = True
        if self.on_problem is not None:
            with contextlib.suppress(Exception):  # a broken callback must not stop the session
                self.on_problem(message)


class NullRecorder:
    """Records nothing (tests, or when the user asked for no history); `problem` says why, if anything."""

    def __init__(self, problem: str | None = None) -> None:
        self.problem = problem

    def start(self, session: SessionStart) -> None:
        """Nothing is written."""

    def checkpoint(self, session_id: str, checkpoint: Checkpoint) -> None:
        """Nothing is written."""

    def finish(self, session_id: str, status: Status, ended_at: datetime, checkpoint: Checkpoint) -> None:
        """Nothing is written."""

    def discard(self, session_id: str) -> None:
        """Nothing was written."""

    def close(self) -> bool:
        """Nothing to wait for."""
        return True
