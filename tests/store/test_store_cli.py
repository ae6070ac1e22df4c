"""The printing commands as a user runs them: history, streaks, export, import, status, notes, rest days, repair."""

from __future__ import annotations

import json
import re
import subprocess
import textwrap
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from store_helpers import PYTHON, session, subprocess_env

from coach.__main__ import main
from coach.common.paths import data_dir
from coach.days.day import today as coach_today
from coach.engine.recording import SessionStart, Status
from coach.store.store import Store, open_recorder, open_store

ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def store() -> Store:
    return open_store(data_dir(), day_start_hour=4)


def today() -> date:
    return coach_today(datetime.now().astimezone(), 4)


def test_an_empty_history_says_so_kindly(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "history")
    assert (code, err) == (0, "")
    assert "No sessions recorded yet" in out
    assert run(capsys, "history", "--json")[:2] == (0, "[]\n")
    code, out, _ = run(capsys, "streaks", "--json")
    report = json.loads(out)
    assert code == 0 and report["day_plan"] == {
        "current": 0,
        "longest": 0,
        "kept_today": False,
        "rate_7": None,
        "rate_30": None,
    }
    assert run(capsys, "status")[:2] == (0, "☀· ☾· 🛁· 0d\n")
    assert run(capsys, "status", "--ascii")[:2] == (0, "M:todo E:todo B:todo streak 0\n")


def test_history_json_follows_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    store().insert_sessions(
        [
            session(date(2024, 5, 1)),
            session(date(2024, 5, 2), "bedtime", hour=23, routine="foot-soak", name="Foot soak"),
            session(date(2024, 5, 2), status=Status.PARTIAL, minutes=2.5),
        ]
    )
    # A soak running right now in another terminal.
    recorder = open_recorder(data_dir(), day_start_hour=4)
    recorder.start(SessionStart(str(uuid.uuid4()), "foot-soak", "Foot soak", "bedtime", datetime.now().astimezone()))
    assert "running" in run(capsys, "history")[1]
    code, out, err = run(capsys, "history", "--json")
    exported = run(capsys, "export", "--format", "json")[1]
    recorder.close()
    assert (code, err) == (0, "")
    items = json.loads(out)
    assert isinstance(items, list) and len(items) == 3  # the running session is not final yet
    for item in items:
        assert str(uuid.UUID(item["id"])) == item["id"]
        assert isinstance(item["routine"], str) and item["routine"]
        assert item["slot"] in ("morning", "evening", "bedtime")
        for key in ("started_at", "ended_at"):
            assert ISO_WITH_OFFSET.match(item[key]), item[key]
            assert datetime.fromisoformat(item[key]).utcoffset() == timedelta(hours=2)
        assert item["status"] in ("completed", "partial")
        assert isinstance(item["active_seconds"], float)
    assert {item["status"] for item in items} == {"completed", "partial"}
    assert exported == out  # the same array as the export


