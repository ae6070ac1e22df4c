"""Streak rules as the user sees them, over coach days: pure functions, no store, no clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.days.day import local_day
from coach.days.streaks import (
    Streak,
    completion_rate,
    current_streak,
    longest_streak,
    planned_slots,
    streak,
    streak_report,
    whole_plan_days,
)

D = date(2024, 5, 20)
ALL = ("morning", "evening", "bedtime")


def days(*offsets: int, end: date = D) -> set[date]:
    """Days counted back from `end`: 0 is `end`, 1 the day before..."""
    return {end - timedelta(days=n) for n in offsets}


# -- current and longest ---------------------------------------------------------------------------------------


def test_current_streak_counts_consecutive_kept_days_ending_today() -> None:
    assert current_streak(days(0, 1, 2), set(), D) == 3


def test_current_streak_still_counts_while_todays_slot_is_open() -> None:
    # Breakfast time: today's morning session is not done yet; yesterday's streak is not lost.
    assert current_streak(days(1, 2, 3), set(), D) == 3
    assert streak(days(1, 2, 3), set(), D).kept_today is False


def test_a_missed_day_ends_the_current_streak() -> None:
    assert current_streak(days(0, 1, 3, 4, 5), set(), D) == 2
    assert current_streak(days(2, 3, 4), set(), D) == 0  # yesterday missed, today open


def test_longest_streak_is_the_longest_run_ever() -> None:
    kept = days(0, 1) | days(10, 11, 12, 13, 14) | days(20, 21, 22)
    assert longest_streak(kept, set()) == 5
    assert streak(kept, set(), D) == Streak(current=2, longest=5, kept_today=True)


def test_nothing_recorded_is_zero_and_zero() -> None:
    result = streak(set(), set(), D)
    assert (result.current, result.longest, result.kept_today) == (0, 0, False)


def test_as_of_a_past_day_ignores_later_days() -> None:
    kept = days(0, 1, 2, 3, 4, 5, 6)  # a week ending D
    as_of = D - timedelta(days=4)
    result = streak(kept, set(), as_of)
    assert result.current == 3  # D-6, D-5, D-4
    assert result.longest == 3


# -- rest days -------------------------------------------------------------------------------------------------


def test_a_rest_day_neither_breaks_nor_extends_a_streak() -> None:
    kept = days(0, 1, 3, 4)
    assert current_streak(kept, set(), D) == 2  # without the rest day the gap breaks it
    assert current_streak(kept, days(2), D) == 4  # with it: 4 kept days, the rest day adds nothing
    assert longest_streak(kept, days(2)) == 4


def test_rest_days_in_a_row_and_rest_today() -> None:
    kept = days(4, 5, 6)
    rest = days(0, 1, 2, 3)  # ill for four days, resting today too
    assert current_streak(kept, rest, D) == 3
    assert streak(kept, rest, D).kept_today is False


def test_only_rest_days_make_no_streak() -> None:
    assert streak(set(), days(0, 1, 2), D) == streak(set(), set(), D)


def test_a_session_on_a_rest_day_still_counts() -> None:
    assert current_streak(days(0, 1, 2), days(1), D) == 3


def test_a_rest_day_after_a_gap_does_not_bridge_it() -> None:
    kept = days(0, 3, 4)
    rest = days(1)  # day 2 was neither kept nor rest
    assert current_streak(kept, rest, D) == 1
    assert longest_streak(kept, rest) == 2


# -- whole day plan and reports --------------------------------------------------------------------------------


def test_whole_day_plan_counts_days_with_every_planned_slot() -> None:
    by_slot = {"morning": days(0, 1, 2, 3), "evening": days(0, 1, 3), "bedtime": days(0, 1, 2, 3)}
    assert whole_plan_days(by_slot, ALL) == days(0, 1, 3)
    assert whole_plan_days(by_slot, ("morning", "bedtime")) == days(0, 1, 2, 3)
    assert whole_plan_days(by_slot, ()) == set()


def test_planned_slots_are_the_union_of_the_routines_slots_in_day_order() -> None:
    assert planned_slots([("bedtime",), ("evening", "morning")]) == ALL
    assert planned_slots([("bedtime",)]) == ("bedtime",)
    assert planned_slots([]) == ()


def pairs(slot: str, kept: set[date]) -> list[tuple[date, str]]:
    return [(day, slot) for day in kept]


def test_report_per_slot_and_for_the_day_plan() -> None:
    kept = pairs("morning", days(0, 1, 2, 3)) + pairs("evening", days(1, 2, 3)) + pairs("bedtime", days(1, 3))
    report = streak_report(kept, set(), ALL, D)
    assert report.slot("morning").streak.current == 4
    assert report.slot("evening").streak.current == 3  # today's evening still open
    assert report.slot("bedtime").streak.current == 1
    assert report.day_plan.current == 1  # yesterday had all three; the day before had no bedtime
    assert report.day_plan.longest == 1
    assert report.kept_today == frozenset({"morning"})


def test_unplanned_slots_are_reported_but_not_part_of_the_day_plan() -> None:
    kept = pairs("morning", days(0, 1)) + pairs("evening", days(0, 1))
    report = streak_report(kept, set(), ("morning", "evening"), D)
    assert report.planned == ("morning", "evening")
    assert report.slot("bedtime").planned is False
    assert report.day_plan.current == 2


def test_nothing_planned_means_no_day_plan_streak() -> None:
    report = streak_report(pairs("morning", days(0, 1)), set(), (), D)
    assert report.day_plan.current == 0
    assert report.day_plan_rate_7 is None


# -- completion rates ------------------------------------------------------------------------------------------


def test_seven_and_thirty_day_rates() -> None:
    kept = days(*range(0, 30, 2))  # every other day for 30 days, today included
    assert completion_rate(kept, set(), D, 7) == pytest.approx(4 / 7)
    assert completion_rate(kept, set(), D, 30) == pytest.approx(15 / 30)


def test_rates_leave_rest_days_out_and_an_open_today_out() -> None:
    kept = days(1, 2, 3, 4, 5)
    rest = days(6, 7)
    # Today is open, so the window is the 7 days up to yesterday; the 2 rest days are not counted.
    assert completion_rate(kept, rest, D, 7) == pytest.approx(1.0)


def test_rates_start_on_the_day_the_user_began() -> None:
    began = D - timedelta(days=2)
    assert completion_rate(days(0, 1, 2), set(), D, 30, began) == pytest.approx(1.0)
    assert completion_rate(days(0, 2), set(), D, 30, began) == pytest.approx(2 / 3)
    assert completion_rate(set(), set(), D, 7, D + timedelta(days=1)) is None


# -- days of sessions: the day-start hour, DST, the date line --------------------------------------------------


def kept_from_starts(starts: list[tuple[datetime, str]], hour: int = 4) -> list[tuple[date, str]]:
    """What the store does at each start: fix the session's coach day from its start in its own offset."""
    return [(local_day(started, hour), slot) for started, slot in starts]


