"""The day's check and backup in a detached process: the day's first command does not wait for them, and nothing a
backup promises is lost (the one holding more data is never pruned, a damaged or empty file is never backed up)."""

from __future__ import annotations

import os
import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from store_helpers import SettableClock, session
from test_store_safety import corrupt_a_page

from coach.__main__ import main
from coach.store import locks, maintenance
from coach.store.backups import daily_backups
from coach.store.connection import DamagedHistoryError
from coach.store.maintenance import daily_lock_path, notes_path, start_daily, wait_for_daily
from coach.store.store import open_store

TZ = timezone(timedelta(hours=1))
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=TZ)


def history(folder: Path, days: int = 3, clock: SettableClock | None = None) -> None:
    store = open_store(folder, day_start_hour=4, clock=clock or SettableClock(NOW), maintenance=False)
    store.insert_sessions([session(date(2026, 11, 1) + timedelta(days=n)) for n in range(days)])


def open_in_background(folder: Path, now: datetime, warnings: list[str] | None = None) -> None:
    """What a command does: open, and leave the day's check and backup to a background process."""
    on_warning = warnings.append if warnings is not None else None
    open_store(folder, day_start_hour=4, clock=SettableClock(now), background=True, on_warning=on_warning)


def test_the_days_first_command_leaves_the_backup_to_a_process_that_holds_the_lock_until_done(
    tmp_path: Path,
) -> None:
    history(tmp_path)
    open_in_background(tmp_path, NOW)
    assert wait_for_daily(tmp_path, timeout=60)
    backups = daily_backups(tmp_path)
    assert [day for day, _ in backups] == [NOW.date()]
    copy = sqlite3.connect(backups[0][1])
    assert copy.execute("SELECT count(*) FROM sessions").fetchone()[0] == 3
    assert copy.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    copy.close()
    assert not notes_path(tmp_path).exists()  # nothing to say
    assert not [path for path in tmp_path.rglob("*.partial")]


def test_the_command_line_returns_before_the_backup_and_a_later_command_finds_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = Path(os.environ["COACH_DATA_DIR"])
    open_store(folder, day_start_hour=4, maintenance=False).insert_sessions([session(date(2026, 11, 1))])
    assert main(["history"]) == 0
    assert wait_for_daily(folder, timeout=60)
    assert len(daily_backups(folder)) == 1
    capsys.readouterr()


def test_a_backup_holding_more_sessions_is_never_pruned_by_the_background_job(tmp_path: Path) -> None:
    history(tmp_path, days=5)
    open_store(tmp_path, day_start_hour=4, clock=SettableClock(NOW))  # today's backup, in the open: 5 sessions
    store = open_store(tmp_path, day_start_hour=4, clock=SettableClock(NOW), maintenance=False)
    for record in store.sessions()[1:]:
        store.delete_session(record.id)  # the live history now holds 1
    warnings: list[str] = []
    for day in range(1, 9):
        open_in_background(tmp_path, NOW + timedelta(days=day), warnings)
        assert wait_for_daily(tmp_path, timeout=60)
    open_in_background(tmp_path, NOW + timedelta(days=8), warnings)  # says what the last job left
    kept = [day for day, _ in daily_backups(tmp_path)]
    assert NOW.date() in kept and len(kept) == 8  # 7 kept, and the one with more sessions
    assert any("holds 5 sessions, more than the history's 1" in warning for warning in warnings)


def test_damage_found_in_the_background_stops_the_next_command_and_is_never_backed_up(tmp_path: Path) -> None:
    store = open_store(tmp_path, day_start_hour=4, clock=SettableClock(NOW), maintenance=False)
    store.insert_sessions(session(date(2024, 1, 1) + timedelta(days=n)) for n in range(300))
    corrupt_a_page(store.path)
    before = store.path.read_bytes()
    maintenance.run_daily_job(tmp_path, NOW.date())  # what the background process runs
    assert daily_backups(tmp_path) == []
    assert maintenance.read_notes(tmp_path) is not None
    with pytest.raises(DamagedHistoryError):
        open_store(tmp_path, day_start_hour=4, maintenance=False)
    assert maintenance.read_notes(tmp_path) is not None  # said again until the file is repaired
    assert store.path.read_bytes() == before  # never changed


def test_a_stale_finding_of_damage_is_checked_again_and_dropped_when_the_file_is_sound(tmp_path: Path) -> None:
    history(tmp_path)
    maintenance.add_notes(tmp_path, ["a warning"], "quick_check: page 3 is never used")
    warnings: list[str] = []
    open_store(tmp_path, day_start_hour=4, maintenance=False, on_warning=warnings.append)
    assert warnings == ["a warning"] and not notes_path(tmp_path).exists()


def test_an_empty_history_file_is_damage_and_the_job_neither_backs_it_up_nor_replaces_it(tmp_path: Path) -> None:
    history(tmp_path)
    (tmp_path / "history.sqlite3").write_bytes(b"")
    maintenance.run_daily_job(tmp_path, NOW.date())
    assert daily_backups(tmp_path) == [] and (tmp_path / "history.sqlite3").stat().st_size == 0
    with pytest.raises(DamagedHistoryError, match="0 bytes"):
        open_store(tmp_path, day_start_hour=4, maintenance=False)


def test_the_job_never_creates_a_history_that_was_moved_aside(tmp_path: Path) -> None:
    maintenance.run_daily_job(tmp_path, NOW.date())
    assert not (tmp_path / "history.sqlite3").exists() and not notes_path(tmp_path).exists()


def test_one_job_at_a_time_and_a_dead_one_leaves_the_lock_free(tmp_path: Path) -> None:
    history(tmp_path)
    fd = locks.try_lock_file(daily_lock_path(tmp_path))  # a job is running
    assert fd is not None
    assert start_daily(tmp_path, NOW.date())  # running already: nothing more is started
    assert not wait_for_daily(tmp_path, timeout=0.05)
    os.close(fd)  # that job died (the OS drops its lock)
    assert wait_for_daily(tmp_path, timeout=1)
    assert daily_backups(tmp_path) == []
    assert start_daily(tmp_path, NOW.date())  # the next command starts it again
    assert wait_for_daily(tmp_path, timeout=60)
    assert [day for day, _ in daily_backups(tmp_path)] == [NOW.date()]


def test_notes_that_are_not_coachs_are_ignored(tmp_path: Path) -> None:
    history(tmp_path)
    notes_path(tmp_path).write_text('{"warnings": "not a list", "damaged": 3}')
    warnings: list[str] = []
    open_store(tmp_path, day_start_hour=4, maintenance=False, on_warning=warnings.append)
    assert warnings == [] and not notes_path(tmp_path).exists()
