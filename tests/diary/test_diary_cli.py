"""`coach cramp`, `coach cramp list/delete`, `coach insights`, and cramps through export and import, as a user runs
them (non-interactive unless a test says otherwise)."""

from __future__ import annotations

import builtins
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from diary_helpers import cramp, session

from coach.__main__ import main
from coach.common.paths import data_dir
from coach.days.day import local_day
from coach.diary.entries import last_night
from coach.diary.insights import DOCTOR, NO_DATA
from coach.store.store import Store, open_store

REPO = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as caught:
        main(list(argv))
    assert caught.value.code == 2
    return capsys.readouterr().err


def store() -> Store:
    return open_store(data_dir(), day_start_hour=4)


class FakeStdin:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.fixture(autouse=True)
def not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", FakeStdin(False))
    monkeypatch.setenv("COLUMNS", "160")  # Rich's width: table rows stay on one line


def answering(monkeypatch: pytest.MonkeyPatch, answers: list[str]) -> list[str]:
    """Make stdin a terminal and `input()` return these answers in turn; returns the prompts asked."""
    monkeypatch.setattr(sys, "stdin", FakeStdin(True))
    prompts: list[str] = []
    supply: Iterator[str] = iter(answers)

    def fake_input(prompt: str = "") -> str:
        prompts.append(prompt)
        try:
            return next(supply)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr(builtins, "input", fake_input)
    return prompts


# -- coach cramp ---------------------------------------------------------------------------------------------


def test_a_cramp_is_logged_from_options_listed_and_deleted_by_its_id_prefix(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "cramp",
        "--at",
        "2024-06-02T03:10:00+02:00",
        "--leg",
        "left",
        "--muscle",
        "calf",
        "--severity",
        "6",
        "--trigger",
        "cold",
        "--note",
        "cold room",
    )
    entry = store().diary.entries()[0]
    short = entry.id[:8]
    assert (code, err) == (0, "")
    assert out == (
        f"Logged a cramp: 2024-06-02 03:10, left calf, 6/10, maybe cold (id {short}). It counts for the coach day "
        f"2024-06-01. `coach cramp delete {short}` takes it back; `coach insights` sets the diary against your "
        "sessions.\n"
    )
    assert (entry.day, entry.leg, entry.muscle, entry.severity, entry.trigger, entry.note) == (
        date(2024, 6, 1),
        "left",
        "calf",
        6,
        "cold",
        "cold room",
    )
    code, out, _ = run(capsys, "cramp", "list", "--json")
    assert code == 0 and json.loads(out) == [entry.to_json()]
    code, out, _ = run(capsys, "cramp", "list")
    assert code == 0 and "Cramp diary" in out and "cold room" in out and short in out and "6/10" in out
    code, out, _ = run(capsys, "cramp", "delete", "--yes", short[:5])
    assert (code, out) == (0, f"Deleted the cramp of 2024-06-02 03:10, left calf, 6/10, maybe cold (id {short}).\n")
    assert run(capsys, "cramp", "list")[1].startswith("No cramps logged yet.")
    code, _, err = run(capsys, "cramp", "delete", "--yes", short)
    assert code == 1 and err == f"coach: no cramp with id '{short}'; `coach cramp list` shows the ids\n"


def test_short_answers_are_accepted_in_options(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, "cramp", "--at", "2024-06-02 03:10", "--leg", "b", "--muscle", "toes", "--severity", "0")
    entry = store().diary.entries()[0]
    assert code == 0 and (entry.leg, entry.muscle, entry.severity, entry.trigger) == ("both", "foot", 0, "unknown")
    assert entry.cramp_at == datetime(2024, 6, 2, 3, 10).astimezone()  # local time, with the offset then


def test_last_night_is_3_am_before_the_current_coach_day(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "cramp", "--last-night", "--leg", "right", "--muscle", "calf", "--severity", "5")
    entry = store().diary.entries()[0]
    now = datetime.now().astimezone()
    assert code == 0 and entry.cramp_at == last_night(now, 4)
    assert entry.cramp_at.hour == 3 and entry.day == local_day(now, 4) - timedelta(days=1)
    assert f"It counts for the coach day {entry.day.isoformat()}." in out


