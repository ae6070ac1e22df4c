"""The import's fast path (issue 15 item 4) accepts nothing the full, locating check refuses, and makes its rows.

The fast path sits in front of the full check (`coach/store/exchange.py`): `_exported_rows`, for a file of
export-shaped sessions (msgspec decodes and types them, one loop checks the values into rows). The full check is
the reference: `_Checker` with the text and `surrogates=True` takes every item through `_any_session` and
`queries.session_row`.
"""

from __future__ import annotations

import io
import json
import sqlite3
import string
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_helpers import raw_rows, session

from coach.common.problems import ProblemsError
from coach.store.exchange import _Checker, _exported_rows, _utc_text, parse_import, parse_text
from coach.store.formats import write_json_array
from coach.store.queries import SessionRow, insert_session_rows, session_row
from coach.store.records import utc_key
from coach.store.store import open_store


def reference(text: str) -> tuple[list[SessionRow] | None, int]:
    """The full check's rows (None when it finds a problem) and how many warnings it gives."""
    try:
        data = json.loads(text)
    except ValueError:
        return None, 0
    checker = _Checker("in.json", text, 4, None, surrogates=True)
    batch = checker.check(data, consume=False)
    if checker.problems or batch is None:
        return None, len(checker.warnings)
    return batch.rows, len(checker.warnings)


def export_text(items: list[dict[str, Any]]) -> str:
    """The items as `coach export` writes them."""
    out = io.StringIO()
    write_json_array(items, out)
    return out.getvalue()


good = session(date(2026, 11, 1), session_id="0b7c4c1e-5d2a-4a3b-9c8e-1f2a3b4c5d6e").to_json()

texts = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=8)
TIMES = [
    "2026-11-01T07:00:00+02:00",
    "2026-11-01T07:13:00+02:00",
    "2026-11-01T07:13:00.250000+02:00",
    "2026-11-01T07:13:00.000000+02:00",  # not as isoformat writes it
    "2026-11-01T05:13:00+00:00",
    "2026-11-01T05:13:00-00:00",
    "2026-11-01T07:13:00+01:60",
    "2026-11-01T06:00:00+02:00",
    "2026-11-01 07:13:00+02:00",
    "2026-11-01T07:13:00",
    "2026-11-01T07:13:00Z",
    "2026-02-30T07:13:00+02:00",
    "1899-12-31T23:59:00+00:00",
    "3000-01-01T00:00:00+00:00",
    "2026-10-31T23:30:00-05:00",
    "20261101T071300+0200",
]
times = st.sampled_from(TIMES)
values: dict[str, st.SearchStrategy[Any]] = {
    "id": st.sampled_from([good["id"], good["id"].upper(), "1b7c4c1e-5d2a-4a3b-9c8e-1f2a3b4c5d6e", "x", ""])
    | st.integers(),
    "routine": st.sampled_from(["toe-exercises", " ", "", 'a"\\b', "é\n"]) | st.integers() | st.lists(st.none()),
    "routine_name": texts | st.none() | st.integers(),
    "slot": st.sampled_from(["morning", "evening", "bedtime", "noon", "Morning"]) | st.lists(st.none()),
    "day": st.sampled_from(["2026-11-01", "2026-10-31", "2026-11-02", "2026-1-01", "20261101"]) | st.none(),
    "started_at": times | st.none() | st.integers(),
    "ended_at": times | st.none(),
    "status": st.sampled_from(["completed", "partial", "running", "done"]) | st.dictionaries(texts, st.none()),
    "active_seconds": st.floats(allow_nan=True) | st.integers(-5, 10**12) | st.booleans() | texts,
    "cycles_done": st.integers(-2, 2**64) | st.floats(0, 10) | st.booleans() | st.none(),
    "note": texts | st.none() | st.integers(),
    "discomfort": st.integers(-1, 11) | st.none() | st.booleans() | st.floats(0, 10),
}


