"""`coach run --plain`: one line per event, a bell at each change, typed commands; it sleeps until the next event.

The loop never counts ticks: it asks the engine when the next event is due, waits for that long (or for a line
of input, or a signal), then lets the engine catch up with the clock. Everything it talks to is passed in, so a
test runs a whole session in-process with a fake clock, a scripted input and a fake recorder.
"""

from __future__ import annotations

import math
import os
import queue
import signal
import threading
from types import FrameType, TracebackType
from typing import Protocol, TextIO, TypeAlias

from msgspec import Struct

from coach.common.safe_text import one_line
from coach.engine.events import Finished, MayFinish, MayMoveOn, PhaseStarted, ReminderDue, SleepGap
from coach.engine.recording import Status
from coach.engine.runner import CHECKPOINT_EVERY, Action, Ending, Outcome, SessionRunner
from coach.engine.session import Update
from coach.engine.snapshot import Phase, Snapshot
from coach.engine.snapshot import length_words as _words
from coach.routines.durations import format_duration

WAKE_MARGIN = 0.002
"""Wake just after an event's moment, not just before it."""
NO_TERMINAL_GRACE = 0.2
"""Without a terminal on stdin, a question waits this long for piped input, then takes its default."""
BELL = "\a"
KEYS = (
    "Type a letter and Enter: p pause/resume, n next, b back, + / - 10 s more/less, m move on, f finish, q stop. "
    "Enter alone: ready / move on / resume. Ctrl+C stops."
)


class Line(Struct, frozen=True):
    """A line typed on standard input (without its newline)."""

    text: str


class EndOfInput(Struct, frozen=True):
    """Standard input is closed: questions take their default answer from now on."""


class Signalled(Struct, frozen=True):
    """SIGINT, SIGTERM or SIGHUP arrived: the session ends as partial."""

    signum: int


Input: TypeAlias = Line | EndOfInput | Signalled
_NO_ANSWER = Line("")
"""A question's default answer, taken when no terminal (or no more input) can give one."""


class Waiter(Protocol):
    """Waits for input or a signal, or until the timeout; what the loop sleeps in."""

    interactive: bool
    """Standard input is a terminal, so a question may wait for the user indefinitely."""

    def wait(self, timeout: float) -> Input | None:
        """The next input, or None when `timeout` seconds pass first."""
        ...


class PlainResult(Struct, frozen=True):
    """How the session ended and the exit code of the command."""

    outcome: Outcome
    exit_code: int

    @property
    def status(self) -> Status | None:
        """The status recorded (None: nothing was kept)."""
        return self.outcome.status


def run_plain(runner: SessionRunner, waiter: Waiter, out: TextIO, *, bell: bool = True) -> PlainResult:
    """Run a session to its end, printing each event; the runner records it. Before the session counts, an action
    that would end it asks first (y and Enter), as the run screen does."""
    printer = _Printer(out, bell, runner)
    printer.header()
    exit_code = 0
    asking: Action | None = None

    def show(update: Update) -> Snapshot:
        printer.show(update)
        return update.snapshot

    try:
        snapshot = show(runner.opening)
        end_of_input = False
        while not snapshot.finished:
            got = _wait(runner, waiter, snapshot, end_of_input, question=asking is not None)
            snapshot = show(runner.advance())  # catch up first: a command applies to the session as it is now
            if got is _NO_ANSWER:
                printer.say(snapshot, "(no input: going on)")
                got = Line("")
            if isinstance(got, Signalled):
                snapshot = show(runner.stop())
                exit_code = 128 + got.signum
            elif isinstance(got, EndOfInput):
                end_of_input = True
            elif isinstance(got, Line) and not snapshot.finished:
                text = got.text.strip().lower()
                if asking is not None:
                    snapshot = show(_answer(runner, asking, text, printer))
                    asking = None
                    continue
                action = _ending_action(snapshot, text)
                if action is not None and runner.must_ask(action):
                    asking = action
                    printer.ask(snapshot)
                    continue
                snapshot = show(_command(runner, snapshot, text, printer))
    finally:
        outcome = runner.close()  # whatever happened (an error too), the session ends once, by the rules
    return PlainResult(outcome, exit_code)


_ENDING_COMMANDS = {"n": Action.NEXT, "m": Action.MOVE_ON, "f": Action.FINISH, "q": Action.STOP}


def _ending_action(snapshot: Snapshot, text: str) -> Action | None:
    """The action a typed command would take that may end the session (Enter alone moves on when it may)."""
    if snapshot.gap_seconds is not None or snapshot.waiting:
        return None
    if text == "":
        return Action.MOVE_ON if snapshot.may_move_on and not snapshot.paused else None
    return _ENDING_COMMANDS.get(text[:1])


