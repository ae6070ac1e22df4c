"""The diary in the history file: add, list, find, delete; migration v3 -> v4 keeping every row; export and import
(round trip, repeatable, located problems, all or nothing); insights read by index."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from diary_helpers import PARIS_SUMMER, SettableClock, cramp, session

from coach.common.problems import CoachError, Problem, ProblemsError
from coach.diary.entries import DiaryError
from coach.diary.insights import compute_insights
from coach.engine.recording import Checkpoint, SessionStart, Status
from coach.store.backups import daily_backups
from coach.store.connection import connect
from coach.store.cramps import cramps_csv, cramps_json
from coach.store.exchange import parse_import, sessions_json
from coach.store.migrations import LATEST_VERSION, migrate, schema_version
from coach.store.store import open_recorder, open_store

NOW = datetime(2024, 6, 30, 9, 0, tzinfo=PARIS_SUMMER)


def problems_of(text: str, now: datetime | None = NOW) -> list[Problem]:
    with pytest.raises(ProblemsError) as caught:
        parse_import(text.encode(), "in.json", day_start_hour=4, now=now)
    return caught.value.problems


# -- add, list, find, delete -------------------------------------------------------------------------------------


def test_log_list_find_and_delete(tmp_path: Path) -> None:
    store = open_store(tmp_path, day_start_hour=4, clock=SettableClock(NOW))
    first = store.diary.log(
        leg="left",
        muscle="calf",
        severity=6,
        trigger="cold",
        note=" cold room ",
        cramp_at=datetime(2024, 6, 29, 3, 10, tzinfo=PARIS_SUMMER),
    )
    now_entry = store.diary.log(leg="both", muscle="foot", severity=2)
    assert first.day == date(2024, 6, 28) and first.note == "cold room" and first.logged_at == NOW
    assert now_entry.cramp_at == NOW and now_entry.trigger == "unknown" and now_entry.day == date(2024, 6, 30)
    assert store.diary.entries() == [now_entry, first]
    assert store.diary.entries(newest_first=False) == [first, now_entry]
    assert store.diary.entries(limit=1, newest_first=False) == [now_entry]  # the latest one, still
    assert store.diary.entries(since=date(2024, 6, 29)) == [now_entry]
    assert store.diary.entries(until=date(2024, 6, 28)) == [first]
    assert store.diary.get(first.id) == first and store.diary.count() == 2
    assert store.diary.find(first.id[:6].upper()) == first
    with pytest.raises(CoachError, match="at least 4 characters"):
        store.diary.find("ab")
    with pytest.raises(CoachError, match="no cramp with id 'ffffffff'"):
        store.diary.find("ffffffff")
    assert store.diary.delete(first.id) and not store.diary.delete(first.id)
    assert store.diary.entries() == [now_entry]


def test_an_ambiguous_id_prefix_asks_for_more(tmp_path: Path) -> None:
    store = open_store(tmp_path, day_start_hour=4, clock=SettableClock(NOW))
    for suffix in ("1", "2"):
        store.diary.add(cramp(date(2024, 6, 1), entry_id=f"abcd0000-0000-4000-8000-00000000000{suffix}"))
    with pytest.raises(CoachError, match="more than one cramp id starts with 'abcd'"):
        store.diary.find("abcd")


def test_the_store_refuses_a_cramp_after_its_clock_and_bad_values(tmp_path: Path) -> None:
    store = open_store(tmp_path, day_start_hour=4, clock=SettableClock(NOW))
    with pytest.raises(DiaryError, match="cannot be logged in the future"):
        store.diary.log(leg="left", muscle="calf", severity=3, cramp_at=NOW + timedelta(seconds=1))
    with pytest.raises(DiaryError, match="cannot be logged in the future"):
        store.diary.add(cramp(date(2024, 7, 1), hour=5))
    with pytest.raises(DiaryError, match="leg must be one of"):
        store.diary.log(leg="arm", muscle="calf", severity=3)
    assert store.diary.count() == 0


def test_the_database_checks_leg_muscle_and_severity_too(tmp_path: Path) -> None:
    open_store(tmp_path, day_start_hour=4)
    connection = connect(tmp_path / "history.sqlite3")
    row = [
        "x",
        "2024-06-01T03:00:00+02:00",
        "2024-06-01T01:00:00.000000+00:00",
        "2024-05-31",
        "left",
        "calf",
        5,
        "cold",
        "",
        None,
    ]
    for index, bad in ((4, "arm"), (5, "neck"), (6, 11), (3, "31/05/2024")):
        values = list(row)
        values[index] = bad
        with pytest.raises(sqlite3.IntegrityError):
            connection.execute("INSERT INTO cramps VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
    connection.close()


def test_the_day_of_a_cramp_and_of_a_session_at_the_same_moment_agree(tmp_path: Path) -> None:
    # The night Paris springs forward: 03:30 +02:00 is an hour and a half after 01:00 +01:00, and before 04:00.
    moment = datetime(2024, 3, 31, 3, 30, tzinfo=timezone(timedelta(hours=2)))
    clock = SettableClock(moment)
    recorder = open_recorder(tmp_path, clock=clock, day_start_hour=4)
    session_id = str(uuid.uuid4())
    recorder.start(SessionStart(session_id, "foot-soak", "Foot soak", "bedtime", moment))
    recorder.finish(session_id, Status.COMPLETED, moment + timedelta(minutes=16), Checkpoint("done", 960.0, 0))
    recorder.close()
    store = open_store(tmp_path, day_start_hour=4, clock=SettableClock(moment + timedelta(hours=5)))
    entry = store.diary.log(leg="right", muscle="calf", severity=7, cramp_at=moment)
    assert store.sessions()[0].day == entry.day == store.diary.entries()[0].day == date(2024, 3, 30)
    assert store.diary.entries()[0].cramp_at.utcoffset() == timedelta(hours=2)


def test_a_history_with_only_cramps_is_backed_up_daily(tmp_path: Path) -> None:
    store = open_store(tmp_path, day_start_hour=4, clock=SettableClock(NOW))
    store.diary.log(leg="left", muscle="calf", severity=4)
    open_store(tmp_path, day_start_hour=4, clock=SettableClock(NOW))
    assert [day for day, _ in daily_backups(tmp_path)] == [NOW.date()]


# -- migration v3 -> v4 ----------------------------------------------------------------------------------------


def make_v3_database(path: Path) -> list[tuple[object, ...]]:
    """A history as coach wrote it at schema v3, with sessions (one with a note) and a rest day."""
    connection = connect(path)
    migrate(connection, target=3)
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
            "calves tight",
            3,
        ),
        (
            "6f1c2b1e-0d1f-4a57-9a53-2f7f1f0c0a02",
            "foot-soak",
            "Foot soak",
            "bedtime",
            "2024-05-01",
            "2024-05-02T00:30:00+02:00",
            "2024-05-01T22:30:00.000000+00:00",
            "2024-05-02T00:48:00+02:00",
            "completed",
            1080.0,
            0,
            "Soak",
            "2024-05-02T00:48:00+02:00",
            None,
            None,
        ),
    ]
    connection.executemany("INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    connection.execute("INSERT INTO rest_days VALUES ('2024-05-03', 'flu', '2024-05-03T09:00:00+02:00')")
    assert schema_version(connection) == 3
    connection.close()
    return rows


def test_migrating_a_v3_history_adds_the_diary_and_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    v3_rows = make_v3_database(path)
    before = sqlite3.connect(path)
    day_slots = before.execute("SELECT * FROM day_slots ORDER BY ordinal").fetchall()
    before.close()
    store = open_store(tmp_path, day_start_hour=4, clock=SettableClock(NOW))
    connection = sqlite3.connect(path)
    assert schema_version(connection) == LATEST_VERSION == 8
    assert [tuple(row)[:15] for row in connection.execute("SELECT * FROM sessions ORDER BY id")] == v3_rows
    assert {row[0] for row in connection.execute("SELECT counts_after FROM sessions")} == {None}  # v7: unknown
    assert connection.execute("SELECT day, note FROM rest_days").fetchall() == [("2024-05-03", "flu")]
    assert connection.execute("SELECT * FROM day_slots ORDER BY ordinal").fetchall() == day_slots
    assert connection.execute("SELECT count(*) FROM cramps").fetchone()[0] == 0
    indexes = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'cramps'")}
    assert {"cramps_day", "cramps_time"} <= indexes
    connection.close()
    copies = list((tmp_path / "backups").glob("schema-v3-before-migration-*.sqlite3"))
    assert len(copies) == 1
    copy = sqlite3.connect(copies[0])
    assert schema_version(copy) == 3 and copy.execute("SELECT count(*) FROM sessions").fetchone()[0] == 2
    copy.close()
    # The diary works on the migrated file, and streaks still read the old sessions.
    store.diary.log(leg="left", muscle="calf", severity=5, cramp_at=datetime(2024, 5, 2, 3, 0, tzinfo=PARIS_SUMMER))
    assert store.streaks(("morning", "bedtime"), date(2024, 5, 1)).day_plan.current == 1
    insights = store.diary.insights(("morning", "bedtime"), date(2024, 5, 2))
    assert insights.program_start == date(2024, 5, 1) and insights.total_cramps == 1


def test_two_coaches_opening_a_v3_file_at_once_migrate_it_once(tmp_path: Path) -> None:
    make_v3_database(tmp_path / "history.sqlite3")
    first = connect(tmp_path / "history.sqlite3")
    second = connect(tmp_path / "history.sqlite3")
    assert migrate(first) == (3, LATEST_VERSION)
    assert migrate(second) == (LATEST_VERSION, LATEST_VERSION)
    first.close()
    second.close()


# -- export and import ------------------------------------------------------------------------------------------


def diary_with_entries(folder: Path) -> str:
    store = open_store(folder, day_start_hour=4, clock=SettableClock(NOW))
    store.insert_sessions([session(date(2024, 6, 1)), session(date(2024, 6, 2), "bedtime", hour=22)])
    store.diary.add(cramp(date(2024, 6, 2), trigger="cold", note="window open", severity=7))
    store.diary.add(cramp(date(2024, 6, 20), hour=23, minute=15, leg="right", muscle="foot", severity=3))
    return cramps_json(store.diary.entries(newest_first=False))


def test_cramps_export_round_trips_and_a_second_import_adds_nothing(tmp_path: Path) -> None:
    text = diary_with_entries(tmp_path / "a")
    items = json.loads(text)
    assert [item["cramp_at"] for item in items] == ["2024-06-02T03:00:00+02:00", "2024-06-20T23:15:00+02:00"]
    assert list(items[0]) == ["cramp_at", "id", "day", "leg", "muscle", "severity", "trigger", "note", "logged_at"]
    assert items[0]["day"] == "2024-06-01" and items[0]["trigger"] == "cold"
    target = open_store(tmp_path / "b", day_start_hour=4, clock=SettableClock(NOW))
    batch = parse_import(text.encode(), "cramps.json", day_start_hour=4, now=NOW)
    assert (len(batch.sessions), len(batch.rest_days), len(batch.cramps)) == (0, 0, 2)
    result = target.import_records(batch.sessions, batch.rest_days, batch.cramps)
    assert (result.cramps_added, result.cramps_already, result.added) == (2, 0, 0)
    assert cramps_json(target.diary.entries(newest_first=False)) == text
    again = target.import_records(batch.sessions, batch.rest_days, batch.cramps)
    assert (again.cramps_added, again.cramps_already) == (0, 2) and target.diary.count() == 2


def test_the_sessions_export_is_still_only_sessions(tmp_path: Path) -> None:
    diary_with_entries(tmp_path)
    store = open_store(tmp_path, day_start_hour=4, clock=SettableClock(NOW))
    items = json.loads(sessions_json(store.sessions(newest_first=False, include_running=False)))
    assert len(items) == 2 and all("cramp_at" not in item and "routine" in item for item in items)


def test_an_entry_already_in_the_diary_is_not_overwritten(tmp_path: Path) -> None:
    text = diary_with_entries(tmp_path / "a")
    items = json.loads(text)
    items[0]["severity"] = 1
    items[0]["note"] = "changed elsewhere"
    store = open_store(tmp_path / "a", day_start_hour=4, clock=SettableClock(NOW))
    batch = parse_import(json.dumps(items).encode(), "in.json", day_start_hour=4, now=NOW)
    result = store.import_records(batch.sessions, batch.rest_days, batch.cramps)
    assert (result.cramps_added, result.cramps_already) == (0, 2)
    kept = store.diary.get(items[0]["id"])
    assert kept is not None and (kept.severity, kept.note) == (7, "window open")


def test_sessions_rest_days_and_cramps_mix_in_one_file(tmp_path: Path) -> None:
    records = [session(date(2024, 6, 1))]
    items = json.loads(sessions_json(records)) + [{"rest_day": "2024-06-05", "note": ""}]
    items += [
        {
            "cramp_at": "2024-06-03T03:10:00+02:00",
            "id": str(uuid.uuid4()),
            "leg": "left",
            "muscle": "calf",
            "severity": 4,
        }
    ]  # the minimal cramp: day and trigger are worked out
    batch = parse_import(json.dumps(items).encode(), "mix.json", day_start_hour=4, now=NOW)
    assert (len(batch.sessions), len(batch.rest_days), len(batch.cramps)) == (1, 1, 1)
    assert batch.cramps[0].day == date(2024, 6, 2) and batch.cramps[0].trigger == "unknown"
    assert batch.cramps[0].note == "" and batch.cramps[0].logged_at is None


def test_malformed_cramp_items_are_located_at_their_key_or_brace() -> None:
    good = {
        "cramp_at": "2024-06-03T03:10:00+02:00",
        "id": "0b1f7c9e-5a7b-4f5e-9d7a-2c3b4d5e6f71",
        "leg": "left",
        "muscle": "calf",
        "severity": 4,
        "trigger": "cold",
    }
    bad_leg = good | {"id": str(uuid.uuid4()), "leg": "up"}
    missing = {key: value for key, value in good.items() if key not in ("severity", "muscle")} | {
        "id": str(uuid.uuid4())
    }
    future = good | {"id": str(uuid.uuid4()), "cramp_at": "2024-07-01T03:00:00+02:00"}
    typo = good | {"id": str(uuid.uuid4()), "severity": 12, "triger": "cold"}
    wrong_day = good | {"id": str(uuid.uuid4()), "day": "2024-05-01", "trigger": "vessels"}
    text = json.dumps([good, bad_leg, missing, future, typo, wrong_day], indent=2)
    lines = text.splitlines()

    def line_of(fragment: str, nth: int = 0) -> int:
        return [i for i, line in enumerate(lines, 1) if fragment in line][nth]

    braces = [i for i, line in enumerate(lines, 1) if line == "  {"]
    found = [(p.line, p.col, p.message) for p in problems_of(text)]
    assert found == sorted(
        [
            (line_of('"up"'), 5, '"leg" must be one of left, right, both, not "up"'),
            (braces[2], 3, 'this cramp lacks "muscle", "severity"'),
            (
                line_of('"2024-07-01T03:00:00+02:00"'),
                5,
                '"cramp_at" 2024-07-01T03:00:00+02:00 is in the future; the diary records what happened',
            ),
            (line_of('"severity": 12'), 5, '"severity" must be a whole number from 0 to 10, not 12'),
            (line_of('"triger"'), 5, 'unknown field "triger" in a cramp (did you mean "trigger"?)'),
            (line_of('"2024-05-01"'), 5, '"day" 2024-05-01 does not fit "cramp_at" 2024-06-03T03:10:00+02:00'),
            (
                line_of('"vessels"'),
                5,
                '"trigger" must be one of cold, effort, sweating, fatigue, calcium, posture, unknown, not "vessels"',
            ),
        ]
    )
    assert problems_of(text, now=None)[1].message.startswith("this cramp lacks")  # no clock, no future check


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": "not-a-uuid"}, '"id" must be a UUID string, not "not-a-uuid"'),
        ({"cramp_at": "2024-06-03T03:10:00"}, '"cramp_at" must be an ISO 8601 time with its UTC offset'),
        ({"muscle": "toes"}, '"muscle" must be one of calf, foot, thigh, not "toes"'),
        ({"severity": 4.5}, '"severity" must be a whole number from 0 to 10, not 4.5'),
        ({"severity": True}, '"severity" must be a whole number from 0 to 10, not true'),
        ({"note": 3}, '"note" must be a string, not 3'),
        ({"logged_at": "yesterday"}, '"logged_at" must be an ISO 8601 time'),
        ({"day": "June"}, '"day" must be a date YYYY-MM-DD, not "June"'),
    ],
)
def test_each_bad_cramp_value_is_named_on_its_line(change: dict[str, object], message: str) -> None:
    item = {
        "cramp_at": "2024-06-03T03:10:00+02:00",
        "id": str(uuid.uuid4()),
        "leg": "left",
        "muscle": "calf",
        "severity": 4,
    } | change
    text = json.dumps([item], indent=2)
    problems = problems_of(text)
    assert len(problems) == 1 and message in problems[0].message
    assert f'"{next(iter(change))}"' in text.splitlines()[problems[0].line - 1]


def test_the_same_cramp_twice_in_one_file_is_a_problem() -> None:
    item = {
        "cramp_at": "2024-06-03T03:10:00+02:00",
        "id": str(uuid.uuid4()),
        "leg": "left",
        "muscle": "calf",
        "severity": 4,
    }
    problems = problems_of(json.dumps([item, item], indent=2))
    assert len(problems) == 1 and "appears twice in this file (first on line 2)" in problems[0].message


def test_a_file_with_one_bad_cramp_imports_no_session_either(tmp_path: Path) -> None:
    items = json.loads(sessions_json([session(date(2024, 6, 1))]))
    items.append(
        {
            "cramp_at": "2024-06-03T03:10:00+02:00",
            "id": str(uuid.uuid4()),
            "leg": "left",
            "muscle": "calf",
            "severity": 40,
        }
    )
    store = open_store(tmp_path, day_start_hour=4, clock=SettableClock(NOW))
    with pytest.raises(ProblemsError):
        batch = parse_import(json.dumps(items).encode(), "in.json", day_start_hour=4, now=NOW)
        store.import_records(batch.sessions, batch.rest_days, batch.cramps)
    assert store.count() == 0 and store.diary.count() == 0


def test_cramps_csv_has_the_json_keys_as_columns(tmp_path: Path) -> None:
    entry = cramp(date(2024, 6, 2), trigger="cold", note="a, b")
    text = cramps_csv([entry])
    lines = text.splitlines()
    assert lines[0] == "cramp_at,id,day,leg,muscle,severity,trigger,note,logged_at"
    assert lines[1].startswith("2024-06-02T03:00:00+02:00,") and '"a, b"' in lines[1]


# -- insights from the store ------------------------------------------------------------------------------------


def test_store_insights_match_the_pure_computation_over_everything(tmp_path: Path) -> None:
    store = open_store(tmp_path, day_start_hour=4, clock=SettableClock(NOW))
    start = date(2024, 3, 1)
    sessions = [
        session(start + timedelta(days=n), slot, hour=h)
        for n in range(0, 121, 1)
        for slot, h in (("morning", 7), ("evening", 19))
        if (n + h) % 5
    ]
    store.insert_sessions(sessions)
    triggers = ("cold", "posture", "unknown", "fatigue")
    entries = [cramp(date(2023, 12, 1) + timedelta(days=n), trigger=triggers[n % 4]) for n in range(0, 200, 3)]
    for entry in entries:
        store.diary.add(entry)
    today = date(2024, 6, 15)
    planned = ("morning", "evening", "bedtime")
    from_store = store.diary.insights(planned, today)
    everything = compute_insights(
        [(entry.day, entry.trigger) for entry in entries],
        [(record.day, record.slot) for record in sessions],
        today=today,
        program_start=start,
        planned=planned,
    )
    assert from_store == everything
    for weeks in (1, 3, 30):  # a chart shorter than the 4 weeks the warning reads, and one reaching the start
        assert store.diary.insights(planned, today, weeks=weeks) == compute_insights(
            [(entry.day, entry.trigger) for entry in entries],
            [(record.day, record.slot) for record in sessions],
            today=today,
            program_start=start,
            planned=planned,
            weeks=weeks,
        )
    comparison = from_store.before_after
    assert comparison is not None and (comparison.before.cramps, comparison.since.cramps) == (9, 10)
    assert from_store.total_cramps == sum(1 for entry in entries if entry.day <= today)


def test_insights_read_the_diary_through_its_indexes(tmp_path: Path) -> None:
    open_store(tmp_path, day_start_hour=4)
    connection = connect(tmp_path / "history.sqlite3")
    plans = {
        sql: " ".join(row[3] for row in connection.execute("EXPLAIN QUERY PLAN " + sql, params))
        for sql, params in (
            ("SELECT day, trigger FROM cramps WHERE day BETWEEN ? AND ?", ("2024-01-01", "2024-03-31")),
            ("SELECT count(*), min(day) FROM cramps WHERE day <= ?", ("2024-03-31",)),
            ("SELECT id FROM cramps ORDER BY cramp_utc DESC LIMIT 50", ()),
            ("SELECT min(day) FROM sessions", ()),
            ("SELECT ordinal, mask FROM day_slots WHERE ordinal BETWEEN ? AND ?", (1, 2)),
        )
    }
    connection.close()
    assert all("SCAN cramps" not in plan or "INDEX" in plan for plan in plans.values()), plans
    first, counting, latest, first_session, kept = plans.values()
    assert "COVERING INDEX cramps_day" in first and "COVERING INDEX cramps_day" in counting
    assert "INDEX cramps_time" in latest
    assert "INDEX" in first_session and "SEARCH day_slots" in kept
