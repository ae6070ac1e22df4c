"""The run screen: a countdown readable from a step away, with a sound at every change.

Timing: the screen never counts ticks. It asks the engine when the shown second (or the next event) changes,
sleeps until just after that moment with a one-shot timer, and shows what the engine derives from the clock.
While paused or waiting for the user, no timer runs at all.
"""

from __future__ import annotations

import asyncio
import math
import uuid
from typing import NamedTuple

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical, VerticalGroup
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Digits, Footer, Static

from coach.engine.events import Finished, PhaseStarted, ReminderDue, SleepGap
from coach.engine.recording import Recorder, SessionStart, Status
from coach.engine.session import SessionEngine, Update
from coach.engine.snapshot import Block, PhaseKind, Snapshot, clock_text
from coach.routines.durations import format_duration
from coach.routines.model import Routine, Slot
from coach.ui.bench_trace import BenchTrace
from coach.ui.cue_player import CuePlayer
from coach.ui.text import literal
from coach.ui.widgets.session_bar import SessionBar

WAKE_SLACK = 0.001
"""Wake this long after a boundary, so the engine's reading is surely past it."""
WARM_UP = 0.010
"""Wake this long before a boundary as well, and poll: after a second of idle the first poll runs cold (2-3 ms on
the benchmark machine instead of 0.03, more on a laptop in a deep sleep state); the one at the boundary, 10 ms
later, runs warm, so the new second is drawn that much sooner."""
CHECKPOINT_EVERY = 10.0
"""Seconds between checkpoints inside a long step: a killed process loses at most this much."""
MIN_WIDTH, MIN_HEIGHT = 40, 12
SMALL_HEIGHT = 20
"""Below this many lines only what must be read from a step away is shown: the step, the countdown, what is left."""

KIND_LABELS: dict[PhaseKind, str] = {
    PhaseKind.HOLD: "HOLD",
    PhaseKind.REST: "REST",
    PhaseKind.MOVE: "MOVE",
    PhaseKind.SOAK: "SOAK",
    PhaseKind.WAIT: "GET READY",
}


class RunView(NamedTuple):
    """The texts the screen shows for one snapshot; widgets are updated only when their text changes."""

    state: str
    label: str
    title: str
    say: str
    digits: str
    rep: str
    left: str
    fraction: float
    next: str
    hint: str


def coarse_time(seconds: float) -> str:
    """Time for the lines under the countdown: whole minutes while two or more are left ("12 min"), then M:SS.

    The big digits carry the seconds; the lines around them change once a minute, so a countdown costs one
    widget's repaint a second, not four."""
    if seconds >= 120:
        return f"{math.ceil(seconds / 60 - 1e-9)} min"
    return clock_text(seconds)


def block_note(block: Block) -> str:
    """The rule of a ranged part as it stands: "you may move on in 9 min · ends by itself at 14:56"."""
    wait = coarse_time(block.low - block.elapsed)
    first = "you may move on now" if block.may_move_on else f"you may move on in {wait}"
    last = " (last round)" if block.is_group and block.last_round else ""
    return f"{first} · ends by itself at {clock_text(block.ends_at)}{last}"


