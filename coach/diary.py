"""The cramp diary: what a logged cramp is, how a typed answer becomes one, and what the diary shows beside the
sessions kept (insights). Plain Python over dates and entries: no files, no database, no textual, no rich.

The store (coach/store/cramps.py) keeps the entries and hands the insights their data; `coach cramp`,
`coach insights` and the app show them. docs/diary.md says the rules in the user's words.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from coach.day import local_day
from coach.problems import CoachError
from coach.why import CAUSE_KEYS, cause

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
FREQUENT_PER_WEEK = 3
"""At this many cramps a week or more over the last 4 weeks, insights say that frequent cramps deserve a doctor."""
FREQUENT_WINDOW_DAYS = 28
COMPARE_DAYS = 28
"""The before/after comparison sets the 4 weeks before the program began against the last 4 weeks."""
MIN_COMPARE_DAYS = 7
"""No comparison until the program has run for a week: a few days say nothing about a rate."""
DEFAULT_WEEKS = 12

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


@dataclass(frozen=True)
class CrampEntry:
    """One cramp in the diary, as stored."""

    id: str
    """UUID4: the key that makes an import repeatable."""
    cramp_at: datetime
    """When it happened, aware, in the UTC offset in force then."""
    day: date
    """Its coach day (coach.day.local_day with the day-start hour in force when logged), fixed like a session's."""
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
    """The article's advice for a trigger (coach.why.CAUSES), None for "unknown"."""
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


# -- insights --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekCount:
    """One week of the chart: cramps logged beside slots kept."""

    start: date
    end: date
    cramps: int
    kept: int
    """Planned slots kept in the week (a slot kept on a day counts once: slot-days)."""
    possible: int
    """Planned slots times the days of the week from the program's start on (0 before it began)."""


@dataclass(frozen=True)
class Window:
    """A stretch of days and the cramps logged in it."""

    start: date
    end: date
    cramps: int

    @property
    def days(self) -> int:
        """Its length in days (0 when empty)."""
        return max(0, (self.end - self.start).days + 1)

    @property
    def per_week(self) -> float | None:
        """Cramps per 7 days, or None for an empty window."""
        return self.cramps * 7 / self.days if self.days else None


@dataclass(frozen=True)
class BeforeAfter:
    """The 4 weeks before the program began against the last 4 weeks (none of them before the start)."""

    program_start: date
    before: Window
    since: Window
    trend: str | None
    """"fewer", "more" or "same" cramps a week since; None when there is nothing fair to compare (see `why_not`)."""
    why_not: str | None = None
    """"too-early" (the program has run less than a week) or "nothing-before" (no cramp logged before it)."""


@dataclass(frozen=True)
class TriggerCount:
    """How often a trigger was suspected in the chart's weeks."""

    key: str
    count: int
    title: str
    advice: str | None


@dataclass(frozen=True)
class Insights:
    """Everything `coach insights` and the history screen show; computed by `compute_insights`."""

    as_of: date
    program_start: date | None
    """The coach day of the first recorded session (None before the first)."""
    weeks: tuple[WeekCount, ...]
    """Oldest first, each 7 days, the last ending on `as_of`; empty when there is no data at all."""
    before_after: BeforeAfter | None
    """None until a session is recorded."""
    triggers: tuple[TriggerCount, ...]
    """Suspected triggers in the chart's weeks, most frequent first ("unknown" left out)."""
    cramps_per_week: float | None
    """Cramps a week over the last 4 weeks (over the days since the first entry, at least 7, when the diary is
    younger); None with an empty diary."""
    frequent: bool
    """`cramps_per_week` >= FREQUENT_PER_WEEK: say that frequent cramps deserve a doctor's visit."""
    total_cramps: int
    unknown_triggers: int = 0
    """Cramps in the chart's weeks marked "don't know"."""

    @property
    def has_data(self) -> bool:
        """Whether anything is recorded yet (a cramp or a session)."""
        return self.total_cramps > 0 or self.program_start is not None

    @property
    def top_trigger(self) -> TriggerCount | None:
        """The most frequently suspected trigger, with the article's advice for it."""
        return self.triggers[0] if self.triggers else None


