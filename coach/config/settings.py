"""User settings in settings.toml: `current()` reads them once (again only when the file changes), and
`with updating_settings() as s:` writes changes back atomically. A broken file gets located problems and the
defaults for what is wrong, and is never overwritten until the user saves."""

from __future__ import annotations

import copy
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field, fields
from datetime import time
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from msgspec import Struct

from coach.common.paths import settings_file
from coach.common.problems import Problem
from coach.common.safe_text import printable
from coach.routines.durations import DurationError, format_duration, parse_duration
from coach.routines.model import Group, Routine, Step, TimedStep

if TYPE_CHECKING:
    from coach.common.tomlfile import KeyPath, TomlDocument

REMINDER_SLOTS: tuple[str, ...] = ("morning", "evening", "bedtime")
"""The slots a reminder may be set for, in the order of the day."""
MAX_SETTINGS_BYTES = 256 * 1024
"""A settings file is a few hundred bytes; anything near this size is not one (and is not read whole)."""
_TIME = re.compile(r"(\d{1,2}):(\d{2})")

SOUNDS = ("every change", "starts and the end", "off")
"""The values of `sounds` (coach.engine.cues.SoundLevel)."""


@dataclass
class Settings:
    """What the user can choose; every field has a safe default. Change them only inside `updating_settings()`
    (or on a copy): `current()` hands out copies, so no one else sees a half-made change."""

    day_start_hour: int = 4
    """The hour (0-12) at which a coach day begins; sessions before it count for the day before."""
    sound: bool = True
    sounds: str = "every change"
    """How much the bell says: "every change", "starts and the end" (no 3-2-1 ring), or "off"."""
    voice: bool = False
    speech_program: str = ""
    """"" picks the first of espeak-ng, spd-say, say that is installed."""
    notifications: bool = True
    theme: str = "textual-dark"
    lengths: dict[str, str | int] = field(default_factory=dict)
    """Preferred lengths within a routine's ranges, e.g. {"foot-soak": "18m"} (or whole seconds: 1080)."""
    sync_folder: str = ""
    """A folder shared by a file-sync tool, where `coach sync` meets the other devices' histories; "" = off."""
    reminders: dict[str, str] = field(default_factory=dict)
    """Reminder times by slot, e.g. {"morning": "08:00", "bedtime": "22:00"}; a slot not listed gets none."""


Locate = Callable[["KeyPath", str], Problem]


class LoadedSettings(Struct, frozen=True):
    """Settings to use, and the problems that made coach fall back to defaults for some of them."""

    settings: Settings
    problems: list[Problem]
    locate: Locate | None = None
    """Makes a Problem at a key's place in the file (None when there is no readable file)."""

    def with_routines(self, routines: Mapping[str, Routine]) -> LoadedSettings:
        """The same settings checked against the installed routines: a preferred length outside its routine's
        range is a located problem and is not used (the routine ends at its longest, as with no preference)."""
        if self.locate is None:
            return self
        wrong = lengths_out_of_range(self.settings, routines)
        if not wrong:
            return self
        settings = copy.deepcopy(self.settings)
        for routine_id, _ in wrong:
            settings.lengths.pop(routine_id, None)
        extra = [
            self.locate(("lengths", routine_id), f"lengths.{_key(routine_id)}: {why}") for routine_id, why in wrong
        ]
        return LoadedSettings(settings, self.problems + extra, self.locate)


# -- reading --------------------------------------------------------------------------------------------------


def current(path: Path | None = None) -> Settings:
    """The settings in use (a copy: change them with `updating_settings()`); the file is read again only when
    it has changed since the last read."""
    return copy.deepcopy(load_settings(path).settings)


def forget() -> None:
    """Drop what was read, so the next `current()` reads the file (a save does this itself)."""
    _parsed.cache_clear()


def load_settings(path: Path | None = None) -> LoadedSettings:
    """Settings.toml's settings (the defaults when there is none) and its problems, parsed once per content of
    the file; never raises for a bad file. Share what it returns, never change it."""
    path = path or settings_file()
    return _parsed(path, _contents(path))


