"""Time as the user lives it: late calls, pauses, reminders, sleeping laptops, wall-clock jumps, huge repeats."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from engine_fakes import TOP_UP, Drive, kinds, simple_routine, soak_routine, started, timed, toe_routine

from coach.engine.clock import FakeClock
from coach.engine.events import EndingSoon, Finished, MayFinish, PhaseStarted, ReminderDue, SleepGap
from coach.engine.recording import Status
from coach.engine.session import SessionEngine
from coach.engine.snapshot import shown_seconds
from coach.routines.model import Group, Span, StepKind, TimedStep


def on_time_phases() -> list[str]:
    drive = Drive.of(toe_routine())
    drive.do("ready")
    drive.until_finished()
    return drive.phases()


def test_late_calls_report_every_phase_once_in_order_without_stale_warnings() -> None:
    drive = Drive.of(toe_routine())
    drive.do("ready")
    drive.tick(92)
    five_late = drive.tick(6, every=6)  # a 1 s timer that fired 5 s late, at 98 s: round 7's rest came and went
    assert started(five_late) == ["Heel raises > Heels down, rest (round 7)", "Heel raises > Heels up, hold (round 8)"]
    assert not [e for e in five_late.events if isinstance(e, EndingSoon)]  # the rest's 3-2-1 is stale
    drive.tick(2)
    late_in_phase = drive.tick(6, every=6)  # at 106 s round 8's hold has 2 s left: only "2" is due now
    assert late_in_phase.events == (EndingSoon(2),)
    drive.tick(194)
    two_minutes_late = drive.tick(121, every=121)  # at 421 s: round 31's hold began 1 s ago
    passed = started(two_minutes_late)
    assert len(passed) == 18 and len(set(passed)) == 18
    assert passed[0] == "Heel raises > Heels down, rest (round 22)"
    assert passed[-1] == "Heel raises > Heels up, hold (round 31)"
    assert not [e for e in two_minutes_late.events if isinstance(e, EndingSoon)]
    assert two_minutes_late.snapshot.shown_remaining == 9
    drive.until_finished()
    assert drive.phases() == on_time_phases()


def test_a_late_call_reports_only_the_latest_reminder() -> None:
    drive = Drive.of(soak_routine())
    drive.do("ready")
    drive.tick(240)
    late = drive.tick(720, every=720)  # 12 minutes without a call: reminders at 5, 10 and 15 min all passed
    assert [e for e in late.events if isinstance(e, ReminderDue)] == [ReminderDue(TOP_UP)]
    assert sorted(kinds(late.events)) == ["MayFinish", "MayMoveOn", "ReminderDue"]  # all came due at 15:00
    drive.until_finished()
    assert len(drive.of_kind(ReminderDue)) == 1


def test_a_call_late_past_the_end_records_only_the_planned_time() -> None:
    drive = Drive.of(soak_routine())
    drive.do("ready")
    drive.tick(60)
    late = drive.tick(1800, every=1800)
    assert ReminderDue(TOP_UP) not in late.events  # the soak is over: a top-up reminder now would be stale
    assert late.events[-1] == Finished(Status.COMPLETED, pytest.approx(1200.0))


def test_a_late_call_does_not_offer_to_move_on_from_a_block_already_over() -> None:
    soak = TimedStep("Short soak", Span(5, 10), kind=StepKind.SOAK)
    drive = Drive.of(simple_routine(soak, timed("Dry your feet", 60)))
    drive.tick(1)
    late = drive.tick(30, every=30)
    assert kinds(late.events) == ["PhaseStarted"] and not late.snapshot.may_move_on


def test_a_pause_mid_phase_stops_its_countdown_and_its_active_time() -> None:
    drive = Drive.of(toe_routine())
    drive.do("ready")
    drive.tick(5)
    paused = drive.do("pause")
    assert paused.snapshot.paused and paused.snapshot.remaining == pytest.approx(5)
    during = drive.tick(3600, every=60)
    assert during.events == () and drive.engine.next_event_in() is None and drive.engine.next_boundary_in() is None
    assert during.snapshot.remaining == pytest.approx(5) and during.snapshot.active_seconds == pytest.approx(5)
    drive.do("resume")
    assert drive.tick(4).events == (EndingSoon(1),)
    assert started(drive.tick(1)) == ["Heel raises > Heels down, rest (round 1)"]
    assert drive.last is not None and drive.last.snapshot.active_seconds == pytest.approx(10)


def test_reminders_come_on_soak_time_and_none_is_replayed_after_a_long_pause() -> None:
    drive = Drive.of(soak_routine())
    drive.do("ready")
    drive.tick(240)
    drive.do("pause")
    drive.tick(3600, every=30)
    drive.do("resume")
    drive.tick(59)
    assert not drive.of_kind(ReminderDue)
    drive.tick(1)
    assert drive.of_kind(ReminderDue) == [ReminderDue(TOP_UP)]
    assert drive.when(ReminderDue) == [240 + 3600 + 60]


def test_a_suspend_pauses_the_session_at_once_and_counted_time_ends_the_phases_it_covers() -> None:
    drive = Drive.of(toe_routine())
    drive.do("ready")
    drive.tick(100)
    drive.clock.suspend(600)
    drive.clock.advance(0.5)
    noticed = drive.take(drive.engine.advance())
    assert noticed.events == (SleepGap(pytest.approx(600)),)
    assert noticed.snapshot.paused and noticed.snapshot.gap_seconds == pytest.approx(600)
    assert noticed.snapshot.active_seconds == pytest.approx(100.5)
    assert drive.do("next").events == ()  # the question comes first
    drive.tick(30)  # the user reads the question: that time counts for nothing
    counted = drive.do("resolve_gap", True)
    assert counted.snapshot.active_seconds == pytest.approx(700.5)
    assert not counted.snapshot.paused and counted.snapshot.gap_seconds is None
    assert MayFinish() in counted.events and not [e for e in counted.events if isinstance(e, EndingSoon)]
    drive.until_finished()
    assert drive.phases() == on_time_phases()


def test_a_suspend_not_counted_resumes_where_it_paused() -> None:
    drive = Drive.of(soak_routine())
    drive.do("ready")
    drive.tick(100)
    drive.clock.suspend(3000)
    drive.clock.advance(1)
    noticed = drive.take(drive.engine.advance())
    assert noticed.events == (SleepGap(pytest.approx(3000)),)
    drive.tick(20)
    resumed = drive.do("resolve_gap", False)
    assert resumed.events == () and resumed.snapshot.active_seconds == pytest.approx(101)
    assert resumed.snapshot.remaining == pytest.approx(1099)


def test_short_suspends_and_suspends_while_paused_ask_nothing() -> None:
    drive = Drive.of(soak_routine())
    drive.do("ready")
    drive.tick(10)
    drive.clock.suspend(4)
    assert drive.tick(1).events == ()
    drive.do("pause")
    drive.clock.suspend(5000)
    assert drive.tick(1).events == () and drive.last is not None and drive.last.snapshot.gap_seconds is None


def test_wall_clock_jumps_never_change_a_duration() -> None:
    drive = Drive.of(toe_routine())
    started_at = drive.engine.started_at
    drive.do("ready")
    drive.tick(100)
    drive.clock.jump_wall(3600)
    drive.tick(100)
    drive.clock.jump_wall(-7200)
    final = drive.until_finished()
    assert final.snapshot.active_seconds == pytest.approx(976) and final.snapshot.elapsed_seconds == pytest.approx(976)
    assert not drive.of_kind(SleepGap)
    assert drive.engine.started_at == started_at and started_at.utcoffset() is not None
    assert drive.phases() == on_time_phases()


def test_a_repeat_of_a_million_is_never_expanded() -> None:
    big = Group("Big", (timed("Up", 1), timed("Down", 1)), repeat=1_000_000)
    tracemalloc.start()
    began = time.perf_counter()
    drive = Drive.of(simple_routine(big))
    drive.tick(10)
    spent = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert spent < 10.0 and peak < 1_000_000  # the memory bound is what proves nothing was expanded
    snapshot = drive.engine.snapshot()
    assert snapshot.phase.position == "Big > Up (round 6)" and snapshot.progress.rep_text == "Big 6 of 1000000"
    assert snapshot.progress.left_max == pytest.approx(2_000_000 - 10)
    assert len(drive.phases()) == 11


def test_the_shown_second_rounds_up_and_the_next_boundary_is_just_that_far() -> None:
    assert [shown_seconds(s) for s in (10.0, 9.2, 0.3, 3.0000000000001)] == [10, 10, 1, 3]
    drive = Drive.of(simple_routine(timed("Hold", 10)))
    assert drive.engine.next_boundary_in() == pytest.approx(1.0)
    drive.tick(0.8)
    assert drive.engine.next_boundary_in() == pytest.approx(0.2)
    assert drive.last is not None and drive.last.snapshot.shown_remaining == 10
    drive.tick(8.9)
    assert drive.last.snapshot.shown_remaining == 1 and drive.engine.next_boundary_in() == pytest.approx(0.3)


def test_a_boundary_passed_while_the_ui_was_busy_is_due_at_once_not_skipped() -> None:
    drive = Drive.of(simple_routine(timed("Hold", 10)))
    drive.tick(0.99)  # shows 10
    drive.engine.clock.advance(0.02)  # the UI is slow to draw: 9 is already due, but nobody has asked yet
    assert drive.engine.next_boundary_in() == 0.0
    drive.take(drive.engine.advance())
    assert drive.last is not None and drive.last.snapshot.shown_remaining == 9
    assert drive.engine.next_boundary_in() == pytest.approx(0.99)


def test_the_next_event_is_the_next_warning_or_reminder_or_threshold() -> None:
    engine = SessionEngine(soak_routine(), FakeClock())
    assert engine.next_event_in() is None  # waiting for the user: nothing happens by itself
    engine.ready()
    assert engine.next_event_in() == pytest.approx(300)  # the first top-up reminder
    engine.clock.advance(299.5)  # type: ignore[attr-defined]
    assert engine.next_event_in() == pytest.approx(0.5)


def test_advance_accepts_an_explicit_reading_of_the_clock() -> None:
    clock = FakeClock()
    engine = SessionEngine(simple_routine(timed("A", 10), timed("B", 10)), clock)
    clock.advance(12)
    update = engine.advance(clock.monotonic())
    assert [e.phase.title for e in update.events if isinstance(e, PhaseStarted)] == ["A", "B"]
    assert update.snapshot.remaining == pytest.approx(8)