def test_sessions_just_before_and_after_the_day_start_hour() -> None:
    tz = timezone(timedelta(hours=1))
    assert local_day(datetime(2024, 5, 20, 3, 59, tzinfo=tz), 4) == date(2024, 5, 19)
    assert local_day(datetime(2024, 5, 20, 4, 0, tzinfo=tz), 4) == date(2024, 5, 20)
    assert local_day(datetime(2024, 5, 20, 0, 30, tzinfo=tz), 0) == date(2024, 5, 20)
    # A soak at 00:30 belongs to the evening before, so the bedtime streak is unbroken.
    starts = [(datetime(2024, 5, d, 23, 30, tzinfo=tz), "bedtime") for d in (17, 18)]
    starts.append((datetime(2024, 5, 20, 0, 30, tzinfo=tz), "bedtime"))  # counts for the 19th
    report = streak_report(kept_from_starts(starts), set(), ALL, date(2024, 5, 20))
    assert report.slot("bedtime").streak.current == 3
    assert report.slot("bedtime").streak.kept_today is False


@pytest.mark.parametrize(
    ("first_day", "change_day"),
    [(date(2024, 3, 28), date(2024, 3, 31)), (date(2024, 10, 24), date(2024, 10, 27))],
    ids=["spring-forward", "fall-back"],
)
def test_daylight_saving_changes_neither_break_nor_double_a_streak(first_day: date, change_day: date) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    starts: list[tuple[datetime, str]] = []
    for n in range(7):
        day = first_day + timedelta(days=n)
        starts.append((datetime(day.year, day.month, day.day, 7, 0, tzinfo=berlin), "morning"))
        starts.append((datetime(day.year, day.month, day.day, 18, 0, tzinfo=berlin), "evening"))
        # A late soak, after midnight, in the small hours that DST changes.
        after = day + timedelta(days=1)
        starts.append((datetime(after.year, after.month, after.day, 2, 30, tzinfo=berlin), "bedtime"))
    offsets = {started.utcoffset() for started, _ in starts}
    assert len(offsets) == 2  # the week really spans the change
    last = first_day + timedelta(days=6)
    report = streak_report(kept_from_starts(starts), set(), ALL, last)
    for slot in ALL:
        assert report.slot(slot).streak.current == 7, slot
    assert report.day_plan.current == 7
    # The night of the change itself: the 02:30 soak belongs to the evening before.
    night = datetime(change_day.year, change_day.month, change_day.day, 3, 30, tzinfo=berlin)
    assert local_day(night, 4) == change_day - timedelta(days=1)


