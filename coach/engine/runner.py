"""The life of one session, owned in one place: begin, checkpoints, and one ending with the status the rules decide.

Both runs (the full-screen run screen and `coach run --plain`) drive a `SessionRunner`; neither writes history nor
decides a status itself. The rules, written once here and tested once (tests/engine/test_runner.py):

- The session is recorded from the moment the user begins (a timed step started, or they got past the first step);
  stopping while still getting ready leaves nothing behind.
- A checkpoint is written at every phase change and at least every `CHECKPOINT_EVERY` seconds while time runs
  (plus `dodge`, half a second, on the run screen: a periodic one never shares the frame of a new second).
- Before `counts_after`, every action that would end the session asks first: `must_ask(action)` says so, and the
  UI asks. Once active time has reached `counts_after`, every ending counts as completed: finishing, stopping,
  quitting, a closed terminal, a signal (and, in the store, a crash recovered at the next start).
- A session just begun (under `DISCARD_WITHIN` of active time) may be discarded instead of saved.
- The session is finished (or discarded) in the recorder exactly once.
"""

from __future__ import annotations

import math
import uuid
from enum import StrEnum
from typing import NamedTuple

from coach.engine.events import Finished, PhaseStarted
from coach.engine.recording import Recorder, SessionStart, Status
from coach.engine.session import SessionEngine, Update
from coach.engine.snapshot import Snapshot

CHECKPOINT_EVERY = 10.0
"""Seconds between checkpoints inside a long step: a killed process loses at most this much."""
CHECKPOINT_DODGE = 0.5
"""Seconds a periodic checkpoint waits when it falls due with a new shown second, for a UI that draws each second
(`SessionRunner.dodge`)."""
DISCARD_WITHIN = 60.0
"""Active seconds during which a session is "just begun" and the stop question offers to throw it away."""


class Action(StrEnum):
    """The actions that may end a session: the UI asks `must_ask(action)` before it does one."""

    NEXT = "next"
    MOVE_ON = "move_on"
    FINISH = "finish"
    STOP = "stop"


class Ending(StrEnum):
    """How a session ended, as the user would say it."""

    FINISHED = "finished"
    """It ran to its end, or the user finished it."""
    STOPPED = "stopped"
    """The user stopped or quit, the terminal closed, a signal came."""
    DISCARDED = "discarded"
    """Thrown away just after it began: nothing is kept."""


class Outcome(NamedTuple):
    """What the run screen is dismissed with and `--plain` reports: how the session ended and what was kept."""

    ending: Ending | None
    """None when the user left before beginning (nothing to record)."""
    status: Status | None
    """The status recorded; None when nothing was recorded (never begun, or discarded)."""
    active_seconds: float

    @property
    def recorded(self) -> bool:
        """A session row was (or is being) written."""
        return self.status is not None