def week_ranges(today: date, weeks: int) -> list[tuple[date, date]]:
    """`weeks` runs of 7 days, oldest first, the last ending on `today`."""
    return [
        (today - timedelta(days=7 * back + 6), today - timedelta(days=7 * back)) for back in range(weeks - 1, -1, -1)
    ]


def count_between(days: Sequence[date], start: date, end: date) -> int:
    """How many of the sorted `days` fall from `start` to `end`, both included."""
    from bisect import bisect_left, bisect_right

    return bisect_right(days, end) - bisect_left(days, start)


def weekly_counts(
    cramp_days: Iterable[date],
    kept: Iterable[tuple[date, str]],
    today: date,
    *,
    planned: Sequence[str] = ("morning", "evening", "bedtime"),
    program_start: date | None = None,
    weeks: int = DEFAULT_WEEKS,
) -> list[WeekCount]:
    """Cramps and kept planned slot-days per week, oldest first (weeks with nothing are there, at zero)."""
    days = sorted(cramp_days)
    wanted = set(planned)
    kept_days = sorted({(day, slot) for day, slot in kept if slot in wanted})
    kept_only = [day for day, _ in kept_days]
    result = []
    for start, end in week_ranges(today, weeks):
        counted_from = start if program_start is None else max(start, program_start)
        open_days = (end - counted_from).days + 1 if program_start is not None and program_start <= end else 0
        result.append(
            WeekCount(
                start=start,
                end=end,
                cramps=count_between(days, start, end),
                kept=count_between(kept_only, start, end),
                possible=len(wanted) * open_days,
            )
        )
    return result


def before_and_after(cramp_days: Iterable[date], program_start: date, today: date) -> BeforeAfter:
    """The 4 weeks before `program_start` against the last 4 weeks up to `today`, none of them before the start.

    The trend compares cramps a week. It is None ("too-early") while the program has run less than a week, and
    None ("nothing-before") when no cramp was logged in the 4 weeks before it began: an empty diary then is more
    likely a diary not kept yet than nights without cramps.
    """
    days = sorted(cramp_days)
    before_start = program_start - timedelta(days=COMPARE_DAYS)
    before_end = program_start - timedelta(days=1)
    since_start = max(program_start, today - timedelta(days=COMPARE_DAYS - 1))
    before = Window(before_start, before_end, count_between(days, before_start, before_end))
    since = Window(since_start, today, count_between(days, since_start, today) if since_start <= today else 0)
    if since.days < MIN_COMPARE_DAYS:
        return BeforeAfter(program_start, before, since, None, "too-early")
    if before.cramps == 0:
        return BeforeAfter(program_start, before, since, None, "nothing-before")
    # Cramps a week, compared exactly: since.cramps / since.days against before.cramps / before.days.
    left, right = since.cramps * before.days, before.cramps * since.days
    trend = "fewer" if left < right else "more" if left > right else "same"
    return BeforeAfter(program_start, before, since, trend)


def trigger_counts(cramps: Iterable[tuple[date, str]]) -> tuple[list[TriggerCount], int]:
    """Suspected triggers, most frequent first (a tie goes to the one suspected most recently, then to the
    article's order), and the number marked "don't know"."""
    counts: dict[str, int] = {}
    latest: dict[str, date] = {}
    unknown = 0
    for day, key in cramps:
        if key == UNKNOWN or key not in TRIGGERS:
            unknown += 1
            continue
        counts[key] = counts.get(key, 0) + 1
        latest[key] = max(latest.get(key, day), day)
    order = sorted(counts, key=lambda key: (-counts[key], -latest[key].toordinal(), TRIGGERS.index(key)))
    return [TriggerCount(key, counts[key], trigger_title(key), trigger_advice(key)) for key in order], unknown


