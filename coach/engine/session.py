"""The session engine: a state machine that runs a routine phase by phase against a clock it is given.

Every call reads the clock once, catches up on everything that happened since the last call (each phase change
once, in order; only the latest reminder; only the countdown warning due now), applies the control, and returns
a frozen `Snapshot` with the events. Time left comes from deadlines on the monotonic clock, never from ticks.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from coach.engine.clock import Clock
from coach.engine.cursor import EPSILON, Cursor, time_left
from coach.engine.events import (
    EndingSoon,
    Event,
    Finished,
    MayFinish,
    MayMoveOn,
    PhaseStarted,
    ReminderDue,
    SleepGap,
)
from coach.engine.recording import Checkpoint, Status
from coach.engine.snapshot import Block, Phase, PhaseKind, Progress, Rep, Snapshot, shown_seconds
from coach.routines.model import Routine, TimedStep, WaitStep

GAP_THRESHOLD = 5.0
"""A suspend shorter than this is not worth a question; the countdown simply stood still for it."""
BACK_WINDOW = 2.0
"""`back` within this many seconds of a phase's start goes to the previous phase instead of restarting."""
SLEEP_NOTICED = 0.5
"""A suspend longer than this still shows in the session's elapsed time, even when it asks nothing."""
MIN_LEFT = 1.0
"""Taking time off never leaves less than this, so the change is seen and heard."""
WARN_FROM = 3
"""Countdown warnings at 3, 2 and 1 seconds before a timed phase ends."""
_PHASE = -1
"""`move_on` target meaning the current ranged step rather than a group."""


class Update(NamedTuple):
    """What an engine call returns: the state now, and the events since the previous call, in order."""

    snapshot: Snapshot
    events: tuple[Event, ...]


class _Pending(NamedTuple):
    at: float
    seq: int
    event: Event
    owner: tuple[str, int] | None = None
    """The block a MayMoveOn is about: dropped when that block is already over by the end of the call."""


