"""`coach run --plain` in-process: a fake clock, scripted input, a captured terminal and a fake recorder."""

from __future__ import annotations

import io
import signal

import pytest
from engine_fakes import TOP_UP, FakeRecorder, FakeWaiter, Suspend, simple_routine, soak_routine, timed

from coach.cli.plain_runner import KEYS, Line, PlainResult, Signalled, run_plain
from coach.engine.clock import FakeClock
from coach.engine.recording import Checkpoint, Status
from coach.engine.runner import Ending, Outcome, SessionRunner
from coach.engine.session import SessionEngine
from coach.routines.model import Routine, Span, StepKind, TimedStep, WaitStep

HOLD = TimedStep("Heels up, hold", Span(10, 10), "Weight on your toes. Lift your heels.", StepKind.HOLD)
TINY = simple_routine(WaitStep("Get ready", "Hold a chair."), HOLD, timed("Rest", 4, StepKind.REST))


def run(
    routine: Routine, script: list[tuple[float, object]] | None = None, *, bell: bool = True, interactive: bool = True
) -> tuple[PlainResult, str, FakeRecorder, FakeWaiter, FakeClock]:
    clock = FakeClock()
    recorder = FakeRecorder(clock)
    runner = SessionRunner(SessionEngine(routine, clock), recorder, "morning", session_id="id-1")
    waiter = FakeWaiter(clock, script or [], interactive=interactive)  # type: ignore[arg-type]
    out = io.StringIO()
    result = run_plain(runner, waiter, out, bell=bell)
    return result, out.getvalue(), recorder, waiter, clock


def test_one_line_per_event_with_the_elapsed_time_and_a_bell_at_each_change() -> None:
    result, text, _, _, _ = run(TINY, [(2.0, Line(""))])
    assert result == PlainResult(Outcome(Ending.FINISHED, Status.COMPLETED, 14.0), 0)
    assert text.splitlines() == [
        "Simple (morning): 14s; it counts after 14s.",
        KEYS,
        "00:00 Get ready - Hold a chair. (Enter when ready)\a",
        "00:02 Heels up, hold (10 s) - Weight on your toes. Lift your heels.\a",
        "00:12 Rest (4 s)\a",
        "00:16 Finished: completed, 14 s of exercise. Well done.\a",
    ]


def test_quiet_rings_no_bell() -> None:
    _, text, _, _, _ = run(TINY, [(2.0, Line(""))], bell=False)
    assert "\a" not in text and "00:12 Rest (4 s)" in text


def test_the_recorder_sees_the_start_a_checkpoint_at_each_change_and_at_least_every_ten_seconds_and_the_end() -> None:
    routine = simple_routine(WaitStep("Get ready"), timed("Long", 35), timed("Short", 2))
    _, _, recorder, _, clock = run(routine, [(1.0, Line(""))])
    assert [call[0] for call in recorder.calls][:2] == ["start", "checkpoint"]
    assert [call[0] for call in recorder.calls].count("finish") == 1 and recorder.calls[-1][0] == "finish"
    times = [at - 1000.0 for name, at, _ in recorder.calls if name == "checkpoint"]
    assert all(later - earlier <= 10.0 + 1e-6 for earlier, later in zip(times, times[1:], strict=False))
    for change in (1.0, 36.0):  # ready, Short starts (the end is written by `finish`, with its checkpoint)
        assert any(abs(at - change) < 0.01 for at in times)
    assert recorder.calls[-1][1] - 1000.0 == pytest.approx(38.0, abs=0.01)
    status, ended_at, checkpoint = recorder.calls[-1][2]  # type: ignore[misc]
    assert status is Status.COMPLETED and checkpoint == Checkpoint("Short", pytest.approx(37.0), 0)
    assert ended_at == clock.wall()


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_ends_the_session_as_partial_with_its_exit_code(signum: int, code: int) -> None:
    result, text, recorder, _, _ = run(TINY, [(2.0, Line("")), (5.0, Signalled(signum))])
    assert result == PlainResult(Outcome(Ending.STOPPED, Status.PARTIAL, 3.0), code)
    assert text.splitlines()[-1] == "00:05 Stopped after 3 s: saved as partial (it counts after 14 s).\a"
    status, _, checkpoint = recorder.calls[-1][2]  # type: ignore[misc]
    assert status is Status.PARTIAL and checkpoint.active_seconds == pytest.approx(3.0)


def test_at_the_end_of_input_a_wait_step_goes_straight_on() -> None:
    result, text, _, _, _ = run(TINY, [])
    assert result.status is Status.COMPLETED
    assert "00:00 (no input: going on)" in text.splitlines()


def test_without_a_terminal_a_wait_step_does_not_wait_for_input_that_never_comes() -> None:
    clock_waits: list[float] = []
    result, text, _, waiter, _ = run(TINY, [(3600.0, Line(""))], interactive=False)
    clock_waits.extend(waiter.timeouts)
    assert result.status is Status.COMPLETED
    assert "00:00 (no input: going on)" in text and "00:14 Finished" in text


def test_a_soak_prints_its_reminders_and_when_the_user_may_stop_without_a_busy_loop() -> None:
    result, text, _, waiter, _ = run(soak_routine(), [(0.0, Line(""))])
    lines = text.splitlines()
    assert f"05:00 Reminder: {TOP_UP}\a" in lines and f"15:00 Reminder: {TOP_UP}\a" in lines
    assert "15:00 You may stop now: this session counts (f and Enter to finish).\a" in lines
    assert "15:00 You may move on from Soak (Enter), or go on: it ends by itself." in lines
    assert lines[-1] == "20:00 Finished: completed, 20 min of exercise. Well done.\a"
    assert result.exit_code == 0
    assert len(waiter.timeouts) < 200  # woken for events and 10 s checkpoints, never every second (1200)


