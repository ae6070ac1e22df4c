"""What protects the record: migrations that lose nothing, daily backups, damaged files kept and repaired."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from store_helpers import SettableClock, raw_rows, session

from coach.common.problems import CoachError
from coach.engine.recording import Status
from coach.store.backups import MAINTENANCE_CACHE_KIB, daily_backups, quarantine_damaged, restore_latest_backup
from coach.store.connection import DamagedHistoryError, connect
from coach.store.migrations import LATEST_VERSION, migrate, schema_version
from coach.store.store import open_store

TZ = timezone(timedelta(hours=2))


# -- migrations ------------------------------------------------------------------------------------------------


def make_v1_database(path: Path) -> list[tuple[object, ...]]:
    """A history as the first coach release wrote it: schema v1 only, with a completed, a partial and a running
    session (as its recorder wrote them)."""
    connection = connect(path)
    migrate(connection, target=1)
    rows = [
        (
            "6f1c2b1e-0d1f-4a57-9a53-2f7f1f0c0a01",
            "toe-exercises",
            "Toe exercises",
            "morning",
            "2024-05-01",
            "2024-05-01T07:30:00+02:00",
            "2024-05-01T05:30:00.000000+00:00",
            "2024-05-01T07:43:10+02:00",
            "completed",
            640.5,
            46,
            "Ankle rotations",
            "2024-05-01T07:43:10+02:00",
        ),
        (
            "6f1c2b1e-0d1f-4a57-9a53-2f7f1f0c0a02",
            "foot-soak",
            "Foot soak",
            "bedtime",
            "2024-05-01",
            "2024-05-02T00:30:00+02:00",
            "2024-05-01T22:30:00.000000+00:00",
            "2024-05-02T00:36:00+02:00",
            "partial",
            355.0,
            0,
            "Soak",
            "2024-05-02T00:36:00+02:00",
        ),
        (
            "6f1c2b1e-0d1f-4a57-9a53-2f7f1f0c0a03",
            "old-routine",
            "A routine since deleted",
            "evening",
            "2024-05-02",
            "2024-05-02T19:00:00+02:00",
            "2024-05-02T17:00:00.000000+00:00",
            None,
            "running",
            120.0,
            9,
            "Heels up",
            "2024-05-02T19:02:10+02:00",
        ),
    ]
    connection.executemany("INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    assert schema_version(connection) == 1
    connection.close()
    return rows


def test_migrating_a_v1_history_keeps_every_session(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    v1_rows = make_v1_database(path)
    store = open_store(tmp_path, day_start_hour=4)
    connection = sqlite3.connect(path)
    assert schema_version(connection) == LATEST_VERSION == 8
    columns = [row[1] for row in connection.execute("PRAGMA table_info(sessions)")]
    # v3's per-day summary was filled from the v1 sessions: the completed morning of 2024-05-01 only.
    assert connection.execute("SELECT ordinal, mask FROM day_slots").fetchall() == [(date(2024, 5, 1).toordinal(), 1)]
    connection.close()
    assert columns[-3:] == ["note", "discomfort", "counts_after"]
    after = raw_rows(path, "SELECT * FROM sessions ORDER BY id")
    # Every v1 value is still there; the new columns are empty; only the running one was recovered.
    assert [row[:13] for row in after[:2]] == [tuple(r) for r in v1_rows[:2]]
    assert [row[13:] for row in after] == [(None, None, None)] * 3
    recovered = after[2]
    assert recovered[8] == "partial" and recovered[7] == "2024-05-02T19:02:10+02:00" and recovered[9] == 120.0
    # v2 features work on the migrated file.
    assert store.mark_rest_day(date(2024, 5, 3), "flu")
    store.set_note("6f1c2b1e-0d1f-4a57-9a53-2f7f1f0c0a01", "calves tight", 3, set_discomfort=True)
    report = store.streaks(("morning", "evening", "bedtime"), date(2024, 5, 4))
    assert report.slot("morning").streak.longest == 1
    assert report.slot("evening").streak.longest == 0  # the session of a deleted routine was partial


def test_a_copy_is_taken_before_migrating(tmp_path: Path) -> None:
    make_v1_database(tmp_path / "history.sqlite3")
    open_store(tmp_path, day_start_hour=4, clock=SettableClock(datetime(2024, 6, 1, 9, tzinfo=TZ)))
    copies = list((tmp_path / "backups").glob("schema-v1-before-migration-*.sqlite3"))
    assert len(copies) == 1
    connection = sqlite3.connect(copies[0])
    assert schema_version(connection) == 1
    assert connection.execute("SELECT count(*) FROM sessions").fetchone()[0] == 3
    connection.close()


def test_a_history_from_a_newer_coach_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    open_store(tmp_path, day_start_hour=4).insert_sessions([session(date(2024, 5, 1))])
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version = 99")
    connection.close()
    before = raw_rows(path)
    with pytest.raises(CoachError, match="newer coach"):
        open_store(tmp_path, day_start_hour=4)
    assert raw_rows(path) == before


def test_two_coaches_creating_the_history_at_once_migrate_it_once(tmp_path: Path) -> None:
    first = connect(tmp_path / "history.sqlite3")
    second = connect(tmp_path / "history.sqlite3")
    assert migrate(first) == (0, LATEST_VERSION)
    assert migrate(second) == (LATEST_VERSION, LATEST_VERSION)
    first.close()
    second.close()


# -- backups ---------------------------------------------------------------------------------------------------


def test_at_most_one_backup_a_day_and_the_last_seven_kept(tmp_path: Path) -> None:
    clock = SettableClock(datetime(2024, 5, 1, 8, 0, tzinfo=TZ))
    open_store(tmp_path, day_start_hour=4, clock=clock)
    assert daily_backups(tmp_path) == []  # nothing worth saving yet
    for n in range(10):
        clock.now = datetime(2024, 5, 1, 8, 0, tzinfo=TZ) + timedelta(days=n)
        store = open_store(tmp_path, day_start_hour=4, clock=clock)
        store.insert_sessions([session(clock.now.date())])
        clock.now += timedelta(hours=10)
        open_store(tmp_path, day_start_hour=4, clock=clock)  # the same day again: no second backup
    backups = daily_backups(tmp_path)
    assert [day for day, _ in backups] == [date(2024, 5, 1) + timedelta(days=n) for n in range(3, 10)]
    # The newest backup is a real copy of the history as it was that morning (9 sessions before the 10th).
    connection = sqlite3.connect(backups[-1][1])
    assert connection.execute("SELECT count(*) FROM sessions").fetchone()[0] == 9
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    connection.close()


def test_the_daily_check_and_backup_read_through_a_small_page_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """They read every page: with SQLite's default 2 MiB cache per connection, the day's first session grew by
    4.4 MiB (a 2.5 MiB history) while it counted down. Every connection that checks or copies bounds its cache first."""
    store = open_store(tmp_path, day_start_hour=4, maintenance=False)
    store.insert_sessions([session(date(2024, 5, 1))])
    statements: dict[int, list[str]] = {}
    real_connect = sqlite3.connect

    def traced_connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        connection = real_connect(*args, **kwargs)  # type: ignore[arg-type]
        connection.set_trace_callback(statements.setdefault(id(connection), []).append)
        return connection

    monkeypatch.setattr(sqlite3, "connect", traced_connect)
    open_store(tmp_path, day_start_hour=4)
    assert len(daily_backups(tmp_path)) == 1
    reading = [
        run for run in statements.values() if any("quick_check" in s or "journal_mode = DELETE" in s for s in run)
    ]
    assert len(reading) == 2  # the checked history, the copy
    for run in reading:
        bounded = [i for i, statement in enumerate(run) if statement == f"PRAGMA cache_size = -{MAINTENANCE_CACHE_KIB}"]
        first_read = next(i for i, s in enumerate(run) if "quick_check" in s or "journal_mode = DELETE" in s)
        assert bounded and bounded[0] < first_read, run


def test_no_backup_without_maintenance(tmp_path: Path) -> None:
    store = open_store(tmp_path, day_start_hour=4, maintenance=False)
    store.insert_sessions([session(date(2024, 5, 1))])
    open_store(tmp_path, day_start_hour=4, maintenance=False)
    assert daily_backups(tmp_path) == []


# -- damaged files ---------------------------------------------------------------------------------------------

GARBAGE = b"PK\x03\x04 this is a zip file someone saved over the history\n" + bytes(range(256)) * 40


def test_a_file_that_is_not_sqlite_is_refused_with_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "history.sqlite3").write_bytes(GARBAGE)
    with pytest.raises(DamagedHistoryError) as caught:
        open_store(tmp_path, day_start_hour=4)
    message = str(caught.value)
    assert str(tmp_path / "history.sqlite3") in message
    assert "damaged" in message and "coach history repair" in message
    assert (tmp_path / "history.sqlite3").read_bytes() == GARBAGE


def test_quarantine_keeps_the_bytes_and_restore_brings_back_the_newest_backup(tmp_path: Path) -> None:
    clock = SettableClock(datetime(2024, 5, 1, 8, 0, tzinfo=TZ))
    store = open_store(tmp_path, day_start_hour=4, clock=clock)
    store.insert_sessions([session(date(2024, 5, 1)), session(date(2024, 5, 1), "evening", hour=19)])
    clock.now += timedelta(days=1)
    open_store(tmp_path, day_start_hour=4, clock=clock)  # backup of the 2nd, with both sessions
    (tmp_path / "history.sqlite3").write_bytes(GARBAGE)
    for companion in ("-wal", "-shm"):
        (tmp_path / f"history.sqlite3{companion}").unlink(missing_ok=True)

    moved = quarantine_damaged(tmp_path, now=datetime(2024, 5, 3, 9, 15, 0, tzinfo=TZ))
    assert moved.name == "history-damaged-20240503-091500.sqlite3"
    assert moved.read_bytes() == GARBAGE
    assert not (tmp_path / "history.sqlite3").exists()
    restored = restore_latest_backup(tmp_path)
    assert restored is not None and restored.path.name == "history-2024-05-02.sqlite3"
    assert open_store(tmp_path, day_start_hour=4, clock=clock).count() == 2
    # Quarantining again the same second never overwrites the first copy.
    (tmp_path / "history.sqlite3").write_bytes(b"second damaged file")
    again = quarantine_damaged(tmp_path, now=datetime(2024, 5, 3, 9, 15, 0, tzinfo=TZ))
    assert again != moved and moved.read_bytes() == GARBAGE and again.read_bytes() == b"second damaged file"


def test_restore_skips_a_damaged_backup(tmp_path: Path) -> None:
    clock = SettableClock(datetime(2024, 5, 1, 8, 0, tzinfo=TZ))
    store = open_store(tmp_path, day_start_hour=4, clock=clock)
    store.insert_sessions([session(date(2024, 5, 1))])
    clock.now += timedelta(days=1)
    open_store(tmp_path, day_start_hour=4, clock=clock).insert_sessions([session(date(2024, 5, 2))])
    clock.now += timedelta(days=1)
    open_store(tmp_path, day_start_hour=4, clock=clock)
    backups = daily_backups(tmp_path)
    assert [day for day, _ in backups] == [date(2024, 5, 2), date(2024, 5, 3)]
    backups[-1][1].write_bytes(GARBAGE)
    quarantine_damaged(tmp_path)
    restored = restore_latest_backup(tmp_path)
    assert restored is not None and restored.path == backups[0][1]
    assert open_store(tmp_path, day_start_hour=4, clock=clock).count() == 1


def test_restore_without_backups_leaves_no_file(tmp_path: Path) -> None:
    (tmp_path / "history.sqlite3").write_bytes(GARBAGE)
    quarantine_damaged(tmp_path)
    assert restore_latest_backup(tmp_path) is None
    assert not (tmp_path / "history.sqlite3").exists()


def corrupt_a_page(path: Path) -> None:
    """Overwrite an index page of a real database, leaving the header intact (what a bad disk does)."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'sessions_started'").fetchone()[0]
    connection.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * page_size)


