"""What the user hears: a cue for every change (hold, rest, 3-2-1, reminder, end), the end ringing a few times
until a key is pressed, speech only when asked for, notifications through the desktop or the terminal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ui_helpers import CueCalls, advance, build_app, run_screen, screen_text

from coach.engine.clock import FakeClock
from coach.engine.cues import END_RING_EVERY, END_RING_TIMES, CueKind
from coach.ui.app import CoachApp

SIZE = (100, 30)
HOLD, REST, COUNTDOWN, REMINDER, END, WAIT, SOAK = (
    CueKind.HOLD,
    CueKind.REST,
    CueKind.COUNTDOWN,
    CueKind.REMINDER,
    CueKind.END,
    CueKind.WAIT,
    CueKind.SOAK,
)


def played(app: object) -> list[CueKind]:
    cues = run_screen(app).cues  # type: ignore[arg-type]
    assert cues is not None
    return cues.played


async def test_hold_rest_and_the_3_2_1_countdown(clock: FakeClock, data_dir: Path) -> None:
    app = build_app(clock, data_dir, "toe-exercises")
    async with app.run_test(size=SIZE) as pilot:
        assert played(app) == [WAIT]
        await pilot.press("enter")
        assert played(app)[-1] == HOLD
        del played(app)[:]
        await advance(pilot, clock, 10)  # the hold: one ring at 3 (not three identical ones), then the rest
        assert played(app) == [COUNTDOWN, REST]
        await advance(pilot, clock, 4)  # the rest: a ring at 3, then the next hold
        assert played(app) == [COUNTDOWN, REST, COUNTDOWN, HOLD]


async def test_the_soak_reminds_to_top_up_and_says_when_it_may_stop(
    clock: FakeClock, data_dir: Path, cue_calls: CueCalls
) -> None:
    app = build_app(clock, data_dir, "foot-soak")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert played(app) == [WAIT, SOAK]
        await advance(pilot, clock, 5 * 60 - 1, step=10)
        assert played(app) == [WAIT, SOAK]
        await advance(pilot, clock, 1)
        assert played(app) == [WAIT, SOAK, REMINDER]
        assert cue_calls.notified == ["Top up with hot water to keep it near 40 °C. Test it first, then stir."]
        assert "Top up with hot water" in screen_text(app)  # seen, not only heard: the bells alone say nothing
        await advance(pilot, clock, 5 * 60, step=10)
        assert played(app).count(REMINDER) == 2
        assert "(reminded at 07:40)" in screen_text(app)  # a clock time, said as one: not an offset
        await advance(pilot, clock, 5 * 60, step=10)  # 15 minutes: top up, and it may stop now; a sound for each
        assert played(app).count(REMINDER) == 3 and played(app).count(CueKind.MAY_STOP) == 1
        assert cue_calls.notified[-1] == (
            "Soak: you may stop now. Top up with hot water to keep it near 40 °C. Test it first, then stir."
        )
        await advance(pilot, clock, 5 * 60, step=10)  # the end: no reminder left on the finished screen
        assert played(app)[-1] == END
        assert "Top up" not in screen_text(app)


class RingTimer:
    """Stands in for the end bell's interval timer, so the test rings it by hand instead of waiting seconds."""

    def __init__(self, interval: float, callback: Callable[[], object]) -> None:
        self.interval, self.callback, self.stopped = interval, callback, False

    def stop(self) -> None:
        self.stopped = True


def catch_ring_timer(app: CoachApp, monkeypatch: pytest.MonkeyPatch) -> list[RingTimer]:
    """The app's `set_interval` hands the end bell's timer to the test; every other timer is real."""
    timers: list[RingTimer] = []
    real = app.set_interval

    def set_interval(interval: float, callback: Callable[[], object], **kwargs: Any) -> object:
        if kwargs.get("name") != "end-bell":
            return real(interval, callback, **kwargs)
        timers.append(RingTimer(interval, callback))
        return timers[-1]

    monkeypatch.setattr(app, "set_interval", set_interval)
    return timers