def run_view(snapshot: Snapshot, routine: Routine) -> RunView:
    """What to show for a snapshot: plain strings, so the screen can compare and the tests can read them."""
    phase = snapshot.phase
    if snapshot.finished:
        completed = snapshot.status is Status.COMPLETED
        done = format_duration(snapshot.active_seconds)
        return RunView(
            state="finished",
            label="DONE" if completed else "STOPPED",
            title="Session complete" if completed else "Session stopped",
            say=(
                f"{done} done. It counts toward your streak."
                if completed
                else f"{done} done; saved as partial (it counts after {format_duration(routine.counts_after_seconds)})."
            ),
            digits=clock_text(snapshot.active_seconds),
            rep="",
            left="",
            fraction=1.0 if completed else snapshot.progress.fraction,
            next="",
            hint="Press any key to stop the bell; Enter or q to close.",
        )
    state = "paused" if snapshot.paused else phase.kind.value
    label = "PAUSED" if snapshot.paused else KIND_LABELS[phase.kind]
    if snapshot.gap_seconds is not None:
        label = "PAUSED (computer slept)"
    remaining = snapshot.shown_remaining
    if remaining is None:
        digits = ""
    elif (phase.seconds or 0) >= 60:
        digits = clock_text(remaining)
    else:
        digits = str(remaining)
    block = snapshot.block
    rep_parts = [snapshot.progress.rep_text] if snapshot.progress.rep_text else []
    if block is not None:
        rep_parts.append(block_note(block))
    progress = snapshot.progress
    left_min, left_max = coarse_time(progress.left_min), coarse_time(progress.left_max)
    if left_min == left_max:
        left = f"{left_min} left"
    elif left_min.endswith(" min") and left_max.endswith(" min"):
        left = f"{left_min.removesuffix(' min')}–{left_max} left"  # "12–17 min left"
    else:
        left = f"{left_min}–{left_max} left"
    if snapshot.waiting:
        hint = "Press Enter when you are ready."
    elif snapshot.may_move_on and block is not None and not block.is_group and snapshot.next_title is None:
        hint = "You may stop now: press f to finish."
    elif snapshot.may_move_on:
        hint = "You may move on now: press m."
    elif snapshot.paused:
        hint = "Paused. Press space to go on."
    else:
        hint = ""
    return RunView(
        state=state,
        label=label,
        title=phase.title,
        say=phase.say or phase.group_say,
        digits=digits,
        rep=" · ".join(rep_parts),
        left=left,
        fraction=progress.fraction,
        next=f"Next: {snapshot.next_title}" if snapshot.next_title else "Last step",
        hint=hint,
    )


class Controls(NamedTuple):
    """What the user's keys can do at one moment; equal from one second to the next unless something changed."""

    finished: bool
    paused: bool
    waiting: bool
    asking: bool
    """The sleep question is open: only its answer (or finishing, quitting) acts."""
    timed: bool
    may_move_on: bool
    may_finish: bool

    @classmethod
    def of(cls, snapshot: Snapshot) -> Controls:
        return cls(
            finished=snapshot.finished,
            paused=snapshot.paused,
            waiting=snapshot.waiting,
            asking=snapshot.gap_seconds is not None,
            timed=snapshot.remaining is not None,
            may_move_on=snapshot.may_move_on,
            may_finish=snapshot.may_finish,
        )


def bar_fraction(view: RunView) -> float:
    """The session bar's fill in steps of 0.5 %: finer than the bar can draw would only cost repaints."""
    return round(view.fraction * 200) / 200


STATES = ("hold", "rest", "move", "soak", "wait", "paused", "finished")


def state_classes(snapshot: Snapshot, view: RunView) -> dict[str, bool]:
    """The state classes of the countdown (`-hold`, `-paused`, ...) for a snapshot: the stylesheet colours by them."""
    classes = {f"-{state}": view.state == state for state in STATES}
    classes["-waiting"] = snapshot.waiting
    return classes


