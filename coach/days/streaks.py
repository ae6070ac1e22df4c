"""Streaks: pure functions over coach days, no I/O.

The rules, as the user sees them:

- A slot (morning, evening, bedtime) is *kept* on a day when a completed session for that slot is recorded on that
  day. Partial sessions show in the history but do not keep a slot. The day of a session was fixed when it started
  (see `coach.days.day`), so nothing here looks at clock times or offsets.
- The *current* streak counts kept days back from today; while today's slot is still open (not kept yet) it counts
  back from yesterday, so a streak does not drop to 0 at breakfast.
- The *longest* streak is the longest run of kept days ever (up to the day asked about).
- A *rest day* (ill, travelling) neither breaks nor extends a run: the run carries on across it, but it adds no day.
  A rest day on which the slot was kept anyway counts as kept.
- The *whole day plan* is kept on a day when every planned slot (the union of the slots of the installed routines)
  was kept that day.
- Completion rates over the last 7 and 30 days count kept days among the days that are not rest days, from the day
  the user began (their first recorded session) at the earliest; today is in the window once it is kept.

Inside, days are proleptic ordinals (`date.toordinal()`) in sorted lists, and a day's kept slots are a bit mask
(morning 1, evening 2, bedtime 4), which is what the store keeps per day. The longest run is found without a Python
loop per day: in a sorted list, consecutive days share the value `day - index` (rest days are first taken out of the
timeline), so counting those values finds every run. 100,000 sessions take about 20 ms.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from itertools import chain
from operator import sub

from msgspec import Struct

SLOTS: tuple[str, ...] = ("morning", "evening", "bedtime")
"""Every slot, in the order of the day (the same values as `coach.routines.model.Slot`)."""

SLOT_BITS: dict[str, int] = {"morning": 1, "evening": 2, "bedtime": 4}
"""A day's kept slots as a bit mask (the store's day_slots table uses the same bits)."""
RATE_WINDOWS: tuple[int, ...] = (7, 30)


class Streak(Struct, frozen=True):
    """Current and longest run of kept days, in days."""

    current: int
    longest: int
    kept_today: bool
    """True once today counts; False while today is still open (or is a rest day without a session)."""


class SlotStreak(Struct, frozen=True):
    """One slot's streak and completion rates."""

    slot: str
    planned: bool
    """Whether an installed routine serves this slot (only planned slots make up the whole day plan)."""
    streak: Streak
    rate_7: float | None
    """Share (0..1) of the last 7 days (rest days left out) on which the slot was kept; None before any day."""
    rate_30: float | None


class StreakReport(Struct, frozen=True):
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
    return streak(kept, rest, today).current


def longest_streak(kept: Collection[date], rest: Collection[date], until: date | None = None) -> int:
    """The longest run of kept days (rest days carry a run on without adding to it), up to `until` if given."""
    days = _ordinals(kept)
    rests = _ordinals(rest)
    if until is not None:
        days = days[: bisect_right(days, until.toordinal())]
    return _longest(days, _gaps(days, rests))


def streak(kept: Collection[date], rest: Collection[date], today: date) -> Streak:
    """Current and longest streak of one set of kept days as of `today` (days after it are ignored)."""
    t = today.toordinal()
    days = [d for d in _ordinals(kept) if d <= t]
    rests = [d for d in _ordinals(rest) if d <= t]
    return _Series(days, rests, t).streak()


def completion_rate(
    kept: Collection[date], rest: Collection[date], today: date, days: int, began: date | None = None
) -> float | None:
    """Share of the last `days` days on which the slot was kept, rest days left out, none before `began`."""
    t = today.toordinal()
    series = _Series([d for d in _ordinals(kept) if d <= t], [d for d in _ordinals(rest) if d <= t], t)
    return series.rate(days, began.toordinal() if began is not None else None)


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
    masks: dict[int, int] = {}
    for day, slot in kept:
        ordinal = day.toordinal()
        masks[ordinal] = masks.get(ordinal, 0) | SLOT_BITS.get(str(slot), 0)
    return streak_report_masks(
        sorted(masks.items()),
        _ordinals(rest_days),
        planned,
        today,
        began.toordinal() if began is not None else None,
    )