def test_a_cramp_in_the_future_is_refused_with_exit_1_and_nothing_logged(capsys: pytest.CaptureFixture[str]) -> None:
    tomorrow = (datetime.now() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    code, out, err = run(capsys, "cramp", "--at", tomorrow, "--leg", "left", "--muscle", "calf", "--severity", "3")
    assert (code, out) == (1, "")
    assert err.startswith(f"coach: a cramp cannot be logged in the future: {tomorrow} is after now (")
    assert err.endswith("). Nothing was logged.\n") and len(err.splitlines()) == 1
    assert store().diary.count() == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--severity", "11"], "argument --severity: severity must be a whole number from 0 to 10, not '11'"),
        (["--severity", "x"], "argument --severity: severity must be a whole number from 0 to 10, not 'x'"),
        (["--leg", "up"], "argument --leg: leg must be one of left, right, both, not 'up'"),
        (["--muscle", "arm"], "argument --muscle: muscle must be one of calf, foot, thigh, not 'arm'"),
        (
            ["--trigger", "vessels"],
            "argument --trigger: trigger must be one of cold, effort, sweating, fatigue, "
            "calcium, posture, unknown, not 'vessels'",
        ),
        (["--at", "now", "--last-night"], "argument --last-night: not allowed with argument --at"),
    ],
)
def test_bad_options_are_usage_errors(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    base = {"--leg": "left", "--muscle": "calf", "--severity": "4"}
    for index in range(0, len(argv), 2):
        base.pop(argv[index], None)
    full = [item for pair in base.items() for item in pair] + argv
    err = usage_error(capsys, "cramp", *full)
    assert message in err
    assert store().diary.count() == 0


def test_an_unreadable_time_is_a_usage_error_and_missing_options_off_a_terminal_too(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "cramp", "--at", "yesterday", "--leg", "left", "--muscle", "calf", "--severity", "4")
    assert code == 2 and err.startswith("coach: --at: cannot read the time 'yesterday'")
    code, out, err = run(capsys, "cramp", "--muscle", "calf")
    assert (code, out) == (2, "")
    assert err == (
        "coach: give --leg, --severity as well (at a terminal, `coach cramp` asks for them); nothing was logged\n"
    )
    assert store().diary.count() == 0


def test_at_a_terminal_what_is_missing_is_asked_and_a_bad_answer_asked_again(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts = answering(monkeypatch, ["2024-06-02 03:10", "r", "toes", "11", "8", "6", "  woke me  "])
    code, out, _ = run(capsys, "cramp")
    entry = store().diary.entries()[0]
    assert code == 0
    assert (entry.leg, entry.muscle, entry.severity, entry.trigger, entry.note) == (
        "right",
        "foot",
        8,
        "posture",
        "woke me",
    )
    assert prompts == [
        "When? now, last night, HH:MM or YYYY-MM-DD HH:MM [now]: ",
        "Which leg? left, right, both [both]: ",
        "Which muscle? calf, foot (or toes), thigh [calf]: ",
        "How bad, 0 (a twinge) to 10 (the worst)? [5]: ",
        "How bad, 0 (a twinge) to 10 (the worst)? [5]: ",
        "Number or name [7]: ",
        "Note (Enter for none): ",
    ]
    assert "  severity must be a whole number from 0 to 10, not '11'" in out
    assert "  6. Sleeping posture" in out and "  7. Don't know" in out
    assert "Logged a cramp: 2024-06-02 03:10, right foot/toes, 8/10, maybe sleeping posture" in out


def test_enter_accepts_the_defaults_from_the_last_entry_and_options_are_not_asked_again(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store().diary.add(cramp(date(2024, 6, 2), leg="right", muscle="thigh", severity=8, trigger="cold"))
    prompts = answering(monkeypatch, ["", "", "", ""])
    code, _, _ = run(capsys, "cramp", "--at", "2024-06-03 02:00", "--severity", "2")
    latest = store().diary.entries()[0]
    assert code == 0 and len(prompts) == 4  # leg, muscle, trigger, note: not when, not severity
    assert (latest.leg, latest.muscle, latest.severity, latest.trigger, latest.note) == (
        "right",
        "thigh",
        2,
        "unknown",
        "",
    )


def test_at_a_terminal_a_future_time_is_asked_again_and_end_of_input_logs_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    tomorrow = (datetime.now() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    prompts = answering(monkeypatch, [tomorrow])
    code, out, err = run(capsys, "cramp")
    assert (code, err) == (1, "coach: nothing was logged\n")
    assert out.startswith(f"  a cramp cannot be logged in the future: {tomorrow} is after now")
    assert prompts == ["When? now, last night, HH:MM or YYYY-MM-DD HH:MM [now]: "] * 2
    assert store().diary.count() == 0


# -- coach insights ------------------------------------------------------------------------------------------


def test_insights_with_no_data_say_so_kindly(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "insights")
    assert (code, err) == (0, "")
    assert " ".join(out.split()) == NO_DATA
    code, out, _ = run(capsys, "insights", "--json")
    document = json.loads(out)
    assert code == 0
    assert (document["weeks"], document["triggers"]) == ([], [])
    assert [document[key] for key in ("program_start", "before_after", "top_trigger", "cramps_per_week")] == [None] * 4
    assert document["frequent"] is False and document["total_cramps"] == 0


def fill_history() -> None:
    start = date(2024, 6, 1)
    history = store()
    history.insert_sessions(
        [
            session(start + timedelta(days=n), slot, hour=hour)
            for n in range(30)
            for slot, hour in (("morning", 7), ("evening", 19))
        ]
    )
    for back in (1, 4, 8, 11, 15, 19, 22, 26):  # 8 in the 4 weeks before the start
        history.diary.add(cramp(start - timedelta(days=back), hour=5, trigger="cold"))
    for day in (date(2024, 6, 10), date(2024, 6, 25)):
        history.diary.add(cramp(day, hour=5, trigger="posture" if day.day == 10 else "cold"))


def test_insights_json_as_of_a_day(capsys: pytest.CaptureFixture[str]) -> None:
    fill_history()
    code, out, _ = run(capsys, "insights", "--json", "--as-of", "2024-06-30")
    document = json.loads(out)
    assert code == 0 and document["as_of"] == "2024-06-30" and document["program_start"] == "2024-06-01"
    assert len(document["weeks"]) == 12 and document["weeks"][-1] == {
        "from": "2024-06-24",
        "to": "2024-06-30",
        "cramps": 1,
        "kept": 14,
        "possible": 21,
    }
    assert document["before_after"]["trend"] == "fewer"
    assert (document["before_after"]["before"]["cramps"], document["before_after"]["since"]["cramps"]) == (8, 2)
    assert document["top_trigger"]["key"] == "cold" and document["frequent"] is False
    assert document["messages"][0].startswith("Fewer cramps since you began — this shows they happen together")


def test_insights_chart_and_words(capsys: pytest.CaptureFixture[str]) -> None:
    fill_history()
    code, out, _ = run(capsys, "insights", "--as-of", "2024-06-30")
    text = " ".join(out.split())
    assert code == 0
    assert "The last 12 weeks to 2024-06-30" in text
    assert "24 Jun – 30 Jun │ █ 1 │ ██████████████ 14/21" in text
    assert "before the program" in text
    assert "Fewer cramps since you began — this shows they happen together, not that the exercises caused it" in text
    assert "Most often you suspected cold" in text and DOCTOR not in text


def test_frequent_cramps_point_to_a_doctor(capsys: pytest.CaptureFixture[str]) -> None:
    history = store()
    history.diary.add(cramp(date(2024, 4, 1), hour=5))  # the diary began long ago: the rate is over 4 weeks
    for n in range(12):
        history.diary.add(cramp(date(2024, 6, 30) - timedelta(days=2 * n), hour=5))
    text = " ".join(run(capsys, "insights", "--as-of", "2024-06-30")[1].split())
    assert DOCTOR in text and "You logged 3.0 cramps a week lately" in text
    assert json.loads(run(capsys, "insights", "--json", "--as-of", "2024-06-30")[1])["frequent"] is True


# -- export and import ---------------------------------------------------------------------------------------


def test_cramps_export_and_import_twice(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fill_history()
    sessions = json.loads(run(capsys, "export", "--format", "json")[1])
    assert len(sessions) == 60 and all("routine" in item for item in sessions)  # the contract is unchanged
    out_file = tmp_path / "cramps.json"
    code, out, err = run(capsys, "export", "--cramps", "-o", str(out_file))
    assert (code, out) == (0, "") and "Exported 10 cramps" in err
    assert all("cramp_at" in item for item in json.loads(out_file.read_text()))
    other = tmp_path / "elsewhere"
    assert run(capsys, "--data-dir", str(other), "import", str(out_file))[1] == (
        f"Imported 0 sessions and 10 cramps from {out_file}.\n"
    )
    assert run(capsys, "--data-dir", str(other), "import", str(out_file))[1] == (
        f"Imported 0 sessions and 0 cramps from {out_file}. 10 cramps were already in your diary and kept as logged.\n"
    )
    assert open_store(other, day_start_hour=4).diary.count() == 10
    csv_text = run(capsys, "export", "--cramps", "--format", "csv")[1]
    assert csv_text.splitlines()[0] == "cramp_at,id,day,leg,muscle,severity,trigger,note,logged_at"
    assert "not allowed with argument" in usage_error(capsys, "export", "--cramps", "--rest-days")


def test_a_malformed_cramp_import_is_located_and_imports_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    items = [cramp(date(2024, 6, d)).to_json() for d in (1, 2)]
    items[1]["leg"] = "middle"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(items, indent=2))
    code, out, err = run(capsys, "import", str(path))
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "middle" in text)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f'{path}:{line}:5: "leg" must be one of left, right, both, not "middle"',
        "coach: nothing was imported (1 problem).",
    ]
    assert store().diary.count() == 0


# -- layering ------------------------------------------------------------------------------------------------


def test_the_diary_never_imports_textual_and_its_store_not_rich_either() -> None:
    code = (
        "import sys\nimport coach.diary, coach.store.cramps\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich'}))\n"
        "from coach.__main__ import main\nmain(['insights', '--json'])\n"
        "print('TEXTUAL' if 'textual' in sys.modules else 'CLEAN', file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert result.stdout.splitlines()[0] == "[]"
    assert result.stderr.strip().splitlines()[-1] == "CLEAN"


def test_cramp_delete_asks_first_and_needs_yes_without_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Like `coach history delete`: a cramp logged is the user's record, so deleting it asks (y/N) in a terminal,
    and without one it needs --yes."""
    run(capsys, "cramp", "--at", "2024-06-02 03:10", "--leg", "left", "--muscle", "calf", "--severity", "6")
    short = store().diary.entries()[0].id[:8]

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))  # a pipe: nobody to ask
    code, _, err = run(capsys, "cramp", "delete", short)
    assert code == 1 and "add --yes" in err and len(store().diary.entries()) == 1
    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    code, out, _ = run(capsys, "cramp", "delete", short)
    assert (
        code == 1 and "Delete the cramp of 2024-06-02 03:10, left calf, 6/10" in out and "Nothing was deleted." in out
    )
    assert len(store().diary.entries()) == 1
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    code, out, _ = run(capsys, "cramp", "delete", short)
    assert code == 0 and f"Deleted the cramp of 2024-06-02 03:10, left calf, 6/10 (id {short})." in out
    assert store().diary.entries() == []