def test_enter_after_the_lower_bound_moves_on_and_f_finishes() -> None:
    result, text, _, _, _ = run(soak_routine(), [(0.0, Line("")), (950.0, Line(""))])
    assert result.status is Status.COMPLETED and text.splitlines()[-1].startswith("15:50 Finished: completed")
    early, text, _, _, _ = run(soak_routine(), [(0.0, Line("")), (600.0, Line("f")), (601.0, Line("y"))])
    assert early.status is Status.PARTIAL and early.exit_code == 0
    lines = text.splitlines()
    assert lines[-2].startswith("10:00 End the session now? It counts after 15 min (5 min to go)")
    assert lines[-1] == "10:01 Finished early: 10 min 1 s done, saved as partial (it counts after 15 min).\a"


def test_before_it_counts_every_ending_asks_and_no_keeps_going() -> None:
    """f, q, and n on the last step: each asks first; Enter alone (or no terminal to answer) keeps going."""
    for key in ("f", "q", "n"):
        result, text, _, _, _ = run(soak_routine(), [(0.0, Line("")), (60.0, Line(key)), (61.0, Line(""))])
        assert "01:00 End the session now?" in text and "01:01 Going on." in text
        assert result.outcome == Outcome(Ending.FINISHED, Status.COMPLETED, 1200.0)  # it ran to its end
    result, text, _, _, _ = run(soak_routine(), [(0.0, Line("")), (60.0, Line("n"))], interactive=False)
    assert result.outcome.status is Status.COMPLETED and "(no input: going on)" in text


def test_after_it_counts_q_stops_at_once_and_the_session_counts() -> None:
    result, text, recorder, _, _ = run(soak_routine(), [(0.0, Line("")), (16 * 60, Line("q"))])
    assert result.outcome == Outcome(Ending.STOPPED, Status.COMPLETED, 960.0)
    assert text.splitlines()[-1] == "16:00 Stopped: completed, 16 min of exercise. Well done.\a"
    assert recorder.rows["id-1"] == (Status.COMPLETED, 960.0)


def test_a_session_just_begun_can_be_thrown_away() -> None:
    result, text, recorder, _, _ = run(TINY, [(0.0, Line("")), (2.0, Line("q")), (3.0, Line("d"))])
    assert "d and Enter: throw this session away." in text
    assert result.outcome == Outcome(Ending.DISCARDED, None, 3.0)
    assert text.splitlines()[-1] == "00:03 Discarded: this session (3 s) is not saved.\a"
    assert recorder.rows == {}


def test_m_before_its_time_says_how_long_to_go() -> None:
    _, text, _, _, _ = run(soak_routine(), [(0.0, Line("")), (60.0, Line("m"))])
    assert "01:00 You may move on from Soak after 15 min — 14:00 to go." in text


def test_enter_before_its_time_says_how_long_to_go_too() -> None:
    """Enter alone moves on once it may; before that it says why, never nothing."""
    _, text, _, _, _ = run(soak_routine(), [(0.0, Line("")), (60.0, Line(""))])
    assert "01:00 You may move on from Soak after 15 min — 14:00 to go." in text


def test_typed_pause_stops_the_countdown_and_enter_goes_on() -> None:
    result, text, recorder, _, _ = run(TINY, [(0.0, Line("")), (5.0, Line("p")), (65.0, Line(""))])
    lines = text.splitlines()
    assert "00:05 Paused. Enter or p to go on." in lines and "01:05 Going on." in lines
    assert "01:10 Rest (4 s)\a" in lines
    assert result.status is Status.COMPLETED and recorder.calls[-1][2][2].active_seconds == pytest.approx(14)  # type: ignore[index]


def test_an_unknown_command_shows_the_keys() -> None:
    _, text, _, _, _ = run(TINY, [(0.0, Line("")), (1.0, Line("what"))])
    assert f"00:01 {KEYS}" in text.splitlines()


def test_a_sleep_gap_is_asked_about_and_counted_only_when_the_user_says_yes() -> None:
    soak = soak_routine()
    yes, text, _, _, _ = run(soak, [(0.0, Line("")), (100.0, Suspend(600)), (101.0, Line("y"))])
    assert "11:40 The computer slept for 10 min. Count that time as done? y and Enter, or Enter." in text
    assert yes.status is Status.COMPLETED and text.splitlines()[-1].startswith("20:")  # 20 min of soak, not 30
    script = [(0.0, Line("")), (100.0, Suspend(600)), (101.0, Line("")), (200, Line("f")), (200, Line("y"))]
    no, text, recorder, _, _ = run(soak, script)  # type: ignore[arg-type]
    assert no.status is Status.PARTIAL
    assert recorder.calls[-1][2][2].active_seconds == pytest.approx(199)  # type: ignore[index]


def test_stopped_while_getting_ready_records_nothing_as_the_app_does() -> None:
    result, _, recorder, _, _ = run(TINY, [(20.0, Signalled(signal.SIGINT))])
    assert result == PlainResult(Outcome(None, None, 0.0), 130)
    assert recorder.calls == []
