"""`coach remind` as a timer runs it: the installed coach, a fake notify-send on PATH that records its arguments,
a history and settings in temporary folders."""

from __future__ import annotations

import io
import os
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import FakePrograms, Run

from coach.common.paths import settings_file
from coach.engine.recording import Status
from coach.reminders.check import read_day
from coach.reminders.notifiers import ProgramNotifier, TerminalNotifier, choose_notifier
from coach.store.records import SessionRecord
from coach.store.store import open_store

PARIS = timezone(timedelta(hours=1))
MONDAY = date(2026, 3, 2)
SETTINGS = '[reminders]\nmorning = "08:00"\nevening = "19:00"\nbedtime = "22:00"\n'


def write_settings(text: str = SETTINGS) -> Path:
    path = settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def session(slot: str, status: Status, hour: int, routine: str = "toe-exercises", day: date = MONDAY) -> SessionRecord:
    started = datetime(day.year, day.month, day.day, hour, 0, tzinfo=PARIS)
    return SessionRecord(
        id=str(uuid.uuid4()),
        routine_id=routine,
        routine_name=routine,
        slot=slot,
        day=day,
        started_at=started,
        ended_at=started + timedelta(minutes=14),
        status=status,
        active_seconds=720.0 if status is Status.COMPLETED else 60.0,
    )


def data_dir() -> Path:
    return Path(os.environ["COACH_DATA_DIR"])


def test_each_slot_still_to_do_is_reminded_once_naming_the_routine_and_how_to_start_it(
    coach: Run, fakes: FakePrograms
) -> None:
    write_settings()
    fakes.add("notify-send")
    result = coach("remind", "--at", "2026-03-02T22:05:00+01:00")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    calls = fakes.calls("notify-send")
    assert calls == [
        [
            "--app-name=coach",
            "--",  # the texts come after the end of the options: a title starting with "-" is not an option
            "coach: morning reminder",
            "Toe exercises is still to do today. Start it with: coach run toe-exercises",
        ],
        [
            "--app-name=coach",
            "--",
            "coach: evening reminder",
            "Toe exercises is still to do today. Start it with: coach run toe-exercises",
        ],
        [
            "--app-name=coach",
            "--",
            "coach: bedtime reminder",
            "Foot soak is still to do today. Start it with: coach run foot-soak",
        ],
    ]
    assert "bedtime reminder sent through notify-send" in result.stdout
    for minutes in (10, 15, 55):  # the timer runs again and again the same evening
        again = coach("remind", "--at", f"2026-03-02T22:{minutes}:00+01:00")
        assert again.returncode == 0 and again.stdout == "" and again.stderr == ""
    assert coach("remind", "--at", "2026-03-03T01:00:00+01:00").returncode == 0  # still Monday's coach day
    assert len(fakes.calls("notify-send")) == 3  # once per slot per day, however often it runs
    coach("remind", "--at", "2026-03-03T08:30:00+01:00")  # Tuesday's morning
    assert [call[2] for call in fakes.calls("notify-send")[3:]] == ["coach: morning reminder"]


def test_done_rest_and_partial_slots(coach: Run, fakes: FakePrograms) -> None:
    write_settings()
    fakes.add("notify-send")
    store = open_store(data_dir(), day_start_hour=4)
    store.insert_sessions(
        [
            session("morning", Status.COMPLETED, 7),  # kept: no morning reminder
            session("evening", Status.PARTIAL, 19),  # started, not finished: still to do
            session("bedtime", Status.COMPLETED, 22, "foot-soak", day=MONDAY - timedelta(days=1)),  # the day before
        ]
    )
    state = read_day(data_dir(), MONDAY, 4, datetime(2026, 3, 2, 22, 30, tzinfo=PARIS))
    assert state.kept == frozenset({"morning"}) and not state.rest
    result = coach("remind", "--at", "2026-03-02T22:30:00+01:00")
    assert result.returncode == 0, result.stderr
    assert [call[2] for call in fakes.calls("notify-send")] == ["coach: evening reminder", "coach: bedtime reminder"]
    tuesday = MONDAY + timedelta(days=1)
    store.mark_rest_day(tuesday, "flu")
    assert coach("remind", "--at", "2026-03-03T23:00:00+01:00").returncode == 0
    assert len(fakes.calls("notify-send")) == 2  # a rest day sends nothing
    assert "nothing to send: rest day" in coach("remind", "--dry-run", "--at", "2026-03-03T23:00:00+01:00").stdout