def _contents(path: Path) -> bytes | str | None:
    """The file's bytes, None when there is none, or why it cannot be read (a folder, a FIFO, far too large).

    Read whole each time (a few hundred bytes, microseconds): the bytes are the cache key, so an edit is never
    missed, however soon after the last read it lands."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return f"this is {'a folder' if stat.S_ISDIR(info.st_mode) else 'not a regular file'}, not a settings file"
        if info.st_size > MAX_SETTINGS_BYTES:
            return f"this file is {info.st_size // 1024} KiB; a settings file is far smaller (at most 256 KiB is read)"
        with path.open("rb") as handle:
            return handle.read(MAX_SETTINGS_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"cannot read the file: {error.strerror or error}"


@lru_cache(maxsize=8)
def _parsed(path: Path, contents: bytes | str | None) -> LoadedSettings:
    if contents is None:
        return LoadedSettings(Settings(), [])
    if isinstance(contents, str):
        return LoadedSettings(Settings(), [Problem(str(path), 1, 1, contents)])
    # The TOML reader is imported only when there is a file to read: a countdown without a settings.toml loads
    # none (3 ms and 0.3 MiB before the run screen's first frame; tests/test_layering.py holds it).
    from coach.common.tomlfile import parse_toml_bytes

    document = parse_toml_bytes(contents, str(path))
    if document.problems:
        return LoadedSettings(Settings(), document.problems)
    return _from_document(document)


def _from_document(document: TomlDocument) -> LoadedSettings:
    values: dict[str, object] = {}
    problems: list[Problem] = []
    known = {f.name for f in fields(Settings)}
    defaults = Settings()
    for key, value in document.data.items():
        if key not in known:
            shown = _shown(key)
            problems.append(document.problem((key,), f"unknown setting {shown}{document.suggest(key, known)}"))
            continue
        expected = type(getattr(defaults, key))
        if type(value) is not expected:
            problems.append(document.problem((key,), f"{key} must be {_kind(expected)}"))
            continue
        if key == "day_start_hour" and not 0 <= value <= 12:
            problems.append(document.problem((key,), "day_start_hour must be an hour from 0 to 12"))
            continue
        if key == "sounds" and value not in SOUNDS:
            problems.append(document.problem((key,), f"sounds must be one of {', '.join(map(repr, SOUNDS))}"))
            continue
        if key == "lengths":
            value = _kept(document, key, value, _length_problem, problems)
        elif key == "reminders":
            value = _kept(document, key, value, _reminder_problem, problems)
        values[key] = value
    return LoadedSettings(Settings(**values), problems, document.problem)  # type: ignore[arg-type]


def _kept(
    document: TomlDocument,
    table: str,
    value: dict[str, object],
    problem_of: Callable[[TomlDocument, str, object], str | None],
    problems: list[Problem],
) -> dict[str, object]:
    """The entries of a table that can be used; each other one becomes a located problem (and is left out)."""
    kept = {}
    for key, item in value.items():
        problem = problem_of(document, key, item)
        if problem is None:
            kept[key] = item
        else:
            problems.append(document.problem((table, key), problem))
    return kept


def _length_problem(document: TomlDocument, routine_id: str, value: object) -> str | None:
    try:
        parse_duration(value)
    except DurationError as error:
        return f"lengths.{_key(routine_id)}: {error}"
    return None


def _reminder_problem(document: TomlDocument, slot: str, value: object) -> str | None:
    if slot not in REMINDER_SLOTS:
        hint = document.suggest(slot, REMINDER_SLOTS) or f" (the slots are {', '.join(REMINDER_SLOTS)})"
        return f"unknown slot {_shown(slot)} in [reminders]{hint}"
    if not isinstance(value, str):
        return f'reminders.{slot} must be a time as a string, like "08:00"'
    try:
        parse_reminder_time(value)
    except ValueError as error:
        return f"reminders.{slot}: {error}"
    return None


# -- writing --------------------------------------------------------------------------------------------------


@contextmanager
def updating_settings(path: Path | None = None) -> Iterator[Settings]:
    """`with updating_settings() as s: s.sound = False` writes the change back (atomically) when the block ends
    without an exception, and makes `current()` read it; values the file got wrong are written as the defaults
    in use. Raises OSError when the file cannot be written (nothing is changed then)."""
    settings = current(path)
    yield settings
    save_settings(settings, path)


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write settings.toml with tomli-w, atomically (a crash never leaves half a file), through a symlink to the
    file it points at (a dotfiles manager's link stays a link), keeping the file's permissions."""
    import tomli_w  # only a save needs the writer (never before a first frame)

    path = path or settings_file()
    if path.is_symlink():
        path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {key: value for key, value in asdict(settings).items() if value != {}}
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".toml")
    try:
        with os.fdopen(fd, "wb") as handle:
            tomli_w.dump(data, handle)
            handle.flush()
            os.fsync(handle.fileno())
        with suppress(FileNotFoundError):
            os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    finally:
        forget()