def cramps_per_week(cramp_days: Iterable[date], today: date, diary_start: date | None = None) -> float | None:
    """Cramps a week over the last 4 weeks; when the diary began less than 4 weeks ago, over the days since its
    first entry (at least 7, so three cramps in two days read as three a week). None with no entry at all."""
    days = sorted(day for day in cramp_days if day <= today)
    first = diary_start if diary_start is not None else (days[0] if days else None)
    if first is None or first > today:
        return None
    span = min(FREQUENT_WINDOW_DAYS, max(MIN_COMPARE_DAYS, (today - first).days + 1))
    count = count_between(days, today - timedelta(days=span - 1), today)
    return count * 7 / span


def compute_insights(
    cramps: Iterable[tuple[date, str]],
    kept: Iterable[tuple[date, str]],
    *,
    today: date,
    program_start: date | None,
    planned: Sequence[str] = ("morning", "evening", "bedtime"),
    diary_start: date | None = None,
    total_cramps: int | None = None,
    weeks: int = DEFAULT_WEEKS,
) -> Insights:
    """Insights as of `today` from (coach day, trigger) pairs of cramps and (coach day, slot) pairs of kept slots.

    The pairs may be all there is or only the days insights read (the last `weeks` weeks and the 4 weeks before
    the program began, as the store passes them); then give `diary_start` (the first cramp's day) and
    `total_cramps`, which default to what the pairs say. Days after `today` are ignored. `planned` is the day
    plan (all three slots when empty).
    """
    pairs = sorted((day, key) for day, key in cramps if day <= today)
    cramp_days = [day for day, _ in pairs]
    total = total_cramps if total_cramps is not None else len(pairs)
    if program_start is not None and program_start > today:
        program_start = None
    plan = tuple(planned) or ("morning", "evening", "bedtime")
    first = diary_start if diary_start is not None else (cramp_days[0] if cramp_days else None)
    if total == 0 and program_start is None:
        return Insights(today, None, (), None, (), None, False, 0)
    week_list = weekly_counts(cramp_days, kept, today, planned=plan, program_start=program_start, weeks=weeks)
    chart_from = week_list[0].start if week_list else today
    counts, unknown = trigger_counts((day, key) for day, key in pairs if day >= chart_from)
    rate = cramps_per_week(cramp_days, today, first) if total else None
    return Insights(
        as_of=today,
        program_start=program_start,
        weeks=tuple(week_list),
        before_after=before_and_after(cramp_days, program_start, today) if program_start is not None else None,
        triggers=tuple(counts),
        cramps_per_week=rate,
        frequent=rate is not None and rate >= FREQUENT_PER_WEEK,
        total_cramps=total,
        unknown_triggers=unknown,
    )


# -- words -----------------------------------------------------------------------------------------------------

NO_DATA = (
    "Nothing to show yet: no cramps logged and no sessions recorded. Log a cramp with `coach cramp` "
    "(`coach cramp --last-night` for last night's); your sessions are recorded as you do them."
)
ASSOCIATION = "this shows they happen together, not that the exercises caused it"
DOCTOR = (
    "The article says that frequent cramps may point to a problem with the blood vessels: they deserve a visit "
    "to a doctor."
)


