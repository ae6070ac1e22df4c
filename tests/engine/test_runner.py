"""The rules of a session's life, tested once: when it is recorded, when it asks, and the status of every ending.

A fake clock and an in-memory recorder: a 20-minute soak runs in microseconds, and the recorder's rows are what a
history table would hold afterwards."""

from __future__ import annotations

import pytest
from engine_fakes import FakeRecorder, simple_routine, soak_routine, timed, toe_routine

from coach.engine.clock import FakeClock
from coach.engine.recording import SessionStart, Status
from coach.engine.runner import (
    CHECKPOINT_DODGE,
    CHECKPOINT_EVERY,
    DISCARD_WITHIN,
    Action,
    Ending,
    Outcome,
    SessionRunner,
)
from coach.engine.session import SessionEngine
from coach.routines.model import Routine, Slot, Span, StepKind, TimedStep, WaitStep


def make(routine: Routine) -> tuple[SessionRunner, FakeRecorder, FakeClock]:
    clock = FakeClock()
    recorder = FakeRecorder(clock)
    runner = SessionRunner(SessionEngine(routine, clock), recorder, "morning", session_id="s-1")
    return runner, recorder, clock


def tick(runner: SessionRunner, clock: FakeClock, seconds: float, every: float = 1.0) -> None:
    """Time passes with the UI looking every `every` seconds, as its timer would."""
    left = seconds
    while left > 1e-9:
        step = min(every, left)
        clock.advance(step)
        left -= step
        runner.advance()


def names(recorder: FakeRecorder) -> list[str]:
    return [call[0] for call in recorder.calls]


# -- when it is recorded -----------------------------------------------------------------------------------------


def test_nothing_is_recorded_while_getting_ready_and_leaving_then_keeps_nothing() -> None:
    runner, recorder, clock = make(toe_routine())
    tick(runner, clock, 120)
    assert recorder.calls == [] and not runner.recording
    assert not runner.must_ask(Action.STOP)  # nothing begun: nothing to lose, nothing to ask
    runner.stop()
    assert runner.outcome == Outcome(None, None, 0.0) and recorder.calls == [] and recorder.rows == {}


def test_the_session_is_written_when_the_user_begins_with_the_rule_for_a_crash() -> None:
    runner, recorder, clock = make(soak_routine())
    clock.advance(30)
    runner.ready()
    (name, at, session), *_ = recorder.calls
    assert name == "start" and at == pytest.approx(1030.0)
    assert isinstance(session, SessionStart)
    assert session.id == "s-1" and session.slot == "morning" and session.counts_after_seconds == 900.0
    assert session.started_at == FakeClock().wall()  # the start of the session, not of the first step


def test_a_checkpoint_at_every_phase_change_and_at_least_every_ten_seconds() -> None:
    runner, recorder, clock = make(toe_routine())
    runner.ready()
    tick(runner, clock, 60, every=0.25)
    times = [at - 1000.0 for name, at, _ in recorder.calls if name == "checkpoint"]
    assert times[0] == 0.0  # the first hold began
    for change in (10.0, 14.0, 24.0, 28.0):  # holds and rests of 10 s and 4 s
        assert change in times
    assert all(later - earlier <= CHECKPOINT_EVERY for earlier, later in zip(times, times[1:], strict=False))
    runner, recorder, clock = make(soak_routine())
    runner.ready()
    while clock.monotonic() < 1095.0:  # a loop that sleeps until the runner says (as --plain does)
        wait = runner.next_event_in()
        assert wait is not None
        clock.advance(wait)
        runner.advance()
    times = [at - 1000.0 for name, at, _ in recorder.calls if name == "checkpoint"]
    assert times == [float(second) for second in range(0, 101, 10)]


def test_with_a_dodge_no_periodic_checkpoint_shares_a_new_seconds_call() -> None:
    runner, recorder, clock = make(soak_routine())
    runner.dodge = CHECKPOINT_DODGE
    runner.ready()
    writes_with_a_new_second = 0
    while clock.monotonic() < 1095.0:  # a UI that wakes when the runner says: each shown second and checkpoints
        wait = runner.next_wake_in()
        assert wait is not None
        clock.advance(wait + 0.0001)
        shown, before = runner.snapshot.shown_remaining, len(recorder.calls)
        runner.advance()
        writes_with_a_new_second += len(recorder.calls) > before and runner.snapshot.shown_remaining != shown
    times = [at - 1000.0 for name, at, _ in recorder.calls if name == "checkpoint"]
    assert writes_with_a_new_second == 0
    assert times[0] == 0.0 and len(times) == 10  # the start, then every 10 s, half a second off the boundaries
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert max(gaps) <= CHECKPOINT_EVERY + CHECKPOINT_DODGE + 0.001  # the wake-ups' slack


def test_no_checkpoints_while_paused_and_no_wake_up() -> None:
    runner, recorder, clock = make(soak_routine())
    runner.ready()
    runner.pause()
    before = len(recorder.calls)
    assert runner.next_wake_in() is None
    clock.advance(300)
    runner.advance()
    assert len(recorder.calls) == before + 1  # one checkpoint on the first look after 10 s, then none
    clock.advance(300)
    runner.advance()
    assert len(recorder.calls) == before + 2


# -- endings -----------------------------------------------------------------------------------------------------


