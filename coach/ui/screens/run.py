"""The run screen: a countdown readable from a step away, with a sound at every change.

It renders a `SessionRunner` (coach.engine.runner), which owns the session's life and its recording; the screen
only shows, plays, asks, and is dismissed with the runner's `Outcome`.

Timing: the screen never counts ticks. It asks the runner when the shown second (or the next event, or the next
checkpoint) is due, sleeps until just after that moment with a one-shot timer, and shows what the engine derives
from the clock. While paused or waiting for the user, no timer runs at all. There is no warm-up wake before a
boundary any more: it cost 11 % of the countdown's CPU (0.262 against 0.232 s per wall minute, 4 x 30 s side by
side, docs/performance.md) for 2-3 ms on the first poll after a second of idle, which no row could see.

A new second touches only what changed (`_show`): the digits repaint the cells that differ (one cell of one glyph
for 14:59 to 14:58), and a line, the bar or the footer only when its own text or state changed. The frame of a new
second, in-process at 80x24 (medians of 300): 4.0 ms before (0.75 ms deciding, 3.3 drawing), 1.8 ms after (0.4 +
1.4); the bare Textual countdown 1.4 ms (0.2 + 1.2).
"""

from __future__ import annotations

import asyncio
import math
from typing import NamedTuple

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Center, Vertical, VerticalGroup
from textual.geometry import Size
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static

from coach.engine.events import Finished, PhaseStarted, ReminderDue, SleepGap
from coach.engine.recording import Status
from coach.engine.runner import CHECKPOINT_DODGE, Action, Ending, Outcome, SessionRunner
from coach.engine.session import Update
from coach.engine.snapshot import Block, Phase, PhaseKind, Snapshot, clock_text, length_words, to_go
from coach.routines.durations import format_duration
from coach.routines.model import Routine
from coach.ui.bench_trace import BenchTrace
from coach.ui.cue_player import CuePlayer
from coach.ui.screens.dialogs import Answer, SafetyNotes, sleep_gap_question, stop_question
from coach.ui.text import bulleted, literal
from coach.ui.widgets.countdown import BigCountdown
from coach.ui.widgets.footer import CoachFooter
from coach.ui.widgets.line import Line
from coach.ui.widgets.session_bar import SessionBar

WAKE_SLACK = 0.0001
"""Wake this long after a boundary, so the engine's reading is surely past it. The event loop wakes up to 1 ms
later anyway (epoll's timeout is whole milliseconds, rounded up); a wake that still came early shows nothing new and
arms again at once. 1 ms here made every shown second ~1 ms later than the bare countdown's (Textual's own timer
aims 0.5 ms early)."""
WHY_SHOWN_FOR = 6.0
"""Seconds the hint line says why a key could not act yet."""
MIN_WIDTH, MIN_HEIGHT = 40, 12
SMALL_HEIGHT = 20
"""Below this many lines only what must be read from a step away is shown: the step, the countdown, what is left
(and, while getting ready, a line that says how to read the safety notes)."""

KIND_LABELS: dict[PhaseKind, str] = {
    PhaseKind.HOLD: "HOLD",
    PhaseKind.REST: "REST",
    PhaseKind.MOVE: "MOVE",
    PhaseKind.SOAK: "SOAK",
    PhaseKind.WAIT: "BEFORE YOU START",
}


class RunView(NamedTuple):
    """The texts the screen shows for one snapshot (plain strings: the tests read them, the lines compare them)."""

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


def time_to_go(seconds: float) -> str:
    """Time still to go, rounded up as the countdown rounds it: whole minutes from 2 min ("12 min"), then M:SS.

    Rounded up, so "move on in 0:31" and the digits' 31 agree, and nothing says 0:00 while time is left. The lines
    around the digits change once a minute while minutes are shown, so a countdown costs one repaint a second."""
    if seconds >= 120:
        return f"{math.ceil(seconds / 60 - 1e-9)} min"
    return clock_text(math.ceil(max(0.0, seconds) - 1e-9))


def block_note(block: Block) -> str:
    """The rule of a ranged part as it stands, as offsets from now: "you may move on in 9 min · ends by itself in
    14 min" (never an offset that reads like a clock time)."""
    first = (
        "you may move on now" if block.may_move_on else f"you may move on in {time_to_go(block.low - block.elapsed)}"
    )
    last = " (last round)" if block.is_group and block.last_round else ""
    return f"{first} · ends by itself in {time_to_go(block.ends_at - block.elapsed)}{last}"


