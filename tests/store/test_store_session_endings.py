"""The store's side of the ending rules: a crashed session is repaired by the same rule as every other ending
(completed once its last checkpoint reached counts_after), and a session just begun can be thrown away."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from coach.engine.recording import Checkpoint, SessionStart, Status
from coach.store.store import open_recorder, open_store

TZ = timezone(timedelta(hours=1))
STARTED = datetime(2026, 3, 2, 22, 15, tzinfo=TZ)


def soak_start(counts_after: float | None = 900.0) -> SessionStart:
    return SessionStart(str(uuid.uuid4()), "foot-soak", "Foot soak", "bedtime", STARTED, counts_after)


@pytest.mark.parametrize(("active", "status"), [(960.0, Status.COMPLETED), (899.0, Status.PARTIAL)])
def test_a_session_left_running_by_a_crash_is_repaired_by_counts_after(
    tmp_path: Path, active: float, status: Status
) -> None:
    rec = open_recorder(tmp_path, day_start_hour=4)
    start = soak_start()
    rec.start(start)
    rec.checkpoint(start.id, Checkpoint("Soak", active, 0))
    rec.close()  # the process dies: its lock goes, the row stays `running`
    store = open_store(tmp_path, day_start_hour=4)  # the next start repairs it
    repaired = store.get(start.id)
    assert repaired is not None and repaired.status is status and repaired.active_seconds == active
    kept = store.streaks(("bedtime",), date(2026, 3, 2)).slot("bedtime").streak.current
    assert kept == (1 if status is Status.COMPLETED else 0)  # the bedtime streak survives the crash


def test_a_row_from_before_counts_after_was_kept_is_repaired_as_partial(tmp_path: Path) -> None:
    rec = open_recorder(tmp_path, day_start_hour=4)
    start = soak_start(counts_after=None)
    rec.start(start)
    rec.checkpoint(start.id, Checkpoint("Soak", 1100.0, 0))
    rec.close()
    repaired = open_store(tmp_path, day_start_hour=4).get(start.id)
    assert repaired is not None and repaired.status is Status.PARTIAL


def test_a_discarded_session_leaves_no_row(tmp_path: Path) -> None:
    rec = open_recorder(tmp_path, day_start_hour=4)
    start = soak_start()
    rec.start(start)
    rec.checkpoint(start.id, Checkpoint("Soak", 2.0, 0))
    rec.discard(start.id)
    assert rec.close() is True
    assert open_store(tmp_path, day_start_hour=4).sessions() == []
