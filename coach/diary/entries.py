"""The cramp diary: what a logged cramp is, how a typed answer becomes one, and what the diary shows beside the
sessions kept (insights). Plain Python over dates and entries: no files, no database, no textual, no rich.

The store (coach/store/cramps.py) keeps the entries and hands the insights their data; `coach cramp`,
`coach insights` and the app show them. docs/diary.md says the rules in the user's words.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from msgspec import Struct

from coach.common.problems import CoachError
from coach.days.day import local_day
from coach.diary.causes import CAUSE_KEYS, cause

LEGS: tuple[str, ...] = ("left", "right", "both")
MUSCLES: tuple[str, ...] = ("calf", "foot", "thigh")
"""Where it cramped; "foot" covers the foot and the toes."""
MUSCLE_TITLES: dict[str, str] = {"calf": "calf", "foot": "foot/toes", "thigh": "thigh"}
UNKNOWN = "unknown"
TRIGGERS: tuple[str, ...] = tuple(key for key in CAUSE_KEYS if key != "vessels")
"""What may have set it off: the article's causes that can set off one cramp (cold, effort, sweating, fatigue,
calcium, posture) and "unknown". Blood-vessel disease is the article's reason for cramps that come *often*, not
something that sets one off on a given night: the frequent-cramps warning speaks for it."""
SEVERITY_MAX = 10

LAST_NIGHT_HOUR = 3
"""`--last-night` logs the cramp at 03:00 local time in the small hours before the current coach day."""

CRAMP_FIELDS: tuple[str, ...] = (
    "cramp_at",
    "id",
    "day",
    "leg",
    "muscle",
    "severity",
    "trigger",
    "note",
    "logged_at",
)
"""The fields of an exported cramp, in order (JSON keys and CSV columns alike); `cramp_at` marks the kind."""

Localize = Callable[[datetime], datetime]
"""Turns a naive local wall-clock time into an aware one with the UTC offset in force then."""


def system_localize(naive: datetime) -> datetime:
    """The naive time read in this computer's time zone, with the offset in force at that moment (DST-aware)."""
    return naive.astimezone()


class DiaryError(CoachError):
    """A cramp that cannot be logged as given (in the future, an unknown leg...); the message says why."""


# -- entries ---------------------------------------------------------------------------------------------------


class CrampEntry(Struct, frozen=True):
    """One cramp in the diary, as stored."""

    id: str
    """UUID4: the key that makes an import repeatable."""
    cramp_at: datetime
    """When it happened, aware, in the UTC offset in force then."""
    day: date
    """Its coach day (coach.days.day.local_day with the day-start hour in force when logged), fixed like a session's."""
    leg: str
    muscle: str
    severity: int
    """How bad, 0 (a twinge) to 10 (the worst)."""
    trigger: str = UNKNOWN
    """What may have set it off: a key of TRIGGERS (the user's guess, not a diagnosis)."""
    note: str = ""
    logged_at: datetime | None = None
    """When it was written down (None for entries made by hand in tests)."""

    def to_json(self) -> dict[str, Any]:
        """The exported form: {"cramp_at": ..., "id": ..., "day": ..., "leg": ..., ...}."""
        return {
            "cramp_at": _iso(self.cramp_at),
            "id": self.id,
            "day": self.day.isoformat(),
            "leg": self.leg,
            "muscle": self.muscle,
            "severity": self.severity,
            "trigger": self.trigger,
            "note": self.note,
            "logged_at": _iso(self.logged_at) if self.logged_at is not None else None,
        }

    def describe(self) -> str:
        """One line for messages: `2024-05-01 03:10, left calf, 6/10, maybe cold` (`calf, both legs`)."""
        muscle = MUSCLE_TITLES.get(self.muscle, self.muscle)
        where = f"{muscle}, both legs" if self.leg == "both" else f"{self.leg} {muscle}"
        text = f"{self.cramp_at.strftime('%Y-%m-%d %H:%M')}, {where}, {self.severity}/10"
        if self.trigger != UNKNOWN:
            text += f", maybe {trigger_title(self.trigger).lower()}"
        return text


class CrampDefaults(Struct, frozen=True):
    """What a new entry starts from, in `coach cramp` and in the app alike."""

    leg: str
    muscle: str
    severity: int
    trigger: str = UNKNOWN
    """Always unknown: what set off last night's cramp says nothing about tonight's."""


