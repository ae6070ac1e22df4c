"""What the diary shows beside the sessions kept: cramps per week, before and since the program began, the most
frequent trigger and the article's advice for it. Plain Python over dates and counts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from msgspec import Struct

from coach.diary.entries import TRIGGERS, UNKNOWN, trigger_advice, trigger_title

FREQUENT_PER_WEEK = 3
"""At this many cramps a week or more over the last 4 weeks, insights say that frequent cramps deserve a doctor."""
FREQUENT_WINDOW_DAYS = 28
COMPARE_DAYS = 28
"""The before/after comparison sets the 4 weeks before the program began against the last 4 weeks."""
MIN_COMPARE_DAYS = 7
"""No comparison until the program has run for a week: a few days say nothing about a rate."""
DEFAULT_WEEKS = 12

# -- insights --------------------------------------------------------------------------------------------------


class WeekCount(Struct, frozen=True):
    """One week of the chart: cramps logged beside slots kept."""

    start: date
    end: date
    cramps: int
    kept: int
    """Planned slots kept in the week (a slot kept on a day counts once: slot-days)."""
    possible: int
    """Planned slots times the days of the week from the program's start on (0 before it began)."""


class Window(Struct, frozen=True):
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


class BeforeAfter(Struct, frozen=True):
    """The 4 weeks before the program began against the last 4 weeks (none of them before the start)."""

    program_start: date
    before: Window
    since: Window
    trend: str | None
    """"fewer", "more" or "same" cramps a week since; None when there is nothing fair to compare (see `why_not`)."""
    why_not: str | None = None
    """"too-early" (the program has run less than a week) or "nothing-before" (no cramp logged before it)."""


class TriggerCount(Struct, frozen=True):
    """How often a trigger was suspected in the chart's weeks."""

    key: str
    count: int
    title: str
    advice: str | None


class Insights(Struct, frozen=True):
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
