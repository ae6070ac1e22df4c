"""The diary's entries: what is accepted, how typed answers are read, and which coach day a cramp counts for."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from diary_helpers import FAR_FUTURE, PARIS_SUMMER, cramp

from coach.common.problems import CoachError
from coach.days.day import local_day
from coach.diary.causes import CAUSES, cause
from coach.diary.entries import (
    LEGS,
    MUSCLES,
    TRIGGERS,
    DiaryError,
    check_not_future,
    last_night,
    make_entry,
    parse_choice,
    parse_severity,
    parse_when,
    trigger_advice,
    trigger_title,
)

PARIS = ZoneInfo("Europe/Paris")


def paris(naive: datetime) -> datetime:
    """Localize as the system would in Paris (DST-aware)."""
    return naive.replace(tzinfo=PARIS)


def fixed(offset_hours: int) -> timezone:
    return timezone(timedelta(hours=offset_hours))


# -- what an entry may be ----------------------------------------------------------------------------------------


def test_the_triggers_are_the_articles_causes_that_set_off_one_cramp_and_dont_know() -> None:
    assert TRIGGERS == ("cold", "effort", "sweating", "fatigue", "calcium", "posture", "unknown")
    assert set(TRIGGERS) - {"unknown"} == {item.key for item in CAUSES} - {"vessels"}
    assert LEGS == ("left", "right", "both") and MUSCLES == ("calf", "foot", "thigh")
    for key in TRIGGERS[:-1]:
        found = cause(key)
        assert found is not None
        assert trigger_advice(key) == found.advice and trigger_title(key) == found.title
    assert trigger_advice("unknown") is None and trigger_title("unknown") == "Don't know"


def test_a_new_entry_gets_an_id_its_coach_day_and_a_trimmed_note() -> None:
    now = datetime(2024, 5, 2, 8, 0, tzinfo=PARIS_SUMMER)
    entry = make_entry(
        cramp_at=datetime(2024, 5, 2, 3, 10, tzinfo=PARIS_SUMMER),
        leg="left",
        muscle="calf",
        severity=6,
        trigger="cold",
        note="  window open  ",
        now=now,
        day_start_hour=4,
    )
    assert entry.day == date(2024, 5, 1)  # 03:10 is still the night of the 1st
    assert len(entry.id) == 36 and entry.note == "window open" and entry.logged_at == now
    assert entry.describe() == "2024-05-02 03:10, left calf, 6/10, maybe cold"
    both = cramp(date(2024, 5, 2), leg="both", muscle="foot", severity=0)
    assert both.describe() == "2024-05-02 03:00, foot/toes, both legs, 0/10"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"leg": "up"}, 'leg must be one of left, right, both, not "up"'),
        ({"muscle": "arm"}, 'muscle must be one of calf, foot, thigh, not "arm"'),
        ({"trigger": "vessels"}, "trigger must be one of cold, effort, sweating, fatigue, calcium, posture, unknown"),
        ({"severity": 11}, "severity must be a whole number from 0 to 10, not 11"),
        ({"severity": -1}, "severity must be a whole number from 0 to 10, not -1"),
        ({"severity": True}, "severity must be a whole number from 0 to 10, not True"),
    ],
)
def test_unknown_values_are_refused_with_the_known_ones(change: dict[str, object], message: str) -> None:
    values: dict[str, object] = {"leg": "left", "muscle": "calf", "severity": 5, "trigger": "unknown"} | change
    with pytest.raises(DiaryError) as caught:
        make_entry(
            cramp_at=datetime(2024, 5, 2, 3, 0, tzinfo=PARIS_SUMMER),
            now=FAR_FUTURE,
            day_start_hour=4,
            **values,  # type: ignore[arg-type]
        )
    assert message in str(caught.value)


def test_a_cramp_in_the_future_is_refused_with_one_clear_message() -> None:
    now = datetime(2024, 5, 2, 8, 0, tzinfo=PARIS_SUMMER)
    with pytest.raises(DiaryError) as caught:
        make_entry(
            cramp_at=now + timedelta(minutes=1), leg="left", muscle="calf", severity=3, now=now, day_start_hour=4
        )
    assert isinstance(caught.value, CoachError) and caught.value.exit_code == 1
    assert str(caught.value) == (
        "a cramp cannot be logged in the future: 2024-05-02 08:01 is after now (2024-05-02 08:00). Nothing was logged."
    )
    check_not_future(now, now)  # now itself is fine
    # The same instant written in another offset is not in the future.
    check_not_future(now.astimezone(fixed(-7)), now)


def test_a_time_without_its_offset_is_refused() -> None:
    with pytest.raises(DiaryError, match="UTC offset"):
        make_entry(
            cramp_at=datetime(2024, 5, 2, 3), leg="left", muscle="calf", severity=3, now=FAR_FUTURE, day_start_hour=4
        )


# -- the coach day: the same rule as sessions --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        # Spring forward in Paris, 2024-03-31: 02:00 +01:00 becomes 03:00 +02:00.
        (datetime(2024, 3, 31, 1, 30, tzinfo=fixed(1)), date(2024, 3, 30)),
        (datetime(2024, 3, 31, 3, 30, tzinfo=fixed(2)), date(2024, 3, 30)),
        (datetime(2024, 3, 31, 4, 10, tzinfo=fixed(2)), date(2024, 3, 31)),
        # Fall back, 2024-10-27: 03:00 +02:00 becomes 02:00 +01:00; both 02:30s belong to the night of the 26th.
        (datetime(2024, 10, 27, 2, 30, tzinfo=fixed(2)), date(2024, 10, 26)),
        (datetime(2024, 10, 27, 2, 30, tzinfo=fixed(1)), date(2024, 10, 26)),
        (datetime(2024, 10, 27, 3, 59, tzinfo=fixed(1)), date(2024, 10, 26)),
        # Travelling: the day is read in the cramp's own offset, not in UTC nor in today's zone.
        (datetime(2024, 5, 1, 2, 0, tzinfo=fixed(-7)), date(2024, 4, 30)),
        (datetime(2024, 5, 1, 23, 0, tzinfo=fixed(9)), date(2024, 5, 1)),
    ],
)
def test_a_cramps_day_follows_the_session_rule_through_dst_and_travel(moment: datetime, day: date) -> None:
    entry = make_entry(cramp_at=moment, leg="right", muscle="calf", severity=4, now=FAR_FUTURE, day_start_hour=4)
    assert entry.day == day == local_day(moment, 4)
    assert entry.cramp_at.utcoffset() == moment.utcoffset()  # kept with its own offset


def test_the_day_start_hour_in_force_fixes_the_day() -> None:
    at = datetime(2024, 5, 2, 5, 30, tzinfo=PARIS_SUMMER)
    assert cramp(date(2024, 5, 2), hour=5, minute=30, day_start_hour=4).day == date(2024, 5, 2)
    assert cramp(date(2024, 5, 2), hour=5, minute=30, day_start_hour=6).day == date(2024, 5, 1) == local_day(at, 6)
    assert cramp(date(2024, 5, 2), hour=0, minute=30, day_start_hour=0).day == date(2024, 5, 2)


# -- typed answers -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "typed", "key"),
    [
        ("leg", "l", "left"),
        ("leg", "R", "right"),
        ("leg", " both ", "both"),
        ("muscle", "toes", "foot"),
        ("muscle", "c", "calf"),
        ("muscle", "thi", "thigh"),
        ("trigger", "1", "cold"),
        ("trigger", "7", "unknown"),
        ("trigger", "?", "unknown"),
        ("trigger", "don't know", "unknown"),
        ("trigger", "sleep", "posture"),  # the start of its title, "Sleeping posture"
        ("trigger", "low", "calcium"),
        ("trigger", "sweat", "sweating"),
    ],
)
def test_typed_choices_accept_keys_starts_aliases_and_numbers(kind: str, typed: str, key: str) -> None:
    assert parse_choice(kind, typed) == key


def test_an_ambiguous_or_unknown_choice_is_refused() -> None:
    with pytest.raises(DiaryError, match=r"muscle must be one of calf, foot, thigh, not 't' \(more than one"):
        parse_choice("muscle", "t")
    with pytest.raises(DiaryError, match="leg must be one of left, right, both, not 'arm'"):
        parse_choice("leg", "arm")
    with pytest.raises(DiaryError):
        parse_choice("trigger", "8")
    with pytest.raises(DiaryError):
        parse_choice("trigger", "vessels")


def test_severity_is_a_whole_number_from_0_to_10() -> None:
    assert [parse_severity(text) for text in ("0", " 7 ", "10")] == [0, 7, 10]
    for bad in ("11", "-1", "5.5", "bad", ""):
        with pytest.raises(DiaryError, match="severity must be a whole number from 0 to 10"):
            parse_severity(bad)


NOW = paris(datetime(2026, 11, 25, 8, 0))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", NOW),
        ("now", NOW),
        ("last night", paris(datetime(2026, 11, 25, 3, 0))),
        ("03:10", paris(datetime(2026, 11, 25, 3, 10))),
        ("7:59", paris(datetime(2026, 11, 25, 7, 59))),
        ("23:30", paris(datetime(2026, 11, 24, 23, 30))),  # not yet today: last evening's
        ("2026-11-20 03:10", paris(datetime(2026, 11, 20, 3, 10))),
        ("2026-11-20T03:10:30", paris(datetime(2026, 11, 20, 3, 10, 30))),
        ("2026-11-20 03:10-05:00", datetime(2026, 11, 20, 3, 10, tzinfo=fixed(-5))),
        ("2030-01-01 03:00", paris(datetime(2030, 1, 1, 3, 0))),  # read as typed; make_entry refuses it
    ],
)
def test_when_reads_now_last_night_a_clock_time_or_a_date_and_time(typed: str, expected: datetime) -> None:
    moment = parse_when(typed, NOW, 4, paris)
    assert moment == expected and moment.utcoffset() == expected.utcoffset()


def test_an_unreadable_time_is_refused() -> None:
    for typed in ("yesterday", "2026-11-20", "25:00", "3pm"):
        with pytest.raises(DiaryError, match="cannot read the time"):
            parse_when(typed, NOW, 4, paris)


def test_last_night_is_3_am_before_the_current_coach_day() -> None:
    night = paris(datetime(2026, 11, 25, 3, 0))
    for now in (datetime(2026, 11, 25, 8, 0), datetime(2026, 11, 25, 23, 0), datetime(2026, 11, 26, 1, 30)):
        assert last_night(paris(now), 4, paris) == night
    # Its coach day is the day before the current one, as for a session at that hour.
    assert local_day(night, 4) == date(2026, 11, 24)
    # With an early day start, 03:00 of the current day may still be ahead: then the night before.
    assert last_night(paris(datetime(2026, 11, 26, 2, 30)), 2, paris) == night


def test_last_night_uses_the_offset_in_force_that_night() -> None:
    # The morning after Paris springs forward (02:00 +01:00 -> 03:00 +02:00): 03:00 is summer time.
    moment = last_night(paris(datetime(2024, 3, 31, 9, 0)), 4, paris)
    assert moment.utcoffset() == timedelta(hours=2) and moment.hour == 3
    # The morning after falling back: 03:00 is winter time again.
    moment = last_night(paris(datetime(2024, 10, 27, 9, 0)), 4, paris)
    assert moment.utcoffset() == timedelta(hours=1) and moment.hour == 3
