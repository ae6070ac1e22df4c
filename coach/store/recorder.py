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
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from coach.days.day import local_day
from coach.engine.recording import Checkpoint, SessionStart, Status
from coach.store import locks
from coach.store.connection import DB_NAME, connect, explain, is_busy, write_transaction
from coach.store.records import to_iso, utc_key
from coach.store.store import Clock, local_now, open_store

ProblemHandler = Callable[[str], None]

RECORDER_BUSY_TIMEOUT_MS = 250
"""Start and checkpoints wait at most this for another writer, then leave it to the next checkpoint."""
FINISH_BUSY_TIMEOUT_MS = 10_000

_UPSERT = (
    "INSERT INTO sessions (id, routine_id, routine_name, slot, day, started_at, started_utc, ended_at, status, "
    "active_seconds, cycles_done, position, last_checkpoint_at, counts_after) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (id) DO UPDATE SET ended_at = excluded.ended_at, status = excluded.status, "
    "active_seconds = excluded.active_seconds, cycles_done = excluded.cycles_done, position = excluded.position, "
    "last_checkpoint_at = excluded.last_checkpoint_at"
)


def problem_message(path: Path, reason: str) -> str:
    """The one line shown when history cannot be saved."""
    return f"History is not being saved: {path}: {reason}"


@dataclass
class _Live:
    start: SessionStart
    day: str
    lock: locks.SessionLock | None
    checkpoint: Checkpoint = field(default_factory=lambda: Checkpoint("", 0.0, 0))
    checkpoint_at: datetime | None = None


class HistoryRecorder:
    """Records sessions into the history file of a data folder; see the module docstring for its promises."""

    def __init__(
        self,
        data_dir: Path,
        *,
        day_start_hour: int | None = None,
        on_problem: ProblemHandler | None = None,
        clock: Clock = local_now,
        problem: str | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.path = data_dir / DB_NAME
        self.on_problem = on_problem
        self.clock = clock
        self.problem: str | None = None
        """The first failure, as shown to the user; None while everything is saved."""
        self._day_start_hour = day_start_hour
        self._live: dict[str, _Live] = {}
        self._mutex = threading.Lock()
        self._broken = problem is not None
        self._anchor: sqlite3.Connection | None = None
        if problem is not None:
            self._report(problem)
        else:
            self._open_anchor()

    @property
    def saving(self) -> bool:
        """False once the history is known not to be written (read-only folder, damaged file...)."""
        return not self._broken

    def start(self, session: SessionStart) -> None:
        """Write the session at once, status `running`."""
        try:
            day = local_day(session.started_at, self._day_start()).isoformat()
        except Exception as error:  # a bad start time must not stop the session
            self._report(problem_message(self.path, f"cannot record this session: {error}"))
            return
        live = _Live(start=session, day=day, lock=None)
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
        live.checkpoint_at = self._now()
        if not self._broken:
            self._write(live, Status.RUNNING, None, RECORDER_BUSY_TIMEOUT_MS)

    def finish(self, session_id: str, status: Status, ended_at: datetime, checkpoint: Checkpoint) -> None:
        """Close the session as `completed` or `partial` and release its lock."""
        with self._mutex:
            live = self._live.pop(session_id, None)
        if live is None:
            return
        live.checkpoint = checkpoint
        live.checkpoint_at = ended_at
        final = status if status is not Status.RUNNING else Status.PARTIAL
        try:
            if not self._broken:
                self._write(live, final, ended_at, FINISH_BUSY_TIMEOUT_MS, report_busy=True)
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
        """Release the locks of sessions never finished (they will be recovered at the next start) and the file;
        True when everything asked was saved."""
        with self._mutex:
            remaining, self._live = list(self._live.values()), {}
            anchor, self._anchor = self._anchor, None
        for live in remaining:
            if live.lock is not None:
                live.lock.release()
        if anchor is not None:
            with contextlib.suppress(sqlite3.Error):
                anchor.close()
        return not self._broken

    def __enter__(self) -> HistoryRecorder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- inside ----------------------------------------------------------------------------------------------

    def _open_anchor(self) -> None:
        """Hold one idle connection for the recorder's life. Without it, every write's connection would be the
        last to close, and SQLite would checkpoint and delete the WAL each time (twice the time per write). It
        runs no statement after this, so sharing it with no thread is safe; only `close` touches it again."""
        try:
            anchor = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            anchor.execute("SELECT 1 FROM sessions LIMIT 1").fetchall()
        except sqlite3.Error:
            return  # only an optimisation
        self._anchor = anchor

    def _day_start(self) -> int:
        if self._day_start_hour is None:
            from coach.config.settings import load_settings

            self._day_start_hour = load_settings().settings.day_start_hour
        return self._day_start_hour

    def _now(self) -> datetime:
        try:
            return self.clock()
        except Exception:
            return local_now()

    def _write(
        self, live: _Live, status: Status, ended_at: datetime | None, timeout_ms: int, *, report_busy: bool = False
    ) -> None:
        start, checkpoint = live.start, live.checkpoint
        try:
            row = (
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
                start.counts_after_seconds,
            )
            connection = connect(self.path, timeout_ms=timeout_ms)
            try:
                with write_transaction(connection):
                    connection.execute(_UPSERT, row)
            finally:
                connection.close()
        except sqlite3.Error as error:
            if is_busy(error) and not report_busy:
                return  # the next checkpoint writes the whole row again
            self._fail(error)
        except Exception as error:  # never raise into the countdown
            self._fail(error)

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


def open_recorder(
    data_dir: Path | str | None = None,
    *,
    on_problem: ProblemHandler | None = None,
    day_start_hour: int | None = None,
    clock: Clock = local_now,
) -> HistoryRecorder:
    """A recorder into the history of `data_dir` (default: `coach.common.paths.data_dir()`); never raises.

    Opening prepares the store (migrations, recovery of killed sessions, the daily backup). When that fails (a
    folder that cannot be written, a damaged file), the recorder is returned anyway: it reports the problem once,
    at once, through `on_problem` and `problem`, records nothing, and the session runs.
    """
    from coach.common.paths import data_dir as default_data_dir

    folder = default_data_dir(data_dir) if data_dir is None or isinstance(data_dir, str) else data_dir
    problem: str | None = None
    try:
        store = open_store(folder, day_start_hour=day_start_hour, clock=clock)
        day_start_hour = store.day_start_hour
    except Exception as error:  # CoachError or anything else: the session must still run
        problem = problem_message(folder / DB_NAME, _reason(error))
    return HistoryRecorder(folder, day_start_hour=day_start_hour, on_problem=on_problem, clock=clock, problem=problem)


def _reason(error: BaseException) -> str:
    from coach.store.connection import HistoryError

    return error.reason if isinstance(error, HistoryError) else str(error) or type(error).__name__
