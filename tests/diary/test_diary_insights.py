"""Insights as pure functions over days: the weekly chart, before and since the program, the trigger suspected
most and the article's advice, the frequent-cramps warning, and the honest words for each."""

from __future__ import annotations

import json
from datetime import date, timedelta

from diary_helpers import cramp

from coach.diary.causes import cause
from coach.diary.insights import (
    ASSOCIATION,
    DOCTOR,
    FREQUENT_PER_WEEK,
    NO_DATA,
    before_and_after,
    compute_insights,
    cramps_per_week,
    insight_lines,
    insights_json,
    trigger_counts,
    week_ranges,
    weekly_counts,
)

TODAY = date(2024, 6, 30)
START = date(2024, 6, 1)  # the program's first session


def days_before(today: date, *backs: int) -> list[date]:
    return [today - timedelta(days=back) for back in backs]


def unknown(days: list[date]) -> list[tuple[date, str]]:
    return [(day, "unknown") for day in days]


# -- no data -----------------------------------------------------------------------------------------------------


def test_with_no_data_insights_say_so_kindly_with_nulls_and_empty_lists() -> None:
    insights = compute_insights([], [], today=TODAY, program_start=None)
    assert not insights.has_data
    assert insight_lines(insights) == [NO_DATA]
    document = json.loads(json.dumps(insights_json(insights, 4)))
    assert document == {
        "as_of": "2024-06-30",
        "day_start_hour": 4,
        "program_start": None,
        "total_cramps": 0,
        "weeks": [],
        "before_after": None,
        "top_trigger": None,
        "triggers": [],
        "unknown_triggers": 0,
        "cramps_per_week": None,
        "frequent": False,
        "frequent_threshold": 3,
        "messages": [NO_DATA],
    }


def test_a_program_start_after_the_day_asked_about_is_no_data_yet() -> None:
    insights = compute_insights([], [], today=date(2024, 5, 1), program_start=START)
    assert not insights.has_data and insights.program_start is None


def test_sessions_but_no_cramps_show_the_weeks_and_invite_a_first_entry() -> None:
    kept = [(START + timedelta(days=n), "morning") for n in range(30)]
    insights = compute_insights([], kept, today=TODAY, program_start=START)
    assert insights.has_data and len(insights.weeks) == 12
    assert insights.cramps_per_week is None and not insights.frequent and insights.top_trigger is None
    assert insights.before_after is not None and insights.before_after.why_not == "nothing-before"
    lines = insight_lines(insights)
    assert any("No cramps logged yet" in line for line in lines)


# -- the weekly chart ---------------------------------------------------------------------------------------------


def test_twelve_weeks_of_seven_days_end_today_with_empty_weeks_at_zero() -> None:
    ranges = week_ranges(TODAY, 12)
    assert ranges[-1] == (date(2024, 6, 24), TODAY) and ranges[0] == (date(2024, 4, 8), date(2024, 4, 14))
    assert all((end - start).days == 6 for start, end in ranges)
    assert all(ranges[i][1] + timedelta(days=1) == ranges[i + 1][0] for i in range(11))
    cramp_days = [date(2024, 4, 7), date(2024, 4, 8), date(2024, 6, 24), date(2024, 6, 30), date(2024, 7, 1)]
    weeks = weekly_counts(cramp_days, [], TODAY, program_start=None)
    assert [week.cramps for week in weeks] == [1] + [0] * 10 + [2]  # 7 April is before the chart; 1 July after
    assert all(week.kept == 0 and week.possible == 0 for week in weeks)


def test_kept_counts_planned_slot_days_and_possible_starts_with_the_program() -> None:
    kept = [
        (date(2024, 6, 1), "morning"),
        (date(2024, 6, 1), "morning"),  # two completed sessions for one slot keep it once
        (date(2024, 6, 1), "bedtime"),
        (date(2024, 6, 2), "evening"),
        (date(2024, 6, 29), "morning"),
        (date(2024, 6, 30), "evening"),
    ]
    weeks = weekly_counts([], kept, TODAY, planned=("morning", "evening"), program_start=START)
    by_start = {week.start: week for week in weeks}
    first_week = by_start[date(2024, 5, 27)]  # 27 May - 2 June: the program began on 1 June
    assert (first_week.kept, first_week.possible) == (2, 2 * 2)  # bedtime is not planned
    assert (weeks[-1].kept, weeks[-1].possible) == (2, 14)
    assert by_start[date(2024, 5, 20)].possible == 0