class SessionEngine:
    """Runs one session of a routine; starts when made. Controls that do not apply now do nothing."""

    def __init__(self, routine: Routine, clock: Clock, *, gap_threshold: float = GAP_THRESHOLD) -> None:
        self.routine = routine
        self.clock = clock
        self.gap_threshold = gap_threshold
        now = clock.monotonic()
        self.started_at = clock.wall()
        """Aware wall time of the start, for history; durations never use the wall clock."""
        self._start = now
        self._now = now
        self._mono_seen, self._boot_seen = now, clock.boottime()
        self._counts_after = float(routine.counts_after_seconds)
        self._cursor = Cursor(routine.steps)
        self._timed: TimedStep | None = None
        self._anchor = now
        """Monotonic time at which the current phase's elapsed time would be zero; moved on by pauses."""
        self._length = 0.0
        self._active_before = 0.0
        """Active seconds of the phases before the current one."""
        self._paused_at: float | None = None
        self._gap: float | None = None
        self._status = Status.RUNNING
        self._begun = False
        self._ended_at = now
        self._serial = 0
        self._warned = WARN_FROM + 1
        self._reminded = 0
        self._phase_move_on_told = False
        self._may_finish_told = False
        self._rounds = 0
        self._slept = 0.0
        self._pending: list[_Pending] = []
        self._seq = 0
        self._phase = Phase(routine.name, "", PhaseKind.WAIT, None, "", None, None, (), routine.name)
        self._enter(now)
        if self._counts_after <= EPSILON and self._status is Status.RUNNING:
            self._may_finish_told = True
            self._emit(now, MayFinish())

    # -- calls the UI makes -------------------------------------------------------------------------------------

    def advance(self, now: float | None = None) -> Update:
        """Catch up with the clock (or with `now`, a reading of the same monotonic clock)."""
        self._sync(now)
        return self._update()

    def pause(self) -> Update:
        """Stop the clock of the session: paused time is not active time and does not move deadlines."""
        now = self._sync()
        if self._status is Status.RUNNING and self._paused_at is None:
            self._paused_at = now
        return self._update()

    def resume(self) -> Update:
        """Go on from where it paused (after a sleep gap: without counting the time away)."""
        now = self._sync()
        if self._status is Status.RUNNING and self._paused_at is not None:
            self._resume(now, counted=0.0)
        return self._update()

    def toggle_pause(self) -> Update:
        """Pause when running, resume when paused: one key for both."""
        return self.resume() if self._paused_at is not None else self.pause()

    def resolve_gap(self, count: bool) -> Update:
        """Answer the sleep-gap question: counted, the time away is done as if awake (phases end in order)."""
        now = self._sync()
        if self._gap is not None:
            self._resume(now, counted=self._gap if count else 0.0)
        return self._update()

    def next(self) -> Update:
        """End the current phase now and start the next (at a wait step: the same as `ready`, pause kept)."""
        now = self._sync()
        if self._can_steer():
            self._fold(now)
            self._forward(now)
            self._run_to(now)
        return self._update()

    def ready(self) -> Update:
        """The user is ready: a wait step ends and the next phase starts, running."""
        now = self._sync()
        if self._can_steer() and self._timed is None:
            self._paused_at = None
            self._forward(now)
            self._run_to(now)
        return self._update()

    def back(self) -> Update:
        """Restart the current phase; within 2 s of its start (or at a wait step) go to the previous phase."""
        now = self._sync()
        if self._can_steer():
            near_start = self._timed is None or self._elapsed(now) < BACK_WINDOW
            self._fold(now)
            if near_start:
                self._cursor.backward(self._active_before)  # at the very first phase: restart it
            self._enter(now)
            self._run_to(now)
        return self._update()

    def add_time(self, seconds: float = 10.0) -> Update:
        """Give the current timed step more time (or less, with a negative amount; never below 1 s left)."""
        now = self._sync()
        if self._can_steer() and self._timed is not None:
            elapsed = self._elapsed(now)
            remaining = self._length - elapsed
            new_remaining = max(remaining + seconds, min(remaining, MIN_LEFT))
            self._length = elapsed + new_remaining
            self._warned = max(self._warned, min(WARN_FROM + 1, shown_seconds(new_remaining) + 1))
            self._run_to(now)
        return self._update()

    def take_time(self, seconds: float = 10.0) -> Update:
        """Shorten the current timed step, never below 1 s left."""
        return self.add_time(-seconds)

    def move_on(self) -> Update:
        """Leave the current ranged block (the outermost one past its lower bound) and start what follows it."""
        now = self._sync()
        if self._can_steer():
            target = self._move_on_target(self._active(now), self._elapsed(now))
            if target is not None:
                self._fold(now)
                if target == _PHASE:
                    self._rounds += self._cursor.forward(self._active_before)
                else:
                    self._rounds += self._cursor.leave(target, self._active_before)
                self._enter(now)
                self._run_to(now)
        return self._update()

    def finish(self) -> Update:
        """End the session now, however the user or the system ended it (finish, stop, a signal): completed if
        active time reached `counts_after`, else partial. There is one rule, so there is one call."""
        now = self._sync()
        if self._status is Status.RUNNING:
            self._end(now, self._earned(self._active(now)))
        return self._update()

    # -- queries ------------------------------------------------------------------------------------------------

    def checkpoint(self) -> Checkpoint:
        """Where the session is as of the last call, for the recorder."""
        return Checkpoint(self._phase.position, self._active(self._now), self._rounds)

    def next_would_end(self) -> bool:
        """Whether `next` now would end the session (the last phase of the routine), judged with the time done."""
        if not self._can_steer():
            return False
        trial = self._cursor.copy()
        trial.forward(self._active(self._now))
        return trial.ended

    def move_on_would_end(self) -> bool:
        """Whether `move_on` now would end the session (the ranged block it leaves is the last thing left)."""
        if not self._can_steer():
            return False
        target = self._move_on_target(self._active(self._now), self._elapsed(self._now))
        if target is None:
            return False
        trial = self._cursor.copy()
        active = self._active(self._now)
        if target == _PHASE:
            trial.forward(active)
        else:
            trial.leave(target, active)
        return trial.ended

    def next_boundary_in(self) -> float | None:
        """Seconds until the shown whole second changes from the one last reported; None when no countdown runs.

        0 when that change is already due: a UI that took long to draw the last second looks again at once, rather
        than wait for the following boundary and skip a second."""
        if not self._ticking():
            return None
        end = self._anchor + self._length
        remaining = end - self._now
        if remaining <= 0:
            return 0.0
        return max(0.0, end - (shown_seconds(remaining) - 1) - self.clock.monotonic())

    def next_event_in(self) -> float | None:
        """Seconds until time alone causes the next event; None when nothing will happen without the user."""
        if not self._ticking() or self._timed is None:
            return None
        deadline = self._anchor + self._length
        times = [deadline]
        times += [deadline - n for n in range(1, WARN_FROM + 1) if n < self._warned and self._length - n > EPSILON]
        remind = self._timed.remind
        if remind is not None and (self._reminded + 1) * remind.every < self._length - EPSILON:
            times.append(self._anchor + (self._reminded + 1) * remind.every)
        if not self._may_finish_told:
            times.append(self._anchor + self._counts_after - self._active_before)
        if self._timed.time.is_range and not self._phase_move_on_told:
            times.append(self._anchor + self._timed.time.low)
        for frame in self._cursor.frames:
            group = frame.group
            if group is not None and group.for_ is not None and group.for_.is_range and not frame.move_on_told:
                times.append(self._anchor + frame.started_active + group.for_.low - self._active_before)
        return max(0.0, min(times) - self.clock.monotonic())

    def next_wake_in(self) -> float | None:
        """When a UI should next look: the sooner of the next shown second and the next event."""
        options = [t for t in (self.next_boundary_in(), self.next_event_in()) if t is not None]
        return min(options) if options else None

    def snapshot(self) -> Snapshot:
        """The state as of the last call (no clock read, no events)."""
        now = self._ended_at if self._status is not Status.RUNNING else self._now
        elapsed = self._elapsed(now)
        active = self._active_before + elapsed
        timed = self._timed
        remaining: float | None = None
        phase_min = phase_max = 0.0
        if timed is not None:
            remaining = phase_max = self._length - elapsed
            phase_min = max(0.0, min(remaining, timed.time.low - elapsed)) if timed.time.is_range else remaining
        left = time_left(self._cursor, active, phase_min, phase_max)
        total = active + left.high
        fraction = active / total if total > 0 else (1.0 if self._cursor.ended else 0.0)
        blocks = self._blocks(active, elapsed, left.group_ends) if self._status is Status.RUNNING else []
        eligible = [block for _, block in blocks if block.may_move_on]
        block = eligible[0] if eligible else (blocks[-1][1] if blocks else None)
        running = self._status is Status.RUNNING
        return Snapshot(
            phase=self._phase,
            remaining=remaining if running else None,
            phase_elapsed=elapsed,
            active_seconds=active,
            elapsed_seconds=now - self._start + self._slept,
            progress=Progress(fraction, self._phase.reps, left.low, left.high, self._rounds),
            next_title=self._peek(active + phase_max) if running else None,
            may_finish=active >= self._counts_after - EPSILON,
            may_move_on=bool(eligible) and running,
            block=block,
            paused=self._paused_at is not None,
            waiting=running and timed is None,
            gap_seconds=self._gap,
            finished=not running,
            status=self._status,
            begun=self._begun,
        )

    # -- time ---------------------------------------------------------------------------------------------------

    def _sync(self, now: float | None = None) -> float:
        """Read the clocks, catch up to now, and notice a suspend of the machine since the last read."""
        mono = self.clock.monotonic() if now is None else now
        boot = self.clock.boottime()
        gap = (boot - self._boot_seen) - (mono - self._mono_seen)
        self._mono_seen, self._boot_seen = mono, boot
        if gap > SLEEP_NOTICED and self._status is Status.RUNNING:
            self._slept += gap
        mono = max(mono, self._now)
        self._run_to(mono)
        if gap > self.gap_threshold and self._ticking() and self._gap is None:
            self._paused_at = mono
            self._gap = gap
            self._emit(mono, SleepGap(gap))
        return mono

    def _run_to(self, now: float) -> None:
        """End every phase whose deadline has passed, in order, each next one starting at that deadline."""
        first = len(self._pending)
        while self._ticking():
            deadline = self._anchor + self._length
            self._crossings(min(deadline, now))
            if deadline > now:
                self._due_now(now)
                break
            self._active_before += self._length
            self._forward(deadline)
        self._now = max(self._now, now)
        owners = self._owners()
        self._pending[first:] = [p for p in self._pending[first:] if p.owner is None or p.owner in owners]

    def _crossings(self, upto: float) -> None:
        """Report thresholds crossed in the current phase by `upto`, at the moment each was crossed."""
        active = self._active(upto)
        if not self._may_finish_told and active >= self._counts_after - EPSILON:
            self._may_finish_told = True
            self._emit(self._anchor + max(0.0, self._counts_after - self._active_before), MayFinish())
        timed = self._timed
        ranged = timed is not None and timed.time.is_range and not self._phase_move_on_told
        if ranged and timed is not None and self._elapsed(upto) >= timed.time.low - EPSILON:
            self._phase_move_on_told = True
            self._emit(self._anchor + timed.time.low, MayMoveOn(timed.title), ("phase", self._serial))
        for frame in self._cursor.frames:
            group = frame.group
            if group is None or group.for_ is None or not group.for_.is_range or frame.move_on_told:
                continue
            if frame.elapsed(active) >= group.for_.low - EPSILON:
                frame.move_on_told = True
                at = self._anchor + max(0.0, frame.started_active + group.for_.low - self._active_before)
                self._emit(at, MayMoveOn(group.title), ("frame", frame.entry))

    def _due_now(self, now: float) -> None:
        """Only what is due in the current phase now: its latest reminder and the countdown second shown now."""
        timed = self._timed
        assert timed is not None
        elapsed = self._elapsed(now)
        if timed.remind is not None:
            every = timed.remind.every
            latest = min(math.floor((elapsed + EPSILON) / every), math.ceil(self._length / every - EPSILON) - 1)
            if latest > self._reminded:
                self._reminded = latest
                self._emit(self._anchor + latest * every, ReminderDue(timed.remind.say))
        seconds = shown_seconds(self._length - elapsed)
        if 1 <= seconds <= WARN_FROM and seconds < self._warned and self._length - seconds > EPSILON:
            self._warned = seconds
            self._emit(self._anchor + self._length - seconds, EndingSoon(seconds))

    def _resume(self, now: float, counted: float) -> None:
        assert self._paused_at is not None
        self._anchor += (now - self._paused_at) - counted
        self._paused_at = None
        self._gap = None
        self._run_to(now)

    def _elapsed(self, now: float) -> float:
        """Active seconds in the current phase (0 at a wait step); frozen while paused."""
        if self._timed is None:
            return 0.0
        at = self._paused_at if self._paused_at is not None else now
        return min(self._length, max(0.0, at - self._anchor))

    def _active(self, now: float) -> float:
        return self._active_before + self._elapsed(now)

    def _ticking(self) -> bool:
        return self._status is Status.RUNNING and self._timed is not None and self._paused_at is None

    # -- moving through the routine -----------------------------------------------------------------------------

    def _can_steer(self) -> bool:
        """Controls act while running; while a sleep gap awaits its answer only that answer (or finish) does."""
        return self._status is Status.RUNNING and self._gap is None

    def _fold(self, now: float) -> None:
        """Bank the current phase's active time before leaving or restarting it."""
        self._active_before += self._elapsed(now)
        self._timed = None

    def _forward(self, at: float) -> None:
        self._rounds += self._cursor.forward(self._active_before)
        self._enter(at)

    def _enter(self, at: float) -> None:
        """Start the phase under the cursor at `at` (paused if the session is paused), or end the session."""
        self._serial += 1
        self._anchor = at
        self._warned = WARN_FROM + 1
        self._reminded = 0
        self._phase_move_on_told = False
        if self._paused_at is not None:
            self._paused_at = at
        leaf = self._cursor.leaf
        if leaf is None:
            self._timed = None
            self._end(at, self._earned(self._active_before))
            return
        self._begun = self._begun or self._serial > 1 or isinstance(leaf, TimedStep)
        self._timed = leaf if isinstance(leaf, TimedStep) else None
        self._length = float(leaf.time.high) if isinstance(leaf, TimedStep) else 0.0
        self._phase = self._make_phase(leaf)
        self._emit(at, PhaseStarted(self._phase))

    def _end(self, at: float, status: Status) -> None:
        self._fold(at)
        self._paused_at = None
        self._gap = None
        self._status = status
        self._ended_at = at
        self._emit(at, Finished(status, self._active_before))

    def _earned(self, active: float) -> Status:
        return Status.COMPLETED if active >= self._counts_after - EPSILON else Status.PARTIAL

    def _make_phase(self, leaf: TimedStep | WaitStep) -> Phase:
        groups = [frame for frame in self._cursor.frames if frame.group is not None]
        reps = tuple(
            Rep(f.group.title, f.cycle, (f.group.repeat or 1) if f.group.for_ is None else None)
            for f in groups
            if f.group is not None
        )
        titles = [rep.title for rep in reps] + [leaf.title]
        rounds = ", ".join(str(rep.number) for rep in reps)
        position = " > ".join(titles) + (f" (round{'s' if len(reps) > 1 else ''} {rounds})" if reps else "")
        inner = groups[-1].group if groups else None
        title, say = (inner.title, inner.say) if inner is not None else (None, "")
        if isinstance(leaf, WaitStep):
            return Phase(leaf.title, leaf.say, PhaseKind.WAIT, title, say, None, None, reps, position)
        low = leaf.time.low if leaf.time.is_range else None
        kind = PhaseKind(leaf.kind.value)
        return Phase(leaf.title, leaf.say, kind, title, say, leaf.time.high, low, reps, position)

    def _peek(self, active_at_phase_end: float) -> str | None:
        """The title of the phase expected next, judged as if the current one runs to its end."""
        trial = self._cursor.copy()
        trial.forward(active_at_phase_end)
        leaf = trial.leaf
        return leaf.title if leaf is not None else None

    def _blocks(
        self, active: float, elapsed: float, group_ends: dict[int, tuple[float, bool]]
    ) -> list[tuple[int, Block]]:
        """The ranged blocks the session is in, outermost first, each with its `move_on` target."""
        blocks: list[tuple[int, Block]] = []
        for depth, frame in enumerate(self._cursor.frames):
            group = frame.group
            if group is None or group.for_ is None or not group.for_.is_range:
                continue
            spent = frame.elapsed(active)
            ends_at, last = group_ends.get(depth, (float(group.for_.high), False))
            low, high = float(group.for_.low), float(group.for_.high)
            blocks.append((depth, Block(group.title, True, spent, low, high, spent >= low - EPSILON, ends_at, last)))
        timed = self._timed
        if timed is not None and timed.time.is_range:
            low = float(timed.time.low)
            may = elapsed >= low - EPSILON
            blocks.append((_PHASE, Block(timed.title, False, elapsed, low, self._length, may, self._length, False)))
        return blocks

    def _move_on_target(self, active: float, elapsed: float) -> int | None:
        for target, block in self._blocks(active, elapsed, {}):
            if block.may_move_on:
                return target
        return None

    def _owners(self) -> set[tuple[str, int]]:
        owners = {("frame", frame.entry) for frame in self._cursor.frames}
        if self._timed is not None:
            owners.add(("phase", self._serial))
        return owners

    # -- events -------------------------------------------------------------------------------------------------

    def _emit(self, at: float, event: Event, owner: tuple[str, int] | None = None) -> None:
        self._seq += 1
        self._pending.append(_Pending(at, self._seq, event, owner))

    def _update(self) -> Update:
        events = tuple(p.event for p in sorted(self._pending, key=lambda p: (p.at, p.seq)))
        self._pending.clear()
        return Update(self.snapshot(), events)
