"""Export (JSON array, CSV) and import (JSON) of the history.

The export is the JSON contract: a top-level array of sessions, each with `id` (UUID), `routine` (routine id),
`slot`, `started_at` and `ended_at` (ISO 8601 with UTC offset), `status` (`completed` or `partial`),
`active_seconds`, plus `routine_name`, `day`, `cycles_done`, `note` and `discomfort`. Sessions still running are
left out (their status is not final). Rest days are exported on request as a separate array of
`{"rest_day": "YYYY-MM-DD", "note": "..."}` items, so the session array stays exactly what the contract says.
The import reads either kind of item, in any mix: an item with a `rest_day` key is a rest day. Cramps from the
diary go the same way (`{"cramp_at": ..., "id": ...}`, checked in coach/store/cramps.py), keyed on their id.

An import is all or nothing: every problem in the file is reported as `PATH:LINE:COL: message`, and a file with
any problem imports nothing.
"""

from __future__ import annotations

import csv
import io
import json
import math
import uuid
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from coach.common.problems import Problem, ProblemsError
from coach.days.day import local_day
from coach.days.streaks import SLOTS
from coach.diary.entries import CrampEntry
from coach.engine.recording import Status
from coach.store.records import EXPORT_FIELDS, RestDay, SessionRecord, parse_iso

MAX_PROBLEMS = 100
ACTIVE_SLACK_SECONDS = 60.0
"""How much active time may exceed the wall-clock length of a session (clocks of other tools differ a little)."""


class Exportable(Protocol):
    """Anything the export writes: it knows its own JSON form."""

    def to_json(self) -> dict[str, Any]: ...


SESSION_REQUIRED = ("id", "routine", "slot", "started_at", "ended_at", "status", "active_seconds")
SESSION_OPTIONAL = ("routine_name", "day", "cycles_done", "note", "discomfort")
REST_DAY_KEYS = ("rest_day", "note")


# -- export ----------------------------------------------------------------------------------------------------


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


def sessions_json(sessions: Iterable[SessionRecord]) -> str:
    """The JSON contract array, indented, ending with a newline."""
    return json_array(sessions)


def sessions_csv(sessions: Iterable[SessionRecord]) -> str:
    """The same columns as the JSON export, with a header row."""
    return csv_table(sessions, EXPORT_FIELDS)


def rest_days_json(rest_days: Iterable[RestDay]) -> str:
    """Rest days as a JSON array of {"rest_day", "note"} items (importable like sessions)."""
    return json_array(rest_days)


def rest_days_csv(rest_days: Iterable[RestDay]) -> str:
    """Rest days as CSV with the columns rest_day, note."""
    return csv_table(rest_days, REST_DAY_KEYS)


# -- import ----------------------------------------------------------------------------------------------------


@dataclass
class ImportBatch:
    """What a valid import file holds."""

    sessions: list[SessionRecord] = field(default_factory=list)
    rest_days: list[RestDay] = field(default_factory=list)
    cramps: list[CrampEntry] = field(default_factory=list)


def read_import_file(
    path: Path, *, day_start_hour: int, shown_as: str | None = None, now: datetime | None = None
) -> ImportBatch:
    """Read and check an import file; raises ProblemsError with every located problem (with `now`, a cramp
    after it is one)."""
    name = shown_as if shown_as is not None else str(path)
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise ProblemsError([Problem(name, 1, 1, "this is a folder, not a JSON file")]) from None
    except OSError as error:
        raise ProblemsError([Problem(name, 1, 1, f"cannot read the file: {error.strerror or error}")]) from None
    return parse_import(raw, name, day_start_hour=day_start_hour, now=now)


