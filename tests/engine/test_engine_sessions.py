"""Whole sessions and ranges, on a fake clock: what the user sees from the first phase to the end."""

from __future__ import annotations

import time

import pytest
from engine_fakes import TOP_UP, Drive, simple_routine, soak_routine, timed, toe_routine

from coach.engine.clock import FakeClock
from coach.engine.events import Finished, MayFinish, MayMoveOn, PhaseStarted, ReminderDue
from coach.engine.recording import Status
from coach.engine.session import SessionEngine
from coach.engine.snapshot import PhaseKind
from coach.routines.model import Group, Span, StepKind

HOLD_1 = "Heel raises > Heels up, hold (round 1)"
LEFT_1 = "Ankle rotations > Left ankle (round 1)"


def test_a_whole_toe_session_runs_in_well_under_a_second_and_counts() -> None:
    drive = Drive.of(toe_routine())
    began = time.perf_counter()
    drive.do("ready")
    final = drive.until_finished()
    assert time.perf_counter() - began < 10.0  # no real waiting: real time would be 15-20 minutes
    snapshot = final.snapshot
    assert snapshot.finished and snapshot.status is Status.COMPLETED
    assert snapshot.active_seconds == pytest.approx(896 + 80)
    phases = drive.phases()
    assert phases[:3] == ["Get ready", HOLD_1, "Heel raises > Heels down, rest (round 1)"]
    assert sum("Heels up, hold" in p for p in phases) == 64  # 64 whole 14 s rounds fit in 15 minutes
    assert phases[-4:] == [
        LEFT_1,
        "Ankle rotations > Right ankle (round 1)",
        "Ankle rotations > Left ankle (round 2)",
        "Ankle rotations > Right ankle (round 2)",
    ]
    assert drive.when(MayFinish) == [600.0]
    assert drive.of_kind(Finished) == [Finished(Status.COMPLETED, pytest.approx(976.0))]
    assert isinstance(drive.events[-1], Finished)
    assert drive.engine.checkpoint().cycles_done == 64 + 2


def test_phases_carry_their_kind_words_and_round() -> None:
    drive = Drive.of(toe_routine())
    first = drive.events[0]
    assert isinstance(first, PhaseStarted) and first.phase.kind is PhaseKind.WAIT and first.phase.is_wait
    update = drive.do("ready")
    phase = update.snapshot.phase
    assert (phase.title, phase.kind, phase.seconds, phase.group_title) == (
        "Heels up, hold",
        PhaseKind.HOLD,
        10,
        "Heel raises",
    )
    assert phase.say == "Weight on your toes. Lift your heels."
    assert update.snapshot.next_title == "Heels down, rest"
    drive.tick(14 * 6)
    assert drive.last is not None
    assert drive.last.snapshot.progress.rep_text == "Heel raises 7"


def test_a_whole_foot_soak_runs_to_its_upper_bound_with_reminders_on_time() -> None:
    drive = Drive.of(soak_routine())
    began = time.perf_counter()
    drive.do("ready")
    final = drive.until_finished()
    assert time.perf_counter() - began < 10.0  # no real waiting: real time would be 15-20 minutes
    assert final.snapshot.status is Status.COMPLETED
    assert final.snapshot.active_seconds == pytest.approx(1200)
    assert drive.when(ReminderDue) == [300.0, 600.0, 900.0]  # none at the very end, when the soak is over
    assert drive.of_kind(ReminderDue)[0] == ReminderDue(TOP_UP)
    assert drive.when(MayFinish) == [900.0]
    assert drive.of_kind(MayMoveOn) == [MayMoveOn("Soak")] and drive.when(MayMoveOn) == [900.0]
    assert drive.when(Finished) == [1200.0]


@pytest.mark.parametrize(("stop_at", "status"), [(899.0, Status.PARTIAL), (900.0, Status.COMPLETED)])
def test_finishing_a_soak_before_its_lower_bound_is_partial_after_it_completed(stop_at: float, status: Status) -> None:
    drive = Drive.of(soak_routine())
    drive.do("ready")
    drive.tick(stop_at)
    assert drive.last is not None and drive.last.snapshot.may_finish is (status is Status.COMPLETED)
    update = drive.do("finish")
    assert update.snapshot.finished and update.snapshot.status is status
    assert update.events == (Finished(status, pytest.approx(stop_at)),)


def test_there_is_one_way_to_end_and_it_counts_after_the_lower_bound() -> None:
    """No `abort` that would record a session past `counts_after` as partial: every ending follows one rule."""
    assert not hasattr(SessionEngine, "abort")
    drive = Drive.of(soak_routine())
    drive.do("ready")
    drive.tick(1000)
    assert drive.do("finish").snapshot.status is Status.COMPLETED


def test_a_ranged_step_may_be_left_only_after_its_lower_bound() -> None:
    drive = Drive.of(soak_routine())
    drive.do("ready")
    drive.tick(899)
    before = drive.do("move_on")
    assert before.events == () and not before.snapshot.may_move_on
    assert before.snapshot.block is not None and before.snapshot.block.note.startswith("you may move on in 0:01")
    drive.tick(1)
    assert drive.last is not None and drive.last.snapshot.may_move_on
    after = drive.do("move_on")
    assert after.snapshot.finished and after.snapshot.status is Status.COMPLETED
    assert after.snapshot.active_seconds == pytest.approx(900)