# -- before the program and since ---------------------------------------------------------------------------------


def test_fewer_cramps_since_the_start_is_said_as_association_not_proof() -> None:
    before = days_before(START, 1, 5, 9, 12, 16, 20, 24, 28)  # 8 in the 4 weeks before: 2 a week
    too_early = days_before(START, 29, 40)  # more than 4 weeks before: not counted
    since = [date(2024, 6, 10), date(2024, 6, 25)]  # 2 in the last 4 weeks: 0.5 a week
    comparison = before_and_after(before + too_early + since + [date(2024, 6, 2)], START, TODAY)
    assert (comparison.before.start, comparison.before.end) == (date(2024, 5, 4), date(2024, 5, 31))
    assert (comparison.since.start, comparison.since.end) == (date(2024, 6, 3), TODAY)
    assert (comparison.before.cramps, comparison.since.cramps) == (8, 2)
    assert comparison.before.per_week == 2.0 and comparison.since.per_week == 0.5
    assert comparison.trend == "fewer"
    insights = compute_insights(unknown(before + too_early + since), [], today=TODAY, program_start=START)
    line = insight_lines(insights)[0]
    assert line.startswith("Fewer cramps since you began — this shows they happen together, not that the exercises")
    assert ASSOCIATION in line
    assert "8 cramps in the 4 weeks before you began on 2024-06-01 (2.0 a week), 2 in the last 4 weeks (0.5" in line


def test_more_cramps_since_the_start_does_not_blame_the_exercises() -> None:
    cramp_days = [START - timedelta(days=3)] + [TODAY - timedelta(days=n) for n in range(0, 24, 4)]
    insights = compute_insights(unknown(cramp_days), [], today=TODAY, program_start=START)
    assert insights.before_after is not None and insights.before_after.trend == "more"
    line = insight_lines(insights)[0]
    assert line.startswith("More cramps since you began") and "does not show that the exercises made them worse" in line


def test_the_same_rate_is_said_plainly() -> None:
    cramp_days = [START - timedelta(days=3), TODAY - timedelta(days=3)]
    comparison = before_and_after(cramp_days, START, TODAY)
    assert comparison.trend == "same"
    assert insight_lines(compute_insights(unknown(cramp_days), [], today=TODAY, program_start=START))[0].startswith(
        "As many cramps a week as before you began"
    )


def test_a_young_program_compares_its_own_days_only_and_waits_a_week() -> None:
    cramp_days = days_before(START, 2, 9) + [START + timedelta(days=1)]
    comparison = before_and_after(cramp_days, START, START + timedelta(days=5))
    assert comparison.trend is None and comparison.why_not == "too-early" and comparison.since.days == 6
    later = before_and_after(cramp_days, START, START + timedelta(days=13))
    # Since the start: 14 days, 1 cramp (0.5 a week) against 2 in the 4 weeks before (0.5 a week).
    assert (later.since.start, later.since.days, later.since.cramps) == (START, 14, 1)
    assert later.trend == "same"
    insights = compute_insights(unknown(cramp_days), [], today=START + timedelta(days=5), program_start=START)
    assert "too early to compare" in insight_lines(insights)[0]


def test_no_cramp_logged_before_the_start_means_nothing_to_compare() -> None:
    comparison = before_and_after([date(2024, 6, 20)], START, TODAY)
    assert comparison.trend is None and comparison.why_not == "nothing-before"
    insights = compute_insights([(date(2024, 6, 20), "cold")], [], today=TODAY, program_start=START)
    assert "nothing to compare with" in insight_lines(insights)[0]


def test_without_a_session_there_is_no_program_start_to_compare_with() -> None:
    insights = compute_insights([(date(2024, 6, 20), "cold")], [], today=TODAY, program_start=None)
    assert insights.has_data and insights.before_after is None
    assert insights_json(insights)["before_after"] is None
    assert "No session recorded yet" in insight_lines(insights)[0]


# -- the trigger suspected most ------------------------------------------------------------------------------------


