"""The run screen's keys, as a user presses them: ready, pause, next/back, more/less time, move on, finish, quit,
suspend, and the two questions (stop the session? did the time away count?)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ui_helpers import advance, build_app, digits, history, run_screen, screen_text, shown

from coach.engine.clock import FakeClock
from coach.ui.screens.dialogs import Question, StopQuestion

SIZE = (100, 30)


async def test_enter_at_get_ready_starts_the_countdown(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir, "toe-exercises")
    async with app.run_test(size=SIZE) as pilot:
        screen = run_screen(app)
        assert screen.query_one("#run").has_class("-waiting")
        assert shown(app, "#run-label") == "BEFORE YOU START"  # not "GET READY" above "Get ready"
        assert "Press Enter when you are ready." in screen_text(app)
        assert "Hold on to something that will not move" in screen_text(app)  # safety notes while getting ready
        await advance(pilot, clock, 30)  # waiting costs nothing: still the same step
        assert shown(app, "#run-title") == "Get ready"
        await pilot.press("enter")
        assert screen.query_one("#run").has_class("-hold") and not screen.query_one("#run").has_class("-waiting")
        assert shown(app, "#run-label") == "HOLD"
        assert shown(app, "#run-title") == "Heels up, hold"
        assert digits(app) == "10"
        assert "Hold on to something" not in screen_text(app)
        await advance(pilot, clock, 3)
        assert digits(app) == "7"
        await advance(pilot, clock, 7)
        assert screen.query_one("#run").has_class("-rest")
        assert shown(app, "#run-title") == "Heels down, rest"
        assert digits(app) == "4"


async def test_a_wake_up_is_armed_only_while_the_countdown_runs(clock: FakeClock, data_dir: Path) -> None:
    """Idle costs nothing: no timer at all while getting ready or paused, one armed again on resume."""
    app = build_app(clock, data_dir, "foot-soak")
    async with app.run_test(size=SIZE) as pilot:
        screen = run_screen(app)
        assert not screen.wake_armed
        await pilot.press("enter")
        assert screen.wake_armed
        await pilot.press("space")
        assert not screen.wake_armed
        await pilot.press("space")
        assert screen.wake_armed
        await pilot.press("q")
        assert not screen.wake_armed  # the countdown waits while the stop question is up
        await pilot.press("enter")  # Enter keeps going: a key pressed by mistake ends nothing
        assert screen.wake_armed
        await pilot.press("q", "y")
        assert not screen.wake_armed


async def test_space_pauses_and_the_digits_hold_still_then_resumes(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir, "foot-soak")
    async with app.run_test(size=SIZE) as pilot:
        screen = run_screen(app)
        await pilot.press("enter")
        await advance(pilot, clock, 61)
        assert digits(app) == "18:59"
        await pilot.press("space")
        assert screen.query_one("#run").has_class("-paused")
        assert shown(app, "#run-label") == "PAUSED"
        assert "Paused. Press space to go on." in screen_text(app)
        assert screen.check_action("pause", ()) is False and screen.check_action("resume", ()) is True
        await advance(pilot, clock, 95)
        assert digits(app) == "18:59"
        assert "space Resume" in screen_text(app)
        await pilot.press("space")
        assert not screen.query_one("#run").has_class("-paused")
        assert shown(app, "#run-label") == "SOAK"
        await advance(pilot, clock, 2)
        assert digits(app) == "18:57"
        assert "space Pause" in screen_text(app)
        await pilot.press("q", "y")
    assert app.recordings.close_all()
    assert history(data_dir)[0].active_seconds == pytest.approx(63)  # the pause did not count


async def test_next_and_back_with_keys_and_arrows(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir, "toe-exercises")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert shown(app, "#run-title") == "Heels up, hold"
        await pilot.press("n")
        assert shown(app, "#run-title") == "Heels down, rest"
        await pilot.press("right")
        assert shown(app, "#run-title") == "Heels up, hold"
        assert "Heel raises 2" in shown(app, "#run-rep")
        await advance(pilot, clock, 5)
        assert digits(app) == "5"
        await pilot.press("b")  # restarts the step
        assert digits(app) == "10"
        await pilot.press("left")  # pressed again at once: the step before
        assert shown(app, "#run-title") == "Heels down, rest"
        assert "Heel raises 1" in shown(app, "#run-rep")


async def test_plus_and_minus_change_the_time_left_by_ten_seconds(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir, "foot-soak")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert digits(app) == "20:00"
        await pilot.press("plus")
        assert digits(app) == "20:10"
        await pilot.press("minus", "minus", "minus")
        assert digits(app) == "19:40"
        await pilot.press("equals_sign")  # + without shift on most keyboards
        assert digits(app) == "19:50"


async def test_move_on_says_why_not_yet_then_moves_on(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir, "toe-exercises")
    async with app.run_test(size=SIZE) as pilot:
        screen = run_screen(app)
        await pilot.press("enter")
        assert screen.check_action("move_on", ()) is True  # it answers, even before its time
        assert "you may move on in 10 min" in shown(app, "#run-rep")  # minutes: the digits carry the seconds
        await advance(pilot, clock, 80)
        await pilot.press("m")  # does nothing yet, and says why
        assert shown(app, "#run-title").startswith("Heels")
        await pilot.pause()
        assert "You may move on from Heel raises after 10 min — 8:40 to go." in screen_text(app)
        await advance(pilot, clock, 2)  # it counts down with the digits, never a stale figure
        assert "You may move on from Heel raises after 10 min — 8:38 to go." in screen_text(app)
        await advance(pilot, clock, 6)  # and goes after a few seconds (or when the step changes)
        assert "to go." not in screen_text(app)
        await advance(pilot, clock, 10 * 60 - 88 + 1)
        assert "You may move on now: press m." in screen_text(app)
        await pilot.press("m")
        assert shown(app, "#run-title") == "Left ankle, circles one way"
        assert screen.check_action("move_on", ()) is False  # nothing ranged left: not in the footer


async def test_finish_before_it_counts_asks_and_after_it_finishes(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir, "foot-soak")
    async with app.run_test(size=SIZE) as pilot:
        screen = run_screen(app)
        await pilot.press("enter")
        await advance(pilot, clock, 14 * 60, step=30)
        await pilot.press("f")
        assert isinstance(app.screen, StopQuestion)
        assert "A session counts after 15 min — 1:00 to go." in screen_text(app)
        await pilot.press("n")
        assert not screen.query_one("#run").has_class("-finished")
        await advance(pilot, clock, 60 + 5, step=5)
        assert "You may stop now: press f to finish." in screen_text(app)
        await pilot.press("f")  # it counts: no question
        assert screen.query_one("#run").has_class("-finished")
        assert shown(app, "#run-label") == "FINISHED"
        assert shown(app, "#run-title") == "Session complete"
        assert digits(app) == "15:05"
    assert app.recordings.close_all()
    [session] = history(data_dir)
    assert (session.status.value, session.slot) == ("completed", "bedtime")
    assert session.active_seconds == pytest.approx(15 * 60 + 5)


async def test_next_on_the_last_step_asks_before_it_counts(clock: FakeClock, data_dir: Path) -> None:
    """The soak is the last step: n or the right arrow there would end the session short of counting."""
    app = build_app(clock, data_dir, "foot-soak")
    async with app.run_test(size=SIZE) as pilot:
        screen = run_screen(app)
        await pilot.press("enter")
        await advance(pilot, clock, 5 * 60, step=30)
        for key in ("n", "right"):
            await pilot.press(key)
            assert isinstance(app.screen, StopQuestion)
            assert "This is the last step: end the session?" in screen_text(app)
            await pilot.press("n")
            assert app.screen is screen and not screen.runner.snapshot.finished
        await pilot.press("n", "y")
        assert shown(app, "#run-label") == "FINISHED EARLY"
        assert "5 min done: saved as partial, since a session counts after 15 min." in screen_text(app)
    assert app.recordings.close_all()
    assert history(data_dir)[0].status.value == "partial"


@pytest.mark.parametrize("key", ["q", "escape"])
async def test_quit_asks_first_and_the_countdown_waits_n_keeps_going(
    key: str, clock: FakeClock, data_dir: Path
) -> None:
    app = build_app(clock, data_dir, "foot-soak")
    async with app.run_test(size=SIZE) as pilot:
        screen = run_screen(app)
        await pilot.press("enter")
        await advance(pilot, clock, 90)
        await pilot.press(key)
        assert isinstance(app.screen, StopQuestion) and app.screen.id == "stop-dialog"
        text = screen_text(app)
        assert "Stop this session?" in text
        assert "1 min 30 s done. A session counts after 15 min — 13:30 to go." in text
        assert "saved as partial." in text
        await advance(pilot, clock, 45)  # reading the question: the countdown waits
        assert digits(app) == "18:30"
        await pilot.press("n")
        assert app.screen is screen
        await advance(pilot, clock, 1)
        assert digits(app) == "18:29"  # kept going
        await pilot.press(key, "escape")  # Escape in the question: keep going too
        assert app.screen is screen and app.is_running


async def test_a_session_just_begun_can_be_discarded_from_the_stop_question(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir, "toe-exercises")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await advance(pilot, clock, 2)
        await pilot.press("q")
        assert "Just begun by mistake?" in screen_text(app)
        assert "Discard (d)" in screen_text(app)
        await pilot.press("d")
        assert not app.is_running
    assert app.recordings.close_all()
    assert history(data_dir) == []


async def test_after_it_counts_q_stops_at_once_and_the_session_counts(clock: FakeClock, data_dir: Path) -> None:
    """A soak stopped at minute 16 keeps the bedtime streak: no question, status completed."""
    app = build_app(clock, data_dir, "foot-soak")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await advance(pilot, clock, 16 * 60, step=30)
        await pilot.press("q")
        assert not isinstance(app.screen, StopQuestion)
        assert not app.is_running
    assert app.recordings.close_all()
    [session] = history(data_dir)
    assert (session.status.value, session.active_seconds) == ("completed", 16 * 60)


async def test_quit_y_stops_and_records_a_partial_session(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir, "foot-soak")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await advance(pilot, clock, 42)
        await pilot.press("space")
        await advance(pilot, clock, 100)  # paused: not counted
        await pilot.press("q", "y")
        assert not app.is_running  # started with `coach run`: closing the session closes the app
    assert app.recordings.close_all()
    [session] = history(data_dir)
    assert session.status.value == "partial"
    assert session.routine_id == "foot-soak"
    assert session.active_seconds == pytest.approx(42)


async def test_quit_from_home_goes_back_home(clock: FakeClock, data_dir: Path) -> None:
    from coach.ui.screens.home import HomeScreen

    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "enter")
        await advance(pilot, clock, 20)
        await pilot.press("q", "y")
        assert isinstance(app.screen, HomeScreen)
    assert app.recordings.close_all()
    [session] = history(data_dir)
    assert (session.status.value, session.slot, session.active_seconds) == ("partial", "morning", 20)


async def test_finished_session_closes_without_asking_and_the_app_exits(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir, "foot-soak")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await advance(pilot, clock, 20 * 60, step=20)
        assert run_screen(app).query_one("#run").has_class("-finished")
        assert "Press any key to stop the bell; Enter or q to close." in screen_text(app)
        await pilot.press("q")
        assert not isinstance(app.screen, Question)
        assert not app.is_running
    assert app.recordings.close_all()
    [session] = history(data_dir)
    assert (session.status.value, session.slot) == ("completed", "bedtime")
    assert session.active_seconds == pytest.approx(20 * 60)


async def test_enter_closes_a_finished_session_as_the_screen_says(clock: FakeClock, data_dir: Path) -> None:
    from coach.ui.screens.home import HomeScreen

    app = build_app(clock, data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter", "enter")
        await advance(pilot, clock, 20 * 60, step=20)
        assert run_screen(app).query_one("#run").has_class("-finished")
        await pilot.press("enter")
        assert isinstance(app.screen, HomeScreen)


async def test_ctrl_z_pauses_before_handing_the_terminal_back(
    clock: FakeClock, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = build_app(clock, data_dir, "foot-soak")
    suspended: list[bool] = []
    monkeypatch.setattr(app, "action_suspend_process", lambda: suspended.append(True))
    async with app.run_test(size=SIZE) as pilot:
        screen = run_screen(app)
        await pilot.press("enter")
        await advance(pilot, clock, 10)
        await pilot.press("ctrl+z")
        assert suspended == [True]
        assert screen.runner.snapshot.paused and screen.query_one("#run").has_class("-paused")
        await advance(pilot, clock, 300)  # the shell has the terminal: nothing counts
        assert digits(app) == "19:50"
        await pilot.press("space")
        await advance(pilot, clock, 1)
        assert digits(app) == "19:49"


@pytest.mark.parametrize("key", ["ctrl+q", "ctrl+c"])
async def test_ctrl_q_and_ctrl_c_ask_as_q_does_then_record_the_session_as_partial(
    key: str, clock: FakeClock, data_dir: Path
) -> None:
    app = build_app(clock, data_dir, "toe-exercises")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await advance(pilot, clock, 33)
        await pilot.press(key)
        assert isinstance(app.screen, StopQuestion)  # coach's own question, not Textual's toast
        await pilot.press("y")
        assert not app.is_running
    assert app.recordings.close_all()
    [session] = history(data_dir)
    assert (session.status.value, session.active_seconds) == ("partial", 33)


@pytest.mark.parametrize(("answer", "active"), [("y", 5 + 600), ("n", 5)])
async def test_sleep_gap_question(answer: str, active: float, clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir, "foot-soak")
    async with app.run_test(size=SIZE) as pilot:
        screen = run_screen(app)
        await pilot.press("enter")
        await advance(pilot, clock, 5)
        clock.suspend(600)
        screen.poll()
        await pilot.pause()
        assert isinstance(app.screen, Question) and app.screen.id == "gap-dialog"
        text = screen_text(app)
        assert "The computer was asleep for 10m." in text
        assert "It went on: count it (y)" in text and "It stopped: don't count (n)" in text  # both answers, uncut
        assert shown(app, "#run-label") == "PAUSED (computer slept)"
        await pilot.press(answer)
        assert app.screen is screen
        snapshot = screen.runner.snapshot
        assert snapshot.active_seconds == pytest.approx(active)
        assert not snapshot.paused and snapshot.gap_seconds is None
        assert digits(app) == ("9:55" if answer == "y" else "19:55")
        await advance(pilot, clock, 1)
        assert digits(app) == ("9:54" if answer == "y" else "19:54")


async def test_quit_while_getting_ready_leaves_at_once_and_records_nothing(clock: FakeClock, data_dir: Path) -> None:
    """Nothing was begun at "Prepare the water": no question, and no partial session marks the slot as started."""
    app = build_app(clock, data_dir, "foot-soak")
    async with app.run_test(size=SIZE) as pilot:
        await advance(pilot, clock, 30)  # reading the safety notes
        await pilot.press("q")
        assert not isinstance(app.screen, Question)
        assert not app.is_running
    assert app.recordings.close_all()
    assert history(data_dir) == []