class SessionRunner:
    """Drives a `SessionEngine` and records it through a `Recorder`; the only place the recording rules live."""

    def __init__(
        self,
        engine: SessionEngine,
        recorder: Recorder,
        slot: str,
        *,
        session_id: str | None = None,
        checkpoint_every: float = CHECKPOINT_EVERY,
    ) -> None:
        routine = engine.routine
        self.engine = engine
        self.recorder = recorder
        self.checkpoint_every = checkpoint_every
        self.session = SessionStart(
            id=session_id or str(uuid.uuid4()),
            routine_id=routine.id,
            routine_name=routine.name,
            slot=slot,
            started_at=engine.started_at,
            counts_after_seconds=float(routine.counts_after_seconds),
        )
        self.counts_after = float(routine.counts_after_seconds)
        self.recording = False
        """Whether the session has been written (from the moment the user begins)."""
        self.outcome: Outcome | None = None
        """Set once, when the session ends."""
        self.dodge = 0.0
        """How far after a new shown second a periodic checkpoint may be written (the run screen sets
        `CHECKPOINT_DODGE`); one due sooner waits until then: the recorder's thread then writes half a second away
        from that second's frame instead of competing with it for the interpreter. 0: written when due (`--plain`
        draws no seconds)."""
        self._ending = Ending.FINISHED
        self._last_checkpoint = engine.clock.monotonic()
        self._second_at = -math.inf
        """When the shown second last changed (for `dodge`)."""
        self._opening = engine.advance()
        self._snapshot = self._opening.snapshot

    # -- what the UI reads --------------------------------------------------------------------------------------

    @property
    def opening(self) -> Update:
        """The first update (the first phase started): what the UI shows and plays before any call."""
        return self._opening

    @property
    def snapshot(self) -> Snapshot:
        """The state as of the last call."""
        return self._snapshot

    @property
    def counts(self) -> bool:
        """Active time has reached `counts_after`: any ending now records a completed session."""
        return self._snapshot.may_finish

    @property
    def may_discard(self) -> bool:
        """The session has just begun: the stop question may offer to throw it away."""
        snapshot = self._snapshot
        return not snapshot.finished and snapshot.begun and snapshot.active_seconds < DISCARD_WITHIN

    def ends_session(self, action: Action) -> bool:
        """Whether the action, done now, would end the session."""
        if self._snapshot.finished:
            return False
        if action is Action.NEXT:
            return self.engine.next_would_end()
        if action is Action.MOVE_ON:
            return self.engine.move_on_would_end()
        return True

    def must_ask(self, action: Action) -> bool:
        """Before `counts_after`, an action that would end the session asks first (nothing begun: nothing to lose)."""
        snapshot = self._snapshot
        return snapshot.begun and not self.counts and self.ends_session(action)

    def next_wake_in(self) -> float | None:
        """When a UI should next look: the next shown second, the next event, or the next checkpoint."""
        return self._sooner(self.engine.next_wake_in())

    def next_event_in(self) -> float | None:
        """When something happens without the user: the next event or the next checkpoint (no shown seconds)."""
        return self._sooner(self.engine.next_event_in())

    def checkpoint_in(self) -> float | None:
        """Seconds until the next periodic checkpoint is due; None while nothing is recorded or time stands still."""
        snapshot = self._snapshot
        if not self.recording or self.outcome is not None or snapshot.paused or snapshot.waiting:
            return None
        return max(0.0, self._last_checkpoint + self.checkpoint_every - self.engine.clock.monotonic())

    def _sooner(self, wait: float | None) -> float | None:
        due = self.checkpoint_in()
        if wait is None or due is None:
            return wait
        return min(wait, due)

    # -- calls ----------------------------------------------------------------------------------------------------

    def advance(self) -> Update:
        """Catch up with the clock."""
        return self._record(self.engine.advance())

    def pause(self) -> Update:
        return self._record(self.engine.pause())

    def resume(self) -> Update:
        return self._record(self.engine.resume())

    def toggle_pause(self) -> Update:
        return self._record(self.engine.toggle_pause())

    def ready(self) -> Update:
        return self._record(self.engine.ready())

    def next(self) -> Update:
        """The next step (the UI asked first when `must_ask(Action.NEXT)`)."""
        return self._record(self.engine.next())

    def back(self) -> Update:
        return self._record(self.engine.back())

    def add_time(self, seconds: float = 10.0) -> Update:
        return self._record(self.engine.add_time(seconds))

    def take_time(self, seconds: float = 10.0) -> Update:
        return self._record(self.engine.take_time(seconds))

    def move_on(self) -> Update:
        """Leave the ranged block (the UI asked first when `must_ask(Action.MOVE_ON)`)."""
        return self._record(self.engine.move_on())

    def resolve_gap(self, count: bool) -> Update:
        return self._record(self.engine.resolve_gap(count))

    def finish(self) -> Update:
        """The user finishes: completed once it counts, else partial (the UI asked first)."""
        self._ending = Ending.FINISHED
        return self._record(self.engine.finish())

    def stop(self) -> Update:
        """Stop, quit, a closed terminal, a signal: completed once it counts, else partial."""
        self._ending = Ending.STOPPED
        return self._record(self.engine.finish())

    def discard(self) -> Update:
        """Throw away a session: nothing of it stays in history. Only a session just begun (else: `stop`)."""
        if not self.may_discard and self._snapshot.begun:
            return self.stop()
        self._ending = Ending.DISCARDED
        return self._record(self.engine.finish())

    def close(self) -> Outcome:
        """End the session if it still runs (as `stop`); the outcome. Safe to call any number of times."""
        if self.outcome is None:
            self.stop()
        assert self.outcome is not None
        return self.outcome

    # -- recording ------------------------------------------------------------------------------------------------

    def _record(self, update: Update) -> Update:
        """Write what the update means for history: begin, checkpoint, or the one ending."""
        snapshot = update.snapshot
        shown_before, self._snapshot = self._snapshot.shown_remaining, snapshot
        if self.outcome is not None:
            return update  # ended: nothing more is ever written
        now = self.engine.clock.monotonic()  # the moment of the update (not after the start was handed over)
        if snapshot.shown_remaining != shown_before:
            self._second_at = now
        if snapshot.begun and not self.recording:
            self.recording = True
            self.recorder.start(self.session)
        finished = next((event for event in update.events if isinstance(event, Finished)), None)
        if finished is not None:
            self._end(finished)
            return update
        changed = any(isinstance(event, PhaseStarted) for event in update.events)
        due = self._last_checkpoint + self.checkpoint_every
        if not changed and now >= due and now - self._second_at < self.dodge:
            self._last_checkpoint += self._second_at + self.dodge - due  # due again `dodge` after that second
            return update
        if changed or now >= due:
            # Also while getting ready, so the next wake-up stays ahead. A periodic one keeps its own rhythm (a
            # wake-up a little late does not push every later checkpoint back), unless the loop stood still.
            self._last_checkpoint = due if not changed and now - due < self.checkpoint_every else now
            if self.recording:
                self.recorder.checkpoint(self.session.id, self.engine.checkpoint())
        return update

    def _end(self, event: Finished) -> None:
        if self.outcome is not None:
            return
        ending: Ending | None = self._ending
        status: Status | None = event.status
        if not self.recording:  # left while still getting ready: there is no session to keep
            ending, status = None, None
        elif ending is Ending.DISCARDED:
            status = None
            self.recorder.discard(self.session.id)
        else:
            self.recorder.finish(self.session.id, event.status, self.engine.clock.wall(), self.engine.checkpoint())
        self.outcome = Outcome(ending, status, event.active_seconds)