def _wait(
    runner: SessionRunner, waiter: Waiter, snapshot: Snapshot, end_of_input: bool, *, question: bool
) -> Input | None:
    """Sleep until the next event or checkpoint, or until input; a question without a terminal takes its default."""
    event_in = runner.engine.next_event_in()
    timeout = CHECKPOINT_EVERY if event_in is None else event_in + WAKE_MARGIN
    checkpoint_in = runner.checkpoint_in()
    if checkpoint_in is not None:
        timeout = min(timeout, checkpoint_in)
    asking = question or snapshot.waiting or snapshot.gap_seconds is not None
    if not asking or (waiter.interactive and not end_of_input):
        return waiter.wait(timeout)
    got = None if end_of_input else waiter.wait(min(timeout, NO_TERMINAL_GRACE))
    return _NO_ANSWER if got is None else got


def _answer(runner: SessionRunner, action: Action, text: str, printer: _Printer) -> Update:
    """The answer to "stop here?": y ends it as asked, d throws a session just begun away, anything else goes on."""
    if text in ("y", "yes"):
        return {
            Action.NEXT: runner.next,
            Action.MOVE_ON: runner.move_on,
            Action.FINISH: runner.finish,
            Action.STOP: runner.stop,
        }[action]()
    if text in ("d", "discard") and runner.may_discard:
        return runner.discard()
    update = runner.advance()
    printer.say(update.snapshot, "Going on.")
    return update


def _command(runner: SessionRunner, snapshot: Snapshot, text: str, printer: _Printer) -> Update:
    """Apply a typed command; Enter alone does the one obvious thing for the moment."""
    if snapshot.gap_seconds is not None:
        return runner.resolve_gap(text in ("y", "yes"))
    if text == "":
        if snapshot.waiting:
            return runner.ready()
        if snapshot.paused:
            return _toggle(runner, printer)
        if snapshot.may_move_on:
            return runner.move_on()
        printer.say(snapshot, _not_yet(snapshot) if snapshot.block is not None else KEYS)  # never silence
        return runner.advance()
    actions = {
        "p": lambda: _toggle(runner, printer),
        "n": runner.next,
        "b": runner.back,
        "+": runner.add_time,
        "-": runner.take_time,
        "m": runner.move_on,
        "f": runner.finish,
        "q": runner.stop,
    }
    action = actions.get(text[:1])
    if action is None:
        printer.say(snapshot, KEYS)
        return runner.advance()
    if text[:1] == "m" and not snapshot.may_move_on:
        printer.say(snapshot, _not_yet(snapshot))
    return action()


def _not_yet(snapshot: Snapshot) -> str:
    """Why `m` does nothing now, with how long to go."""
    block = snapshot.block
    return "There is nothing to move on from here." if block is None else block.not_yet


def _toggle(runner: SessionRunner, printer: _Printer) -> Update:
    update = runner.toggle_pause()
    printer.say(update.snapshot, "Paused. Enter or p to go on." if update.snapshot.paused else "Going on.")
    return update


class _Printer:
    """Turns events into lines that start with the session's elapsed time; rings the bell at each change."""

    def __init__(self, out: TextIO, bell: bool, runner: SessionRunner) -> None:
        self.out = out
        self.bell = bell
        self.runner = runner
        self._reps: tuple[tuple[str, int], ...] = ()

    def header(self) -> None:
        routine = self.runner.engine.routine
        low, high = routine.min_seconds, routine.max_seconds
        length = format_duration(low) if low == high else f"{format_duration(low)} to {format_duration(high)}"
        counts = format_duration(routine.counts_after_seconds)
        self.write(f"{routine.name} ({self.runner.session.slot}): {length}; it counts after {counts}.")
        for note in routine.safety:
            self.write(f"Safety: {note}")
        self.write(KEYS)

    def ask(self, snapshot: Snapshot) -> None:
        """The stop question, before an action that would end the session short of counting."""
        counts = _words(round(self.runner.counts_after))
        to_go = _words(math.ceil(self.runner.counts_after - snapshot.active_seconds - 1e-9))
        discard = " d and Enter: throw this session away." if self.runner.may_discard else ""
        self.say(
            snapshot,
            f"End the session now? It counts after {counts} ({to_go} to go): ended now it is saved as partial. "
            f"y and Enter: end it. Enter: keep going.{discard}",
            ring=True,
        )

    def show(self, update: Update) -> None:
        """Print the update's events."""
        snapshot = update.snapshot
        for event in update.events:
            if isinstance(event, PhaseStarted):
                self._entered_group(snapshot, event.phase)
                self.say(snapshot, _phase_line(event.phase), ring=True)
            elif isinstance(event, ReminderDue):
                self.say(snapshot, f"Reminder: {event.text}", ring=True)
            elif isinstance(event, MayFinish) and not any(isinstance(e, Finished) for e in update.events):
                self.say(snapshot, "You may stop now: this session counts (f and Enter to finish).", ring=True)
            elif isinstance(event, MayMoveOn):
                self.say(snapshot, f"You may move on from {event.title} (Enter), or go on: it ends by itself.")
            elif isinstance(event, SleepGap):
                away = _words(round(event.seconds))
                self.say(snapshot, f"The computer slept for {away}. Count that time as done? y and Enter, or Enter.")
            elif isinstance(event, Finished):
                self.say(snapshot, _end_line(self.runner, event), ring=True)

    def _entered_group(self, snapshot: Snapshot, phase: Phase) -> None:
        """Say a group's title and words when its first round begins."""
        reps = tuple((rep.title, rep.number) for rep in phase.reps)
        entered = reps and reps[-1][1] == 1 and (len(self._reps) < len(reps) or self._reps[-1][0] != reps[-1][0])
        self._reps = reps
        if entered and phase.group_title:
            self.say(snapshot, f"{phase.group_title}" + (f" - {phase.group_say}" if phase.group_say else ""))

    def say(self, snapshot: Snapshot, text: str, *, ring: bool = False) -> None:
        self.write(f"{_elapsed(snapshot.elapsed_seconds)} {text}", ring=ring)

    def write(self, line: str, *, ring: bool = False) -> None:
        self.out.write(one_line(line) + (BELL if ring and self.bell else "") + "\n")
        self.out.flush()