# -- what the values mean -------------------------------------------------------------------------------------


def parse_reminder_time(text: str) -> time:
    """A reminder time written "HH:MM" (24-hour clock; "8:30" is read as 08:30); ValueError says what is wrong."""
    match = _TIME.fullmatch(text.strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f'{_shown(text)} is not a time: write it as "HH:MM" (24-hour clock), like "08:00" or "21:30"')
    return time(int(match[1]), int(match[2]))


def reminder_times(settings: Settings) -> dict[str, time]:
    """The reminder time of each slot that has one, in the order of the day (entries that are not a time left
    out: the loader has already said so)."""
    times = {}
    for slot in REMINDER_SLOTS:
        text = settings.reminders.get(slot)
        if text is None:
            continue
        try:
            times[slot] = parse_reminder_time(text)
        except ValueError:
            continue
    return times


def preferred_seconds(settings: Settings, routine_id: str) -> int | None:
    """The user's preferred length for a routine's ranged part, in seconds, or None."""
    value = settings.lengths.get(routine_id)
    try:
        return parse_duration(value) if value is not None else None
    except DurationError:
        return None


def length_bounds(routine: Routine) -> tuple[int, int] | None:
    """The shortest and longest a routine's ranged parts may last (heel raises 10m..15m, the soak 15m..20m), or
    None when it has none: a preferred length is chosen within these."""
    spans = []

    def walk(steps: tuple[Step, ...]) -> None:
        for step in steps:
            if isinstance(step, TimedStep) and step.time.is_range:
                spans.append(step.time)
            elif isinstance(step, Group):
                if step.for_ is not None and step.for_.is_range:
                    spans.append(step.for_)
                walk(step.steps)

    walk(routine.steps)
    return (min(span.low for span in spans), max(span.high for span in spans)) if spans else None


def length_problem(value: str | int, bounds: tuple[int, int]) -> str | None:
    """Why a preferred length cannot be used, or None (an empty text means no preference)."""
    if isinstance(value, str) and not value.strip():
        return None
    try:
        seconds = parse_duration(value.strip() if isinstance(value, str) else value)
    except DurationError as error:
        return str(error)
    low, high = bounds
    if not low <= seconds <= high:
        return f"{_written(value)} is outside {format_duration(low)} to {format_duration(high)}"
    return None


def lengths_out_of_range(settings: Settings, routines: Mapping[str, Routine]) -> list[tuple[str, str]]:
    """(routine id, why) for each preferred length outside its routine's range; lengths of routines not installed
    now are kept quietly for when they are."""
    found = []
    for routine_id, value in settings.lengths.items():
        routine = routines.get(routine_id)
        bounds = length_bounds(routine) if routine is not None else None
        seconds = preferred_seconds(settings, routine_id)
        if routine is None or bounds is None or seconds is None or bounds[0] <= seconds <= bounds[1]:
            continue
        low, high = format_duration(bounds[0]), format_duration(bounds[1])
        found.append((routine_id, f"{_written(value)} is outside {low} to {high} ({printable(routine.name)})"))
    return found


def _written(value: str | int) -> str:
    """A length as the user wrote it: "25m" as 25m, a number of seconds as "1800 s"."""
    return f"{value} s" if isinstance(value, int) else printable(value.strip())


def _shown(text: str) -> str:
    """User text quoted for a one-line message: control characters escaped, long text cut."""
    shown = printable(text)
    return repr(shown if len(shown) <= 40 else shown[:37] + "...")


def _key(text: str) -> str:
    shown = printable(text)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _kind(expected: type) -> str:
    return {bool: "true or false", int: "a whole number", str: "a string", dict: "a table"}[expected]