class RunScreen(Screen[Status | None]):
    """Runs one session of a routine; dismissed with the final status when the user closes it."""

    BINDINGS = [
        Binding("enter", "ready", "Ready", id="ready", priority=True),
        Binding("enter", "close_finished", "Close", id="close", priority=True),
        Binding("space", "pause", "Pause", id="pause"),
        Binding("space", "resume", "Resume", id="resume"),
        Binding("n,right", "next", "Next", id="next"),
        Binding("b,left", "back", "Back", id="back"),
        Binding("plus,equals_sign", "add_time", "+10s", id="add-time"),
        Binding("minus,underscore", "take_time", "-10s", id="take-time"),
        Binding("m", "move_on", "Move on", id="move-on"),
        Binding("f", "finish", "Finish", id="finish"),
        Binding("q,escape", "quit_session", "Quit", id="quit"),
        Binding("ctrl+z", "suspend", "Suspend", id="suspend", show=False),
    ]

    # repaint=False: the screen draws nothing itself; a repaint of it would redraw the whole terminal every second
    # (the watchers update the widgets that show what changed).
    snapshot: reactive[Snapshot | None] = reactive(None, init=False, repaint=False)
    controls: reactive[Controls | None] = reactive(None, bindings=True, init=False, repaint=False)
    """What the keys can do now: the footer is refreshed when this changes, not on every shown second."""
    reminder: reactive[str] = reactive("", init=False, repaint=False)
    """The step's latest reminder (top up the water), shown until the next step: the bells alone say nothing."""

    def __init__(self, routine: Routine, engine: SessionEngine, recorder: Recorder, slot: Slot) -> None:
        super().__init__()
        opening = engine.advance()
        self.set_reactive(RunScreen.controls, Controls.of(opening.snapshot))  # the footer is built once, right
        self._opening = opening
        self.routine = routine
        self.engine = engine
        self.recorder = recorder
        self.slot = slot
        self.session_id = str(uuid.uuid4())
        self._wake: asyncio.TimerHandle | None = None
        self._shown: dict[str, object] = {}
        self._last_checkpoint = engine.clock.monotonic()
        self._leaving = False
        """Set once the screen is being closed (not `_closed`: that name is Textual's own, and taking it hangs exit)."""
        self._recording = False
        """Whether the session has been written: from the moment the user begins."""
        self.cues: CuePlayer | None = None
        self.trace = BenchTrace()
        self._box = Vertical(id="run")
        self._bar = SessionBar(id="run-progress")
        self._opening_view = run_view(opening.snapshot, routine)
        self._digits = Digits(self._opening_view.digits, id="run-digits")
        self._texts: dict[str, Static] = {}

    def compose(self) -> ComposeResult:
        # Built showing the first state: setting the texts after mounting would lay the screen out twice.
        view = self._opening_view

        def text(selector: str, shown: str) -> Static:
            self._shown[selector] = shown
            widget = self._texts[selector] = Static(literal(shown), id=selector.removeprefix("#"))
            return widget

        # The widgets that change are kept at hand: a query each second would walk the screen each second.
        self._bar.set_reactive(SessionBar.progress, bar_fraction(view))
        self._shown["#run-progress"] = self._bar.progress
        self._shown["#run-digits"] = view.digits
        # Styled for its state from the start: a class set after mounting would restyle every widget in it.
        state = state_classes(self._opening.snapshot, view)
        self._box.set_classes([name for name, on in state.items() if on])
        # The lines above and below the digits sit in groups of their own: Textual redraws every widget whose
        # container overlaps a changed region, so a new second then costs the digits' few widgets, not all twenty.
        with self._box:
            with VerticalGroup(id="run-head"):
                yield text("#run-label", view.label)
                yield text("#run-title", view.title)
            with Center():
                yield self._digits
            with VerticalGroup(id="run-body"):
                yield text("#run-say", view.say)
                yield text("#run-reminder", "")
                yield text("#run-rep", view.rep)
                with Center(id="run-progress-row"):
                    yield self._bar
                yield text("#run-left", view.left)
                yield text("#run-next", view.next)
                yield text("#run-hint", view.hint)
                if self.routine.safety:
                    yield Static(literal("\n".join(f"• {note}" for note in self.routine.safety)), id="run-safety")
        yield Static(Text("Make the window larger\n(at least 40×12)"), id="run-tiny")
        yield Footer()

    def on_mount(self) -> None:
        self.cues = CuePlayer(self.app, self.app.context.settings)  # type: ignore[attr-defined]
        self.app.app_suspend_signal.subscribe(self, self._on_app_suspend)
        self._apply(self._opening)

    # -- time -------------------------------------------------------------------------------------------------

    def _on_wake(self) -> None:
        self._wake = None
        try:
            self.poll()  # at once: a message through the screen's queue waited ~10 ms for the next refresh
        except Exception as error:  # as Textual's timers do with a failing callback: the app shows it and exits
            self.app._handle_exception(error)

    def poll(self) -> None:
        """Catch up with the clock now (the timer does this on every boundary; tests call it after moving a fake
        clock)."""
        self._apply(self.engine.advance())

    @property
    def wake_armed(self) -> bool:
        """Whether a wake-up is armed (never while paused or waiting for the user)."""
        return self._wake is not None

    def _schedule(self) -> None:
        """Arm one wake-up for just after the next boundary; none while paused or waiting.

        The event loop's own one-shot timer, with its deadline fixed now: Textual's timer starts counting only when
        its task first runs, and under load that start is late by as much as the shown second may be."""
        self._disarm()
        wait = self.engine.next_wake_in()
        if wait is not None and not self._leaving:
            delay = wait - WARM_UP if wait > 2 * WARM_UP else wait + WAKE_SLACK
            self._wake = asyncio.get_running_loop().call_later(delay, self._on_wake)

    def _disarm(self) -> None:
        if self._wake is not None:
            self._wake.cancel()
            self._wake = None

    def _apply(self, update: Update) -> None:
        """Show a new state, play its cues, record it, and arm the next wake-up."""
        phase_changed = False
        if self.cues is not None:
            self.cues.play_events(update.events, last_part=update.snapshot.next_title is None)
        if update.snapshot.begun and not self._recording:
            self._begin_recording()
        for event in update.events:
            if isinstance(event, PhaseStarted):
                phase_changed = True
                self.reminder = ""
            elif isinstance(event, ReminderDue):
                self.reminder = f"{event.text} (reminder at {clock_text(update.snapshot.phase_elapsed)})"
            elif isinstance(event, SleepGap):
                from coach.ui.screens.dialogs import sleep_gap_question  # the questions load when first asked

                self.app.push_screen(sleep_gap_question(format_duration(event.seconds)), self._gap_answered)
            elif isinstance(event, Finished):
                self.reminder = ""
                self._record_finish(event.status)
        if self.trace:
            self._trace_state(self.snapshot, update.snapshot)
        self.snapshot = update.snapshot
        now = self.engine.clock.monotonic()
        running = not update.snapshot.finished
        if self._recording and running and (phase_changed or now - self._last_checkpoint >= CHECKPOINT_EVERY):
            self._last_checkpoint = now
            self.recorder.checkpoint(self.session_id, self.engine.checkpoint())
        self._schedule()

    def _trace_state(self, before: Snapshot | None, after: Snapshot) -> None:
        def counting(snapshot: Snapshot | None) -> bool:
            return snapshot is not None and snapshot.remaining is not None and not snapshot.finished

        if counting(after) and not counting(before):
            self.trace.write("@start")
        elif before is not None and counting(after):
            if after.paused and not before.paused:
                self.trace.write("@pause")
            elif before.paused and not after.paused:
                self.trace.write("@resume")

    def _begin_recording(self) -> None:
        """The session is written when the user begins (not while they are still getting ready)."""
        self._recording = True
        self.recorder.start(
            SessionStart(
                id=self.session_id,
                routine_id=self.routine.id,
                routine_name=self.routine.name,
                slot=self.slot.value,
                started_at=self.engine.started_at,
            )
        )

    def _record_finish(self, status: Status) -> None:
        if not self._recording:
            return  # stopped while still getting ready: nothing was begun, nothing to record
        self.recorder.finish(self.session_id, status, self.engine.clock.wall(), self.engine.checkpoint())

    def _gap_answered(self, count: bool | None) -> None:
        self._apply(self.engine.resolve_gap(bool(count)))

    # -- showing ----------------------------------------------------------------------------------------------

    def watch_snapshot(self, snapshot: Snapshot | None) -> None:
        if snapshot is None:
            return
        self.controls = Controls.of(snapshot)
        view = run_view(snapshot, self.routine)
        # On the countdown's container, not the screen: a change of state restyles what it colours, not the footer.
        self._box.update_classes(state_classes(snapshot, view))
        self._show("#run-label", view.label)
        self._show("#run-title", view.title)
        self._show("#run-say", view.say)
        self._show("#run-rep", view.rep)
        self._show("#run-left", view.left)
        self._show("#run-next", view.next)
        self._show("#run-hint", view.hint)
        if self._shown.get("#run-digits") != view.digits:
            self._shown["#run-digits"] = view.digits
            self._digits.update(view.digits)
            if view.digits and self.trace:
                self.trace.write(view.digits)
        fraction = bar_fraction(view)
        if self._shown.get("#run-progress") != fraction:
            self._shown["#run-progress"] = fraction
            self._bar.progress = fraction

    def watch_reminder(self, reminder: str) -> None:
        self._show("#run-reminder", reminder)
        self._box.set_class(bool(reminder), "-reminder")

    def _show(self, selector: str, text: str) -> None:
        """Update a Static only when its text changes (literal text: names are never read as markup).

        A text of the same length as before ("14:59 left" after "15:00 left") wraps the same, so it is repainted
        without a layout of the whole screen: the countdown's seconds cost a repaint, not a relayout."""
        before = self._shown.get(selector)
        if before != text:
            self._shown[selector] = text
            same_size = isinstance(before, str) and len(before) == len(text)
            self._texts[selector].update(literal(text), layout=not same_size)

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < MIN_WIDTH or event.size.height < MIN_HEIGHT, "-tiny")
        self.set_class(event.size.height < SMALL_HEIGHT, "-small")

    # -- keys -------------------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that cannot act now are greyed out (None); hidden (False) when they have no place on the screen:
        the pause/resume pair shows one at a time, Ready only while getting ready, Close only at the end."""
        controls = self.controls
        if controls is None:
            return True
        if controls.finished:
            return action in ("close_finished", "quit_session", "suspend")
        available = {
            "ready": controls.waiting,
            "close_finished": False,
            "pause": not controls.paused and not controls.waiting,
            "resume": controls.paused and not controls.asking,
            "next": True,
            "back": True,
            "add_time": controls.timed,
            "take_time": controls.timed,
            "move_on": controls.may_move_on,
            "finish": controls.may_finish,
        }.get(action)
        if available is None:
            return True
        if action in ("ready", "close_finished", "pause", "resume") and not available:
            return False
        return True if available else None

    def on_key(self, event: events.Key) -> None:
        """Any key acknowledges the end: the bell stops ringing."""
        if self.cues is not None:
            self.cues.stop_ringing()

    def action_ready(self) -> None:
        self._apply(self.engine.ready())

    def action_close_finished(self) -> None:
        """Enter on the finished screen: close it, as its hint says."""
        self.close()

    def action_pause(self) -> None:
        self._apply(self.engine.pause())

    def action_resume(self) -> None:
        self._apply(self.engine.resume())

    def action_next(self) -> None:
        self._apply(self.engine.next())

    def action_back(self) -> None:
        self._apply(self.engine.back())

    def action_add_time(self) -> None:
        self._apply(self.engine.add_time(10))

    def action_take_time(self) -> None:
        self._apply(self.engine.take_time(10))

    def action_move_on(self) -> None:
        self._apply(self.engine.move_on())

    def action_finish(self) -> None:
        self._apply(self.engine.finish())

    def action_quit_session(self) -> None:
        snapshot = self.snapshot
        if snapshot is None or snapshot.finished:
            self.close()
            return
        if not snapshot.begun:  # still getting ready: nothing is lost, nothing to ask or record
            self.stop_session()
            self.close()
            return
        from coach.ui.screens.dialogs import quit_question

        self.app.push_screen(quit_question(format_duration(snapshot.active_seconds)), self._quit_answered)

    def _quit_answered(self, stop: bool | None) -> None:
        if stop:
            self.stop_session()
            self.close()

    def action_suspend(self) -> None:
        """Ctrl+Z: pause the timer, then hand the terminal back to the shell until `fg`."""
        self._apply(self.engine.pause())
        self.app.action_suspend_process()

    def _on_app_suspend(self, app: object) -> None:
        if self.snapshot is not None and not self.snapshot.finished:
            self._apply(self.engine.pause())

    # -- ending -----------------------------------------------------------------------------------------------

    def stop_session(self) -> None:
        """End a running session as partial (quit, a signal); a finished one is left as it is."""
        if self.snapshot is not None and not self.snapshot.finished:
            self._apply(self.engine.abort())

    def close(self) -> None:
        """Leave the screen with the session's status; the app decides whether that exits."""
        if self._leaving:
            return
        self._leaving = True
        self._disarm()
        if self.cues is not None:
            self.cues.stop_ringing()
        status = self.snapshot.status if self.snapshot is not None else None
        self.app.session_closed(self, status)  # type: ignore[attr-defined]