@st.composite
def items(draw: st.DrawFn) -> dict[str, Any]:
    """An export item with a few of its values changed to something else, valid or not."""
    item = dict(good)
    for key in draw(st.lists(st.sampled_from(list(values)), max_size=3, unique=True)):
        item[key] = draw(values[key])
    return item


EDGES: dict[str, list[Any]] = {
    "id": [good["id"].upper(), "not-a-uuid", "", 7, None],
    "routine": [" ", "", 'a"\\b', "é\n", 3, [None], None],
    "routine_name": ["", "\u2028", None, 4],
    "slot": ["evening", "noon", "Morning", ["morning"], None],
    "day": ["2026-10-31", "2026-11-02", "2026-1-01", "20261101", "2026-11-01 ", None, 1],
    "started_at": [*TIMES, None, 5],
    "ended_at": [*TIMES, None],
    "status": ["partial", "running", "done", {"completed": 1}, None],
    "active_seconds": [0, 0.0, -0.0, -1, 780, 780.5, 840.0, 841.0, 1e9, 1e10, 1e-300, True, "780", None],
    "cycles_done": [0, -1, 2**63 - 1, 2**63, 1.0, True, None],
    "note": ["", "a\nb", 'say "hi"', 1, False],
    "discomfort": [0, 10, 11, -1, 5.0, True, "5"],
}


@pytest.mark.parametrize(("key", "value"), [(key, value) for key, edges in EDGES.items() for value in edges])
def test_each_edge_of_each_value_takes_the_fast_path_only_when_the_full_check_agrees(key: str, value: Any) -> None:
    check_agreement([good | {key: value}])
    check_agreement([good, good | {key: value}])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(items(), min_size=1, max_size=3))
def test_the_fast_path_takes_only_what_the_full_check_takes_and_makes_its_rows(
    batch: list[dict[str, Any]],
) -> None:
    check_agreement(batch)


def check_agreement(batch: list[dict[str, Any]]) -> None:
    """Whatever the fast path takes of `batch`, the full check takes too, with the same rows and no warning; and
    it reads the file's bytes, its text and another layout of it alike."""
    text = export_text(batch)
    expected, warnings = reference(text)
    fast = _exported_rows(text)
    if fast is not None:
        assert expected is not None and warnings == 0 and fast == expected
    assert _exported_rows(text.encode()) == fast
    assert _exported_rows(json.dumps(batch, separators=(",", ":"))) == fast
    try:
        accepted = parse_text(text, "in.json", day_start_hour=4)
    except ProblemsError:
        assert expected is None
    else:
        assert expected is not None and accepted.rows == expected and len(accepted.warnings) == warnings


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_changed_character_in_an_export_never_slips_through_the_fast_path(data: st.DataObject) -> None:
    text = export_text([good, session(date(2026, 11, 2), "evening", hour=19).to_json()])
    position = data.draw(st.integers(0, len(text) - 1))
    replacement = data.draw(st.sampled_from(string.digits + string.ascii_letters + '"\\:.,-+ T\n{}[]\t\x01é'))
    changed = text[:position] + replacement + text[position + 1 :]
    fast = _exported_rows(changed)
    if fast is not None:
        expected, warnings = reference(changed)
        assert expected is not None and warnings == 0 and fast == expected