def test_a_corrupt_page_is_found_by_the_daily_check_before_it_is_backed_up(tmp_path: Path) -> None:
    clock = SettableClock(datetime(2024, 5, 1, 8, 0, tzinfo=TZ))
    store = open_store(tmp_path, day_start_hour=4, clock=clock, maintenance=False)
    store.insert_sessions(session(date(2024, 1, 1) + timedelta(days=n)) for n in range(300))
    corrupt_a_page(store.path)
    with pytest.raises(DamagedHistoryError):
        open_store(tmp_path, day_start_hour=4, clock=clock)
    assert daily_backups(tmp_path) == []


def test_recovery_then_streaks_ignore_partial_sessions(tmp_path: Path) -> None:
    store = open_store(tmp_path, day_start_hour=4)
    store.insert_sessions(
        [
            session(date(2024, 5, 18)),
            session(date(2024, 5, 19), status=Status.PARTIAL, minutes=3),
            session(date(2024, 5, 20)),
        ]
    )
    report = store.streaks(("morning",), date(2024, 5, 20))
    assert report.slot("morning").streak.current == 1
    assert report.slot("morning").streak.longest == 1
    assert len(store.sessions()) == 3  # the partial one is in the history


def test_two_threads_backing_up_at_once_both_succeed(tmp_path: Path) -> None:
    """The home screen's read and a session's recorder may both take the daily backup in one process."""
    import sqlite3
    import threading

    from coach.store.backups import copy_database

    source_path = tmp_path / "source.sqlite3"
    with sqlite3.connect(source_path) as seed:
        seed.execute("CREATE TABLE t (x)")
        seed.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(20_000)])
    target = tmp_path / "backups" / "copy.sqlite3"
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def back_up() -> None:
        source = sqlite3.connect(source_path)
        try:
            barrier.wait()
            copy_database(source, target)
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            source.close()

    threads = [threading.Thread(target=back_up) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM t").fetchone()[0] == 20_000
