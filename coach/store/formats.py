"""The written forms of what the history holds: JSON arrays and CSV tables, whole or streamed row by row.

Shared by the export (coach/store/exchange.py) and the cramp diary (coach/store/cramps.py); imports neither.
`write_session_rows` writes the export from the rows of its query, without making a dict or a record of each.
"""

from __future__ import annotations

import csv
import io
import json
import json.encoder
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TextIO

from coach.store.records import EXPORT_FIELDS


class Exportable(Protocol):
    """Anything the export writes: it knows its own JSON form."""

    def to_json(self) -> dict[str, Any]: ...


def uuid_text(value: object) -> str:
    """The canonical form of a UUID string, or "" when `value` is not one (an import problem to report)."""
    try:
        return str(uuid.UUID(value)) if isinstance(value, str) else ""
    except ValueError:
        return ""


def json_array(items: Iterable[Exportable]) -> str:
    """Sessions, rest days or cramps as the indented JSON array the export writes (and import reads)."""
    return json.dumps([item.to_json() for item in items], indent=2, ensure_ascii=False) + "\n"


def csv_table(items: Iterable[Exportable], fields: Sequence[str]) -> str:
    """The same items as CSV: the JSON keys as columns, a header row, empty cells for missing values."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(fields)
    for item in items:
        data = item.to_json()
        writer.writerow(["" if data.get(key) is None else data[key] for key in fields])
    return buffer.getvalue()


def write_json_array(items: Iterable[dict[str, Any]], out: TextIO) -> int:
    """Write items as the indented JSON array `json_array` makes, byte for byte, one item at a time (a history
    of any size in little memory); returns how many were written. Flat items are written by hand from json's
    own C string encoder: json.dumps with an indent runs its pure-Python encoder, five times slower."""
    count = 0
    for item in items:
        out.write("[\n" if count == 0 else ",\n")
        out.write(_item_text(item))
        count += 1
    out.write("[]\n" if count == 0 else "\n]\n")
    return count


def _item_text(item: dict[str, Any]) -> str:
    """One item of the array, indented as json.dumps(indent=2) indents it inside the array."""
    try:
        fields = ",\n    ".join(f"{_encode_string(key)}: {_scalar(value)}" for key, value in item.items())
    except TypeError:  # a nested value: the general encoder
        return "  " + json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n  ")
    return "  {\n    " + fields + "\n  }" if item else "  {}"


def _scalar(value: object) -> str:
    """A JSON scalar exactly as json.dumps writes it; TypeError for anything else (or a float it refuses)."""
    if isinstance(value, str):
        return _encode_string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float) and value == value and value not in (float("inf"), float("-inf")):
        return float.__repr__(value)
    raise TypeError(type(value).__name__)


_encode_string: Callable[[str], str] = (
    getattr(json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring
)


SESSION_ITEM = "  {\n    " + ",\n    ".join(f'"{key}": %s' for key in EXPORT_FIELDS) + "\n  }"
"""One exported session as `_item_text` writes it, its twelve values to fill in (records.EXPORT_FIELDS order)."""
_INFINITE = (float("inf"), float("-inf"))
ROWS_PER_WRITE = 512


def write_session_rows(rows: Iterable[Sequence[Any]], out: TextIO) -> int:
    """`write_json_array` for sessions as the store's export query reads them (`queries.EXPORT_COLUMNS`, in the
    order of `records.EXPORT_FIELDS`), byte for byte the same, about twice as fast: each row fills one template,
    and the text goes out in pieces of a few hundred items. A value of another type than the schema's falls back
    to the general writer, so the output never differs."""
    count = 0
    pending: list[str] = []
    encode, null = _encode_string, "null"
    for row in rows:
        try:
            sid, routine, name, slot, day, started, ended, status, active, cycles, note, discomfort = row
            if active != active or active in _INFINITE:
                raise TypeError("not a finite number")
            text = SESSION_ITEM % (
                encode(sid),
                encode(routine),
                encode(name),
                encode(slot),
                encode(day),
                encode(started),
                null if ended is None else encode(ended),
                encode(status),
                float.__repr__(active),
                int.__repr__(cycles),
                null if note is None else encode(note),
                null if discomfort is None else int.__repr__(discomfort),
            )
        except (TypeError, ValueError):
            text = _item_text(dict(zip(EXPORT_FIELDS, row, strict=True)))
        pending.append(text)
        count += 1
        if len(pending) == ROWS_PER_WRITE:
            out.write(("[\n" if count == ROWS_PER_WRITE else ",\n") + ",\n".join(pending))
            pending.clear()
    if pending:
        out.write(("[\n" if count == len(pending) else ",\n") + ",\n".join(pending))
    out.write("[]\n" if count == 0 else "\n]\n")
    return count


def write_csv(items: Iterable[dict[str, Any]], fields: Sequence[str], out: TextIO) -> int:
    """Write items as `csv_table` makes them, one row at a time; returns how many were written."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    count = 0
    for data in items:
        writer.writerow(["" if data.get(key) is None else data[key] for key in fields])
        count += 1
    return count