async def test_the_end_rings_a_few_times_then_stops(
    clock: FakeClock, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = build_app(clock, data_dir, "foot-soak")
    timers = catch_ring_timer(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await advance(pilot, clock, 20 * 60, step=30)
        assert played(app).count(END) == 1
        [timer] = timers
        assert timer.interval == END_RING_EVERY
        for _ in range(3 * END_RING_TIMES):  # the timer keeps firing: the bell does not ring all night
            if not timer.stopped:
                timer.callback()
        assert played(app).count(END) == END_RING_TIMES
        assert timer.stopped
        assert "Session complete" in screen_text(app)


async def test_a_key_stops_the_ringing(clock: FakeClock, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = build_app(clock, data_dir, "foot-soak")
    timers = catch_ring_timer(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await advance(pilot, clock, 20 * 60, step=30)
        [timer] = timers
        timer.callback()
        assert played(app).count(END) == 2
        await pilot.press("x")
        assert timer.stopped
        timer.callback()  # a tick already on its way rings no more
        assert played(app).count(END) == 2
        assert run_screen(app).query_one("#run").has_class("-finished")  # the key only silenced the bell


async def test_speech_only_when_voice_is_on(
    clock: FakeClock, data_dir: Path, cue_calls: CueCalls, settings_file: Path
) -> None:
    app = build_app(clock, data_dir, "toe-exercises")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await advance(pilot, clock, 14)
    assert cue_calls.spoken == []

    settings_file.parent.mkdir(parents=True, exist_ok=True)
    settings_file.write_text("voice = true\n", encoding="utf-8")
    app = build_app(clock, data_dir, "toe-exercises")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await advance(pilot, clock, 14)
    assert cue_calls.spoken == ["Get ready", "Hold", "Rest", "Hold"]


async def test_catching_up_rings_once_for_the_step_now_on(
    clock: FakeClock, data_dir: Path, cue_calls: CueCalls, settings_file: Path
) -> None:
    """After the computer slept through 10 minutes of heel raises (counted), the user hears where they are now,
    not forty rounds of holds and rests at once."""
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    settings_file.write_text("voice = true\n", encoding="utf-8")
    app = build_app(clock, data_dir, "toe-exercises")
    async with app.run_test(size=SIZE) as pilot:
        screen = run_screen(app)
        await pilot.press("enter")
        await advance(pilot, clock, 2)
        before = len(played(app))
        spoken = len(cue_calls.spoken)
        clock.suspend(600)
        screen.poll()
        await pilot.pause()
        await pilot.press("y")
        caught_up = played(app)[before:]
        assert len([kind for kind in caught_up if kind in (HOLD, REST)]) == 1, caught_up
        [sentence] = cue_calls.spoken[spoken:]  # one sentence, ending with the step now on
        assert sentence.endswith(screen.runner.engine.snapshot().phase.kind.value.capitalize()), sentence
        assert screen.runner.engine.snapshot().active_seconds == pytest.approx(602)


async def test_a_late_wake_up_does_not_ring_every_missed_step(clock: FakeClock, data_dir: Path) -> None:
    """The event loop was blocked for a minute (a busy machine): one cue for the step now on."""
    app = build_app(clock, data_dir, "toe-exercises")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        before = len(played(app))
        await advance(pilot, clock, 60, step=60)
        caught_up = played(app)[before:]
        assert len([kind for kind in caught_up if kind in (HOLD, REST)]) == 1, caught_up


async def test_notifications_use_the_terminal_when_there_is_no_desktop(
    clock: FakeClock, data_dir: Path, cue_calls: CueCalls, monkeypatch: pytest.MonkeyPatch
) -> None:
    cue_calls.desktop_available = False
    app = build_app(clock, data_dir, "foot-soak")
    async with app.run_test(size=SIZE) as pilot:
        written: list[str] = []
        driver = app._driver
        assert driver is not None
        monkeypatch.setattr(driver, "write", written.append)
        monkeypatch.setattr(type(driver), "is_headless", property(lambda self: False))
        await pilot.press("enter")
        await advance(pilot, clock, 5 * 60, step=10)
        monkeypatch.undo()
        notes = [text for text in written if "\x1b]777;notify;" in text]
        assert notes == [
            "\x1b]777;notify;coach;Top up with hot water to keep it near 40 °C. Test it first, then stir.\x07"
            "\x1b]9;coach: Top up with hot water to keep it near 40 °C. Test it first, then stir.\x07"
        ]
    assert cue_calls.notified == []


@pytest.mark.parametrize("terminal", ["a browser (coach serve)", "a terminal that is gone"])
async def test_no_notification_escapes_into_a_browser_or_a_dead_terminal(
    clock: FakeClock, data_dir: Path, cue_calls: CueCalls, monkeypatch: pytest.MonkeyPatch, terminal: str
) -> None:
    cue_calls.desktop_available = False
    app = build_app(clock, data_dir, "foot-soak")
    async with app.run_test(size=SIZE) as pilot:
        written: list[str] = []
        driver = app._driver
        assert driver is not None

        def write(text: str) -> None:
            if terminal == "a terminal that is gone" and "\x1b]777;notify;" in text:
                raise BrokenPipeError("the server behind the tab was killed")
            written.append(text)

        monkeypatch.setattr(driver, "write", write)
        monkeypatch.setattr(type(driver), "is_headless", property(lambda self: False))
        monkeypatch.setattr(type(driver), "is_web", property(lambda self: terminal == "a browser (coach serve)"))
        await pilot.press("enter")
        await advance(pilot, clock, 5 * 60, step=10)  # the top-up reminder: no error stops the session
        monkeypatch.undo()
        assert not [text for text in written if "\x1b]777;notify;" in text]
        assert run_screen(app).runner.snapshot.active_seconds >= 5 * 60 - 10


async def test_no_notifications_when_turned_off(
    clock: FakeClock, data_dir: Path, cue_calls: CueCalls, settings_file: Path
) -> None:
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    settings_file.write_text("notifications = false\n", encoding="utf-8")
    app = build_app(clock, data_dir, "foot-soak")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await advance(pilot, clock, 20 * 60, step=30)
        assert END in played(app)
    assert cue_calls.notified == []


def count_bells(app: CoachApp, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every bell the app rings (the terminal's), counted instead of rung."""
    rung: list[float] = []
    monkeypatch.setattr(app, "bell", lambda: rung.append(1.0))
    return rung


async def test_quiet_silences_the_full_screen_run(
    clock: FakeClock, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coach.routines.catalog import load_catalog
    from coach.ui.app import make_app

    app = make_app(clock=clock, data_dir=data_dir, routine=load_catalog().get("toe-exercises"), quiet=True)
    rung = count_bells(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await advance(pilot, clock, 30)
        assert played(app)  # the cues still happen (the screen shows them)...
        assert rung == []  # ...but `--quiet` rings no bell


async def test_each_event_has_its_own_pattern() -> None:
    from coach.engine.cues import BELL_RHYTHMS

    heard = [BELL_RHYTHMS[kind] for kind in (HOLD, REST, CueKind.MOVE, SOAK, REMINDER, CueKind.MAY_STOP, END)]
    assert len(set(heard)) == len(heard)


async def test_starts_and_the_end_rings_no_countdown(
    clock: FakeClock, data_dir: Path, monkeypatch: pytest.MonkeyPatch, settings_file: Path
) -> None:
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    settings_file.write_text('sounds = "starts and the end"\n', encoding="utf-8")
    app = build_app(clock, data_dir, "toe-exercises")
    rung = count_bells(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        del rung[:]
        await advance(pilot, clock, 10)  # a countdown ring at 3 is not played; the rest's start is (two rings)
        await pilot.pause(0.3)
        assert played(app)[-2:] == [COUNTDOWN, REST]
        assert len(rung) == 2


async def test_voice_without_a_speech_program_says_so_once(
    clock: FakeClock, data_dir: Path, monkeypatch: pytest.MonkeyPatch, settings_file: Path
) -> None:
    import coach.ui.cue_player as cue_player

    monkeypatch.setattr(cue_player, "find_speech_program", lambda preferred="": None)
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    settings_file.write_text("voice = true\n", encoding="utf-8")
    app = build_app(clock, data_dir, "toe-exercises")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await advance(pilot, clock, 30)
        warnings = [n for n in app._notifications if n.title == "No voice"]
        assert len(warnings) == 1 and "no speech program was found" in warnings[0].message
