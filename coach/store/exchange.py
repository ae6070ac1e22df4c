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

import json
import math
import os
import re
import stat
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from difflib import get_close_matches
from pathlib import Path
from typing import Any, BinaryIO

import msgspec
from msgspec import Struct

from coach.common.problems import Problem, ProblemsError
from coach.days.day import local_day
from coach.days.streaks import SLOTS
from coach.diary.entries import CrampEntry
from coach.engine.recording import Status
from coach.store.cramps import CRAMP_OPTIONAL, CRAMP_REQUIRED, cramp_from_item
from coach.store.formats import csv_table, json_array, uuid_text
from coach.store.queries import SessionRow, record_from_session_row, session_row
from coach.store.records import (
    EARLIEST_YEAR,
    EXPORT_FIELDS,
    LATEST_YEAR,
    RestDay,
    SessionRecord,
    parse_moment,
    utc_key,
)

MAX_PROBLEMS = 100
ACTIVE_SLACK_SECONDS = 60.0
"""How much active time may exceed the wall-clock length of a session (clocks of other tools differ a little)."""


SESSION_REQUIRED = ("id", "routine", "slot", "started_at", "ended_at", "status", "active_seconds")
SESSION_OPTIONAL = ("routine_name", "day", "cycles_done", "note", "discomfort")
REST_DAY_KEYS = ("rest_day", "note")


# -- export ----------------------------------------------------------------------------------------------------


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

    rows: list[SessionRow] = field(default_factory=list)
    """The sessions, as the rows the store inserts (`queries.session_row`; `Store.import_rows` takes them)."""
    rest_days: list[RestDay] = field(default_factory=list)
    cramps: list[CrampEntry] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    """Coach's own records accepted as they are, located like problems (a clock that stepped when they ran)."""

    @property
    def sessions(self) -> list[SessionRecord]:
        """The sessions as records (made from the rows on each call)."""
        return [record_from_session_row(row) for row in self.rows]


MAX_IMPORT_BYTES = 100 * 1024 * 1024
"""The largest import file read (100,000 sessions export to about 35 MB)."""
SQLITE_MAX_INTEGER = 2**63 - 1
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")
_HUGE_NUMBER = re.compile(r"\d{4000,}")


def read_import_file(
    path: Path, *, day_start_hour: int, shown_as: str | None = None, now: datetime | None = None
) -> ImportBatch:
    """Read and check an import file; raises ProblemsError with every located problem (with `now`, a cramp
    after it is one). Only a regular file of at most MAX_IMPORT_BYTES is read (a FIFO or a device never
    blocks or fills the memory)."""
    name = shown_as if shown_as is not None else str(path)
    raw = read_regular_file(path, name, MAX_IMPORT_BYTES)
    rows = _exported_rows(raw)
    if rows is not None:
        return ImportBatch(rows)
    text = _decode(raw, name)
    del raw  # the bytes and the text are never both kept while the JSON is parsed
    return _check_text(text, name, day_start_hour, now)