def test_the_trigger_suspected_most_comes_with_the_articles_advice() -> None:
    pairs = (
        [(date(2024, 6, n), "cold") for n in (2, 9, 16)]
        + [(date(2024, 6, n), "posture") for n in (3, 10)]
        + [(date(2024, 6, n), "unknown") for n in (4, 5, 6, 7)]
    )
    insights = compute_insights(pairs, [], today=TODAY, program_start=START)
    top = insights.top_trigger
    cold = cause("cold")
    assert top is not None and cold is not None
    assert (top.key, top.count, top.title, top.advice) == ("cold", 3, "Cold", cold.advice)
    assert [item.key for item in insights.triggers] == ["cold", "posture"] and insights.unknown_triggers == 4
    line = next(line for line in insight_lines(insights) if line.startswith("Most often"))
    assert line == (
        "Most often you suspected cold (3 cramps of 9 in the last 12 weeks; your guess, not a diagnosis). "
        f"What the article advises: {cold.advice}"
    )
    assert insights_json(insights)["top_trigger"] == {"key": "cold", "title": "Cold", "count": 3, "advice": cold.advice}


def test_a_tie_goes_to_the_trigger_suspected_most_recently_and_old_weeks_do_not_count() -> None:
    counts, unknown_count = trigger_counts(
        [
            (date(2024, 6, 1), "cold"),
            (date(2024, 6, 5), "cold"),
            (date(2024, 6, 2), "fatigue"),
            (date(2024, 6, 20), "fatigue"),
            (date(2024, 6, 21), "unknown"),
        ]
    )
    assert [(item.key, item.count) for item in counts] == [("fatigue", 2), ("cold", 2)] and unknown_count == 1
    old = [(TODAY - timedelta(days=84 + n), "sweating") for n in range(5)]  # before the 12 weeks
    insights = compute_insights(old + [(TODAY, "calcium")], [], today=TODAY, program_start=START)
    assert insights.top_trigger is not None and insights.top_trigger.key == "calcium"


def test_only_dont_know_is_said_as_such() -> None:
    insights = compute_insights(unknown([date(2024, 6, 20)]), [], today=TODAY, program_start=START)
    assert insights.top_trigger is None
    assert any('"don\'t know"' in line for line in insight_lines(insights))


# -- frequent cramps ----------------------------------------------------------------------------------------------


def test_three_a_week_over_the_last_four_weeks_points_to_a_doctor() -> None:
    twelve = [TODAY - timedelta(days=n * 2) for n in range(12)]  # 12 in the last 28 days: 3 a week
    first = [TODAY - timedelta(days=60)]
    insights = compute_insights(unknown(first + twelve), [], today=TODAY, program_start=START)
    assert insights.cramps_per_week == 3.0 == FREQUENT_PER_WEEK and insights.frequent
    warning = insight_lines(insights)[-1]
    assert DOCTOR in warning and "blood vessels" in warning and "3.0 cramps a week" in warning
    assert insights_json(insights)["frequent"] is True


def test_fewer_than_three_a_week_gives_no_warning() -> None:
    eleven = [TODAY - timedelta(days=n * 2) for n in range(11)]
    older = [TODAY - timedelta(days=28 + n) for n in range(10)]  # many, but more than 4 weeks ago
    insights = compute_insights(unknown(eleven + older), [], today=TODAY, program_start=START)
    assert insights.cramps_per_week is not None and insights.cramps_per_week < 3 and not insights.frequent
    assert not any(DOCTOR in line for line in insight_lines(insights))


def test_a_young_diary_counts_over_its_own_days_but_at_least_a_week() -> None:
    three_in_two_days = [TODAY, TODAY, TODAY - timedelta(days=1)]
    assert cramps_per_week(three_in_two_days, TODAY) == 3.0  # over 7 days, not 2
    assert cramps_per_week([TODAY - timedelta(days=13)] * 3, TODAY) == 1.5  # over 14 days
    assert cramps_per_week([], TODAY) is None
    # The store passes only the last weeks' cramps and the diary's first day.
    assert cramps_per_week([TODAY], TODAY, diary_start=date(2020, 1, 1)) == 0.25


# -- the coach day at the edges -----------------------------------------------------------------------------------


def test_a_cramp_in_the_small_hours_counts_for_the_day_before_as_a_session_would() -> None:
    # At 02:30 on 1 July the coach day is still 30 June: the cramp is in the week that ends on 30 June.
    small_hours = cramp(date(2024, 7, 1), hour=2, minute=30)
    after_day_start = cramp(date(2024, 7, 1), hour=4, minute=30)
    insights = compute_insights(
        [(small_hours.day, small_hours.trigger), (after_day_start.day, after_day_start.trigger)],
        [],
        today=TODAY,
        program_start=START,
    )
    assert small_hours.day == TODAY and after_day_start.day == date(2024, 7, 1)
    assert insights.weeks[-1].cramps == 1 and insights.total_cramps == 1
