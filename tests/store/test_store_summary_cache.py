"""The summary of past days (coach/store/summary.py) gives exactly the streaks and count that every day gives, and is
forgotten as soon as something before its day changes."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_helpers import SettableClock, session

from coach.days.streaks import streak_report_masks
from coach.engine.recording import Status
from coach.store.connection import connect
from coach.store.store import Store, open_store
from coach.store.summary import read_summary, refresh_summary

TZ = timezone(timedelta(hours=1))
START = date(2024, 1, 1)
SLOTS = ("morning", "evening", "bedtime")
PLANS = (("morning", "evening", "bedtime"), ("morning",), ("evening", "bedtime"), ())


def full_report(path: Path, planned: tuple[str, ...], today: date):  # type: ignore[no-untyped-def]
    """The streaks from every day, as before the summary."""
    connection = sqlite3.connect(path)
    masks = connection.execute("SELECT ordinal, mask FROM day_slots ORDER BY ordinal").fetchall()
    rests = [date.fromisoformat(d).toordinal() for (d,) in connection.execute("SELECT day FROM rest_days ORDER BY day")]
    first = connection.execute("SELECT min(day) FROM sessions").fetchone()[0]
    connection.close()
    began = date.fromisoformat(first).toordinal() if first else today.toordinal() + 1
    return streak_report_masks(masks, rests, planned, today, began)


histories = st.lists(st.tuples(st.integers(0, 59), st.sampled_from(SLOTS), st.booleans()), min_size=0, max_size=90)
rest_days = st.lists(st.integers(0, 62), max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sessions=histories,
    rests=rest_days,
    summed_up_to=st.integers(0, 62),
    asked=st.integers(0, 62),
    plan=st.sampled_from(PLANS),
)
def test_the_summary_gives_the_same_streaks_as_every_day(
    tmp_path_factory, sessions, rests, summed_up_to, asked, plan
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("h")
    store = open_store(
        folder, day_start_hour=4, clock=SettableClock(datetime(2030, 1, 1, tzinfo=TZ)), maintenance=False
    )
    records = [
        session(START + timedelta(days=d), slot, status=Status.COMPLETED if done else Status.PARTIAL)
        for d, slot, done in sessions
    ]
    store.insert_sessions(records)
    for d in set(rests):
        store.mark_rest_day(START + timedelta(days=d))
    connection = connect(store.path)
    connection.execute("BEGIN IMMEDIATE")
    summary = refresh_summary(connection, START + timedelta(days=summed_up_to))  # a summary made on that day
    connection.execute("COMMIT")
    connection.close()
    today = START + timedelta(days=asked)
    assert store.streaks(plan, today) == full_report(store.path, plan, today), (summary, today)
    assert store.count() == len(records)


def test_recording_today_keeps_the_summary_and_a_change_before_it_forgets_it(tmp_path: Path) -> None:
    now = datetime(2024, 3, 1, 9, 0, tzinfo=TZ)
    store = Store(tmp_path, day_start_hour=4, clock=SettableClock(now))
    store.import_records([session(date(2024, 2, 1) + timedelta(days=n)) for n in range(20)], [])
    connection = sqlite3.connect(store.path)
    summary = read_summary(connection)
    assert summary is not None and summary.sessions == 20  # made by the import
    assert summary.through == date(2024, 2, 21).toordinal()  # the day after the last one with data
    store.insert_sessions([session(date(2024, 2, 29)), session(date(2024, 2, 21), "evening")])
    assert read_summary(connection) is not None  # days from `through` on are read live
    assert store.count() == 22 and store.streaks(("morning",), date(2024, 2, 29)).slot("morning").streak.longest == 20
    store.mark_rest_day(date(2024, 2, 3))
    assert read_summary(connection) is None  # a change before it: forgotten
    store.streaks(("morning",), date(2024, 3, 1))  # the first read makes it again
    assert read_summary(connection) is not None
    store.delete_session(store.sessions(until=date(2024, 2, 1))[0].id)
    assert read_summary(connection) is None
    assert store.count() == 21
    connection.close()


def test_a_read_of_an_earlier_day_than_the_summary_reads_every_day(tmp_path: Path) -> None:
    store = Store(tmp_path, day_start_hour=4, clock=SettableClock(datetime(2024, 3, 1, 9, 0, tzinfo=TZ)))
    store.import_records([session(date(2024, 2, 1) + timedelta(days=n)) for n in range(20)], [])
    report = store.streaks(("morning",), date(2024, 2, 10))
    assert report.slot("morning").streak.current == 10 and report.slot("morning").streak.longest == 10


def test_a_bulk_import_sets_sync_s_trigger_aside_only_while_it_notes_nothing(tmp_path: Path) -> None:
    from coach.store.migrations import BULK_ROWS

    records = [session(date(2000, 1, 1) + timedelta(days=n)) for n in range(BULK_ROWS + 5)]
    store = open_store(tmp_path, day_start_hour=4, maintenance=False)
    connection = sqlite3.connect(store.path)
    connection.execute("UPDATE sync_meta SET value = 1 WHERE name = 'track'")  # this folder syncs
    connection.commit()
    store.import_records(records, [])
    noted = connection.execute("SELECT count(*) FROM sync_changes WHERE key LIKE 's:%'").fetchone()[0]
    assert noted == len(records)  # every imported session is noted for the other machines
    triggers = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {"sync_session_insert", "sessions_kept_insert", "summary_sessions_insert"} <= triggers
    assert read_summary(connection) is not None
    connection.close()
