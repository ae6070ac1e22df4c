"""Streaks: pure functions over coach days, no I/O.

The rules, as the user sees them:

- A slot (morning, evening, bedtime) is *kept* on a day when a completed session for that slot is recorded on that
  day. Partial sessions show in the history but do not keep a slot. The day of a session was fixed when it started
  (see `coach.day`), so nothing here looks at clock times or offsets.
- The *current* streak counts kept days back from today; while today's slot is still open (not kept yet) it counts
  back from yesterday, so a streak does not drop to 0 at breakfast.
- The *longest* streak is the longest run of kept days ever (up to the day asked about).
- A *rest day* (ill, travelling) neither breaks nor extends a run: the run carries on across it, but it adds no day.
  A rest day on which the slot was kept anyway counts as kept.
- The *whole day plan* is kept on a day when every planned slot (the union of the slots of the installed routines)
  was kept that day.
- Completion rates over the last 7 and 30 days count kept days among the days that are not rest days, from the day
  the user began (their first recorded session) at the earliest; today is in the window once it is kept.

Days are handled as proleptic ordinals (`date.toordinal()`) inside, which keeps 100,000 sessions well under 50 ms.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

SLOTS: tuple[str, ...] = ("morning", "evening", "bedtime")
"""Every slot, in the order of the day (the same values as `coach.routines.model.Slot`)."""

RATE_WINDOWS: tuple[int, ...] = (7, 30)


@dataclass(frozen=True)
class Streak:
    """Current and longest run of kept days, in days."""

    current: int
    longest: int
    kept_today: bool
    """True once today counts; False while today is still open (or is a rest day without a session)."""


@dataclass(frozen=True)
class SlotStreak:
    """One slot's streak and completion rates."""

    slot: str
    planned: bool
    """Whether an installed routine serves this slot (only planned slots make up the whole day plan)."""
    streak: Streak
    rate_7: float | None
    """Share (0..1) of the last 7 days (rest days left out) on which the slot was kept; None before any day."""
    rate_30: float | None


@dataclass(frozen=True)
class StreakReport:
    """Everything the streaks command, the home screen and the history screen show about streaks."""

    as_of: date
    planned: tuple[str, ...]
    slots: tuple[SlotStreak, ...]
    """All three slots, in the order of the day, planned or not."""
    day_plan: Streak
    """Days on which every planned slot was kept (0 and 0 when nothing is planned)."""
    day_plan_rate_7: float | None
    day_plan_rate_30: float | None
    kept_today: frozenset[str]
    """The slots already kept today."""
    rest_today: bool

    def slot(self, name: str) -> SlotStreak:
        """The streak of one slot by name."""
        for item in self.slots:
            if item.slot == name:
                return item
        raise KeyError(name)


def current_streak(kept: Collection[date], rest: Collection[date], today: date) -> int:
    """Consecutive kept days ending today, or ending yesterday while today is not kept yet; rest days skipped."""
    return _current({d.toordinal() for d in kept}, {d.toordinal() for d in rest}, today.toordinal())


def longest_streak(kept: Collection[date], rest: Collection[date], until: date | None = None) -> int:
    """The longest run of kept days (rest days carry a run on without adding to it), up to `until` if given."""
    limit = until.toordinal() if until is not None else None
    return _longest({d.toordinal() for d in kept}, {d.toordinal() for d in rest}, limit)


def streak(kept: Collection[date], rest: Collection[date], today: date) -> Streak:
    """Current and longest streak of one set of kept days as of `today` (days after it are ignored)."""
    kept_o = {d.toordinal() for d in kept}
    rest_o = {d.toordinal() for d in rest}
    return _streak(kept_o, rest_o, today.toordinal())


def completion_rate(
    kept: Collection[date], rest: Collection[date], today: date, days: int, began: date | None = None
) -> float | None:
    """Share of the last `days` days on which the slot was kept, rest days left out, none before `began`."""
    return _rate(
        {d.toordinal() for d in kept},
        {d.toordinal() for d in rest},
        today.toordinal(),
        days,
        began.toordinal() if began is not None else None,
    )


def planned_slots(slot_lists: Iterable[Iterable[str]]) -> tuple[str, ...]:
    """The union of the slots of the installed routines, in the order of the day."""
    wanted = {str(slot) for slots in slot_lists for slot in slots}
    return tuple(slot for slot in SLOTS if slot in wanted)


