"""The export's fast writer (rows into one template each) writes byte for byte what json.dumps(indent=2) writes."""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from coach.store.formats import ROWS_PER_WRITE, write_json_array, write_session_rows
from coach.store.records import EXPORT_FIELDS

text = st.text(max_size=12)
rows = st.tuples(
    text,
    text,
    text,
    text,
    text,
    text,
    st.none() | text,
    text,
    st.floats(min_value=0) | st.integers(0, 10) | text,  # a value of another type than the schema's falls back
    st.integers(0, 2**63 - 1) | st.floats(allow_nan=False),
    st.none() | text,
    st.none() | st.integers(0, 10),
)


def general(values: list[tuple[Any, ...]]) -> str:
    out = io.StringIO()
    write_json_array((dict(zip(EXPORT_FIELDS, row, strict=True)) for row in values), out)
    return out.getvalue()


@settings(max_examples=200, deadline=None)
@given(st.lists(rows, max_size=6))
def test_the_fast_writer_writes_what_the_general_one_writes(values: list[tuple[Any, ...]]) -> None:
    out = io.StringIO()
    assert write_session_rows(values, out) == len(values)
    assert out.getvalue() == general(values)
    if values:
        assert json.loads(out.getvalue())[0]["id"] == values[0][0]


def test_more_rows_than_one_write_holds() -> None:
    values = [
        (f"id-{n}", "r", "R", "morning", "2024-05-01", "s", None, "completed", 1.5, n, "é\u202e", None)
        for n in range(2 * ROWS_PER_WRITE + 3)
    ]
    out = io.StringIO()
    assert write_session_rows(values, out) == len(values)
    assert out.getvalue() == general(values)
    assert write_session_rows([], io.StringIO()) == 0