def streak_report_masks(
    day_masks: Sequence[tuple[int, int]],
    rest_days: Sequence[int],
    planned: Iterable[str],
    today: date,
    began: int | None = None,
) -> StreakReport:
    """`streak_report` over (day ordinal, kept-slot mask) rows sorted by day, one per day with a kept slot, and
    sorted rest-day ordinals: what the store reads in one indexed query."""
    t = today.toordinal()
    end = bisect_right(day_masks, (t, 1 << 30))
    rows = day_masks[:end]
    rests = list(rest_days[: bisect_right(rest_days, t)])
    plan = planned_slots([planned])
    slot_streaks = []
    for slot in SLOTS:
        bit = SLOT_BITS[slot]
        series = _Series([day for day, mask in rows if mask & bit], rests, t)
        slot_streaks.append(
            SlotStreak(
                slot=slot,
                planned=slot in plan,
                streak=series.streak(),
                rate_7=series.rate(7, began),
                rate_30=series.rate(30, began),
            )
        )
    plan_mask = sum(SLOT_BITS[slot] for slot in plan)
    plan_days = [day for day, mask in rows if mask & plan_mask == plan_mask] if plan else []
    plan_series = _Series(plan_days, rests, t)
    today_mask = rows[-1][1] if rows and rows[-1][0] == t else 0
    return StreakReport(
        as_of=today,
        planned=plan,
        slots=tuple(slot_streaks),
        day_plan=plan_series.streak(),
        day_plan_rate_7=plan_series.rate(7, began) if plan else None,
        day_plan_rate_30=plan_series.rate(30, began) if plan else None,
        kept_today=frozenset(slot for slot in SLOTS if today_mask & SLOT_BITS[slot]),
        rest_today=bool(rests) and rests[-1] == t,
    )


def whole_plan_days(by_slot: Mapping[str, Collection[date]], planned: Iterable[str]) -> set[date]:
    """Days on which every planned slot was kept (none when nothing is planned)."""
    wanted = tuple(planned)
    if not wanted:
        return set()
    sets = [set(by_slot.get(slot, ())) for slot in wanted]
    return set.intersection(*sets)


class _Series:
    """One sorted list of kept days (ordinals up to today) with the rest days, and what is asked of it."""

    def __init__(self, days: list[int], rests: list[int], today: int) -> None:
        self.days = days
        self.rests = rests
        self.today = today
        self.gaps = _gaps(days, rests)
        """Rest days on which this series was not kept: they are taken out of the timeline."""

    def kept(self, day: int) -> bool:
        i = bisect_left(self.days, day)
        return i < len(self.days) and self.days[i] == day

    def streak(self) -> Streak:
        return Streak(current=self.current(), longest=_longest(self.days, self.gaps), kept_today=self.kept(self.today))

    def current(self) -> int:
        days, rests = self.days, set(self.gaps)
        i = len(days) - 1
        day = self.today if i >= 0 and days[i] == self.today else self.today - 1  # today open: up to yesterday
        count = 0
        while True:
            while i >= 0 and days[i] > day:
                i -= 1
            if i >= 0 and days[i] == day:
                count += 1
            elif day not in rests:
                return count
            day -= 1

    def rate(self, window: int, began: int | None) -> float | None:
        last = self.today if self.kept(self.today) else self.today - 1
        first = last - window + 1
        if began is not None:
            first = max(first, began)
        if first > last:
            return None
        kept = bisect_right(self.days, last) - bisect_left(self.days, first)
        resting = bisect_right(self.gaps, last) - bisect_left(self.gaps, first)
        counted = last - first + 1 - resting
        return kept / counted if counted else None


def _ordinals(days: Collection[date]) -> list[int]:
    return sorted({day.toordinal() for day in days})


def _gaps(days: list[int], rests: list[int]) -> list[int]:
    """The rest days (sorted) that are not kept days of this series."""
    gaps = []
    for rest in rests:
        i = bisect_left(days, rest)
        if i == len(days) or days[i] != rest:
            gaps.append(rest)
    return gaps


def _longest(days: list[int], gaps: list[int]) -> int:
    """The longest run in sorted `days`, where the `gaps` days (rest days) are taken out of the timeline.

    After that, day - index is the same for every day of a run and grows between runs, so the largest count of
    one value is the longest run. Done with map and Counter, without a Python loop per day.
    """
    if not days:
        return 0
    pieces = []
    start = 0
    for shift, gap in enumerate(gaps):
        end = bisect_left(days, gap)
        pieces.append(map(sub, days[start:end], range(start + shift, end + shift)))
        start = end
    pieces.append(map(sub, days[start:], range(start + len(gaps), len(days) + len(gaps))))
    return max(Counter(chain.from_iterable(pieces)).values())