def test_a_natural_end_is_finished_and_completed_recorded_once() -> None:
    runner, recorder, clock = make(soak_routine())
    runner.ready()
    tick(runner, clock, 20 * 60 + 1, every=5.0)
    assert runner.outcome == Outcome(Ending.FINISHED, Status.COMPLETED, 1200.0)
    runner.stop()
    runner.close()
    assert names(recorder).count("finish") == 1
    assert recorder.rows == {"s-1": (Status.COMPLETED, 1200.0)}


def test_a_soak_stopped_at_minute_sixteen_counts() -> None:
    """The bedtime streak is kept: once counts_after has passed, stopping is an ending like any other."""
    runner, recorder, clock = make(soak_routine())
    runner.ready()
    tick(runner, clock, 16 * 60, every=10.0)
    assert runner.counts and not runner.must_ask(Action.STOP)
    runner.stop()
    assert runner.outcome == Outcome(Ending.STOPPED, Status.COMPLETED, 960.0)
    assert recorder.rows["s-1"] == (Status.COMPLETED, 960.0)


@pytest.mark.parametrize("end", ["stop", "finish", "close"])
def test_every_ending_after_counts_after_is_completed(end: str) -> None:
    runner, recorder, clock = make(toe_routine())
    runner.ready()
    tick(runner, clock, 10 * 60 + 3, every=1.0)
    getattr(runner, end)()
    assert runner.outcome is not None and runner.outcome.status is Status.COMPLETED
    assert recorder.rows["s-1"][0] is Status.COMPLETED


@pytest.mark.parametrize("end", ["stop", "finish", "close"])
def test_every_ending_before_counts_after_is_partial(end: str) -> None:
    runner, recorder, clock = make(toe_routine())
    runner.ready()
    tick(runner, clock, 9 * 60 + 59, every=1.0)
    assert not runner.counts and runner.must_ask(Action.STOP) and runner.must_ask(Action.FINISH)
    getattr(runner, end)()
    assert runner.outcome is not None and runner.outcome.status is Status.PARTIAL
    assert recorder.rows["s-1"] == (Status.PARTIAL, pytest.approx(599.0))


def test_next_on_the_last_step_asks_before_counts_after_and_not_in_the_middle() -> None:
    soak = soak_routine()
    runner, _, clock = make(soak)
    assert not runner.must_ask(Action.NEXT)  # at "Prepare the water": next only begins
    runner.ready()
    tick(runner, clock, 60)
    assert runner.ends_session(Action.NEXT) and runner.must_ask(Action.NEXT)  # the soak is the last step
    tick(runner, clock, 15 * 60)
    assert runner.ends_session(Action.NEXT) and not runner.must_ask(Action.NEXT)  # it counts: no question
    runner, _, clock = make(toe_routine())
    runner.ready()
    tick(runner, clock, 30)
    assert not runner.ends_session(Action.NEXT) and not runner.must_ask(Action.NEXT)


def test_next_in_a_timed_group_is_only_the_next_round() -> None:
    """Heel raises then nothing: `next` at the rest starts another round (its time has not passed), no question."""
    routine = simple_routine(
        WaitStep("Get ready"),
        toe_routine().steps[1],
        counts_after=600,
    )
    runner, _, clock = make(routine)
    runner.ready()
    tick(runner, clock, 12)
    assert runner.snapshot.phase.title == "Heels down, rest"
    assert not runner.ends_session(Action.NEXT)


def test_moving_on_from_the_last_block_before_counts_after_asks() -> None:
    """A soak whose routine counts only after 18 min: move on is allowed at 15, and then it would end short."""
    soak = TimedStep("Soak", Span(900, 1200), kind=StepKind.SOAK)
    routine = Routine("soak", "Foot soak", (WaitStep("Prepare"), soak), (Slot.BEDTIME,), counts_after=1080)
    runner, _, clock = make(routine)
    runner.ready()
    tick(runner, clock, 15 * 60 + 1, every=10.0)
    assert runner.snapshot.may_move_on and runner.must_ask(Action.MOVE_ON)
    tick(runner, clock, 3 * 60, every=10.0)
    assert not runner.must_ask(Action.MOVE_ON)
    runner.move_on()
    assert runner.outcome == Outcome(Ending.FINISHED, Status.COMPLETED, pytest.approx(1081.0))


def test_a_session_just_begun_can_be_discarded_and_leaves_nothing() -> None:
    runner, recorder, clock = make(toe_routine())
    runner.ready()
    tick(runner, clock, 2)
    assert runner.may_discard
    runner.discard()
    assert runner.outcome == Outcome(Ending.DISCARDED, None, 2.0)
    assert recorder.rows == {} and "finish" not in names(recorder) and names(recorder).count("discard") == 1
    runner.close()
    assert names(recorder).count("discard") == 1


def test_a_session_past_its_first_minute_is_kept_even_if_discard_is_asked() -> None:
    runner, recorder, clock = make(toe_routine())
    runner.ready()
    tick(runner, clock, DISCARD_WITHIN)
    assert not runner.may_discard
    runner.discard()
    assert runner.outcome is not None and runner.outcome.status is Status.PARTIAL
    assert recorder.rows["s-1"][0] is Status.PARTIAL


def test_a_routine_that_ends_by_the_users_next_before_counting_is_partial_but_finished() -> None:
    routine = simple_routine(timed("Only", 30), counts_after=30)
    runner, recorder, clock = make(routine)
    tick(runner, clock, 5)
    assert runner.must_ask(Action.NEXT)
    runner.next()
    assert runner.outcome == Outcome(Ending.FINISHED, Status.PARTIAL, 5.0)
    assert recorder.rows["s-1"] == (Status.PARTIAL, 5.0)
