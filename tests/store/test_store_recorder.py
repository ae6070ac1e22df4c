"""The recorder a running session writes to: at once, quickly, never raising, and honest after a crash."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import textwrap
import traceback
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import msgspec
import pytest
from store_helpers import PYTHON, SettableClock, raw_rows, session, subprocess_env

from coach.engine.recording import Checkpoint, SessionStart, Status
from coach.store.recorder import HistoryRecorder
from coach.store.records import parse_iso
from coach.store.store import open_recorder, open_store

TZ = timezone(timedelta(hours=2))
STARTED = datetime(2024, 5, 20, 7, 30, tzinfo=TZ)


def start_of(session_id: str | None = None, started: datetime = STARTED, slot: str = "morning") -> SessionStart:
    return SessionStart(
        id=session_id or str(uuid.uuid4()),
        routine_id="toe-exercises",
        routine_name="Toe exercises",
        slot=slot,
        started_at=started,
    )


def recorder(data_dir: Path, problems: list[str] | None = None) -> HistoryRecorder:
    clock = SettableClock(STARTED)
    return open_recorder(
        data_dir, on_problem=(problems.append if problems is not None else None), clock=clock, day_start_hour=4
    )


def test_start_writes_a_running_row_at_once(tmp_path: Path) -> None:
    rec = recorder(tmp_path)
    start = start_of()
    rec.start(start)
    rows = open_store(tmp_path, day_start_hour=4).sessions()
    assert [(r.id, r.status, r.day, r.slot, r.routine_name) for r in rows] == [
        (start.id, Status.RUNNING, date(2024, 5, 20), "morning", "Toe exercises")
    ]
    assert rows[0].started_at == STARTED and rows[0].started_at.utcoffset() == timedelta(hours=2)
    rec.close()


def test_checkpoint_then_finish(tmp_path: Path) -> None:
    rec = recorder(tmp_path)
    start = start_of()
    rec.start(start)
    rec.checkpoint(start.id, Checkpoint("Heel raises > Heels up, hold (cycle 7)", 91.0, 7))
    store = open_store(tmp_path, day_start_hour=4)
    middle = store.get(start.id)
    assert middle is not None
    assert (middle.status, middle.active_seconds, middle.cycles_done) == (Status.RUNNING, 91.0, 7)
    assert middle.position == "Heel raises > Heels up, hold (cycle 7)"
    ended = STARTED + timedelta(minutes=13)
    rec.finish(start.id, Status.COMPLETED, ended, Checkpoint("Ankle rotations", 640.5, 46))
    done = store.get(start.id)
    assert done is not None
    assert (done.status, done.ended_at, done.active_seconds, done.cycles_done) == (
        Status.COMPLETED,
        ended,
        640.5,
        46,
    )
    assert store.streaks(("morning",), date(2024, 5, 20)).slot("morning").streak.current == 1
    assert rec.problem is None


def test_the_day_is_fixed_at_the_start_with_the_day_start_hour_then_in_force(tmp_path: Path) -> None:
    rec = open_recorder(tmp_path, day_start_hour=4)
    late = start_of(started=datetime(2024, 5, 21, 0, 40, tzinfo=TZ), slot="bedtime")
    rec.start(late)
    rec.finish(late.id, Status.COMPLETED, late.started_at + timedelta(minutes=18), Checkpoint("", 1000.0, 0))
    # Changing the setting later does not move it.
    store = open_store(tmp_path, day_start_hour=0)
    record = store.get(late.id)
    assert record is not None and record.day == date(2024, 5, 20)


def test_a_running_row_left_by_a_dead_process_becomes_partial_at_its_last_checkpoint(tmp_path: Path) -> None:
    store = open_store(tmp_path, day_start_hour=4)
    record = session(date(2024, 5, 20), status=Status.RUNNING)
    checkpoint_at = record.started_at + timedelta(minutes=4)
    store.insert_sessions(
        [msgspec.structs.replace(record, ended_at=None, active_seconds=230.0, last_checkpoint_at=checkpoint_at)]
    )
    assert store.get(record.id).status is Status.RUNNING  # type: ignore[union-attr]
    reopened = open_store(tmp_path, day_start_hour=4)
    recovered = reopened.get(record.id)
    assert recovered is not None
    assert recovered.status is Status.PARTIAL
    assert recovered.ended_at == checkpoint_at
    assert recovered.active_seconds == 230.0
    # Partial sessions show in the history but keep no slot.
    assert reopened.streaks(("morning",), date(2024, 5, 20)).slot("morning").streak.current == 0


def test_a_session_running_in_another_recorder_is_left_alone(tmp_path: Path) -> None:
    rec = recorder(tmp_path)
    start = start_of()
    rec.start(start)
    # Another terminal opens the history while the soak runs: the session is alive, not abandoned.
    other = open_store(tmp_path, day_start_hour=4)
    assert other.get(start.id).status is Status.RUNNING  # type: ignore[union-attr]
    rec.finish(start.id, Status.COMPLETED, STARTED + timedelta(minutes=16), Checkpoint("", 960.0, 0))
    assert other.get(start.id).status is Status.COMPLETED  # type: ignore[union-attr]


DRIVER = textwrap.dedent(
    """
    import sys, uuid
    from pathlib import Path
    from datetime import datetime, timedelta, timezone
    from coach.engine.recording import Checkpoint, SessionStart
    from coach.store.store import open_recorder

    rec = open_recorder(Path(sys.argv[1]), day_start_hour=4)
    started = datetime(2024, 5, 20, 21, 0, tzinfo=timezone(timedelta(hours=2)))
    session_id = sys.argv[2]
    rec.start(SessionStart(session_id, "foot-soak", "Foot soak", "bedtime", started))
    for n in range(1, 8):
        rec.checkpoint(session_id, Checkpoint(f"Soak (reminder {n})", 60.0 * n + 0.5, 0))
    print("checkpointed", flush=True)
    sys.stdin.read()  # wait to be killed
    """
)


def test_a_session_killed_with_sigkill_comes_back_partial_with_its_time(tmp_path: Path) -> None:
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    data = tmp_path / "data"
    session_id = str(uuid.uuid4())
    process = subprocess.Popen(
        [PYTHON, str(driver), str(data), session_id],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=subprocess_env(data),
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "checkpointed"
        # While it lives, opening the history does not close its session.
        assert open_store(data, day_start_hour=4).get(session_id).status is Status.RUNNING  # type: ignore[union-attr]
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    record = open_store(data, day_start_hour=4).get(session_id)
    assert record is not None
    assert record.status is Status.PARTIAL
    assert record.active_seconds == 420.5
    assert record.position == "Soak (reminder 7)"
    assert record.ended_at is not None and record.ended_at == record.last_checkpoint_at
    assert record.day == date(2024, 5, 20) and record.slot == "bedtime"
    assert not list((data / "running").glob("*.lock"))


# -- when history cannot be saved -------------------------------------------------------------------------------


def run_a_whole_session(rec: HistoryRecorder) -> str:
    start = start_of()
    rec.start(start)
    for n in range(5):
        rec.checkpoint(start.id, Checkpoint("x", float(n), n))
    rec.finish(start.id, Status.COMPLETED, STARTED + timedelta(minutes=12), Checkpoint("end", 700.0, 50))
    return start.id


def test_a_folder_that_cannot_be_created_is_reported_once_and_the_session_runs(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    problems: list[str] = []
    rec = recorder(blocker / "coach", problems)
    run_a_whole_session(rec)  # must not raise
    run_a_whole_session(rec)
    assert problems[0].startswith(f"History is not being saved: {blocker / 'coach' / 'history.sqlite3'}: ")
    # Not even the spool can be written: each finished session that is lost is said (never silently dropped).
    assert len(problems) == 3 and all("this session could not be saved" in problem for problem in problems[1:])
    assert len(rec.lost) == 2 and rec.unsaved
    assert not rec.saving


def as_user_file_modes_apply_to(body: Callable[[], None]) -> None:
    """Run `body` as a user whom file modes bind: root ignores them, so as root it runs in a child as `nobody`."""
    if os.geteuid() != 0:
        body()
        return
    pid = os.fork()
    if pid == 0:  # the child: drop to nobody, run, report through the exit code only
        code = 1
        try:
            os.setgid(65534)
            os.setuid(65534)
            body()
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the recorder failed in the unprivileged child (see stderr)"


def test_a_read_only_data_folder_is_reported_once_and_keeps_what_was_saved() -> None:
    folder = Path(tempfile.mkdtemp(prefix="coach-read-only-"))  # not under pytest's root-only tmp folder
    folder.chmod(0o755)
    store = open_store(folder, day_start_hour=4)
    store.insert_sessions([session(date(2024, 5, 19))])
    before = raw_rows(store.path)
    folder.chmod(0o555)
    (folder / "history.sqlite3").chmod(0o444)

    def record_a_session() -> None:
        problems: list[str] = []
        rec = recorder(folder, problems)
        run_a_whole_session(rec)
        assert problems[0].startswith("History is not being saved: "), problems
        # The folder takes no spool either: the finished session that is lost is said, never silently dropped.
        assert len(problems) == 2 and "this session could not be saved" in problems[1], problems

    try:
        as_user_file_modes_apply_to(record_a_session)
    finally:
        folder.chmod(0o755)
        (folder / "history.sqlite3").chmod(0o644)
    assert raw_rows(store.path) == before
    shutil.rmtree(folder)


def test_a_full_disk_mid_session_is_reported_once_and_harms_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(tmp_path, day_start_hour=4)
    store.insert_sessions([session(date(2024, 5, 19))])
    problems: list[str] = []
    rec = recorder(tmp_path, problems)
    start = start_of()
    rec.start(start)
    saved = raw_rows(store.path)

    def full(*args: object, **kwargs: object) -> sqlite3.Connection:
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorcode = 13  # type: ignore[attr-defined]
        raise error

    monkeypatch.setattr("coach.store.recorder.connect", full)
    rec.checkpoint(start.id, Checkpoint("x", 10.0, 1))
    rec.checkpoint(start.id, Checkpoint("x", 20.0, 2))
    rec.finish(start.id, Status.COMPLETED, STARTED + timedelta(minutes=12), Checkpoint("end", 700.0, 50))
    assert problems[0] == f"History is not being saved: {store.path}: the disk is full"
    assert problems[1].startswith(f"Session kept aside in {tmp_path / 'spool'}") and len(problems) == 2
    assert raw_rows(store.path) == saved and rec.unsaved
    # The finished session is written by the next open, completed with its time: never lost.
    monkeypatch.undo()
    warnings: list[str] = []
    record = open_store(tmp_path, day_start_hour=4, on_warning=warnings.append).get(start.id)
    assert record is not None and (record.status, record.active_seconds) == (Status.COMPLETED, 700.0)
    assert any("saved 1 finished session that had been kept aside" in warning for warning in warnings)
    assert not list((tmp_path / "spool").iterdir())


def test_a_damaged_history_file_is_reported_by_the_recorder_and_left_untouched(tmp_path: Path) -> None:
    damaged = b"this is not a database, it is a shopping list\n" * 100
    (tmp_path / "history.sqlite3").write_bytes(damaged)
    problems: list[str] = []
    rec = recorder(tmp_path, problems)
    run_a_whole_session(rec)
    assert len(problems) == 2  # not saved, then: the finished session is kept aside for after the repair
    assert "damaged" in problems[0] and "coach history repair" in problems[0]
    assert problems[1].startswith("Session kept aside in ")
    assert (tmp_path / "history.sqlite3").read_bytes() == damaged


def test_a_callback_that_raises_does_not_stop_the_session(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")

    def broken(message: str) -> None:
        raise RuntimeError("the UI is gone")

    rec = open_recorder(blocker / "data", on_problem=broken, day_start_hour=4)
    run_a_whole_session(rec)
    assert rec.problem is not None


def test_started_at_is_kept_with_its_own_offset(tmp_path: Path) -> None:
    rec = recorder(tmp_path)
    start = start_of(started=datetime(2024, 1, 10, 8, 0, tzinfo=timezone(timedelta(hours=13))))
    rec.start(start)
    text = raw_rows(tmp_path / "history.sqlite3", "SELECT started_at FROM sessions")[0][0]
    assert text == "2024-01-10T08:00:00+13:00"
    assert parse_iso(str(text)) == start.started_at
