"""Export and import: the JSON contract, repeatable imports, located problems, all or nothing."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from store_helpers import session

from coach.common.problems import Problem, ProblemsError
from coach.engine.recording import Status
from coach.store.exchange import parse_import, rest_days_json, sessions_csv, sessions_json
from coach.store.records import RestDay
from coach.store.store import open_store


def exported(tmp_path: Path) -> str:
    store = open_store(tmp_path / "a", day_start_hour=4)
    store.insert_sessions(
        [
            session(date(2024, 5, 1)),
            session(date(2024, 5, 1), "bedtime", hour=23, routine="foot-soak", name="Foot soak", minutes=17.5),
            session(date(2024, 5, 2), status=Status.PARTIAL, minutes=4),
        ]
    )
    return sessions_json(store.sessions(newest_first=False))


def problems_of(text: str, name: str = "in.json") -> list[Problem]:
    with pytest.raises(ProblemsError) as caught:
        parse_import(text.encode(), name, day_start_hour=4)
    return caught.value.problems


def test_an_export_imports_into_an_empty_history_and_round_trips(tmp_path: Path) -> None:
    text = exported(tmp_path)
    batch = parse_import(text.encode(), "export.json", day_start_hour=4)
    target = open_store(tmp_path / "b", day_start_hour=4)
    result = target.import_records(batch.sessions, batch.rest_days)
    assert (result.added, result.already) == (3, 0)
    assert sessions_json(target.sessions(newest_first=False)) == text


def test_importing_the_same_file_twice_adds_nothing_the_second_time(tmp_path: Path) -> None:
    text = exported(tmp_path)
    target = open_store(tmp_path / "b", day_start_hour=4)
    batch = parse_import(text.encode(), "export.json", day_start_hour=4)
    target.import_records(batch.sessions, batch.rest_days)
    again = target.import_records(batch.sessions, batch.rest_days)
    assert (again.added, again.already, again.differing) == (0, 3, 0)
    assert target.count() == 3


def test_a_session_already_in_the_history_is_not_overwritten(tmp_path: Path) -> None:
    text = exported(tmp_path)
    target = open_store(tmp_path / "b", day_start_hour=4)
    batch = parse_import(text.encode(), "export.json", day_start_hour=4)
    target.import_records(batch.sessions, batch.rest_days)
    first = batch.sessions[0]
    target.set_note(first.id, "my own note, added after the export", 2, set_discomfort=True)
    changed = json.loads(text)
    changed[0]["status"] = "partial"
    changed[0]["note"] = "an old note"
    batch = parse_import(json.dumps(changed).encode(), "old.json", day_start_hour=4)
    result = target.import_records(batch.sessions, batch.rest_days)
    assert (result.added, result.already, result.differing) == (0, 3, 1)
    kept = target.get(first.id)
    assert kept is not None
    assert (kept.status, kept.note, kept.discomfort) == (Status.COMPLETED, "my own note, added after the export", 2)


def test_the_minimal_contract_fields_are_enough(tmp_path: Path) -> None:
    item = {
        "id": "0B1F7C9E-5A7B-4F5E-9D7A-2C3B4D5E6F70",
        "routine": "toe-exercises",
        "slot": "morning",
        "started_at": "2024-05-03T03:30:00-07:00",
        "ended_at": "2024-05-03T03:45:00-07:00",
        "status": "completed",
        "active_seconds": 600,
    }
    batch = parse_import(json.dumps([item]).encode(), "x.json", day_start_hour=4)
    record = batch.sessions[0]
    assert record.id == "0b1f7c9e-5a7b-4f5e-9d7a-2c3b4d5e6f70"
    assert record.routine_name == "toe-exercises"
    assert record.day == date(2024, 5, 2)  # 03:30 is before the day-start hour
    assert record.active_seconds == 600.0


def test_a_syntax_error_is_located() -> None:
    text = '[\n  {"id": "x",\n   "slot": "morning"\n   "status": "completed"}\n]\n'
    assert [str(p) for p in problems_of(text)] == ["in.json:4:4: invalid JSON: Expecting ',' delimiter"]


def test_semantic_errors_are_located_at_their_item_and_key() -> None:
    good = json.loads(exported_text_for_problems())
    bad_slot = dict(good[0], slot="noon")
    missing = {k: v for k, v in good[1].items() if k not in ("status", "ended_at")}
    typo = dict(good[2], statuss="completed")
    text = json.dumps([good[0] | {"id": "0b1f7c9e-5a7b-4f5e-9d7a-2c3b4d5e6f71"}, bad_slot, missing, typo], indent=2)
    lines = text.splitlines()
    problems = problems_of(text)
    messages = [(p.line, p.col, p.message) for p in problems]
    slot_line = next(i for i, line in enumerate(lines, 1) if '"noon"' in line)
    second_item = [i for i, line in enumerate(lines, 1) if line == "  {"][2]
    typo_line = next(i for i, line in enumerate(lines, 1) if '"statuss"' in line)
    assert messages == [
        (slot_line, 5, '"slot" must be one of morning, evening, bedtime, not "noon"'),
        (second_item, 3, 'this session lacks "ended_at", "status"'),
        (typo_line, 5, 'unknown field "statuss" in a session (did you mean "status"?)'),
    ]
    assert all(p.path == "in.json" for p in problems)


def exported_text_for_problems() -> str:
    records = [session(date(2024, 5, n)) for n in (1, 2, 3)]
    return sessions_json(records)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ended_at": "2024-05-01T06:00:00+02:00"}, '"ended_at" is before "started_at"'),
        ({"active_seconds": 99999}, "is longer than the session itself"),
    ],
)
def test_an_impossible_length_is_refused_from_other_tools_and_a_warning_in_coachs_own_export(
    change: dict[str, object], message: str
) -> None:
    coach_item = json.loads(exported_text_for_problems())[0] | change
    other_tool = {key: value for key, value in coach_item.items() if key not in ("routine_name", "day", "cycles_done")}
    problems = problems_of(json.dumps([other_tool], indent=2))
    assert len(problems) == 1 and message in problems[0].message
    text = json.dumps([coach_item], indent=2)
    batch = parse_import(text.encode(), "in.json", day_start_hour=4)
    assert len(batch.sessions) == 1 and len(batch.warnings) == 1
    warning = batch.warnings[0]
    assert message in warning.message and "imported as recorded" in warning.message
    assert str(warning).startswith(f"in.json:{warning.line}:5: warning: ")
    assert f'"{next(iter(change))}"' in text.splitlines()[warning.line - 1]
    record = batch.sessions[0]
    assert record.ended_at is not None and record.ended_at >= record.started_at  # an end the store can keep


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": "not-a-uuid"}, '"id" must be a UUID string, not "not-a-uuid"'),
        ({"started_at": "2024-05-01T07:00:00"}, '"started_at" must be an ISO 8601 time with its UTC offset'),
        ({"status": "running"}, "a session still running cannot be imported"),
        ({"active_seconds": -1}, '"active_seconds" must be a number of seconds, 0 or more, not -1'),
        ({"active_seconds": True}, '"active_seconds" must be a number of seconds'),
        ({"discomfort": 11}, '"discomfort" must be a whole number from 0 to 10, or null, not 11'),
        ({"day": "2024-04-20"}, '"day" 2024-04-20 does not fit "started_at"'),
        ({"routine": ""}, '"routine" must be a routine id'),
    ],
)
def test_each_bad_value_is_named(change: dict[str, object], message: str) -> None:
    item = json.loads(exported_text_for_problems())[0] | change
    problems = problems_of(json.dumps([item], indent=2))
    assert len(problems) == 1 and message in problems[0].message
    key = next(iter(change))
    line = json.dumps([item], indent=2).splitlines()[problems[0].line - 1]
    assert f'"{key}"' in line


def test_not_an_array_and_not_objects() -> None:
    assert [str(p) for p in problems_of('{"sessions": []}')] == [
        "in.json:1:1: expected a JSON array of sessions (as `coach export` writes), found an object"
    ]
    assert [str(p) for p in problems_of("[\n  1,\n  []\n]")] == [
        "in.json:2:3: expected a session object {...}, found a number",
        "in.json:3:3: expected a session object {...}, found an array",
    ]
    assert [str(p) for p in problems_of("")] == ["in.json:1:1: the file is empty; expected a JSON array of sessions"]


def test_the_same_id_twice_in_one_file_is_a_problem() -> None:
    item = json.loads(exported_text_for_problems())[0]
    problems = problems_of(json.dumps([item, item], indent=2))
    assert len(problems) == 1 and "appears twice in this file (first on line 2)" in problems[0].message


def test_a_file_with_one_bad_item_imports_nothing(tmp_path: Path) -> None:
    items = json.loads(exported_text_for_problems())
    items[-1]["slot"] = "lunch"
    store = open_store(tmp_path, day_start_hour=4)
    with pytest.raises(ProblemsError):
        batch = parse_import(json.dumps(items).encode(), "in.json", day_start_hour=4)
        store.import_records(batch.sessions, batch.rest_days)
    assert store.count() == 0


def test_rest_days_export_and_import(tmp_path: Path) -> None:
    text = rest_days_json([RestDay(date(2024, 5, 4), "flu"), RestDay(date(2024, 5, 5), "")])
    assert json.loads(text) == [{"rest_day": "2024-05-04", "note": "flu"}, {"rest_day": "2024-05-05", "note": ""}]
    store = open_store(tmp_path, day_start_hour=4)
    store.mark_rest_day(date(2024, 5, 5), "already here")
    batch = parse_import(text.encode(), "rest.json", day_start_hour=4)
    result = store.import_records(batch.sessions, batch.rest_days)
    assert (result.rest_added, result.rest_already) == (1, 1)
    assert store.rest_days() == [RestDay(date(2024, 5, 4), "flu"), RestDay(date(2024, 5, 5), "already here")]


def test_csv_has_the_same_columns_as_json(tmp_path: Path) -> None:
    records = [session(date(2024, 5, 1))]
    rows = list(csv.DictReader(io.StringIO(sessions_csv(records))))
    data = json.loads(sessions_json(records))[0]
    assert list(rows[0]) == list(data)
    assert rows[0]["id"] == data["id"] and rows[0]["started_at"] == data["started_at"]
    assert float(rows[0]["active_seconds"]) == data["active_seconds"]
    assert rows[0]["note"] == ""