def test_an_export_in_any_layout_takes_the_fast_path_and_escapes_read_as_json_reads_them() -> None:
    noted = session(date(2026, 11, 2), name='Toe "exercises"\t\\ é').to_json() | {"note": 'line one\nline "two"'}
    text = export_text([good, noted])
    rows = _exported_rows(text)
    assert rows is not None and rows == reference(text)[0]
    assert rows[1][2] == 'Toe "exercises"\t\\ é' and rows[1][13] == 'line one\nline "two"'
    for layout in (json.dumps([good, noted]), json.dumps([good, noted], indent="\t"), text.replace("\n", "\r\n")):
        assert _exported_rows(layout) == rows
    reordered = json.dumps([dict(reversed(good.items())), noted], ensure_ascii=True)
    assert _exported_rows(reordered) == rows
    assert parse_text(json.dumps([good, noted]), "in.json", day_start_hour=4).rows == rows


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(list(EDGES)), st.data())
def test_a_key_given_twice_never_slips_through_the_fast_path(key: str, data: st.DataObject) -> None:
    """msgspec keeps the last of a repeated key; the full check reports it, at the second one."""
    noted = good | {"note": data.draw(st.sampled_from(["", 'say "hi":', "a\\", None]))}
    first = data.draw(st.sampled_from([noted[key], *EDGES[key]]))
    text = export_text([noted])
    at = text.index(f'"{key}":')
    doubled = text[:at] + f"{json.dumps(key)}: {json.dumps(first)},\n    " + text[at:]
    assert _exported_rows(doubled) is None and _exported_rows(doubled.encode()) is None
    with pytest.raises(ProblemsError) as caught:
        parse_text(doubled, "in.json", day_start_hour=4)
    assert any(f'"{key}" appears twice in this item' in problem.message for problem in caught.value.problems)


def test_a_session_of_the_small_hours_counted_for_the_day_before_takes_the_fast_path() -> None:
    late = good | {
        "started_at": "2026-11-02T01:30:00+02:00",
        "ended_at": "2026-11-02T01:45:00+02:00",
        "day": "2026-11-01",
    }
    late |= {"id": "1b7c4c1e-5d2a-4a3b-9c8e-1f2a3b4c5d6e", "active_seconds": 600.0}
    text = export_text([good, late])
    rows = _exported_rows(text)
    assert rows is not None and rows == reference(text)[0] and rows[1][4] == "2026-11-01"
    assert _exported_rows(export_text([late | {"day": "2026-10-31"}])) is None
    afternoon = {"started_at": "2026-11-02T13:30:00+02:00", "ended_at": "2026-11-02T13:45:00+02:00"}
    assert (
        _exported_rows(export_text([late | afternoon])) is None
        and reference(export_text([late | afternoon]))[0] is None
    )


def test_a_list_or_an_object_where_an_export_has_a_word_is_a_located_problem() -> None:
    for change in ({"slot": ["morning"]}, {"status": {"completed": True}}):
        with pytest.raises(ProblemsError) as caught:
            parse_import(json.dumps([good | change]).encode(), "in.json", day_start_hour=4)
        (problem,) = caught.value.problems
        assert problem.line == 1 and f'"{next(iter(change))}" must be' in problem.message


def test_rows_many_to_a_statement_keep_the_tables_checks_and_count_what_was_added(tmp_path: Path) -> None:
    records = [session(date(2020, 1, 1 + n % 28), ("morning", "evening", "bedtime")[n % 3]) for n in range(1234)]
    store = open_store(tmp_path, day_start_hour=4)
    store.insert_sessions(records[:100])
    result = store.import_records(records, [])
    assert (result.added, result.already) == (1134, 100)
    assert len(raw_rows(store.path, "SELECT id FROM sessions")) == 1234
    connection = sqlite3.connect(store.path)
    try:
        connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 100)  # 6 rows to a statement
        rows = [session_row(session(date(2021, 2, 3))) for _ in range(20)]
        assert insert_session_rows(connection, rows) == 20
        bad = [session_row(session(date(2021, 2, 4))) for _ in range(7)]
        bad[5] = (*bad[5][:3], "noon", *bad[5][4:])  # in the second statement of six rows
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            insert_session_rows(connection, bad)
    finally:
        connection.rollback()
        connection.close()


@settings(max_examples=500, deadline=None)
@given(
    st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2999, 12, 30)),
    st.integers(-23 * 60 - 59, 23 * 60 + 59),
    st.booleans(),
)
def test_the_utc_start_worked_out_on_the_text_is_the_one_datetime_works_out(
    local: datetime, minutes: int, whole_hours: bool
) -> None:
    offset = timedelta(minutes=60 * int(minutes / 60) if whole_hours else minutes)
    moment = local.replace(tzinfo=timezone(offset))
    assert _utc_text(moment.isoformat(), moment) == utc_key(moment)