def test_dry_run_prints_what_it_would_send_and_records_nothing(coach: Run, fakes: FakePrograms) -> None:
    write_settings('[reminders]\nmorning = "08:00"\nbedtime = "00:30"\n')
    fakes.add("notify-send")
    result = coach("remind", "--dry-run", "--at", "2026-03-02T23:00:00+01:00")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("At 2026-03-02 23:00 (UTC+0100), coach day Monday 02 March 2026")
    assert "would send: coach: morning reminder: Toe exercises is still to do today." in lines[1]
    assert "coach run toe-exercises" in lines[1]
    assert "00:30 (after midnight)" in lines[2] and lines[2].endswith("not yet")  # belongs to Monday's evening
    assert lines[3] == "Notifications go through notify-send."
    assert fakes.calls("notify-send") == []
    assert not (data_dir() / "reminders").exists()
    after_midnight = coach("remind", "--dry-run", "--at", "2026-03-03T00:40:00+01:00").stdout
    assert "coach day Monday 02 March 2026" in after_midnight
    assert "would send: coach: bedtime reminder: Foot soak is still to do today." in after_midnight
    coach("remind", "--at", "2026-03-02T09:00:00+01:00")
    assert "already sent at 09:00 today" in coach("remind", "--dry-run", "--at", "2026-03-02T10:00:00+01:00").stdout


def test_at_without_an_offset_is_local_time_and_a_bad_one_is_a_usage_error(coach: Run, fakes: FakePrograms) -> None:
    write_settings('[reminders]\nevening = "19:00"\n')
    fakes.add("notify-send")
    local = coach("remind", "--dry-run", "--at", "2026-07-01T19:30", env={"TZ": "Asia/Tokyo"})
    assert "(UTC+0900)" in local.stdout and "would send: coach: evening reminder" in local.stdout
    early = coach("remind", "--dry-run", "--at", "2026-07-01T18:59", env={"TZ": "Asia/Tokyo"})
    assert early.stdout.splitlines()[1].endswith("not yet")
    for bad in ("tonight", "2026-13-01T10:00", "0001-01-01T00:00"):
        result = coach("remind", "--at", bad)
        assert result.returncode == 2, bad
        assert "argument --at" in result.stderr and "Traceback" not in result.stderr


def test_no_reminders_set_says_how_to_set_them(coach: Run, fakes: FakePrograms) -> None:
    fakes.add("notify-send")
    result = coach("remind")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("No reminders are set.") and "[reminders]" in result.stdout
    assert fakes.calls("notify-send") == []


def test_a_bad_time_is_located_and_the_others_still_remind(coach: Run, fakes: FakePrograms) -> None:
    path = write_settings('[reminders]\nmorning = "8am"\nbedtime = "22:00"\n')
    fakes.add("notify-send")
    result = coach("remind", "--at", "2026-03-02T23:00:00+01:00")
    assert result.returncode == 0
    assert result.stderr.startswith(f"coach: {path}:2:1: reminders.morning: '8am' is not a time")
    assert [call[2] for call in fakes.calls("notify-send")] == ["coach: bedtime reminder"]


def test_a_missing_notifier_is_said_once_and_the_reminders_are_printed(coach: Run, tmp_path: Path) -> None:
    write_settings()
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    result = coach("remind", "--at", "2026-03-02T23:00:00+01:00", path=str(empty))
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("notify-send is not installed") == 1  # three reminders, said once
    assert "apt install libnotify-bin" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout.splitlines() == [
        "coach: morning reminder: Toe exercises is still to do today. Start it with: coach run toe-exercises",
        "coach: evening reminder: Toe exercises is still to do today. Start it with: coach run toe-exercises",
        "coach: bedtime reminder: Foot soak is still to do today. Start it with: coach run foot-soak",
    ]
    assert coach("remind", "--at", "2026-03-02T23:05:00+01:00", path=str(empty)).stdout == ""  # printed once