FIRST_DEFAULTS = CrampDefaults(leg="both", muscle="calf", severity=5)
"""Before the first entry: both legs, the calf, a middling 5."""


def cramp_defaults(last: CrampEntry | None) -> CrampDefaults:
    """The last entry's leg, muscle and severity (cramps tend to repeat), or FIRST_DEFAULTS for a new diary."""
    if last is None:
        return FIRST_DEFAULTS
    return CrampDefaults(leg=last.leg, muscle=last.muscle, severity=last.severity)


def make_entry(
    *,
    cramp_at: datetime,
    leg: str,
    muscle: str,
    severity: int,
    trigger: str = UNKNOWN,
    note: str = "",
    now: datetime,
    day_start_hour: int,
    entry_id: str | None = None,
) -> CrampEntry:
    """A checked new entry; DiaryError when it is in the future or a value is not one of the known ones."""
    if cramp_at.tzinfo is None or cramp_at.utcoffset() is None:
        raise DiaryError("the time of a cramp must carry its UTC offset")
    check_not_future(cramp_at, now)
    for kind, value in (("leg", leg), ("muscle", muscle), ("trigger", trigger)):
        problem = choice_problem(kind, value)
        if problem:
            raise DiaryError(problem)
    problem = severity_problem(severity)
    if problem:
        raise DiaryError(problem)
    return CrampEntry(
        id=entry_id or str(uuid.uuid4()),
        cramp_at=cramp_at,
        day=local_day(cramp_at, day_start_hour),
        leg=leg,
        muscle=muscle,
        severity=severity,
        trigger=trigger,
        note=note.strip(),
        logged_at=now,
    )


def check_not_future(cramp_at: datetime, now: datetime) -> None:
    """DiaryError when the cramp is after `now`: the diary records what happened."""
    if cramp_at > now:
        raise DiaryError(
            f"a cramp cannot be logged in the future: {cramp_at.strftime('%Y-%m-%d %H:%M')} is after now "
            f"({now.strftime('%Y-%m-%d %H:%M')}). Nothing was logged."
        )


_CHOICES: dict[str, tuple[str, ...]] = {"leg": LEGS, "muscle": MUSCLES, "trigger": TRIGGERS}


def choices(kind: str) -> tuple[str, ...]:
    """The known values of "leg", "muscle" or "trigger"."""
    return _CHOICES[kind]


def choice_problem(kind: str, value: object) -> str | None:
    """None when `value` is a known leg/muscle/trigger key, else the message (as import and CLI show it)."""
    known = _CHOICES[kind]
    if isinstance(value, str) and value in known:
        return None
    shown = f'"{value}"' if isinstance(value, str) else repr(value)
    return f"{kind} must be one of {', '.join(known)}, not {shown}"


def severity_problem(value: object) -> str | None:
    """None for a whole number from 0 to 10, else the message."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= SEVERITY_MAX:
        return None
    return f"severity must be a whole number from 0 to {SEVERITY_MAX}, not {value!r}"


def trigger_title(key: str) -> str:
    """The article's name of a trigger ("Cold", "Sleeping posture"), or "Don't know"."""
    found = cause(key)
    return found.title if found is not None else "Don't know"


def trigger_advice(key: str) -> str | None:
    """The article's advice for a trigger (coach.diary.causes.CAUSES), None for "unknown"."""
    found = cause(key)
    return found.advice if found is not None and key != UNKNOWN else None


# -- typed answers (CLI flags, prompts, the app's form) ---------------------------------------------------------

_ALIASES: dict[str, dict[str, str]] = {
    "leg": {"l": "left", "r": "right", "b": "both", "left": "left", "right": "right", "both": "both"},
    "muscle": {"c": "calf", "f": "foot", "toe": "foot", "toes": "foot", "foot/toes": "foot", "th": "thigh"},
    "trigger": {
        "?": UNKNOWN,
        "dont-know": UNKNOWN,
        "don't know": UNKNOWN,
        "dont know": UNKNOWN,
        "don't-know": UNKNOWN,
        "dk": UNKNOWN,
        "none": UNKNOWN,
        "salts": "sweating",
        "sweat": "sweating",
        "exercise": "effort",
        "tired": "fatigue",
        "blankets": "posture",
    },
}