def streak_report(
    kept: Iterable[tuple[date, str]],
    rest_days: Collection[date],
    planned: Iterable[str],
    today: date,
    began: date | None = None,
) -> StreakReport:
    """Per-slot and whole-day-plan streaks and rates as of `today`.

    `kept` holds (day, slot) pairs with a completed session (duplicates are fine); `began` is the day of the
    first recorded session (rates do not count the days before it).
    """
    return streak_report_ordinals(
        ((d.toordinal(), s) for d, s in kept),
        {d.toordinal() for d in rest_days},
        planned,
        today,
        began.toordinal() if began is not None else None,
    )


def streak_report_ordinals(
    kept: Iterable[tuple[int, str]],
    rest_days: Collection[int],
    planned: Iterable[str],
    today: date,
    began: int | None = None,
) -> StreakReport:
    """`streak_report` over day ordinals (`date.toordinal()`), for callers that read many days at once."""
    t = today.toordinal()
    by_slot: dict[str, set[int]] = {slot: set() for slot in SLOTS}
    for day, slot in kept:
        if day <= t:
            by_slot.setdefault(slot, set()).add(day)
    rest = {d for d in rest_days if d <= t}
    plan = planned_slots([planned])
    slot_streaks = tuple(
        SlotStreak(
            slot=slot,
            planned=slot in plan,
            streak=_streak(by_slot[slot], rest, t),
            rate_7=_rate(by_slot[slot], rest, t, 7, began),
            rate_30=_rate(by_slot[slot], rest, t, 30, began),
        )
        for slot in SLOTS
    )
    plan_days = whole_plan_days_ordinals(by_slot, plan)
    return StreakReport(
        as_of=today,
        planned=plan,
        slots=slot_streaks,
        day_plan=_streak(plan_days, rest, t),
        day_plan_rate_7=_rate(plan_days, rest, t, 7, began) if plan else None,
        day_plan_rate_30=_rate(plan_days, rest, t, 30, began) if plan else None,
        kept_today=frozenset(slot for slot in SLOTS if t in by_slot[slot]),
        rest_today=t in rest,
    )


def whole_plan_days(by_slot: Mapping[str, Collection[date]], planned: Iterable[str]) -> set[date]:
    """Days on which every planned slot was kept (none when nothing is planned)."""
    ordinals = {slot: {d.toordinal() for d in days} for slot, days in by_slot.items()}
    return {date.fromordinal(o) for o in whole_plan_days_ordinals(ordinals, tuple(planned))}


def whole_plan_days_ordinals(by_slot: Mapping[str, Collection[int]], planned: tuple[str, ...]) -> set[int]:
    """`whole_plan_days` over day ordinals."""
    if not planned:
        return set()
    sets = sorted((set(by_slot.get(slot, ())) for slot in planned), key=len)
    result = sets[0]
    for other in sets[1:]:
        result = result & other
    return result


def _streak(kept: set[int], rest: set[int], today: int) -> Streak:
    return Streak(current=_current(kept, rest, today), longest=_longest(kept, rest, today), kept_today=today in kept)


def _current(kept: set[int], rest: set[int], today: int) -> int:
    day = today if today in kept else today - 1  # today still open: the streak runs up to yesterday
    count = 0
    while True:
        if day in kept:
            count += 1
        elif day not in rest:
            return count
        day -= 1


def _longest(kept: set[int], rest: set[int], until: int | None) -> int:
    best = run = 0
    previous: int | None = None
    for day in sorted(kept | rest):
        if until is not None and day > until:
            break
        if previous is None or day != previous + 1:
            run = 0
        if day in kept:
            run += 1
            if run > best:
                best = run
        previous = day
    return best


def _rate(kept: set[int], rest: set[int], today: int, days: int, began: int | None) -> float | None:
    last = today if today in kept else today - 1
    first = last - days + 1
    if began is not None:
        first = max(first, began)
    counted = kept_days = 0
    for day in range(first, last + 1):
        if day in kept:
            counted += 1
            kept_days += 1
        elif day not in rest:
            counted += 1
    return kept_days / counted if counted else None