def parse_import(raw: bytes, name: str, *, day_start_hour: int, now: datetime | None = None) -> ImportBatch:
    """Check an import file's bytes; raises ProblemsError with every located problem."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        col = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise ProblemsError([Problem(name, line, col, "this is not UTF-8 text; save the file as UTF-8")]) from None
    if not text.strip():
        raise ProblemsError([Problem(name, 1, 1, "the file is empty; expected a JSON array of sessions")])
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ProblemsError([Problem(name, error.lineno, error.colno, f"invalid JSON: {error.msg}")]) from None
    checker = _Checker(name, text, day_start_hour, now)
    batch = checker.check(data)
    if checker.problems:
        problems = sorted(checker.problems)
        if len(problems) > MAX_PROBLEMS:
            extra = len(problems) - MAX_PROBLEMS
            problems = problems[:MAX_PROBLEMS]
            last = problems[-1]
            problems.append(Problem(name, last.line, last.col, f"... and {extra} more problems"))
        raise ProblemsError(problems)
    return batch


@dataclass
class _ItemPlace:
    start: int
    keys: dict[str, int] = field(default_factory=dict)
    duplicates: list[tuple[str, int]] = field(default_factory=list)


class _Checker:
    """Checks the parsed items and locates each problem at its item's key (or its opening brace)."""

    def __init__(self, name: str, text: str, day_start_hour: int, now: datetime | None = None) -> None:
        self.name = name
        self.text = text
        self.day_start_hour = day_start_hour
        self.problems: list[Problem] = []
        self.now = now
        self._line_starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
        self._places = _scan_items(text)

    def where(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def add(self, offset: int, message: str) -> None:
        line, col = self.where(offset)
        self.problems.append(Problem(self.name, line, col, message))

    def check(self, data: Any) -> ImportBatch:
        batch = ImportBatch()
        if not isinstance(data, list):
            first = len(self.text) - len(self.text.lstrip())
            self.add(first, f"expected a JSON array of sessions (as `coach export` writes), found {_kind(data)}")
            return batch
        seen_ids: dict[str, int] = {}
        seen_days: dict[date, int] = {}
        seen_cramps: dict[str, int] = {}
        for index, item in enumerate(data):
            place = self._places[index] if index < len(self._places) else _ItemPlace(0)
            if not isinstance(item, dict):
                self.add(place.start, f"expected a session object {{...}}, found {_kind(item)}")
                continue
            for key, offset in place.duplicates:
                self.add(offset, f'"{key}" appears twice in this item')
            if "cramp_at" in item:
                cramp = self._cramp(item, place)
                if cramp is not None and cramp.id in seen_cramps:
                    line = self.where(seen_cramps[cramp.id])[0]
                    self.add(
                        place.keys.get("id", place.start),
                        f"id {cramp.id} appears twice in this file (first on line {line})",
                    )
                elif cramp is not None:
                    seen_cramps[cramp.id] = place.start
                    batch.cramps.append(cramp)
                continue
            if "rest_day" in item:
                rest = self._rest_day(item, place)
                if rest is not None:
                    if rest.day in seen_days:
                        line = self.where(seen_days[rest.day])[0]
                        self.add(place.start, f"rest day {rest.day} appears twice in this file (first on line {line})")
                    else:
                        seen_days[rest.day] = place.start
                        batch.rest_days.append(rest)
                continue
            record = self._session(item, place)
            if record is not None:
                if record.id in seen_ids:
                    line = self.where(seen_ids[record.id])[0]
                    self.add(
                        place.keys.get("id", place.start),
                        f"id {record.id} appears twice in this file (first on line {line})",
                    )
                else:
                    seen_ids[record.id] = place.start
                    batch.sessions.append(record)
        return batch

    def _cramp(self, item: dict[str, Any], place: _ItemPlace) -> CrampEntry | None:
        from coach.store.cramps import CRAMP_OPTIONAL, CRAMP_REQUIRED, cramp_from_item

        ok = self._unknown_keys(item, place, CRAMP_REQUIRED + CRAMP_OPTIONAL, "cramp")

        def bad(key: str | None, message: str) -> None:
            self.add(place.keys.get(key, place.start) if key else place.start, message)

        cramp = cramp_from_item(item, bad=bad, show=_show, day_start_hour=self.day_start_hour, now=self.now)
        return cramp if ok else None

    def _rest_day(self, item: dict[str, Any], place: _ItemPlace) -> RestDay | None:
        ok = self._unknown_keys(item, place, REST_DAY_KEYS, "rest day")
        value = item["rest_day"]
        day: date | None = None
        if isinstance(value, str):
            try:
                day = date.fromisoformat(value) if len(value) == 10 else None
            except ValueError:
                day = None
        if day is None:
            self.add(
                place.keys.get("rest_day", place.start), f'"rest_day" must be a date YYYY-MM-DD, not {_show(value)}'
            )
            ok = False
        note = item.get("note", "")
        if note is None:
            note = ""
        if not isinstance(note, str):
            self.add(place.keys.get("note", place.start), f'"note" must be a string, not {_show(note)}')
            ok = False
        return RestDay(day, note) if ok and day is not None else None

    def _session(self, item: dict[str, Any], place: _ItemPlace) -> SessionRecord | None:
        ok = self._unknown_keys(item, place, SESSION_REQUIRED + SESSION_OPTIONAL, "session")
        missing = [key for key in SESSION_REQUIRED if key not in item]
        if missing:
            names = ", ".join(f'"{key}"' for key in missing)
            self.add(place.start, f"this session lacks {names}")
            ok = False

        def at(key: str) -> int:
            return place.keys.get(key, place.start)

        def bad(key: str, message: str) -> None:
            nonlocal ok
            self.add(at(key), message)
            ok = False

        session_id = ""
        if "id" in item:
            session_id = uuid_text(item["id"])
            if not session_id:
                bad("id", f'"id" must be a UUID string, not {_show(item["id"])}')
        routine = item.get("routine")
        if "routine" in item and (not isinstance(routine, str) or not routine.strip()):
            bad("routine", f'"routine" must be a routine id (a non-empty string), not {_show(routine)}')
        routine_name = item.get("routine_name", routine)
        if routine_name is None:
            routine_name = routine
        if "routine_name" in item and not isinstance(routine_name, str):
            bad("routine_name", f'"routine_name" must be a string, not {_show(routine_name)}')
        slot = item.get("slot")
        if "slot" in item and slot not in SLOTS:
            bad("slot", f'"slot" must be one of {", ".join(SLOTS)}, not {_show(slot)}')
        started = self._moment(item, "started_at", at, bad)
        ended = self._moment(item, "ended_at", at, bad)
        if started is not None and ended is not None and ended < started:
            bad("ended_at", '"ended_at" is before "started_at"')
        status = item.get("status")
        if "status" in item and status not in (Status.COMPLETED, Status.PARTIAL):
            extra = " (a session still running cannot be imported)" if status == Status.RUNNING else ""
            bad("status", f'"status" must be "completed" or "partial", not {_show(status)}{extra}')
        active: Any = item.get("active_seconds")
        if "active_seconds" in item:
            number = isinstance(active, int | float) and not isinstance(active, bool)
            if not number or not math.isfinite(active) or active < 0:
                bad("active_seconds", f'"active_seconds" must be a number of seconds, 0 or more, not {_show(active)}')
            elif started is not None and ended is not None and ended >= started:
                length = (ended - started).total_seconds()
                if active > length + ACTIVE_SLACK_SECONDS:
                    bad(
                        "active_seconds",
                        f'"active_seconds" ({active:g}) is longer than the session itself ({length:g} s from '
                        f'"started_at" to "ended_at")',
                    )
        cycles = item.get("cycles_done", 0)
        if cycles is None:
            cycles = 0
        if not isinstance(cycles, int) or isinstance(cycles, bool) or cycles < 0:
            bad("cycles_done", f'"cycles_done" must be a whole number, 0 or more, not {_show(cycles)}')
        note = item.get("note")
        if note is not None and not isinstance(note, str):
            bad("note", f'"note" must be a string or null, not {_show(note)}')
        discomfort = item.get("discomfort")
        if discomfort is not None and (
            not isinstance(discomfort, int) or isinstance(discomfort, bool) or not 0 <= discomfort <= 10
        ):
            bad("discomfort", f'"discomfort" must be a whole number from 0 to 10, or null, not {_show(discomfort)}')
        day = self._day(item, started, at, bad)
        if not ok or started is None or ended is None or day is None:
            return None
        return SessionRecord(
            id=session_id,
            routine_id=str(routine),
            routine_name=str(routine_name),
            slot=str(slot),
            day=day,
            started_at=started,
            ended_at=ended,
            status=Status(str(status)),
            active_seconds=float(active),
            cycles_done=int(cycles),
            position="imported",
            last_checkpoint_at=ended,
            note=note,
            discomfort=discomfort,
        )

    def _moment(self, item: dict[str, Any], key: str, at: Any, bad: Any) -> datetime | None:
        if key not in item:
            return None
        value = item[key]
        if isinstance(value, str):
            try:
                return parse_iso(value)
            except ValueError:
                pass
        bad(
            key,
            f'"{key}" must be an ISO 8601 time with its UTC offset, e.g. 2024-05-01T07:30:00+02:00, not {_show(value)}',
        )
        return None

    def _day(self, item: dict[str, Any], started: datetime | None, at: Any, bad: Any) -> date | None:
        if started is None:
            return None
        value = item.get("day")
        if value is None:
            return local_day(started, self.day_start_hour)
        if isinstance(value, str) and len(value) == 10:
            try:
                day = date.fromisoformat(value)
            except ValueError:
                day = None
            if day is not None:
                # The day is the start's own date, or the day before for a session in the small hours.
                if day == started.date() or (day == started.date() - timedelta(days=1) and started.hour < 12):
                    return day
                bad("day", f'"day" {value} does not fit "started_at" {started.isoformat()}')
                return None
        bad("day", f'"day" must be a date YYYY-MM-DD, not {_show(value)}')
        return None

    def _unknown_keys(self, item: dict[str, Any], place: _ItemPlace, known: tuple[str, ...], what: str) -> bool:
        import difflib

        ok = True
        for key in item:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
                hint = f' (did you mean "{close[0]}"?)' if close else ""
                self.add(place.keys.get(key, place.start), f'unknown field "{key}" in a {what}{hint}')
                ok = False
        return ok


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return "a number"


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _scan_items(text: str) -> list[_ItemPlace]:
    """Offsets of the top-level array's items, and of the keys of object items (the text is valid JSON)."""
    places: list[_ItemPlace] = []
    stack: list[str] = []
    expect_item = False
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char in " \t\r\n":
            i += 1
            continue
        if len(stack) == 1 and stack[0] == "[" and expect_item and char != "]":
            places.append(_ItemPlace(i))
            expect_item = False
        if char == '"':
            end = i + 1
            while text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            if len(stack) == 2 and stack[1] == "{" and places:
                after = end + 1
                while after < n and text[after] in " \t\r\n":
                    after += 1
                if after < n and text[after] == ":":
                    key = json.loads(text[i : end + 1])
                    place = places[-1]
                    if key in place.keys:
                        place.duplicates.append((key, i))
                    else:
                        place.keys[key] = i
            i = end + 1
            continue
        if char in "[{":
            stack.append(char)
            if len(stack) == 1 and char == "[":
                expect_item = True
        elif char in "]}":
            stack.pop()
        elif char == "," and len(stack) == 1:
            expect_item = True
        i += 1
    return places