def read_regular_file(path: Path, name: str, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; ProblemsError with one message otherwise."""

    def refuse(message: str) -> ProblemsError:
        return ProblemsError([Problem(name, 1, 1, message)])

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except IsADirectoryError:
        raise refuse("this is a folder, not a JSON file") from None
    except OSError as error:
        raise refuse(f"cannot read the file: {error.strerror or error}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise refuse("this is a folder, not a JSON file")
        if not stat.S_ISREG(info.st_mode):
            raise refuse("this is not a regular file (a pipe, a device?); export to a file and import that")
        if info.st_size > limit:
            raise refuse(f"the file is {info.st_size / 1e6:.0f} MB; coach imports files of at most {limit // 10**6} MB")
        try:
            raw = handle.read(limit + 1)
        except OSError as error:
            raise refuse(f"cannot read the file: {error.strerror or error}") from None
    if len(raw) > limit:
        raise refuse(f"the file grew past {limit // 10**6} MB while it was read; coach imports files of at most that")
    return raw


def read_stream(stream: BinaryIO, name: str, limit: int = MAX_IMPORT_BYTES) -> bytes:
    """At most `limit` bytes from standard input; ProblemsError when there is more."""
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise ProblemsError([Problem(name, 1, 1, f"more than {limit // 10**6} MB; coach imports at most that")])
    return raw


def parse_import(raw: bytes, name: str, *, day_start_hour: int, now: datetime | None = None) -> ImportBatch:
    """Check an import file's bytes; raises ProblemsError with every located problem."""
    rows = _exported_rows(raw)
    if rows is not None:
        return ImportBatch(rows)
    return _check_text(_decode(raw, name), name, day_start_hour, now)


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        col = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise ProblemsError([Problem(name, line, col, "this is not UTF-8 text; save the file as UTF-8")]) from None


def parse_text(text: str, name: str, *, day_start_hour: int, now: datetime | None = None) -> ImportBatch:
    """Check an import file's text; raises ProblemsError with every located problem, and returns the batch with
    its warnings (coach's own records it accepted as they are).

    Three passes, each only when the one before gives up: a file of export-shaped sessions is decoded and
    checked straight into rows (`_exported_rows`); otherwise the parsed items are checked without offsets
    (working them out is the slow part at 100,000 sessions); a file with any problem, warning or repeated key is
    checked again with every item located."""
    rows = _exported_rows(text)
    if rows is not None:
        return ImportBatch(rows)
    return _check_text(text, name, day_start_hour, now)


def _check_text(text: str, name: str, day_start_hour: int, now: datetime | None) -> ImportBatch:
    """The JSON way of `parse_text`, for a file `_exported_rows` did not take."""
    if not text or text.isspace():  # strip() would copy the whole text
        raise ProblemsError([Problem(name, 1, 1, "the file is empty; expected a JSON array of sessions")])
    repeated = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal repeated
        item = dict(items)
        if len(item) != len(items):
            repeated = True
        return item

    surrogates = _SURROGATE_ESCAPE.search(text) is not None
    data = _loads(text, name, pairs)
    batch = _Checker(name, None, day_start_hour, now, surrogates).check(data, consume=True)
    if batch is not None and not repeated:
        return batch
    del data, batch
    checker = _Checker(name, text, day_start_hour, now, surrogates)
    batch = checker.check(_loads(text, name, dict), consume=False)
    if checker.problems:
        problems = sorted(checker.problems)
        if len(problems) > MAX_PROBLEMS:
            extra = len(problems) - MAX_PROBLEMS
            problems = problems[:MAX_PROBLEMS]
            last = problems[-1]
            problems.append(Problem(name, last.line, last.col, f"... and {extra} more problems"))
        raise ProblemsError(problems)
    assert batch is not None
    batch.warnings = sorted(checker.warnings)
    return batch


def _loads(text: str, name: str, hook: Callable[[list[tuple[str, Any]]], dict[str, Any]]) -> Any:
    """json.loads, with every way it can fail as one located problem."""
    try:
        return json.loads(text, object_pairs_hook=hook)
    except json.JSONDecodeError as error:
        raise ProblemsError([Problem(name, error.lineno, error.colno, f"invalid JSON: {error.msg}")]) from None
    except RecursionError:
        line, col = _where(text, _too_deep(text))
        raise ProblemsError([Problem(name, line, col, "the JSON is nested too deeply to be an export")]) from None
    except ValueError:  # a number of thousands of digits (Python's limit on int conversion)
        match = _HUGE_NUMBER.search(text)
        line, col = _where(text, match.start() if match else 0)
        raise ProblemsError([Problem(name, line, col, "a number with thousands of digits; not an export")]) from None


def _where(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _too_deep(text: str, limit: int = 200) -> int:
    """Where the nesting first goes deeper than `limit` (strings are skipped roughly: this only locates)."""
    depth = 0
    for match in re.finditer(r'[\[\]{}]|"(?:[^"\\]|\\.)*"', text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > limit:
                return match.start()
        elif char in "]}":
            depth -= 1
    return 0


@dataclass
class _ItemPlace:
    start: int
    keys: dict[str, int] = field(default_factory=dict)
    duplicates: list[tuple[str, int]] = field(default_factory=list)


class _Checker:
    """Checks the parsed items. With the text, each problem is located at its item's key (or its opening brace);
    without it (the first, fast pass), the first problem or warning stops the pass (`check` returns None)."""

    def __init__(
        self, name: str, text: str | None, day_start_hour: int, now: datetime | None = None, surrogates: bool = True
    ) -> None:
        self.name = name
        self.text = text
        self.day_start_hour = day_start_hour
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.now = now
        self.surrogates = surrogates
        """Whether the text escapes a surrogate (only then is every string checked for a lone one)."""
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)] if text is not None else [0]
        self._places = _scan_items(text) if text is not None else []

    def where(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def add(self, offset: int, message: str) -> None:
        line, col = self.where(offset)
        self.problems.append(Problem(self.name, line, col, _printable(message)))

    def warn(self, offset: int, message: str) -> None:
        line, col = self.where(offset)
        self.warnings.append(Problem(self.name, line, col, "warning: " + _printable(message)))

    def check(self, data: Any, *, consume: bool) -> ImportBatch | None:
        """The batch, or None when the fast pass met a problem or a warning. With `consume`, each item is
        dropped from `data` once checked, so the records replace the parsed objects instead of adding to them."""
        batch = ImportBatch()
        if not isinstance(data, list):
            if self.text is None:
                return None
            first = len(self.text) - len(self.text.lstrip())
            self.add(first, f"expected a JSON array of sessions (as `coach export` writes), found {_kind(data)}")
            return batch
        seen_ids: dict[object, int] = {}
        seen_days: dict[date, int] = {}
        seen_cramps: dict[str, int] = {}
        blank = _ItemPlace(0)
        for index, item in enumerate(data):
            if consume:
                data[index] = None
            if self.text is None and (self.problems or self.warnings):
                return None
            place = self._places[index] if index < len(self._places) else blank
            if not isinstance(item, dict):
                self.add(place.start, f"expected a session object {{...}}, found {_kind(item)}")
                continue
            if self.surrogates and not self._text_only(item, place):
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
            record = self._any_session(item, place)
            if record is not None:
                if record.id in seen_ids:
                    line = self.where(seen_ids[record.id])[0]
                    self.add(
                        place.keys.get("id", place.start),
                        f"id {record.id} appears twice in this file (first on line {line})",
                    )
                else:
                    seen_ids[record.id] = place.start
                    batch.rows.append(session_row(record))
        if self.text is None and (self.problems or self.warnings):
            return None
        return batch

    def _text_only(self, item: dict[str, Any], place: _ItemPlace) -> bool:
        """False (and a problem) when a key or a string value holds a lone surrogate (not text: SQLite and the
        terminal would refuse it)."""
        ok = True
        for key, value in item.items():
            for text in (key, value):
                if isinstance(text, str):
                    try:
                        text.encode("utf-8")
                    except UnicodeEncodeError:
                        self.add(
                            place.keys.get(key, place.start) if text is value else place.start,
                            f"{_show(text)} holds a lone surrogate (an escape such as \\ud800 alone), "
                            "which is not text",
                        )
                        ok = False
        return ok

    def _cramp(self, item: dict[str, Any], place: _ItemPlace) -> CrampEntry | None:
        ok = self._unknown_keys(item, place, CRAMP_REQUIRED + CRAMP_OPTIONAL, "cramp")

        def bad(key: str | None, message: str) -> None:
            self.add(place.keys.get(key, place.start) if key else place.start, message)

        def warn(key: str | None, message: str) -> None:
            self.warn(place.keys.get(key, place.start) if key else place.start, message)

        cramp = cramp_from_item(item, bad=bad, show=_show, day_start_hour=self.day_start_hour, now=self.now, warn=warn)
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

    def _any_session(self, item: dict[str, Any], place: _ItemPlace) -> SessionRecord | None:
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
        warnings: list[tuple[str, str]] = []
        if started is not None and ended is not None and ended < started:
            if _coach_made(item):  # coach's own record of a session during which the clock stepped back
                warnings.append(("ended_at", '"ended_at" is before "started_at" (the clock stepped back?)'))
            else:
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
            elif active > 1e9:
                bad("active_seconds", f'"active_seconds" ({active:g}) is longer than anyone exercises')
            elif started is not None and ended is not None and ended >= started:
                length = (ended - started).total_seconds()
                if active > length + ACTIVE_SLACK_SECONDS:
                    message = (
                        f'"active_seconds" ({active:g}) is longer than the session itself ({length:g} s from '
                        f'"started_at" to "ended_at")'
                    )
                    if _coach_made(item):
                        warnings.append(("active_seconds", message + " (the clock stepped back?)"))
                    else:
                        bad("active_seconds", message)
        cycles = item.get("cycles_done", 0)
        if cycles is None:
            cycles = 0
        if not isinstance(cycles, int) or isinstance(cycles, bool) or not 0 <= cycles <= SQLITE_MAX_INTEGER:
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
        for key, message in warnings:
            self.warn(at(key), message + "; imported as recorded")
        if ended < started or active > (ended - started).total_seconds() + ACTIVE_SLACK_SECONDS:
            ended = started + timedelta(seconds=float(active))  # the end the session really had, as far as known
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
                return parse_moment(value)
            except ValueError as error:
                if str(error):
                    bad(key, f'"{key}" {error}, not {_show(value)}')
                    return None
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
        ok = True
        for key in item:
            if key not in known:
                close = get_close_matches(key, known, n=1, cutoff=0.6)
                hint = f' (did you mean "{close[0]}"?)' if close else ""
                self.add(place.keys.get(key, place.start), f'unknown field "{key}" in a {what}{hint}')
                ok = False
        return ok


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_HOURS_MINUTES = "(?:[01][0-9]|2[0-3]):[0-5][0-9]"
_ISO_TIME = re.compile(
    rf"[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}T{_HOURS_MINUTES}:[0-5][0-9](?:\.(?!000000)[0-9]{{6}})?"
    rf"(?:\+{_HOURS_MINUTES}|-(?!00:00){_HOURS_MINUTES})"
)
"""A time exactly as `datetime.isoformat()` writes one with a UTC offset of whole minutes: stored as it is."""
_FINISHED = frozenset((Status.COMPLETED.value, Status.PARTIAL.value))
_SLOT_SET = frozenset(SLOTS)
_ONE_DAY = timedelta(days=1)


class _ExportedSession(Struct, forbid_unknown_fields=True, gc=False):
    """A session item with the keys and value types `coach export` writes (`records.EXPORT_FIELDS`), as msgspec
    decodes it; `_exported_rows` checks the values. Not tracked by the garbage collector: it holds no container."""

    id: str
    routine: str
    routine_name: str
    slot: str
    day: str
    started_at: str
    ended_at: str
    status: str
    active_seconds: float
    cycles_done: int
    note: str | None
    discomfort: int | None


_ITEMS, _EXPORTED = msgspec.json.Decoder(list[msgspec.Raw]), msgspec.json.Decoder(_ExportedSession)
_STRINGS_PER_SESSION = len(EXPORT_FIELDS) + 8
"""The JSON strings of an exported session without a note: its twelve keys and eight string values."""
_ESCAPE_BYTES, _ESCAPE_TEXT = re.compile(rb"\\.", re.DOTALL), re.compile(r"\\.", re.DOTALL)


def _exported_rows(data: bytes | str) -> list[SessionRow] | None:
    """The rows of a file that is an array of export-shaped sessions (in any layout), every value valid and no
    id or key repeated; else None, and the JSON is parsed and checked item by item (`_Checker`), which locates
    what is wrong. It accepts no file the full check refuses, and makes the rows the full check would make
    (tests/store/test_store_import_fast.py).

    What it buys, at 100,000 sessions: msgspec splits the array and decodes and type-checks each item in C (0.1 s
    in all; `json.loads` alone takes 0.2 s), and the values are checked straight into the rows the store inserts,
    without a dict, a `SessionRecord` or an `isoformat` per item: the full check and its rows take 1.5 s of CPU,
    this 0.45 s. Each item is decoded when its turn comes, so the decoded items never all take memory at once
    (25 MB less than one decode of the whole array, for 0.02 s)."""
    try:
        items = _ITEMS.decode(data)
    except (msgspec.DecodeError, RecursionError):  # not JSON, not an array, nested too deeply
        return None
    rows: list[SessionRow] = []
    seen: set[str] = set()
    strings = _STRINGS_PER_SESSION * len(items)
    # One string for each routine, name, slot and status (a few of each in 100,000 sessions): 24 MB less.
    shared: dict[str, str] = {}
    append, uuid_match, time_match, same = rows.append, _UUID.fullmatch, _ISO_TIME.fullmatch, shared.setdefault
    decode = _EXPORTED.decode
    for piece in items:
        try:
            item = decode(piece)
        except (msgspec.DecodeError, RecursionError):  # another shape, a lone surrogate, a number out of range...
            return None
        session_id, routine, slot, status, active = item.id, item.routine, item.slot, item.status, item.active_seconds
        discomfort, day, started_text, ended_text = item.discomfort, item.day, item.started_at, item.ended_at
        if not (
            uuid_match(session_id)
            and session_id not in seen
            and routine.strip()
            and slot in _SLOT_SET
            and status in _FINISHED
            and 0 <= active <= 1e9
            and 0 <= item.cycles_done <= SQLITE_MAX_INTEGER
            and (discomfort is None or 0 <= discomfort <= 10)
        ):
            return None
        try:
            started, ended = datetime.fromisoformat(started_text), datetime.fromisoformat(ended_text)
        except ValueError:
            return None
        if time_match(started_text) is None:  # a time in another form: stored as isoformat writes it
            if started.utcoffset() is None:
                return None
            started_text = started.isoformat()
        if time_match(ended_text) is None:
            if ended.utcoffset() is None:
                return None
            ended_text = ended.isoformat()
        length = (ended - started).total_seconds()
        if not (
            EARLIEST_YEAR <= started.year <= LATEST_YEAR
            and EARLIEST_YEAR <= ended.year <= LATEST_YEAR
            and length >= 0
            and active <= length + ACTIVE_SLACK_SECONDS
            and (
                day == started_text[:10]  # the start's own local date, or the day before for the small hours
                or (started.hour < 12 and day == (started.date() - _ONE_DAY).isoformat())
            )
        ):
            return None
        name, note = item.routine_name, item.note
        if note is not None:
            strings += 1
        seen.add(session_id)
        append(
            (
                session_id,
                same(routine, routine),
                same(name, name),
                same(slot, slot),
                day,
                started_text,
                _utc_text(started_text, started),
                ended_text,
                same(status, status),
                float(active),
                item.cycles_done,
                "imported",
                ended_text,
                note,
                discomfort,
            )
        )
    # msgspec keeps the last of a repeated key, which the full check reports: a file with one holds more strings.
    if _strings_in(data) != strings:
        return None
    return rows


def _strings_in(data: bytes | str) -> int:
    """How many strings (keys included) valid JSON holds: its quotes that are not escaped, two to a string."""
    if isinstance(data, bytes):
        return (_ESCAPE_BYTES.sub(b"", data) if b"\\" in data else data).count(b'"') // 2
    return (_ESCAPE_TEXT.sub("", data) if "\\" in data else data).count('"') // 2


def _utc_text(text: str, moment: datetime) -> str:
    """`records.utc_key(moment)` for `moment` written as `text` (as isoformat writes it). An offset of whole hours
    that keeps the day only moves the hour, so that case is worked out on the text.

    What it buys: isoformat is slow (1.45 us for astimezone and isoformat against 0.57 us); 0.09 s of CPU at
    100,000 sessions, 5 % of the import."""
    if len(text) in (25, 32) and text[-2:] == "00":
        hour = int(text[11:13]) - int(text[-6:-3])
        if 0 <= hour <= 23:
            return f"{text[:11]}{_HOURS[hour]}{text[13:19]}{text[19:26] if len(text) == 32 else '.000000'}+00:00"
    return utc_key(moment)


_HOURS = [f"{hour:02d}" for hour in range(24)]


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
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (ValueError, RecursionError):
        text = f"({_kind(value)})"
    return _printable(text if len(text) <= 60 else text[:57] + "...")


def _printable(text: str) -> str:
    """Lone surrogates written out as escapes (they cannot be printed or stored)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _coach_made(item: dict[str, Any]) -> bool:
    """Whether an item is coach's own record (an export has these keys, which other tools do not write)."""
    return all(key in item for key in ("routine_name", "day", "cycles_done"))


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
