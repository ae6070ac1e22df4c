"""The user's controls: next and back at every kind of position, more or less time, waits, finish."""

from __future__ import annotations

import pytest
from engine_fakes import Drive, simple_routine, started, timed, toe_routine

from coach.engine.clock import FakeClock
from coach.engine.events import EndingSoon, Finished, MayFinish
from coach.engine.recording import Status
from coach.engine.session import SessionEngine
from coach.routines.model import Group, WaitStep

HOLD = "Heel raises > Heels up, hold (round {})"
REST = "Heel raises > Heels down, rest (round {})"


def test_back_at_the_first_phase_stays_there() -> None:
    drive = Drive.of(toe_routine())
    assert started(drive.do("back")) == ["Get ready"]
    assert drive.engine.snapshot().waiting


def test_next_at_a_wait_step_goes_on_and_back_from_the_first_countdown_returns_to_it() -> None:
    drive = Drive.of(toe_routine())
    assert started(drive.do("next")) == [HOLD.format(1)]
    assert started(drive.do("back")) == ["Get ready"]
    assert drive.engine.snapshot().active_seconds == 0.0


def test_back_restarts_the_phase_and_pressed_again_soon_goes_to_the_previous_one() -> None:
    drive = Drive.of(toe_routine())
    drive.do("ready")
    drive.tick(14 * 2 + 5)  # 5 s into round 3's hold
    restarted = drive.do("back")
    assert started(restarted) == [HOLD.format(3)] and restarted.snapshot.remaining == pytest.approx(10)
    drive.tick(1)
    assert started(drive.do("back")) == [REST.format(2)]
    assert started(drive.do("next")) == [HOLD.format(3)]
    assert started(drive.do("next")) == [REST.format(3)]
    assert drive.engine.snapshot().active_seconds == pytest.approx(34)  # every second really done still counts


def test_back_across_groups_returns_to_the_last_round_of_the_group_before() -> None:
    drive = Drive.of(toe_routine())
    drive.do("ready")
    drive.tick(896)
    assert drive.engine.snapshot().phase.position == "Ankle rotations > Left ankle (round 1)"
    back = drive.do("back")
    assert started(back) == [REST.format(64)] and back.snapshot.block is not None
    assert back.snapshot.block.last_round and back.snapshot.block.elapsed == pytest.approx(896)
    assert started(drive.tick(4)) == ["Ankle rotations > Left ankle (round 1)"]  # the group does not run over


def test_back_into_a_repeat_group_enters_its_last_round() -> None:
    routine = simple_routine(Group("G", (timed("A", 5), timed("B", 5)), repeat=3), timed("After", 5))
    drive = Drive.of(routine)
    for _ in range(6):
        drive.do("next")
    assert drive.engine.snapshot().phase.position == "After"
    assert started(drive.do("back")) == ["G > B (round 3)"]
    assert started(drive.do("back")) == ["G > A (round 3)"]
    assert started(drive.do("back")) == ["G > B (round 2)"]


def test_a_wait_step_in_the_middle_counts_no_time_and_back_and_next_pass_through_it() -> None:
    routine = simple_routine(timed("A", 10), WaitStep("Turn around"), timed("B", 10))
    drive = Drive.of(routine)
    drive.tick(10)
    waiting = drive.tick(300, every=30)
    assert waiting.snapshot.waiting and waiting.snapshot.remaining is None and waiting.events == ()
    assert waiting.snapshot.active_seconds == pytest.approx(10) and waiting.snapshot.elapsed_seconds == 310
    assert started(drive.do("back")) == ["A"]
    assert started(drive.do("next")) == ["Turn around"]
    assert started(drive.do("next")) == ["B"]
    assert started(drive.do("back")) == ["Turn around"]
    assert started(drive.do("ready")) == ["B"]


def test_next_at_the_last_phase_ends_the_session() -> None:
    drive = Drive.of(simple_routine(timed("A", 10), counts_after=5))
    drive.tick(6)
    assert drive.do("next").events == (Finished(Status.COMPLETED, pytest.approx(6)),)


def test_next_and_back_while_paused_keep_the_session_paused() -> None:
    drive = Drive.of(simple_routine(timed("A", 10), timed("B", 10)))
    drive.tick(3)
    drive.do("pause")
    moved = drive.do("next")
    assert moved.snapshot.paused and moved.snapshot.remaining == pytest.approx(10)
    drive.tick(60)
    assert drive.engine.snapshot().remaining == pytest.approx(10)


def test_ten_seconds_more_moves_the_end_and_brings_the_countdown_back() -> None:
    drive = Drive.of(simple_routine(timed("Hold", 10), timed("Next", 10)))
    drive.tick(8)
    assert drive.last is not None and EndingSoon(3) in drive.events
    more = drive.do("add_time")
    assert more.snapshot.remaining == pytest.approx(12)
    drive.tick(9)
    assert drive.of_kind(EndingSoon)[-1] == EndingSoon(3) and drive.when(EndingSoon)[-1] == 17.0
    assert started(drive.tick(2)) == []
    assert started(drive.tick(1)) == ["Next"]
    assert drive.last is not None and drive.last.snapshot.active_seconds == pytest.approx(20)


def test_taking_ten_seconds_never_leaves_less_than_a_second() -> None:
    drive = Drive.of(simple_routine(timed("Hold", 30)))
    drive.tick(5)
    assert drive.do("take_time").snapshot.remaining == pytest.approx(15)
    assert drive.do("take_time").snapshot.remaining == pytest.approx(5)
    taken = drive.do("take_time")
    assert taken.snapshot.remaining == pytest.approx(1.0) and taken.events == (EndingSoon(1),)
    drive.tick(0.5)
    assert drive.do("take_time").snapshot.remaining == pytest.approx(0.5)


def test_controls_after_the_end_do_nothing() -> None:
    drive = Drive.of(simple_routine(timed("A", 1)))
    drive.tick(1)
    for control in ("next", "back", "pause", "resume", "add_time", "move_on", "finish", "ready"):
        update = drive.do(control)
        assert update.events == () and update.snapshot.finished and update.snapshot.status is Status.COMPLETED


def test_a_routine_that_asks_for_no_exercise_may_be_finished_at_once() -> None:
    engine = SessionEngine(simple_routine(WaitStep("Read this")), FakeClock())
    update = engine.advance()
    assert MayFinish() in update.events and update.snapshot.may_finish
    assert engine.ready().snapshot.status is Status.COMPLETED


def test_the_checkpoint_says_where_the_session_is() -> None:
    drive = Drive.of(toe_routine())
    drive.do("ready")
    drive.tick(14 * 6 + 2)
    checkpoint = drive.engine.checkpoint()
    assert checkpoint.position == HOLD.format(7)
    assert checkpoint.active_seconds == pytest.approx(86) and checkpoint.cycles_done == 6