def _phase_line(phase: Phase) -> str:
    if phase.seconds is None:
        return f"{phase.title} - {phase.say} (Enter when ready)" if phase.say else f"{phase.title} (Enter when ready)"
    low = phase.low_seconds
    if low is not None and low % 60 == 0 and phase.seconds % 60 == 0:
        length = f"{low // 60} to {_words(phase.seconds)}"
    elif low is not None:
        length = f"{_words(low)} to {_words(phase.seconds)}"
    else:
        length = _words(phase.seconds)
    if phase.reps:
        length += f", round {phase.reps[-1].number}"
    return f"{phase.title} ({length})" + (f" - {phase.say}" if phase.say else "")


def _end_line(runner: SessionRunner, event: Finished) -> str:
    """The last line: how it ended, in the words of the rule (a natural end is never "stopped")."""
    outcome = runner.outcome
    done = _words(round(event.active_seconds))
    counts = _words(round(runner.counts_after))
    if outcome is None or outcome.ending is None:
        return "Stopped before it began: nothing saved."
    if outcome.ending is Ending.DISCARDED:
        return f"Discarded: this session ({done}) is not saved."
    if event.status is Status.COMPLETED:
        verb = "Finished" if outcome.ending is Ending.FINISHED else "Stopped"
        return f"{verb}: completed, {done} of exercise. Well done."
    if outcome.ending is Ending.FINISHED:
        return f"Finished early: {done} done, saved as partial (it counts after {counts})."
    return f"Stopped after {done}: saved as partial (it counts after {counts})."


def _elapsed(seconds: float) -> str:
    whole = max(0, int(seconds + 1e-9))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class SystemWaiter:
    """The real standard input and signals, fed by a reader thread and the signal handlers into one queue.

    A queue read with a timeout wakes on whichever comes first, on every platform, and the handlers only enqueue,
    so a signal never interrupts a history write half-way.
    """

    SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")

    def __init__(self, fd: int = 0) -> None:
        self.fd = fd
        self.interactive = _isatty(fd)
        self._queue: queue.SimpleQueue[Input] = queue.SimpleQueue()
        self._previous: dict[int, object] = {}

    def __enter__(self) -> SystemWaiter:
        for name in self.SIGNALS:
            signum = getattr(signal, name, None)
            if signum is not None:
                self._previous[signum] = signal.signal(signum, self._on_signal)
        threading.Thread(target=self._read, name="coach-stdin", daemon=True).start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]

    def wait(self, timeout: float) -> Input | None:
        try:
            return self._queue.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return None

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self._queue.put(Signalled(signum))

    def _read(self) -> None:
        """Read raw bytes (no buffered reader, whose lock would trouble interpreter shutdown) and split lines."""
        pending = b""
        while True:
            try:
                chunk = os.read(self.fd, 4096)
            except OSError:
                chunk = b""
            if not chunk:
                if pending:
                    self._queue.put(Line(pending.decode("utf-8", "replace")))
                self._queue.put(EndOfInput())
                return
            pending += chunk
            while b"\n" in pending:
                line, _, pending = pending.partition(b"\n")
                self._queue.put(Line(line.decode("utf-8", "replace").rstrip("\r")))


def _isatty(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False