def test_a_failing_notifier_is_said_and_tried_again_next_time(coach: Run, fakes: FakePrograms) -> None:
    write_settings('[reminders]\nbedtime = "22:00"\n')
    fakes.add("notify-send", status=1, stderr="Cannot autolaunch D-Bus without X11 $DISPLAY\n")
    result = coach("remind", "--at", "2026-03-02T22:05:00+01:00")
    assert result.returncode == 1
    assert result.stderr == (
        "coach: the bedtime reminder was not shown: notify-send failed: Cannot autolaunch D-Bus without X11 $DISPLAY\n"
    )
    fakes.add("notify-send")  # the desktop session is up now
    assert coach("remind", "--at", "2026-03-02T22:10:00+01:00").returncode == 0
    assert len(fakes.calls("notify-send")) == 2  # tried again, and shown


def test_text_from_routine_files_never_reaches_the_notifier_or_terminal_raw(coach: Run, fakes: FakePrograms) -> None:
    write_settings('[reminders]\nbedtime = "22:00"\n')
    routines = settings_file().parent / "routines"
    routines.mkdir()
    soak = (Path(__file__).parents[2] / "routines" / "foot-soak.toml").read_text(encoding="utf-8")
    hostile = soak.replace('name = "Foot soak"', 'name = "Soak \\u001b]0;pwned\\u0007\\u001b[2J now"')
    (routines / "foot-soak.toml").write_text(hostile, encoding="utf-8")
    fakes.add("notify-send")
    result = coach("remind", "--at", "2026-03-02T22:05:00+01:00")
    assert result.returncode == 0, result.stderr
    body = fakes.calls("notify-send")[0][3]
    assert "\x1b" not in body and "\x07" not in body
    assert body.startswith("Soak \\x1b]0;pwned\\x07\\x1b[2J now is still to do today.")
    for printed in (result.stdout, coach("remind", "--dry-run", "--at", "2026-03-02T22:05:00+01:00").stdout):
        assert "\x1b" not in printed and "\x07" not in printed


@pytest.mark.parametrize("term,escape", [("xterm-256color", "\x1b]9;"), ("foot", "\x1b]777;notify;")])
def test_without_a_desktop_notifier_a_terminal_gets_its_own_notification(term: str, escape: str) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    choice = choose_notifier("linux", stream, {"PATH": "/nonexistent", "TERM": term})
    assert isinstance(choice.notifier, TerminalNotifier) and "notify-send is not installed" in choice.missing
    choice.notifier.send("coach: bedtime reminder", "Soak\x1b[2J; now")
    shown = stream.getvalue()
    assert shown.startswith(escape) and shown.count("\x1b") == 1 and shown.count("\x07") == 1  # ours, only
    assert shown.endswith("coach: bedtime reminder: Soak\\x1b[2J; now\n")  # and the line, for the scrollback


def test_macos_uses_osascript_with_the_texts_as_arguments(fakes: FakePrograms) -> None:
    fakes.add("osascript")
    choice = choose_notifier("darwin", None, {"PATH": str(fakes.folder)})
    assert isinstance(choice.notifier, ProgramNotifier) and choice.missing == ""
    choice.notifier.send("coach: bedtime reminder", 'Foot "soak" is still to do')
    (call,) = fakes.calls("osascript")
    assert call[-2:] == ["coach: bedtime reminder", 'Foot "soak" is still to do']  # never spliced into the script
    assert "display notification (item 2 of argv) with title (item 1 of argv)" in call
    windows = choose_notifier("win32", None, {"PATH": str(fakes.folder)})
    assert windows.missing == ""  # nothing is missing where no desktop notifier is expected


def test_a_sent_log_that_cannot_be_written_is_one_message_and_nothing_is_sent(coach: Run, fakes: FakePrograms) -> None:
    write_settings('[reminders]\nbedtime = "22:00"\n')
    fakes.add("notify-send")
    data_dir().mkdir(parents=True, exist_ok=True)
    (data_dir() / "reminders").write_text("a file where the folder goes")
    result = coach("remind", "--at", "2026-03-02T22:05:00+01:00")
    assert result.returncode == 1
    assert result.stderr.startswith(f"coach: cannot record reminders in {data_dir()}: ")
    assert "Traceback" not in result.stderr and fakes.calls("notify-send") == []  # never sent unrecorded
