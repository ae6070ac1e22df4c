"""`coach run --plain`: one line per event, a bell at each change, typed commands; it sleeps until the next event.

The loop never counts ticks: it asks the engine when the next event is due, waits for that long (or for a line
of input, or a signal), then lets the engine catch up with the clock. Everything it talks to is passed in, so a
test runs a whole session in-process with a fake clock, a scripted input and a fake recorder.
"""

from __future__ import annotations

import os
import queue
import signal
import threading
from dataclasses import dataclass
from types import FrameType, TracebackType
from typing import Protocol, TextIO, TypeAlias

from coach.common.safe_text import one_line
from coach.engine.events import Finished, MayFinish, MayMoveOn, PhaseStarted, ReminderDue, SleepGap
from coach.engine.recording import Recorder, SessionStart, Status
from coach.engine.session import SessionEngine, Update
from coach.engine.snapshot import Phase, Snapshot
from coach.routines.durations import format_duration

CHECKPOINT_EVERY = 10.0
"""Seconds between checkpoints within a long phase: a killed process loses at most this much."""
WAKE_MARGIN = 0.002
"""Wake just after an event's moment, not just before it."""
NO_TERMINAL_GRACE = 0.2
"""Without a terminal on stdin, a question waits this long for piped input, then takes its default."""
BELL = "\a"
KEYS = (
    "Type a letter and Enter: p pause/resume, n next, b back, + / - 10 s more/less, m move on, f finish. "
    "Enter alone: ready / move on / resume. Ctrl+C stops."
)


@dataclass(frozen=True)
class Line:
    """A line typed on standard input (without its newline)."""

    text: str


@dataclass(frozen=True)
class EndOfInput:
    """Standard input is closed: questions take their default answer from now on."""


@dataclass(frozen=True)
class Signalled:
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


@dataclass(frozen=True)
class PlainResult:
    """How the session ended and the exit code of the command."""

    status: Status
    exit_code: int


def run_plain(
    engine: SessionEngine,
    recorder: Recorder,
    session: SessionStart,
    waiter: Waiter,
    out: TextIO,
    *,
    bell: bool = True,
    checkpoint_every: float = CHECKPOINT_EVERY,
) -> PlainResult:
    """Run a session to its end, printing each event; records start, checkpoints and finish."""
    printer = _Printer(out, bell)
    printer.header(engine, session)
    exit_code = 0
    last_checkpoint = engine.clock.monotonic()
    recording = False

    def show(update: Update) -> Snapshot:
        """Print the update; record from the moment the user begins (not while getting ready), then checkpoint
        at a phase change or when the last checkpoint is 10 s old."""
        nonlocal last_checkpoint, recording
        changed = printer.show(update)
        if update.snapshot.begun and not recording:
            recorder.start(session)
            recording = True
        if changed or engine.clock.monotonic() - last_checkpoint >= checkpoint_every:
            if recording:
                recorder.checkpoint(session.id, engine.checkpoint())
            last_checkpoint = engine.clock.monotonic()  # also while getting ready: the next wake stays ahead
        return update.snapshot

    try:
        snapshot = show(engine.advance())
        end_of_input = False
        while not snapshot.finished:
            got = _wait(engine, waiter, snapshot, end_of_input, last_checkpoint + checkpoint_every)
            snapshot = show(engine.advance())  # catch up first: a command applies to the session as it is now
            if got is _NO_ANSWER:
                printer.say(snapshot, "(no input: going on)")
                got = Line("")
            if isinstance(got, Signalled):
                snapshot = show(engine.abort())
                exit_code = 128 + got.signum
            elif isinstance(got, EndOfInput):
                end_of_input = True
            elif isinstance(got, Line) and not snapshot.finished:
                snapshot = show(_command(engine, snapshot, got.text.strip().lower(), printer))
    except BaseException:
        engine.abort()
        raise
    finally:
        final = engine.snapshot()
        if recording:
            recorder.finish(session.id, final.status, engine.clock.wall(), engine.checkpoint())
    return PlainResult(final.status, exit_code)


def _wait(
    engine: SessionEngine, waiter: Waiter, snapshot: Snapshot, end_of_input: bool, checkpoint_at: float
) -> Input | None:
    """Sleep until the next event or checkpoint, or until input; a question without a terminal takes its default."""
    timeout = max(0.0, checkpoint_at - engine.clock.monotonic())
    event_in = engine.next_event_in()
    if event_in is not None:
        timeout = min(timeout, event_in + WAKE_MARGIN)
    asking = snapshot.waiting or snapshot.gap_seconds is not None
    if not asking or (waiter.interactive and not end_of_input):
        return waiter.wait(timeout)
    got = None if end_of_input else waiter.wait(min(timeout, NO_TERMINAL_GRACE))
    return _NO_ANSWER if got is None else got


def _command(engine: SessionEngine, snapshot: Snapshot, text: str, printer: _Printer) -> Update:
    """Apply a typed command; Enter alone does the one obvious thing for the moment."""
    if snapshot.gap_seconds is not None:
        return engine.resolve_gap(text in ("y", "yes"))
    if text == "":
        if snapshot.waiting:
            return engine.ready()
        if snapshot.paused:
            return _toggle(engine, printer)
        if snapshot.may_move_on:
            return engine.move_on()
        return engine.advance()
    actions = {
        "p": lambda: _toggle(engine, printer),
        "n": engine.next,
        "b": engine.back,
        "+": engine.add_time,
        "-": engine.take_time,
        "m": engine.move_on,
        "f": engine.finish,
    }
    action = actions.get(text[:1])
    if action is None:
        printer.say(snapshot, KEYS)
        return engine.advance()
    return action()


def _toggle(engine: SessionEngine, printer: _Printer) -> Update:
    update = engine.toggle_pause()
    printer.say(update.snapshot, "Paused. Enter or p to go on." if update.snapshot.paused else "Going on.")
    return update


class _Printer:
    """Turns events into lines that start with the session's elapsed time; rings the bell at each change."""

    def __init__(self, out: TextIO, bell: bool) -> None:
        self.out = out
        self.bell = bell
        self._reps: tuple[tuple[str, int], ...] = ()

    def header(self, engine: SessionEngine, session: SessionStart) -> None:
        routine = engine.routine
        low, high = routine.min_seconds, routine.max_seconds
        length = format_duration(low) if low == high else f"{format_duration(low)} to {format_duration(high)}"
        counts = format_duration(routine.counts_after_seconds)
        self.write(f"{routine.name} ({session.slot}): {length}; it counts after {counts}.")
        for note in routine.safety:
            self.write(f"Safety: {note}")
        self.write(KEYS)

    def show(self, update: Update) -> bool:
        """Print the update's events; True when a phase changed (the moment for a checkpoint)."""
        changed = False
        snapshot = update.snapshot
        for event in update.events:
            if isinstance(event, PhaseStarted):
                changed = True
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
                changed = True
                self.say(snapshot, _end_line(event), ring=True)
        return changed

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


def _end_line(event: Finished) -> str:
    active = _words(round(event.active_seconds))
    if event.status is Status.COMPLETED:
        return f"Finished: completed, {active} of exercise. Well done."
    return f"Stopped: partial, {active} of exercise."


def _words(seconds: int) -> str:
    """A length as a person reads it: 10 s, 20 min, 1 min 30 s."""
    hours, minutes = divmod(seconds // 60, 60)
    secs = seconds % 60
    if hours:
        return f"{hours} h" + (f" {minutes} min" if minutes else "")
    if not minutes:
        return f"{secs} s"
    return f"{minutes} min" + (f" {secs} s" if secs else "")


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