def test_flying_west_across_the_date_line_repeats_a_day_without_counting_it_twice() -> None:
    auckland, honolulu = ZoneInfo("Pacific/Auckland"), ZoneInfo("Pacific/Honolulu")
    starts = [
        (datetime(2024, 1, 8, 8, 0, tzinfo=auckland), "morning"),
        (datetime(2024, 1, 9, 8, 0, tzinfo=auckland), "morning"),
        (datetime(2024, 1, 10, 8, 0, tzinfo=auckland), "morning"),
        # Fly to Honolulu: it is the 9th again there, then the 10th again.
        (datetime(2024, 1, 10, 7, 0, tzinfo=honolulu), "morning"),
        (datetime(2024, 1, 11, 7, 0, tzinfo=honolulu), "morning"),
    ]
    report = streak_report(kept_from_starts(starts), set(), ("morning",), date(2024, 1, 11))
    assert report.slot("morning").streak.current == 4  # the 8th, 9th, 10th, 11th: the 10th once
    # The old Auckland sessions keep their own days, whatever the offset now.
    assert kept_from_starts(starts[:1]) == [(date(2024, 1, 8), "morning")]


def test_flying_east_across_the_date_line_skips_a_day_that_a_rest_day_can_bridge() -> None:
    honolulu, auckland = ZoneInfo("Pacific/Honolulu"), ZoneInfo("Pacific/Auckland")
    starts = [
        (datetime(2024, 1, 9, 7, 0, tzinfo=honolulu), "morning"),
        (datetime(2024, 1, 10, 7, 0, tzinfo=honolulu), "morning"),
        # Overnight flight: the 11th never happens for this traveller.
        (datetime(2024, 1, 12, 8, 0, tzinfo=auckland), "morning"),
    ]
    kept = kept_from_starts(starts)
    assert streak_report(kept, set(), ("morning",), date(2024, 1, 12)).slot("morning").streak.current == 1
    bridged = streak_report(kept, {date(2024, 1, 11)}, ("morning",), date(2024, 1, 12))
    assert bridged.slot("morning").streak.current == 3


# -- the fast implementation against the rules written out day by day -------------------------------------------


def reference(kept: set[int], rest: set[int], today: int) -> tuple[int, int]:
    """Current and longest streak, walking every day: the rules in their plainest form."""
    day = today if today in kept else today - 1
    current = 0
    while day in kept or day in rest:
        current += day in kept
        day -= 1
    longest = run = 0
    for day in range(min(kept | rest | {today}), today + 1):
        if day in kept:
            run += 1
        elif day not in rest:
            run = 0
        longest = max(longest, run)
    return current, longest


@given(
    kept=st.sets(st.integers(0, 60), max_size=50),
    rest=st.sets(st.integers(0, 60), max_size=12),
    today=st.integers(0, 60),
)
@settings(max_examples=400, deadline=None)
def test_fast_streaks_agree_with_the_day_by_day_rules(kept: set[int], rest: set[int], today: int) -> None:
    base = date(2024, 1, 1).toordinal()
    as_date = {n: date.fromordinal(base + n) for n in range(61)}
    kept_days = {as_date[n] for n in kept}
    rest_days = {as_date[n] for n in rest}
    result = streak(kept_days, rest_days, as_date[today])
    expected = reference({n for n in kept if n <= today}, {n for n in rest if n <= today}, today)
    assert (result.current, result.longest) == expected
    assert result.kept_today == (today in kept)
    last = today if today in kept else today - 1
    window = [n for n in range(last - 6, last + 1) if n in kept or n not in rest]
    rate = completion_rate(kept_days, rest_days, as_date[today], 7)
    assert rate == (sum(n in kept for n in window) / len(window) if window else None)