def left_text(left_min: float, left_max: float) -> str:
    """How much of the session is left: "12–17 min left", "up to 0:28 left" once the user may stop any time."""
    low, high = time_to_go(left_min), time_to_go(left_max)
    if low == high:
        return f"{high} left"
    if left_min < 0.5:
        return f"up to {high} left"
    if low.endswith(" min") and high.endswith(" min"):
        return f"{low.removesuffix(' min')}–{high} left"
    return f"{low}–{high} left"


def finished_view(snapshot: Snapshot, routine: Routine, outcome: Outcome | None) -> RunView:
    """The end, in the words of how it ended: a natural end is "finished", never "stopped"."""
    completed = snapshot.status is Status.COMPLETED
    done = length_words(snapshot.active_seconds)
    if completed:
        label, title, say = "FINISHED", "Session complete", f"{done} of exercise. It counts toward your streak."
    else:
        counts = length_words(routine.counts_after_seconds)
        ending = outcome.ending if outcome is not None else Ending.FINISHED
        label = "STOPPED" if ending is Ending.STOPPED else "FINISHED EARLY"
        title = "Session ended early"
        say = f"{done} done: saved as partial, since a session counts after {counts}."
    return RunView(
        state="finished",
        label=label,
        title=title,
        say=say,
        digits=clock_text(snapshot.active_seconds),
        rep="",
        left="",
        fraction=1.0 if completed else snapshot.progress.fraction,
        next="",
        hint="Press any key to stop the bell; Enter or q to close.",
    )


def run_view(snapshot: Snapshot, routine: Routine, outcome: Outcome | None = None) -> RunView:
    """What to show for a snapshot: plain strings, so the lines can compare and the tests can read them."""
    phase = snapshot.phase
    if snapshot.finished:
        return finished_view(snapshot, routine, outcome)
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
        left=left_text(progress.left_min, progress.left_max),
        fraction=progress.fraction,
        next=f"Next: {snapshot.next_title}" if snapshot.next_title else "Last step",
        hint=hint,
    )


def not_yet(snapshot: Snapshot) -> str:
    """Why `m` does nothing yet, with the time to go: "You may move on after 10 min — 8:40 to go"."""
    block = snapshot.block
    if block is None:
        return "There is nothing here to move on from: n goes to the next step."
    return block.not_yet