def parse_choice(kind: str, text: str) -> str:
    """A leg, muscle or trigger key from what a person typed: the key, a unique start of it, a short alias
    (l/r/b; c/f/toes/th; "?" or "dont-know"), or for triggers its number in `choices("trigger")` counted from 1.
    DiaryError with the known values otherwise."""
    known = _CHOICES[kind]
    answer = text.strip().lower()
    if answer in known:
        return answer
    alias = _ALIASES.get(kind, {}).get(answer)
    if alias is not None:
        return alias
    if kind == "trigger" and answer.isdigit() and 1 <= int(answer) <= len(known):
        return known[int(answer) - 1]
    # A start of a key, of an alias, or of a trigger's title; "t" is both toes and thigh, so it is refused.
    names = {value: value for value in known} | _ALIASES.get(kind, {})
    if kind == "trigger":
        names |= {trigger_title(key).lower(): key for key in known}
    starts = list(dict.fromkeys(key for name, key in names.items() if answer and name.startswith(answer)))
    if len(starts) == 1:
        return starts[0]
    hint = " (more than one starts like that)" if len(starts) > 1 else ""
    raise DiaryError(f"{kind} must be one of {', '.join(known)}, not {text.strip()!r}{hint}")


def parse_severity(text: str) -> int:
    """A 0-10 severity from typed text; DiaryError otherwise."""
    answer = text.strip()
    if answer.isdigit() and 0 <= int(answer) <= SEVERITY_MAX:
        return int(answer)
    raise DiaryError(f"severity must be a whole number from 0 to {SEVERITY_MAX}, not {answer!r}")


def last_night(now: datetime, day_start_hour: int, localize: Localize = system_localize) -> datetime:
    """03:00 local in the small hours before the current coach day began: at 08:00 or at 23:00 on 25 November
    (and at 01:30 on the 26th, still the 25th's coach day) it is 03:00 on 25 November. With a day-start hour
    of 3 or earlier that moment can still be ahead; then it is 03:00 the day before."""
    current = local_day(now, day_start_hour)
    moment = localize(datetime.combine(current, time(LAST_NIGHT_HOUR)))
    if moment > now:
        moment = localize(datetime.combine(current - timedelta(days=1), time(LAST_NIGHT_HOUR)))
    return moment


def parse_when(text: str, now: datetime, day_start_hour: int, localize: Localize = system_localize) -> datetime:
    """When a cramp happened, from what a person typed:

    - "now" (or nothing);
    - "last night" (see `last_night`);
    - "YYYY-MM-DD HH:MM" (or with a T, seconds, or a UTC offset): local time unless an offset is given;
    - "HH:MM": the latest such time that is not after now (03:10 typed at 08:00 is this morning's).

    DiaryError for anything else. The result may be in the future ("2030-01-01 03:00"); `make_entry` refuses it.
    """
    answer = " ".join(text.strip().lower().split())
    if answer in ("", "now"):
        return now.replace(microsecond=0)
    if answer in ("last night", "last-night", "lastnight", "night"):
        return last_night(now, day_start_hour, localize)
    if len(answer) in (4, 5) and ":" in answer:
        hours, _, minutes = answer.partition(":")
        if hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and int(hours) < 24 and int(minutes) < 60:
            clock = time(int(hours), int(minutes))
            recent = localize(datetime.combine(now.date(), clock))
            if recent > now:
                recent = localize(datetime.combine(now.date() - timedelta(days=1), clock))
            return recent
    moment = _date_and_time(answer)
    if moment is not None:
        return moment if moment.tzinfo is not None else localize(moment)
    raise DiaryError(f"cannot read the time {text.strip()!r}: give 'now', 'last night', 'HH:MM' or 'YYYY-MM-DD HH:MM'")


def _date_and_time(answer: str) -> datetime | None:
    """ "YYYY-MM-DD HH:MM[:SS][+HH:MM]" (or with a T), else None; a date alone is not enough."""
    if len(answer) <= 10:
        return None
    try:
        return datetime.fromisoformat(answer.upper().replace(" ", "T", 1))
    except ValueError:
        return None


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a recorded time must carry its UTC offset")
    return moment.isoformat()