def test_history_table_shows_sessions_notes_and_rest_days(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    first = session(date(2024, 5, 1), name="Toe exercises")
    store().insert_sessions([first, session(date(2024, 5, 3), status=Status.PARTIAL, minutes=3)])
    assert run(capsys, "history", "note", first.id[:8], "calves tight", "--discomfort", "4")[0] == 0
    assert run(capsys, "history", "rest", "2024-05-02", "--note", "flu")[0] == 0
    code, out, _ = run(capsys, "history")
    assert code == 0
    lines = [line for line in out.splitlines() if "2024-05-0" in line]
    assert [line.split("│")[1].strip() for line in lines] == ["2024-05-01", "2024-05-02", "2024-05-03"]
    assert "calves tight" in out and "rest day" in out and "flu" in out and "partial" in out
    assert "12:00" in out  # the active length


def test_history_filters(capsys: pytest.CaptureFixture[str]) -> None:
    store().insert_sessions(
        [
            session(date(2024, 5, 1)),
            session(date(2024, 5, 2), "bedtime", hour=22, routine="foot-soak", name="Foot soak"),
            session(date(2024, 5, 3)),
        ]
    )
    items = json.loads(run(capsys, "history", "--json", "--since", "2024-05-02")[1])
    assert [item["day"] for item in items] == ["2024-05-02", "2024-05-03"]
    items = json.loads(run(capsys, "history", "--json", "--limit", "1")[1])
    assert [item["day"] for item in items] == ["2024-05-03"]  # the latest
    items = json.loads(run(capsys, "history", "--json", "--routine", "foot-soak")[1])
    assert [item["routine"] for item in items] == ["foot-soak"]
    code, out, _ = run(capsys, "history", "--routine", "nope")
    assert (code, out) == (0, "No sessions match for routine 'nope'.\n")
    with pytest.raises(SystemExit) as usage:
        main(["history", "--since", "May 2"])
    assert usage.value.code == 2
    assert "expected a date as YYYY-MM-DD, not 'May 2'" in capsys.readouterr().err


def test_notes_need_a_known_session_and_a_discomfort_from_0_to_10(capsys: pytest.CaptureFixture[str]) -> None:
    record = session(date(2024, 5, 1))
    store().insert_sessions([record])
    code, _, err = run(capsys, "history", "note", "ffffffff", "x")
    assert code == 1 and "no session with id 'ffffffff'" in err and "Traceback" not in err
    with pytest.raises(SystemExit) as usage:
        main(["history", "note", record.id, "x", "--discomfort", "11"])
    assert usage.value.code == 2
    code, out, _ = run(capsys, "history", "note", record.id, "--discomfort", "0")
    assert code == 0 and "discomfort 0/10" in out
    stored = store().get(record.id)
    assert stored is not None and (stored.note, stored.discomfort) == (None, 0)


def test_rest_days_carry_a_streak_and_can_be_undone(capsys: pytest.CaptureFixture[str]) -> None:
    store().insert_sessions(
        [session(date(2024, 5, d), slot) for d in (1, 2, 4) for slot in ("morning", "evening", "bedtime")]
    )

    def plan_on_the_4th() -> int:
        return int(json.loads(run(capsys, "streaks", "--json", "--as-of", "2024-05-04")[1])["day_plan"]["current"])

    assert plan_on_the_4th() == 1
    assert run(capsys, "history", "rest", "2024-05-03")[0] == 0
    assert plan_on_the_4th() == 3
    code, out, _ = run(capsys, "history", "rest", "2024-05-03", "--undo")
    assert code == 0 and "ordinary day again" in out
    assert plan_on_the_4th() == 1


def test_streaks_json_per_slot_and_for_the_day_plan(capsys: pytest.CaptureFixture[str]) -> None:
    records = [session(date(2024, 5, d), "morning") for d in range(1, 11)]
    records += [session(date(2024, 5, d), "evening", hour=19) for d in range(5, 11)]
    records += [session(date(2024, 5, d), "bedtime", hour=22, routine="foot-soak") for d in (8, 9)]
    # A routine the user has since deleted: its sessions keep counting for their slot.
    records += [session(date(2024, 5, 10), "bedtime", hour=22, routine="my-old-soak", name="Old soak")]
    store().insert_sessions(records)
    code, out, _ = run(capsys, "streaks", "--json", "--as-of", "2024-05-10")
    report = json.loads(out)
    assert code == 0
    assert report["as_of"] == "2024-05-10"
    assert report["planned_slots"] == ["morning", "evening", "bedtime"]  # the bundled routines
    assert {slot: (v["current"], v["longest"]) for slot, v in report["slots"].items()} == {
        "morning": (10, 10),
        "evening": (6, 6),
        "bedtime": (3, 3),
    }
    assert (report["day_plan"]["current"], report["day_plan"]["longest"]) == (3, 3)
    assert report["slots"]["morning"]["rate_7"] == 1.0
    # Earlier as-of: later sessions do not count.
    past = json.loads(run(capsys, "streaks", "--json", "--as-of", "2024-05-07")[1])
    assert past["slots"]["morning"]["current"] == 7 and past["day_plan"]["longest"] == 0
    code, out, _ = run(capsys, "streaks")
    assert code == 0 and "whole day plan" in out


def test_the_day_plan_is_the_union_of_the_installed_routines_slots(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from coach.routines import catalog
    from coach.routines.model import Slot

    store().insert_sessions([session(date(2024, 5, d), "bedtime", hour=22) for d in (1, 2, 3)])
    full = json.loads(run(capsys, "streaks", "--json", "--as-of", "2024-05-03")[1])
    assert full["planned_slots"] == ["morning", "evening", "bedtime"]  # the bundled routines serve all three
    assert full["day_plan"]["current"] == 0

    # The user's own toe exercises serve only the morning: the evening is no longer planned (and the remembered
    # planned slots follow the new file at once).
    from coach.common.paths import user_routines_dir

    toes = catalog.load_catalog().routines["toe-exercises"]
    assert toes.source is not None
    user_routines_dir().mkdir(parents=True, exist_ok=True)
    text = toes.source.read_text(encoding="utf-8").replace('slots = ["morning", "evening"]', 'slots = ["bedtime"]')
    (user_routines_dir() / "toe-exercises.toml").write_text(text, encoding="utf-8")
    assert Slot.BEDTIME in catalog.load_catalog().routines["toe-exercises"].slots
    soak_only = json.loads(run(capsys, "streaks", "--json", "--as-of", "2024-05-03")[1])
    assert soak_only["planned_slots"] == ["bedtime"]
    assert soak_only["day_plan"]["current"] == 3
    assert soak_only["slots"]["morning"]["planned"] is False


def test_export_to_a_file_then_import_twice(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    store().insert_sessions([session(date(2024, 5, d)) for d in (1, 2, 3)])
    store().mark_rest_day(date(2024, 5, 4), "travel")
    out_file = tmp_path / "history.json"
    code, out, err = run(capsys, "export", "--format", "json", "-o", str(out_file))
    assert (code, out) == (0, "") and "Exported 3 sessions" in err
    rest_file = tmp_path / "rest.json"
    assert run(capsys, "export", "--rest-days", "-o", str(rest_file))[0] == 0

    other = tmp_path / "elsewhere"
    code, out, _ = run(capsys, "--data-dir", str(other), "import", str(out_file))
    assert (code, out) == (0, f"Imported 3 sessions from {out_file}.\n")
    code, out, _ = run(capsys, "--data-dir", str(other), "import", str(out_file))
    assert code == 0
    assert out == (
        f"Imported 0 sessions from {out_file}. 3 sessions were already in your history and kept as recorded.\n"
    )
    assert run(capsys, "--data-dir", str(other), "import", str(rest_file))[1] == (
        f"Imported 0 sessions and 1 rest day from {rest_file}.\n"
    )
    assert open_store(other, day_start_hour=4).count() == 3
    csv_text = run(capsys, "--data-dir", str(other), "export", "--format", "csv")[1]
    assert csv_text.splitlines()[0] == (
        "id,routine,routine_name,slot,day,started_at,ended_at,status,active_seconds,cycles_done,note,discomfort"
    )
    assert len(csv_text.splitlines()) == 4


def test_a_malformed_import_prints_located_problems_and_imports_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = json.loads(json.dumps([session(date(2024, 5, d)).to_json() for d in (1, 2)]))
    good[1]["slot"] = "afternoon"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(good, indent=2))
    code, out, err = run(capsys, "import", str(path))
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "afternoon" in text)
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f'{path}:{line}:5: "slot" must be one of morning, evening, bedtime, not "afternoon"',
        "coach: nothing was imported (1 problem).",
    ]
    assert store().count() == 0
    path.write_text('[{"id": }]')
    code, _, err = run(capsys, "import", str(path))
    assert code == 1 and err.splitlines()[0] == f"{path}:1:9: invalid JSON: Expecting value"
    code, _, err = run(capsys, "import", str(tmp_path / "missing.json"))
    assert code == 1 and "cannot read the file" in err