class Controls(NamedTuple):
    """What the user's keys can do at one moment; equal from one second to the next unless something changed."""

    finished: bool
    paused: bool
    waiting: bool
    asking: bool
    """The sleep question is open: only its answer (or stopping) acts."""
    timed: bool
    ranged: bool
    """The step is in a ranged part (heel raises, the soak): `m` has something to move on from, now or later."""
    begun: bool
    """The user has begun: there is a session to finish (before that, q simply leaves)."""

    @classmethod
    def of(cls, snapshot: Snapshot) -> Controls:
        return cls(
            finished=snapshot.finished,
            paused=snapshot.paused,
            waiting=snapshot.waiting,
            asking=snapshot.gap_seconds is not None,
            timed=snapshot.remaining is not None,
            ranged=snapshot.block is not None,
            begun=snapshot.begun,
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


FOOTER_GAP = 3
"""A footer key takes its key, its description and three cells of padding."""
PALETTE_KEY = 14
"""Cells the footer keeps at its right for the command palette's key ("▏^p palette")."""


class RunScreen(Screen[Outcome]):
    """Shows one session as its runner runs it; dismissed with the outcome when the user closes it."""

    # In order of importance: the footer shows them left to right and drops the last ones that do not fit whole.
    BINDINGS = [
        Binding("enter", "ready", "Ready", id="ready", priority=True),
        Binding("enter", "close_finished", "Close", id="close", priority=True),
        Binding("q,escape", "quit_session", "Stop", id="stop", tooltip="Stop (asks first if it would not count)"),
        Binding("f", "finish", "Finish", id="finish", tooltip="Finish (asks first if it would not count)"),
        Binding("space", "pause", "Pause", id="pause"),
        Binding("space", "resume", "Resume", id="resume"),
        Binding("n,right", "next", "Next", id="next"),
        Binding("m", "move_on", "Move on", id="move-on"),
        Binding("s", "safety", "Safety", id="safety"),
        Binding("b,left", "back", "Back", id="back"),
        Binding("plus,equals_sign", "add_time", "+10s", id="add-time"),
        Binding("minus,underscore", "take_time", "-10s", id="take-time"),
        Binding("ctrl+z", "suspend", "Suspend", id="suspend", show=False),
    ]

    # repaint=False: the screen draws nothing itself; a repaint of it would redraw the whole terminal every second
    # (the lines and the countdown repaint themselves when their text changes).
    controls: reactive[Controls | None] = reactive(None, bindings=True, init=False, repaint=False)
    """What the keys can do now: the footer is refreshed when this changes, not on every shown second."""
    footer_width: reactive[int] = reactive(0, bindings=True, init=False, repaint=False)
    reminder: reactive[str] = reactive("", init=False, repaint=False)
    """The step's latest reminder (top up the water), shown until the next step: the bells alone say nothing."""

    def __init__(self, runner: SessionRunner, cues: CuePlayer | None = None) -> None:
        super().__init__()
        self.runner = runner
        runner.dodge = CHECKPOINT_DODGE  # no history write in the same moment as a new second's frame
        self.routine = runner.engine.routine
        self.cues = cues
        opening = runner.opening
        self.set_reactive(RunScreen.controls, Controls.of(opening.snapshot))  # the footer is built once, right
        self._opening = opening
        self._opening_view = run_view(opening.snapshot, self.routine)
        self.snapshot: Snapshot | None = None
        """The state shown now (None before the first is applied)."""
        self.view: RunView = self._opening_view
        """The texts shown now: a new snapshot's view is compared with it, field by field."""
        self._wake: asyncio.TimerHandle | None = None
        self._leaving = False
        """Set once the screen is being closed (not `_closed`: that name is Textual's own, and taking it hangs exit)."""
        self._asking = False
        self._why_phase: Phase | None = None
        """The step on which `m` could not act yet: why is said on the hint line while it still holds."""
        self._why_until = 0.0
        self.trace = BenchTrace()
        self._box = Vertical(id="run")
        self._bar = SessionBar(id="run-progress")
        self._digits = BigCountdown(self._opening_view.digits, id="run-digits")
        self._lines: dict[str, Line] = {}
        self._hint = self._opening_view.hint
        """The hint line's text now (the view's hint, or why `m` could not act yet)."""
        self._fraction = bar_fraction(self._opening_view)
        """The session bar's fill now."""

    def compose(self) -> ComposeResult:
        # Built showing the first state: setting the texts after mounting would lay the screen out twice.
        view = self._opening_view

        def line(name: str) -> Line:
            widget = self._lines[name] = Line(getattr(view, name) if name != "reminder" else "", id=f"run-{name}")
            return widget

        self._bar.set_reactive(SessionBar.progress, bar_fraction(view))
        state = state_classes(self._opening.snapshot, view)
        self._box.set_classes([name for name, on in state.items() if on])
        # The lines above and below the digits sit in groups of their own: Textual redraws every widget whose
        # container overlaps a changed region, so a new second then costs the digits, not every line.
        with self._box:
            with VerticalGroup(id="run-head"):
                yield line("label")
                yield line("title")
            yield self._digits
            with VerticalGroup(id="run-body"):
                yield line("say")
                yield line("reminder")
                yield line("rep")
                with Center(id="run-progress-row"):
                    yield self._bar
                yield line("left")
                yield line("next")
                yield line("hint")
                if self.routine.safety:
                    yield Static(bulleted(self.routine.safety), id="run-safety")
                    yield Static(literal("Safety notes: press s to read them."), id="run-safety-hint")
        yield Static(Text("Make the window larger\n(at least 40×12)"), id="run-tiny")
        yield CoachFooter(keys_at_once=True)  # its keys are this screen's own: drawn with the first frame

    def on_mount(self) -> None:
        self._fit(self.app.size)  # from the first frame: a Resize may come late under load
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
        self._apply(self.runner.advance())

    @property
    def wake_armed(self) -> bool:
        """Whether a wake-up is armed (never while paused or waiting for the user)."""
        return self._wake is not None

    def _schedule(self) -> None:
        """Arm one wake-up for just after the next boundary; none while paused or waiting.

        The event loop's own one-shot timer, with its deadline fixed now: Textual's timer starts counting only when
        its task first runs, and under load that start is late by as much as the shown second may be."""
        self._disarm()
        wait = self.runner.next_wake_in()
        if wait is not None and not self._leaving:
            self._wake = asyncio.get_running_loop().call_later(wait + WAKE_SLACK, self._on_wake)

    def _disarm(self) -> None:
        if self._wake is not None:
            self._wake.cancel()
            self._wake = None

    def _apply(self, update: Update) -> None:
        """Show a new state, play its cues, and arm the next wake-up (the runner has recorded it already)."""
        if self.cues is not None:
            self.cues.play_events(update.events, last_part=update.snapshot.next_title is None)
        for event in update.events:
            if isinstance(event, PhaseStarted | Finished):
                self.reminder = ""
            elif isinstance(event, ReminderDue):
                self.reminder = f"{event.text} (reminded at {self.runner.engine.clock.wall():%H:%M})"
            elif isinstance(event, SleepGap):
                self.app.push_screen(sleep_gap_question(format_duration(event.seconds)), self._gap_answered)
        if self.trace:
            self._trace_state(self.snapshot, update.snapshot)
        self._show(update.snapshot)
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

    def _gap_answered(self, count: bool | None) -> None:
        self._apply(self.runner.resolve_gap(bool(count)))

    # -- showing ----------------------------------------------------------------------------------------------

    def _show(self, snapshot: Snapshot) -> None:
        """Show a snapshot: only what changed is touched, so a new second costs the digits' cells and no more.

        Plain comparisons of the view's strings, not a cascade of reactives: each reactive set (the screen's, then
        every line's) ran Textual's validators and watchers every second, changed or not."""
        previous, self.snapshot = self.snapshot, snapshot
        controls = Controls.of(snapshot)
        if controls != self.controls:
            self.controls = controls  # the footer shows what the keys can do now
        before, view = self.view, run_view(snapshot, self.routine, self.runner.outcome)
        self.view = view
        if previous is None or view.state != before.state or snapshot.waiting != previous.waiting:
            # On the countdown's container, not the screen: a change of state restyles what it colours, not the
            # footer.
            self._box.update_classes(state_classes(snapshot, view))
        if view.digits != self._digits.text:
            self._digits.text = view.digits
            if view.digits and self.trace:
                self.trace.write(view.digits)
        for name in ("label", "title", "say", "rep", "left", "next"):
            text = getattr(view, name)
            if text != getattr(before, name):
                self._lines[name].text = text
        hint = self._why_now() or view.hint
        if hint != self._hint:
            self._hint = self._lines["hint"].text = hint
        fraction = bar_fraction(view)
        if fraction != self._fraction:
            self._fraction = self._bar.progress = fraction

    def watch_reminder(self, reminder: str) -> None:
        self._lines["reminder"].text = reminder
        self._box.set_class(bool(reminder), "-reminder")

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size)

    def _fit(self, size: Size) -> None:
        """The classes of the window's size: tiny (too small to run), small (under 20 lines: the details go)."""
        self.set_class(size.width < MIN_WIDTH or size.height < MIN_HEIGHT, "-tiny")
        self.set_class(size.height < SMALL_HEIGHT, "-small")
        self.footer_width = size.width

    # -- keys -------------------------------------------------------------------------------------------------

    def _available(self, action: str) -> bool | None:
        """True: the key acts now; None: shown greyed; False: not shown at all."""
        controls = self.controls
        if controls is None:
            return True
        if controls.finished:
            return action in ("close_finished", "quit_session", "suspend")
        return {
            "ready": controls.waiting,
            "close_finished": False,
            "pause": not controls.paused and not controls.waiting,
            "resume": controls.paused and not controls.asking,
            "add_time": None if not controls.timed else True,
            "take_time": None if not controls.timed else True,
            "move_on": controls.ranged,  # before its time it says how long to go
            "finish": controls.begun,
            "safety": bool(self.routine.safety),
            "back": None if controls.waiting and self.runner.snapshot.phase == self._opening.snapshot.phase else True,
        }.get(action, True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that cannot act now are greyed out (None); hidden (False) when they have no place on the screen:
        the pause/resume pair shows one at a time, Ready only while getting ready, Close only at the end."""
        return self._available(action)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """What the footer shows: the most important keys that fit whole, in BINDINGS order; the least important go
        first when the window is narrow. Only the footer reads this: a key dropped from it still works."""
        bindings = super().active_bindings
        width = (self.footer_width or self.app.size.width) - (PALETTE_KEY if self.app.ENABLE_COMMAND_PALETTE else 0)
        shown: dict[str, ActiveBinding] = {}
        used = 0
        actions: set[str] = set()
        full = False
        for key, active in bindings.items():
            binding = active.binding
            if binding.show and binding.action not in actions:
                needed = len(self.app.get_key_display(binding)) + len(binding.description) + FOOTER_GAP
                full = full or used + needed > width
                if full:
                    continue
                used += needed
                actions.add(binding.action)
            shown[key] = active
        return shown

    def on_key(self, event: events.Key) -> None:
        """Any key acknowledges the end: the bell stops ringing."""
        if self.cues is not None:
            self.cues.stop_ringing()

    def action_ready(self) -> None:
        self._apply(self.runner.ready())

    def action_close_finished(self) -> None:
        """Enter on the finished screen: close it, as its hint says."""
        self.close()

    def action_pause(self) -> None:
        self._apply(self.runner.pause())

    def action_resume(self) -> None:
        self._apply(self.runner.resume())

    def action_next(self) -> None:
        if self._asks_first(Action.NEXT):
            return
        self._after_ending(self.runner.next())

    def action_back(self) -> None:
        self._apply(self.runner.back())

    def action_add_time(self) -> None:
        self._apply(self.runner.add_time(10))

    def action_take_time(self) -> None:
        self._apply(self.runner.take_time(10))

    def action_move_on(self) -> None:
        snapshot = self.runner.snapshot
        if not snapshot.may_move_on:
            self._say_why(snapshot)
            return
        if self._asks_first(Action.MOVE_ON):
            return
        self._after_ending(self.runner.move_on())

    def _say_why(self, snapshot: Snapshot) -> None:
        """`m` cannot act yet: say why on the hint line (read from a step away), with a bell."""
        self._why_phase = snapshot.phase
        self._why_until = self.runner.engine.clock.monotonic() + WHY_SHOWN_FOR
        self._hint = self._lines["hint"].text = self._why_now()
        self.app.bell()

    def _why_now(self) -> str:
        """Why `m` could not act, while that still holds: its time to go counts down with the digits, and it is gone
        once moving on is allowed, the step changes, the session ends, or after a few seconds."""
        snapshot = self.runner.snapshot
        if (
            self._why_phase is None
            or snapshot.finished
            or snapshot.may_move_on
            or snapshot.phase != self._why_phase
            or self.runner.engine.clock.monotonic() >= self._why_until
        ):
            self._why_phase = None
            return ""
        return not_yet(snapshot)

    def action_finish(self) -> None:
        if self._asks_first(Action.FINISH):
            return
        self._after_ending(self.runner.finish())

    def action_quit_session(self) -> None:
        """q or Escape: stop. Before the session counts it asks first; once it counts it stops at once, completed."""
        if self.runner.snapshot.finished:
            self.close()
            return
        if self._asks_first(Action.STOP):
            return
        self.stop_session()
        self.close()

    def action_safety(self) -> None:
        """s: the routine's safety notes, at any size and any moment."""
        if self.routine.safety:
            self.app.push_screen(SafetyNotes(self.routine.name, self.routine.safety))

    def action_suspend(self) -> None:
        """Ctrl+Z: pause the timer, then hand the terminal back to the shell until `fg`."""
        self._apply(self.runner.pause())
        self.app.action_suspend_process()

    def _on_app_suspend(self, app: object) -> None:
        if not self.runner.snapshot.finished:
            self._apply(self.runner.pause())

    # -- the stop question ----------------------------------------------------------------------------------------

    def _asks_first(self, action: Action) -> bool:
        """Before the session counts, an action that would end it asks; the countdown waits meanwhile."""
        if self._asking or not self.runner.must_ask(action):
            return self._asking
        self._asking = True
        snapshot = self.runner.snapshot
        paused_here = not snapshot.paused
        if paused_here:
            self._apply(self.runner.pause())
        counts = length_words(self.runner.counts_after)
        question = stop_question(
            action,
            done=length_words(snapshot.active_seconds),
            counts=f"{counts} — {to_go(self.runner.counts_after - snapshot.active_seconds)} to go",
            may_discard=self.runner.may_discard,
        )

        def answered(answer: Answer | None) -> None:
            self._asking = False
            if answer is Answer.DISCARD:
                self._apply(self.runner.discard())
                self.close()
                return
            if answer is Answer.END:
                self._end_as_asked(action)
                return
            if paused_here:
                self._apply(self.runner.resume())

        self.app.push_screen(question, answered)
        return True

    def _end_as_asked(self, action: Action) -> None:
        if action is Action.STOP:
            self.stop_session()
            self.close()
            return
        ends = {Action.NEXT: self.runner.next, Action.MOVE_ON: self.runner.move_on, Action.FINISH: self.runner.finish}
        self._after_ending(ends[action]())

    def _after_ending(self, update: Update) -> None:
        self._apply(update)

    # -- ending -----------------------------------------------------------------------------------------------

    def stop_session(self) -> None:
        """Stop a running session (q, a signal, the app quitting): completed once it counts, else partial."""
        if not self.runner.snapshot.finished:
            self._apply(self.runner.stop())

    def close(self) -> None:
        """Leave the screen with the session's outcome; the app decides whether that exits."""
        if self._leaving:
            return
        self._leaving = True
        self._disarm()
        if self.cues is not None:
            self.cues.stop_ringing()
        outcome = self.runner.close()
        if len(self.app.screen_stack) > 1 and self.app.screen is self:
            self.dismiss(outcome)
        else:  # `coach run ROUTINE`: the session was the app's whole purpose
            self.app.exit(outcome)
