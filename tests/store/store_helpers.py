"""Shared helpers for the store tests: sessions with fixed times, a settable clock, a v1 database."""

from __future__ import annotations

import os
import sqlite3
import sys
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from coach.engine.recording import Status
from coach.store.records import SessionRecord

REPO = Path(__file__).resolve().parents[2]
PARIS_SUMMER = timezone(timedelta(hours=2))


def session(
    day: date,
    slot: str = "morning",
    *,
    status: Status = Status.COMPLETED,
    hour: int = 7,
    minutes: float = 12.0,
    routine: str = "toe-exercises",
    name: str = "Toe exercises",
    tz: timezone = PARIS_SUMMER,
    session_id: str | None = None,
) -> SessionRecord:
    """A finished session that started at `hour` local time on `day` (its coach day is `day`)."""
    started = datetime(day.year, day.month, day.day, hour, 0, tzinfo=tz)
    ended = started + timedelta(minutes=minutes + 1)
    return SessionRecord(
        id=session_id or str(uuid.uuid4()),
        routine_id=routine,
        routine_name=name,
        slot=slot,
        day=day,
        started_at=started,
        ended_at=ended,
        status=status,
        active_seconds=minutes * 60,
        cycles_done=int(minutes * 60 // 13),
        position="done",
        last_checkpoint_at=ended,
    )


class SettableClock:
    """A wall clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def subprocess_env(data_dir: Path) -> dict[str, str]:
    """Environment for a coach subprocess: this checkout importable, the test's data folder."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["COACH_DATA_DIR"] = str(data_dir)
    return env


PYTHON = sys.executable


def raw_rows(path: Path, sql: str = "SELECT * FROM sessions ORDER BY id") -> list[tuple[object, ...]]:
    """Rows read with a plain sqlite3 connection, bypassing the store."""
    connection = sqlite3.connect(path)
    try:
        return [tuple(row) for row in connection.execute(sql)]
    finally:
        connection.close()