def test_status_shows_todays_slots_and_the_whole_day_streak(capsys: pytest.CaptureFixture[str]) -> None:
    day = today()
    records = [
        session(day - timedelta(days=n), slot, hour=h)
        for n in range(1, 13)
        for slot, h in (("morning", 7), ("evening", 19), ("bedtime", 22))
    ]
    records.append(session(day, "morning"))
    store().insert_sessions(records)
    assert run(capsys, "status")[:2] == (0, "☀✓ ☾· 🛁· 12d\n")
    assert run(capsys, "status", "--ascii")[:2] == (0, "M:done E:todo B:todo streak 12\n")
    store().mark_rest_day(day)
    assert run(capsys, "status", "--ascii")[1] == "M:done E:todo B:todo streak 12 rest\n"


STATUS_TIMER = textwrap.dedent(
    """
    import contextlib, io, sys, time
    began = time.perf_counter()
    from coach.__main__ import main
    with contextlib.redirect_stdout(io.StringIO()) as out:
        code = main(["status"])
    spent = time.perf_counter() - began
    heavy = sorted({name.split(".")[0] for name in sys.modules} & {"textual", "rich"})
    print(code, round(spent * 1000, 1), ",".join(heavy) or "-", out.getvalue().strip())
    """
)


def test_status_imports_neither_textual_nor_rich(tmp_path: Path) -> None:
    data = tmp_path / "data"
    open_store(data, day_start_hour=4).insert_sessions(
        [
            session(date(2020, 1, 1) + timedelta(days=n // 3), ("morning", "evening", "bedtime")[n % 3])
            for n in range(5000)
        ]
    )
    env = subprocess_env(data)
    timings = []
    for _ in range(3):  # the first run also fills the planned-slots cache
        result = subprocess.run([PYTHON, "-c", STATUS_TIMER], capture_output=True, text=True, env=env, check=True)
        code, spent, heavy, line = result.stdout.split(" ", 3)
        assert (code, heavy) == ("0", "-")
        assert line.startswith("☀")
        timings.append(float(spent))
    print("coach status, in-process ms (the budget is checked by benchmarks/run.py, not here):", timings)


def test_a_damaged_history_gives_one_message_and_repair_fixes_it(capsys: pytest.CaptureFixture[str]) -> None:
    store().insert_sessions([session(date(2024, 5, 1))])
    path = data_dir() / "history.sqlite3"
    for companion in ("-wal", "-shm"):
        (data_dir() / f"history.sqlite3{companion}").unlink(missing_ok=True)
    garbage = b"\x00garbage, not SQLite\n" * 500
    path.write_bytes(garbage)
    for argv in (["history"], ["history", "--json"], ["streaks"], ["export"], ["status"], ["history", "rest"]):
        code, out, err = run(capsys, *argv)
        assert code == 1, argv
        assert out == ""
        assert err.startswith(f"coach: the history file {path} is damaged"), err
        assert "coach history repair" in err and "Traceback" not in err
        assert len(err.strip().splitlines()) == 1
    assert path.read_bytes() == garbage
    code, out, _ = run(capsys, "history", "repair")
    assert code == 0 and "Moved the damaged history file aside" in out
    moved = next(data_dir().glob("history-damaged-*.sqlite3"))
    assert moved.read_bytes() == garbage
    code, out, _ = run(capsys, "history")
    assert code == 0 and "No sessions recorded yet" in out  # no backup existed: a fresh start
    code, out, _ = run(capsys, "history", "repair")
    assert code == 0 and "is sound" in out


def test_repair_restores_the_newest_backup(capsys: pytest.CaptureFixture[str]) -> None:
    from store_helpers import SettableClock

    from coach.engine.recording import Status as S

    clock = SettableClock(datetime(2024, 5, 1, 9, 0).astimezone())
    first = open_store(data_dir(), day_start_hour=4, clock=clock)
    first.insert_sessions([session(date(2024, 5, 1)), session(date(2024, 5, 1), "evening", status=S.PARTIAL)])
    clock.now += timedelta(days=1)
    open_store(data_dir(), day_start_hour=4, clock=clock)
    (data_dir() / "history.sqlite3").write_bytes(b"broken" * 100)
    for companion in ("-wal", "-shm"):
        (data_dir() / f"history.sqlite3{companion}").unlink(missing_ok=True)
    code, out, _ = run(capsys, "history", "repair")
    assert (
        code == 0
        and (
            "Restored the backup history-2024-05-02.sqlite3: the one holding the newest data (2 sessions, "
            "the newest started 2024-05-01 UTC)"
        )
        in out
    )
    assert len(json.loads(run(capsys, "history", "--json")[1])) == 2


def test_data_dir_option_points_elsewhere(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    elsewhere = tmp_path / "somewhere"
    open_store(elsewhere, day_start_hour=4).insert_sessions([session(date(2024, 5, 1))])
    assert len(json.loads(run(capsys, "--data-dir", str(elsewhere), "history", "--json")[1])) == 1
    assert json.loads(run(capsys, "history", "--json")[1]) == []


def test_store_modules_never_import_textual_or_rich() -> None:
    code = (
        "import sys\nimport coach.store.store, coach.store.recorder, coach.store.exchange, coach.store.backups\n"
        "import coach.days.streaks\nprint(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich'}))"
    )
    result = subprocess.run(
        [PYTHON, "-c", code], capture_output=True, text=True, check=True, env=subprocess_env(Path("/nonexistent"))
    )
    assert result.stdout.strip() == "[]"
