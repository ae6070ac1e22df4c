"""The fast streak arithmetic (day ordinals, bit masks, runs found by `day - index`) agrees with the rules read
literally: walk the calendar one day at a time. Production reads streaks through `streak_report_masks`; this
checks it, through `streak_report`, against a plain walk for any history hypothesis can think of."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from coach.days.streaks import SLOTS, streak_report

FIRST = date(2024, 1, 1)
SPAN = 60

offsets = st.integers(min_value=0, max_value=SPAN)
kept_pairs = st.lists(st.tuples(offsets, st.sampled_from(SLOTS)), max_size=120)
rest_offsets = st.sets(offsets, max_size=20)
planned_sets = st.sets(st.sampled_from(SLOTS))


def walk_current(kept: set[date], rest: set[date], today: date) -> int:
    """Kept days counted back from today (from yesterday while today is open); a rest day neither breaks nor adds."""
    day = today if today in kept else today - timedelta(days=1)
    count = 0
    while day >= FIRST - timedelta(days=1):
        if day in kept:
            count += 1
        elif day not in rest:
            break
        day -= timedelta(days=1)
    return count


def walk_longest(kept: set[date], rest: set[date], today: date) -> int:
    """The longest run of kept days up to today, walking forward; a rest day without a session carries a run on."""
    best = run = 0
    day = FIRST
    while day <= today:
        if day in kept:
            run += 1
        elif day not in rest:
            run = 0
        best = max(best, run)
        day += timedelta(days=1)
    return best


@settings(max_examples=300, deadline=None)
@given(kept_pairs, rest_offsets, planned_sets, offsets)
def test_the_report_agrees_with_walking_the_calendar(
    pairs: list[tuple[int, str]], rests: set[int], planned: set[str], today_offset: int
) -> None:
    kept = [(FIRST + timedelta(days=offset), slot) for offset, slot in pairs]
    rest = {FIRST + timedelta(days=offset) for offset in rests}
    today = FIRST + timedelta(days=today_offset)

    report = streak_report(kept, rest, planned, today)

    for slot in SLOTS:
        days = {day for day, kept_slot in kept if kept_slot == slot and day <= today}
        shown = report.slot(slot).streak
        assert shown.current == walk_current(days, rest, today), slot
        assert shown.longest == walk_longest(days, rest, today), slot
        assert shown.kept_today == (today in days)
    if planned:
        plan_days = {day for day, _ in kept if day <= today and all((day, slot) in kept for slot in planned)}
        assert report.day_plan.current == walk_current(plan_days, rest, today)
        assert report.day_plan.longest == walk_longest(plan_days, rest, today)
    else:
        assert (report.day_plan.current, report.day_plan.longest) == (0, 0)
    assert report.rest_today == (today in rest)
