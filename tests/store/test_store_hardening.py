"""The history against a wrong clock, a zero-byte file, a busy lock, hostile files and a full disk (issue 13)."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import stat
import subprocess
import textwrap
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from store_helpers import PYTHON, SettableClock, raw_rows, session, subprocess_env

from coach.__main__ import main
from coach.common.paths import data_dir
from coach.engine.recording import Checkpoint, SessionStart, Status
from coach.store import recorder as recorder_module
from coach.store.backups import daily_backups
from coach.store.connection import DamagedHistoryError, explain
from coach.store.maintenance import wait_for_daily
from coach.store.recorder import HistoryRecorder
from coach.store.store import open_store

TZ = timezone(timedelta(hours=2))
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=TZ)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- 1. a clock set years ahead once ------------------------------------------------------------------------------


def test_a_backup_dated_years_ahead_never_stops_todays_and_repair_restores_the_newest_data(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = data_dir()
    clock = SettableClock(datetime(2031, 1, 1, 9, 0, tzinfo=TZ))  # the clock, wrong for one start
    open_store(folder, day_start_hour=4, clock=clock).insert_sessions([session(date(2026, 11, 1))])
    open_store(folder, day_start_hour=4, clock=clock)
    assert [day for day, _ in daily_backups(folder)] == [date(2031, 1, 1)]
    clock.now = NOW  # set right again; ten more sessions
    store = open_store(folder, day_start_hour=4, clock=clock)
    store.insert_sessions([session(date(2026, 11, 2) + timedelta(days=n)) for n in range(10)])
    open_store(folder, day_start_hour=4, clock=SettableClock(NOW + timedelta(days=1)))
    assert date(2026, 12, 1) in [day for day, _ in daily_backups(folder)]  # today's backup was taken
    (folder / "history.sqlite3").write_bytes(b"")  # lost
    code, out, _ = run(capsys, "history", "repair")
    assert code == 0 and "Restored the backup history-2026-12-01.sqlite3: the one holding the newest data" in out
    assert "(11 sessions" in out


# -- 2. a backward clock step during a session ------------------------------------------------------------------


def test_a_backward_clock_step_keeps_an_end_after_the_start_and_the_export_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ticks = iter([1000.0, 1000.0 + 15 * 60])  # the monotonic clock at start and at finish: 15 minutes
    rec = HistoryRecorder(
        open_store(tmp_path, day_start_hour=4).data_dir, day_start_hour=4, monotonic=lambda: next(ticks)
    )
    start = SessionStart(str(uuid.uuid4()), "toe-exercises", "Toe exercises", "morning", NOW)
    rec.start(start)
    stepped_back = NOW + timedelta(minutes=15) - timedelta(hours=1)  # the wall clock went back an hour
    rec.finish(start.id, Status.COMPLETED, stepped_back, Checkpoint("done", 840.0, 60))
    record = open_store(tmp_path, day_start_hour=4).get(start.id)
    assert record is not None and record.ended_at == NOW + timedelta(minutes=15)
    export = tmp_path / "export.json"
    assert run(capsys, "--data-dir", str(tmp_path), "export", "-o", str(export))[0] == 0
    code, out, _ = run(capsys, "--data-dir", str(tmp_path / "other"), "import", str(export))
    assert code == 0 and "Imported 1 session" in out


def test_coachs_own_record_with_an_end_before_its_start_imports_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    item = session(date(2026, 11, 1)).to_json()
    item["ended_at"] = "2026-11-01T06:10:00+02:00"  # before the start at 07:00 (an old coach wrote this)
    (tmp_path / "old.json").write_text(json.dumps([item], indent=2))
    code, out, err = run(capsys, "import", str(tmp_path / "old.json"))
    assert code == 0 and "Imported 1 session" in out
    assert err.count("\n") == 1 and ': warning: "ended_at" is before "started_at"' in err


# -- 3. a zero-byte history file ---------------------------------------------------------------------------------


def test_a_zero_byte_history_is_damaged_and_points_to_repair(capsys: pytest.CaptureFixture[str]) -> None:
    folder = data_dir()
    open_store(folder, day_start_hour=4).insert_sessions([session(date(2026, 11, 1))])
    for name in ("history.sqlite3-wal", "history.sqlite3-shm"):
        (folder / name).unlink(missing_ok=True)
    (folder / "history.sqlite3").write_bytes(b"")
    with pytest.raises(DamagedHistoryError, match="it is empty: 0 bytes"):
        open_store(folder, day_start_hour=4)
    code, out, err = run(capsys, "history")
    assert code == 1 and out == "" and "coach history repair" in err and err.count("coach:") == 1
    assert (folder / "history.sqlite3").read_bytes() == b""  # never taken for a new history


def test_a_new_history_is_never_an_empty_file(tmp_path: Path) -> None:
    open_store(tmp_path, day_start_hour=4, maintenance=False)
    assert (tmp_path / "history.sqlite3").stat().st_size > 0
    assert not [path for path in tmp_path.iterdir() if path.name.endswith(".new")]


def test_a_backup_holding_more_sessions_than_the_history_is_never_pruned_without_a_word(tmp_path: Path) -> None:
    clock = SettableClock(NOW)
    store = open_store(tmp_path, day_start_hour=4, clock=clock)
    store.insert_sessions([session(date(2026, 11, 1) + timedelta(days=n)) for n in range(5)])
    open_store(tmp_path, day_start_hour=4, clock=clock)  # the backup with 5 sessions
    for record in store.sessions()[1:]:
        store.delete_session(record.id)  # the live history now holds fewer
    warnings: list[str] = []
    for day in range(1, 9):
        open_store(
            tmp_path, day_start_hour=4, clock=SettableClock(NOW + timedelta(days=day)), on_warning=warnings.append
        )
    kept = [day for day, _ in daily_backups(tmp_path)]
    assert NOW.date() in kept and len(kept) == 8  # 7 kept, and the one with more sessions
    assert any("holds 5 sessions, more than the history's 1" in warning for warning in warnings)


# -- 4. a session ending while another process holds the write lock ---------------------------------------------

HOLDER = textwrap.dedent(
    """
    import sqlite3, sys
    connection = sqlite3.connect(sys.argv[1], isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    print("locked", flush=True)
    sys.stdin.read()
    connection.execute("ROLLBACK")
    """
)


def test_a_session_finished_while_another_process_holds_the_lock_is_kept_and_written_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recorder_module, "FINISH_BUSY_TIMEOUT_MS", 200)  # the real wait is 10 s
    folder = tmp_path / "data"
    store = open_store(folder, day_start_hour=4)
    problems: list[str] = []
    rec = store.recorder(problems.append)
    start = SessionStart(str(uuid.uuid4()), "foot-soak", "Foot soak", "bedtime", NOW)
    rec.start(start)
    script = tmp_path / "holder.py"
    script.write_text(HOLDER)
    holder = subprocess.Popen(
        [PYTHON, str(script), str(store.path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=subprocess_env(folder),
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        rec.finish(start.id, Status.COMPLETED, NOW + timedelta(minutes=20), Checkpoint("done", 1200.0, 0))
        assert rec.unsaved and len(problems) == 1 and problems[0].startswith("Session kept aside in ")
        assert "another coach held the history" in problems[0]
    finally:
        holder.communicate("")
    # The next coach to open the history writes it (recovery does not close it as partial first).
    result = subprocess.run(
        [PYTHON, "-m", "coach", "history", "--json"], capture_output=True, text=True, env=subprocess_env(folder)
    )
    assert result.returncode == 0
    assert "saved 1 finished session that had been kept aside" in result.stderr
    [item] = json.loads(result.stdout)
    assert (item["id"], item["status"], item["active_seconds"]) == (start.id, "completed", 1200.0)
    assert not list((folder / "spool").iterdir())


# -- 5. no connection held between the recorder's writes ---------------------------------------------------------


def test_deleting_wal_and_shm_between_checkpoints_loses_nothing(tmp_path: Path) -> None:
    store = open_store(tmp_path, day_start_hour=4)
    rec = store.recorder()
    start = SessionStart(str(uuid.uuid4()), "toe-exercises", "Toe exercises", "morning", NOW)
    rec.start(start)
    for n in range(1, 4):
        rec.checkpoint(start.id, Checkpoint(f"cycle {n}", 10.0 * n, n))
        assert not (tmp_path / "history.sqlite3-wal").exists()  # every write is in the file itself
        for name in ("history.sqlite3-wal", "history.sqlite3-shm"):
            (tmp_path / name).unlink(missing_ok=True)
    rec.finish(start.id, Status.COMPLETED, NOW + timedelta(minutes=1), Checkpoint("done", 40.0, 4))
    rows = raw_rows(store.path, "SELECT status, active_seconds FROM sessions")
    assert rows == [("completed", 40.0)]
    assert store.check() is None


# -- 9. export -o ------------------------------------------------------------------------------------------------


def test_export_writes_through_a_symlink_and_respects_the_umask(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    open_store(data_dir(), day_start_hour=4).insert_sessions([session(date(2026, 11, 1))])
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert run(capsys, "export", "-o", str(link))[0] == 0
    assert link.is_symlink() and len(json.loads(target.read_text())) == 1
    old = os.umask(0o027)
    try:
        assert run(capsys, "export", "-o", str(tmp_path / "new.json"))[0] == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640


def test_export_refuses_what_is_not_a_regular_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    code, out, err = run(capsys, "export", "-o", str(fifo))
    assert code == 1 and "not a regular file; nothing was written" in err and err.count("\n") == 1
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    code, _, err = run(capsys, "export", "-o", "/dev/null")
    assert code == 1 and "/dev/null: not a regular file" in err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    code, _, err = run(capsys, "export", "-o", str(tmp_path))
    assert code == 1 and "a folder; nothing was written" in err
    assert not [path for path in tmp_path.iterdir() if path.name.endswith(".partial")]


# -- 11 and 12. hostile import files and arguments ------------------------------------------------------------


def hostile_items() -> dict[str, str]:
    good = session(date(2026, 11, 1)).to_json()
    return {
        "huge-integer": "[" + "9" * 5000 + "]",
        "deep": "[" * 200_000 + "]" * 200_000,
        "year-1": json.dumps([good | {"started_at": "0001-01-01T00:00:00+02:00"}]),
        "year-9999": json.dumps([good | {"ended_at": "9999-12-31T23:59:59-05:00"}]),
        "surrogate": json.dumps([good]).replace('"Toe exercises"', '"Toe \\ud800 exercises"'),
        "cycles": json.dumps([good | {"cycles_done": 2**63}]),
    }


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("huge-integer", "a number with thousands of digits"),
        ("deep", "nested too deeply"),
        ("year-1", '"started_at" must be a time between the years 1900 and 2999'),
        ("year-9999", '"ended_at" must be a time between the years 1900 and 2999'),
        ("surrogate", "holds a lone surrogate"),
        ("cycles", '"cycles_done" must be a whole number, 0 or more'),
    ],
)
def test_a_hostile_import_is_one_message_and_changes_nothing(
    name: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"{name}.json"
    path.write_text(hostile_items()[name])
    code, out, err = run(capsys, "import", str(path))
    assert code == 1 and out == ""
    assert message in err and "nothing was imported (1 problem)" in err and "Traceback" not in err
    assert not (data_dir() / "history.sqlite3").exists()


def test_import_refuses_what_is_not_a_regular_file_and_a_file_too_big(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    code, _, err = run(capsys, "import", str(fifo))  # never blocks
    assert code == 1 and "this is not a regular file" in err
    code, _, err = run(capsys, "import", "/dev/zero")  # never grows
    assert code == 1 and "this is not a regular file" in err
    monkeypatch.setattr("coach.store.exchange.MAX_IMPORT_BYTES", 1000)
    big = tmp_path / "big.json"
    big.write_text(json.dumps([session(date(2026, 11, n)).to_json() for n in range(1, 10)]))
    code, _, err = run(capsys, "import", str(big))
    assert code == 1 and "coach imports files of at most" in err and err.count("big.json:1:1:") == 1


def test_history_takes_a_limit_beyond_any_integer(capsys: pytest.CaptureFixture[str]) -> None:
    record = session(date(2026, 11, 1))
    open_store(data_dir(), day_start_hour=4).insert_sessions([record])
    code, out, _ = run(capsys, "history", "--limit", "99999999999999999999999")
    assert code == 0 and record.id[:8] in out


def test_a_history_file_that_is_a_folder_is_one_message(capsys: pytest.CaptureFixture[str]) -> None:
    (data_dir() / "history.sqlite3").mkdir(parents=True)
    for argv in (("history",), ("export",), ("status",), ("streaks",)):
        code, out, err = run(capsys, *argv)
        assert code == 1 and out == "" and "it is a folder, not a history file" in err and err.count("\n") == 1


# -- 13. a backup that cannot be written, a full disk ------------------------------------------------------------


def test_a_backup_that_cannot_be_written_is_a_warning_not_a_stop(capsys: pytest.CaptureFixture[str]) -> None:
    folder = data_dir()
    record = session(date(2026, 11, 1))
    open_store(folder, day_start_hour=4, maintenance=False).insert_sessions([record])
    (folder / "backups").write_text("a file where the backups folder should be")
    code, out, err = run(capsys, "history")
    assert code == 0 and record.id[:8] in out and err == ""  # the check and backup run in the background
    assert wait_for_daily(folder)
    code, out, err = run(capsys, "export")  # the next command says what the background job could not do
    assert code == 0 and len(json.loads(out)) == 1
    assert "warning: today's backup could not be written" in err and "The history is fine." in err
    assert not [path for path in folder.rglob("*.partial")]
    code, out, err = run(capsys, "history")
    assert code == 0 and err == ""  # said once


def test_a_full_disk_is_named_and_the_history_stays_readable(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert explain(OSError(errno.ENOSPC, "No space left on device")) == "the disk is full"
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = 13  # type: ignore[attr-defined]
    assert explain(full) == "the disk is full"
    record = session(date(2026, 11, 1))
    open_store(data_dir(), day_start_hour=4).insert_sessions([record])

    def no_room(*args: object, **kwargs: object) -> sqlite3.Connection:
        raise full

    monkeypatch.setattr("coach.store.store.connect", no_room)  # every writable open fails
    code, out, err = run(capsys, "export")
    assert code == 0 and len(json.loads(out)) == 1
    assert "the history cannot be written (the disk is full); it is shown read-only" in err
    code, out, _ = run(capsys, "history")
    assert code == 0 and record.id[:8] in out
    code, _, err = run(capsys, "history", "rest")
    assert code == 1 and "the disk is full" in err and err.count("\n") == 1


# -- issue 15 item 4: the big-history paths keep their meaning -----------------------------------------------------


def test_a_bulk_import_keeps_the_streak_summary_what_the_trigger_makes(tmp_path: Path) -> None:
    from coach.store.migrations import BULK_ROWS

    records = [
        session(
            date(2000, 1, 1) + timedelta(days=n // 3),
            ("morning", "evening", "bedtime")[n % 3],
            status=Status.PARTIAL if n % 7 == 0 else Status.COMPLETED,
        )
        for n in range(BULK_ROWS + 10)
    ]
    bulk = open_store(tmp_path / "bulk", day_start_hour=4)
    bulk.import_records(records, [])
    one_by_one = open_store(tmp_path / "rows", day_start_hour=4)
    for start in range(0, len(records), 1000):
        one_by_one.insert_sessions(records[start : start + 1000])
    summary = "SELECT ordinal, mask FROM day_slots ORDER BY ordinal"
    assert raw_rows(bulk.path, summary) == raw_rows(one_by_one.path, summary) != []
    trigger = "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    assert raw_rows(bulk.path, trigger) == raw_rows(one_by_one.path, trigger)
    assert bulk.streaks(["morning"], date(2000, 1, 1) + timedelta(days=len(records) // 3)) == one_by_one.streaks(
        ["morning"], date(2000, 1, 1) + timedelta(days=len(records) // 3)
    )


def test_the_streamed_json_is_byte_for_byte_the_indented_array() -> None:
    import io

    from coach.store.formats import write_json_array

    items = [
        {"a": 'x\u00e9\n"\u2028', "b": None, "c": True, "d": 1.5, "e": 10**20, "f": 0.1 + 0.2, "g": False},
        {},
        {"nested": {"x": [1, 2]}},
        session(date(2026, 11, 1)).to_json(),
    ]
    for value in (items, []):
        out = io.StringIO()
        assert write_json_array(value, out) == len(value)
        assert out.getvalue() == json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def test_an_export_item_takes_the_fast_check_only_when_the_full_check_agrees() -> None:
    from coach.store.exchange import parse_import

    good = session(date(2026, 11, 1)).to_json()
    batch = parse_import(json.dumps([good]).encode(), "in.json", day_start_hour=4)
    assert batch.sessions[0].to_json() == good
    for change in ({"active_seconds": float("nan")}, {"day": "2026-10-30"}, {"discomfort": True}, {"slot": "noon"}):
        with pytest.raises(Exception) as caught:
            parse_import(json.dumps([good | change]).encode(), "in.json", day_start_hour=4)
        assert type(caught.value).__name__ == "ProblemsError"
