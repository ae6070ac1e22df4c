"""The due rule as pure functions: the day-start hour, a bedtime reminder after midnight, rest days, done, partial
and running slots, reminders already sent, and travel across time zones."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from coach.reminders.due import DayState, Verdict, check_slots, coach_day, due_slots, reminder_moment

PARIS = timezone(timedelta(hours=1))
NEW_YORK = timezone(timedelta(hours=-5))
TOKYO = timezone(timedelta(hours=9))
PLANNED = ("morning", "evening", "bedtime")
TIMES = {"morning": time(8, 0), "evening": time(19, 0), "bedtime": time(22, 0)}
MONDAY = date(2026, 3, 2)


def at(day: date, hour: int, minute: int = 0, zone: timezone = PARIS) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def due(
    now: datetime,
    state: DayState | None = None,
    *,
    times: dict[str, time] = TIMES,
    start: int = 4,
    planned: tuple[str, ...] = PLANNED,
    sent: frozenset[str] = frozenset(),
) -> list[str]:
    return due_slots(now, times, start, state or DayState(coach_day(now, start)), planned, sent)


def test_each_reminder_is_due_from_its_time_on() -> None:
    assert due(at(MONDAY, 7, 59)) == []
    assert due(at(MONDAY, 8, 0)) == ["morning"]
    assert due(at(MONDAY, 18, 59)) == ["morning"]
    assert due(at(MONDAY, 19, 0)) == ["morning", "evening"]
    assert due(at(MONDAY, 22, 0)) == ["morning", "evening", "bedtime"]


def test_the_small_hours_belong_to_the_day_before_until_the_day_start() -> None:
    tuesday = MONDAY + timedelta(days=1)
    assert coach_day(at(tuesday, 3, 59), 4) == MONDAY
    assert due(at(tuesday, 3, 59)) == ["morning", "evening", "bedtime"]  # still Monday's evening and bedtime
    assert due(at(tuesday, 4, 0)) == []  # Tuesday began: its morning reminder is at 08:00
    assert due(at(tuesday, 6, 0), start=6) == []
    assert due(at(tuesday, 5, 59), start=6) == ["morning", "evening", "bedtime"]  # a later day start: still Monday


def test_a_bedtime_reminder_after_midnight_belongs_to_the_evening_before() -> None:
    times = {"bedtime": time(0, 30)}
    assert reminder_moment(MONDAY, time(0, 30), 4) == datetime(2026, 3, 3, 0, 30)
    assert reminder_moment(MONDAY, time(4, 0), 4) == datetime(2026, 3, 2, 4, 0)
    assert due(at(MONDAY, 23, 0), times=times) == []  # not at 23:00 on Monday: 00:30 is later that night
    night = at(MONDAY + timedelta(days=1), 0, 45)
    assert due(night, times=times) == ["bedtime"]
    (check,) = check_slots(night, times, 4, DayState(MONDAY), PLANNED)
    assert check.at == datetime(2026, 3, 3, 0, 30) and coach_day(night, 4) == MONDAY
    with_midnight_start = DayState(coach_day(night, 0))  # a day that starts at midnight: 00:30 is its morning
    assert due(night, with_midnight_start, times=times, start=0) == ["bedtime"]
    assert check_slots(night, times, 0, with_midnight_start, PLANNED)[0].at == datetime(2026, 3, 3, 0, 30)


def test_a_rest_day_sends_nothing() -> None:
    assert due(at(MONDAY, 23, 0), DayState(MONDAY, rest=True)) == []
    assert check_slots(at(MONDAY, 23, 0), TIMES, 4, DayState(MONDAY, rest=True), PLANNED)[0].verdict is Verdict.REST


def test_a_kept_slot_is_done() -> None:
    """(A partial session keeps no slot: `read_day` in test_remind_cmd.py shows it from a real history.)"""
    kept_morning = DayState(MONDAY, kept=frozenset({"morning"}))
    assert due(at(MONDAY, 23, 0), kept_morning) == ["evening", "bedtime"]
    verdicts = [c.verdict for c in check_slots(at(MONDAY, 20, 0), TIMES, 4, kept_morning, PLANNED)]
    assert verdicts == [Verdict.DONE, Verdict.DUE, Verdict.NOT_YET]


def test_a_slot_being_done_now_or_already_reminded_of_is_not_sent_again() -> None:
    doing = DayState(MONDAY, kept=frozenset({"morning", "evening"}), running=frozenset({"bedtime"}))
    assert due(at(MONDAY, 22, 10), doing) == []
    assert check_slots(at(MONDAY, 22, 10), TIMES, 4, doing, PLANNED)[2].verdict is Verdict.RUNNING
    assert due(at(MONDAY, 22, 10), sent=frozenset({"morning", "evening"})) == ["bedtime"]


def test_a_slot_no_routine_plans_gets_no_reminder() -> None:
    assert due(at(MONDAY, 23, 0), planned=("bedtime",)) == ["bedtime"]
    checks = check_slots(at(MONDAY, 23, 0), TIMES, 4, DayState(MONDAY), ("bedtime",))
    assert [c.verdict for c in checks] == [Verdict.NOT_PLANNED, Verdict.NOT_PLANNED, Verdict.DUE]


def test_travel_reads_the_reminder_times_on_the_local_clock_where_you_are() -> None:
    # One moment, two places: 07:00 in New York is 13:00 in Paris.
    moment = at(MONDAY, 7, 0, NEW_YORK)
    assert due(moment) == []  # in New York the 08:00 reminder is an hour away
    assert due(moment.astimezone(PARIS)) == ["morning"]  # landed in Paris: 08:00 has passed there
    # Flying west after the evening reminder was sent in Paris at 19:05 (Monday): in New York it is 13:05 Monday,
    # the same coach day, and the evening reminder is not sent again when 19:00 comes round there.
    in_new_york = at(MONDAY, 19, 30, NEW_YORK)
    assert coach_day(in_new_york, 4) == MONDAY
    assert due(in_new_york, sent=frozenset({"morning", "evening"})) == []
    # Flying east over midnight: Monday 23:00 in Paris is Tuesday 07:00 in Tokyo, a new coach day there, whose
    # morning reminder comes at 08:00 Tokyo time.
    in_tokyo = at(MONDAY, 23, 0).astimezone(TOKYO)
    assert coach_day(in_tokyo, 4) == MONDAY + timedelta(days=1)
    assert due(in_tokyo) == []
    assert due(in_tokyo + timedelta(hours=1)) == ["morning"]


def test_the_moment_must_carry_its_offset() -> None:
    with pytest.raises(ValueError):
        check_slots(datetime(2026, 3, 2, 9, 0), TIMES, 4, DayState(MONDAY), PLANNED)
