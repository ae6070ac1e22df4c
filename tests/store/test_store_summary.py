"""The per-day summary that makes streaks fast always says what the sessions say."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from store_helpers import session

from coach.engine.recording import Checkpoint, SessionStart, Status
from coach.store.exchange import parse_import, sessions_json
from coach.store.store import open_recorder, open_store

TZ = timezone(timedelta(hours=-5))


def summary(path: Path) -> list[tuple[int, int]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT ordinal, mask FROM day_slots ORDER BY ordinal").fetchall()
    finally:
        connection.close()


def recomputed(path: Path) -> list[tuple[int, int]]:
    bits = {"morning": 1, "evening": 2, "bedtime": 4}
    connection = sqlite3.connect(path)
    masks: dict[int, int] = {}
    for day, slot in connection.execute("SELECT day, slot FROM sessions WHERE status = 'completed'"):
        ordinal = date.fromisoformat(day).toordinal()
        masks[ordinal] = masks.get(ordinal, 0) | bits[slot]
    connection.close()
    return sorted(masks.items())


def test_the_summary_follows_inserts_recordings_imports_and_changes(tmp_path: Path) -> None:
    store = open_store(tmp_path, day_start_hour=4)
    store.insert_sessions(
        [
            session(date(2024, 3, 1)),
            session(date(2024, 3, 1), "bedtime", hour=23),
            session(date(2024, 3, 2), status=Status.PARTIAL),
        ]
    )
    assert summary(store.path) == recomputed(store.path) == [(date(2024, 3, 1).toordinal(), 5)]
    rec = open_recorder(tmp_path, day_start_hour=4)
    start = SessionStart(
        str(uuid.uuid4()), "toe-exercises", "Toe exercises", "evening", datetime(2024, 3, 2, 18, 0, tzinfo=TZ)
    )
    rec.start(start)
    rec.checkpoint(start.id, Checkpoint("x", 100.0, 8))
    assert summary(store.path) == recomputed(store.path)  # running: not kept yet
    rec.finish(start.id, Status.COMPLETED, start.started_at + timedelta(minutes=12), Checkpoint("y", 650.0, 50))
    assert (date(2024, 3, 2).toordinal(), 2) in summary(store.path)
    other = [session(date(2024, 3, n), "evening", hour=19) for n in range(3, 9)]
    batch = parse_import(sessions_json(other).encode(), "x.json", day_start_hour=4)
    store.import_records(batch.sessions, batch.rest_days)
    store.import_records(batch.sessions, batch.rest_days)
    store.set_note(other[0].id, "fine", 1, set_discomfort=True)
    assert summary(store.path) == recomputed(store.path)
    # Changes no command makes today, but a later one might: the triggers keep the summary true.
    connection = sqlite3.connect(store.path)
    with connection:
        connection.execute("UPDATE sessions SET status = 'partial' WHERE id = ?", (other[1].id,))
        connection.execute("UPDATE sessions SET day = '2024-03-20' WHERE id = ?", (other[2].id,))
        connection.execute("DELETE FROM sessions WHERE id = ?", (other[3].id,))
        connection.execute("UPDATE sessions SET slot = 'morning' WHERE id = ?", (other[4].id,))
    connection.close()
    assert summary(store.path) == recomputed(store.path)
    report = store.streaks(("evening",), date(2024, 3, 8))
    assert report.slot("evening").streak.current == 1  # the 8th; the 7th became a morning