def insight_lines(insights: Insights) -> list[str]:
    """What insights say, in honest words (association, not proof), one paragraph per item."""
    if not insights.has_data:
        return [NO_DATA]
    lines: list[str] = []
    comparison = insights.before_after
    if comparison is None:
        lines.append("No session recorded yet: the comparison with before the program starts with your first one.")
    else:
        lines.append(_comparison_line(comparison))
    weeks = len(insights.weeks)
    logged = sum(week.cramps for week in insights.weeks)
    if insights.top_trigger is not None:
        top = insights.top_trigger
        lines.append(
            f"Most often you suspected {top.title.lower()} ({_count(top.count, 'cramp')} of {logged} in the last "
            f"{weeks} weeks; your guess, not a diagnosis). What the article advises: {top.advice}"
        )
    elif logged and insights.unknown_triggers:
        lines.append(f'You marked what set off the cramps of the last {weeks} weeks as "don\'t know".')
    elif insights.total_cramps and not logged:
        lines.append(f"No cramps logged in the last {weeks} weeks.")
    elif not insights.total_cramps:
        lines.append("No cramps logged yet. When one wakes you, `coach cramp --last-night` writes it down.")
    if insights.frequent and insights.cramps_per_week is not None:
        lines.append(
            f"You logged {insights.cramps_per_week:.1f} cramps a week lately ({FREQUENT_PER_WEEK} or more counts "
            f"as frequent). {DOCTOR}"
        )
    return lines


def _comparison_line(comparison: BeforeAfter) -> str:
    began = comparison.program_start.isoformat()
    before, since = comparison.before, comparison.since
    if comparison.why_not == "too-early":
        return (
            f"You began on {began}: after {_count(since.days, 'day')} it is too early to compare cramps with "
            "before (coach waits a week)."
        )
    if comparison.why_not == "nothing-before":
        return (
            f"No cramps logged in the 4 weeks before you began on {began}, so there is nothing to compare with "
            "(cramps you remember can still be added with `coach cramp --at`)."
        )
    figures = (
        f"{_count(before.cramps, 'cramp')} in the 4 weeks before you began on {began} "
        f"({_rate(before.per_week)} a week), {since.cramps} in the last {_span(since.days)} "
        f"({_rate(since.per_week)} a week)"
    )
    if comparison.trend == "fewer":
        return f"Fewer cramps since you began — {ASSOCIATION}: {figures}."
    if comparison.trend == "more":
        return (
            f"More cramps since you began: {figures}. Cramps come and go for many reasons; this does not show "
            "that the exercises made them worse."
        )
    return f"As many cramps a week as before you began: {figures}."


def _rate(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _span(days: int) -> str:
    return f"{days // 7} weeks" if days % 7 == 0 else _count(days, "day")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def insights_json(insights: Insights, day_start_hour: int | None = None) -> dict[str, Any]:
    """The `coach insights --json` document (nulls and empty lists when there is no data yet)."""
    comparison = insights.before_after

    def window(item: Window) -> dict[str, Any]:
        per_week = item.per_week
        return {
            "from": item.start.isoformat(),
            "to": item.end.isoformat(),
            "days": item.days,
            "cramps": item.cramps,
            "per_week": None if per_week is None else round(per_week, 4),
        }

    top = insights.top_trigger
    document: dict[str, Any] = {"as_of": insights.as_of.isoformat()}
    if day_start_hour is not None:
        document["day_start_hour"] = day_start_hour
    document |= {
        "program_start": insights.program_start.isoformat() if insights.program_start else None,
        "total_cramps": insights.total_cramps,
        "weeks": [
            {
                "from": week.start.isoformat(),
                "to": week.end.isoformat(),
                "cramps": week.cramps,
                "kept": week.kept,
                "possible": week.possible,
            }
            for week in insights.weeks
        ],
        "before_after": None
        if comparison is None
        else {
            "before": window(comparison.before),
            "since": window(comparison.since),
            "trend": comparison.trend,
            "why_not": comparison.why_not,
        },
        "top_trigger": None
        if top is None
        else {"key": top.key, "title": top.title, "count": top.count, "advice": top.advice},
        "triggers": [{"key": item.key, "count": item.count} for item in insights.triggers],
        "unknown_triggers": insights.unknown_triggers,
        "cramps_per_week": None if insights.cramps_per_week is None else round(insights.cramps_per_week, 4),
        "frequent": insights.frequent,
        "frequent_threshold": FREQUENT_PER_WEEK,
        "messages": insight_lines(insights),
    }
    return document


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a recorded time must carry its UTC offset")
    return moment.isoformat()