def test_the_heel_raise_block_shows_its_rule_and_ends_on_a_whole_round_before_its_upper_bound() -> None:
    drive = Drive.of(toe_routine())
    start = drive.do("ready").snapshot
    assert start.block is not None and start.block.is_group
    assert start.block.note == "you may move on in 10:00 · ends by itself in 14:56"  # from now: not a clock time
    assert start.progress.left_min == pytest.approx(680) and start.progress.left_max == pytest.approx(976)
    drive.tick(14 * 63)  # the start of round 64, the last that fits
    last = drive.last
    assert last is not None and last.snapshot.phase.position == "Heel raises > Heels up, hold (round 64)"
    assert last.snapshot.block is not None and last.snapshot.block.last_round and last.snapshot.may_move_on
    assert last.snapshot.block.note == "you may move on now · ends by itself in 0:14 (last round)"
    drive.tick(10)
    assert drive.last is not None and drive.last.snapshot.next_title == "Left ankle"
    drive.tick(4)
    assert started_at(drive, LEFT_1) == 896.0


def started_at(drive: Drive, position: str) -> float:
    """Session seconds at which a phase was first reported."""
    pairs = zip(drive.times, drive.events, strict=True)
    return next(at for at, e in pairs if isinstance(e, PhaseStarted) and e.phase.position == position)


def test_a_round_that_fits_exactly_still_runs() -> None:
    rounds = Group("Raises", (timed("Up", 10), timed("Down", 5)), for_=Span(600, 900))
    drive = Drive.of(simple_routine(rounds, timed("After", 5)))
    drive.until_finished()
    assert sum(p.startswith("Raises > Up") for p in drive.phases()) == 60
    assert started_at(drive, "After") == 900.0


def test_a_round_that_fits_exactly_still_runs_when_the_clock_adds_float_noise() -> None:
    rounds = Group("Raises", (timed("Up", 10),), for_=Span(20, 35))
    drive = Drive.of(simple_routine(rounds, timed("After", 5)), FakeClock(monotonic=1000.0))
    drive.tick(5, every=0.1)  # 50 steps of 0.1 s: the clock reads 5.000000000001 s in
    drive.do("back")  # restart round 1; the 5 s done still count toward the group's time
    drive.until_finished(every=0.5)
    assert {p for p in drive.phases() if p.startswith("Raises")} == {f"Raises > Up (round {n})" for n in (1, 2, 3)}
    assert started_at(drive, "After") == pytest.approx(35.0)


def test_time_added_in_a_round_never_makes_the_group_run_past_its_upper_bound() -> None:
    drive = Drive.of(toe_routine())
    drive.do("ready")
    drive.do("add_time", 10.0)
    drive.until_finished()
    ended = started_at(drive, LEFT_1)
    assert ended == 892.0  # round 1 took 24 s, then 62 rounds of 14 s: one more would end at 906
    assert sum("Heels up, hold" in p for p in drive.phases()) == 63


def test_moving_on_from_the_heel_raises_is_refused_before_ten_minutes_and_leaves_mid_round_after() -> None:
    drive = Drive.of(toe_routine())
    drive.do("ready")
    drive.tick(599)
    refused = drive.do("move_on")
    assert refused.events == () and refused.snapshot.phase.group_title == "Heel raises"
    drive.tick(1)
    assert drive.of_kind(MayMoveOn) == [MayMoveOn("Heel raises")] and drive.when(MayMoveOn) == [600.0]
    moved = drive.do("move_on")
    assert [e.phase.position for e in moved.events if isinstance(e, PhaseStarted)] == [LEFT_1]
    assert moved.snapshot.active_seconds == pytest.approx(600)
    assert drive.engine.checkpoint().cycles_done == 42  # 42 whole rounds of 14 s; the 43rd was cut short


def test_a_session_skipped_to_its_end_without_enough_exercise_is_partial() -> None:
    drive = Drive.of(simple_routine(timed("A", 30), Group("G", (timed("B", 10),), repeat=3), timed("C", 30)))
    drive.tick(5)
    for _ in range(4):
        drive.do("next")
    assert drive.phases() == ["A", "G > B (round 1)", "G > B (round 2)", "G > B (round 3)", "C"]
    final = drive.do("next")
    assert final.snapshot.finished and final.snapshot.status is Status.PARTIAL
    assert final.events == (Finished(Status.PARTIAL, pytest.approx(5.0)),)


def test_skipping_phases_in_a_timed_group_does_not_count_as_its_time() -> None:
    drive = Drive.of(toe_routine())
    drive.do("ready")
    for _ in range(200):
        drive.do("next")
    snapshot = drive.engine.snapshot()
    assert snapshot.phase.group_title == "Heel raises" and snapshot.phase.reps[-1].number == 101
    assert snapshot.active_seconds == 0.0 and not snapshot.may_move_on


def test_a_routine_built_in_code_with_a_ranged_step_kind_soak_reports_soak() -> None:
    routine = soak_routine()
    engine = SessionEngine(routine, FakeClock())
    update = engine.ready()
    assert update.snapshot.phase.kind is PhaseKind.SOAK
    assert update.snapshot.phase.low_seconds == 900 and update.snapshot.phase.seconds == 1200
    assert StepKind.SOAK.value == PhaseKind.SOAK.value


def test_a_session_has_begun_once_the_user_is_past_getting_ready() -> None:
    clock = FakeClock()
    engine = SessionEngine(soak_routine(), clock)
    assert engine.advance().snapshot.begun is False
    clock.advance(60)  # reading the safety notes does not begin the session
    assert engine.advance().snapshot.begun is False
    assert engine.ready().snapshot.begun is True
    assert engine.finish().snapshot.begun is True  # stays begun once it has


def test_a_routine_that_starts_with_a_countdown_has_begun_at_once() -> None:
    engine = SessionEngine(simple_routine(timed("Up", 5)), FakeClock())
    assert engine.advance().snapshot.begun is True
