"""Routines, a driver and fakes shared by the engine and plain-runner tests (no real time anywhere)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from coach.cli.plain_runner import EndOfInput, Input
from coach.engine.clock import FakeClock
from coach.engine.events import Event, PhaseStarted
from coach.engine.recording import Checkpoint, SessionStart, Status
from coach.engine.session import SessionEngine, Update
from coach.routines.model import Group, Reminder, Routine, Slot, Span, StepKind, TimedStep, WaitStep

GET_READY = WaitStep("Get ready", "Shoes off. Hold the back of a chair.")
HOLD = TimedStep("Heels up, hold", Span(10, 10), "Weight on your toes. Lift your heels.", StepKind.HOLD)
REST = TimedStep("Heels down, rest", Span(4, 4), "Lower your heels and rest.", StepKind.REST)
LEFT = TimedStep("Left ankle", Span(20, 20), kind=StepKind.MOVE)
RIGHT = TimedStep("Right ankle", Span(20, 20), kind=StepKind.MOVE)
TOP_UP = "Top up with hot water."


def toe_routine() -> Routine:
    """The article's toe exercises: heel raises (10 s hold, 4 s rest) for 10-15 min, then ankle rotations."""
    return Routine(
        id="toes",
        name="Toe exercises",
        slots=(Slot.MORNING, Slot.EVENING),
        counts_after=600,
        steps=(
            GET_READY,
            Group("Heel raises", (HOLD, REST), say="Rise, hold, lower, rest.", for_=Span(600, 900)),
            Group("Ankle rotations", (LEFT, RIGHT), repeat=2),
        ),
    )


def soak_routine() -> Routine:
    """The bedtime foot soak: 15-20 min at about 40 °C, a top-up reminder every 5 min."""
    soak = TimedStep("Soak", Span(900, 1200), "Feet in the water.", StepKind.SOAK, Reminder(300, TOP_UP))
    return Routine(
        id="soak",
        name="Foot soak",
        slots=(Slot.BEDTIME,),
        counts_after=900,
        steps=(WaitStep("Prepare the water", "About 40 °C."), soak),
    )


def timed(title: str, seconds: int, kind: StepKind = StepKind.MOVE) -> TimedStep:
    return TimedStep(title, Span(seconds, seconds), kind=kind)


def simple_routine(*steps: TimedStep | WaitStep | Group, counts_after: int | None = None) -> Routine:
    return Routine(id="simple", name="Simple", slots=(Slot.MORNING,), steps=tuple(steps), counts_after=counts_after)


def started(update: Update) -> list[str]:
    """The positions of the phases an update reports starting, in order."""
    return [event.phase.position for event in update.events if isinstance(event, PhaseStarted)]


def kinds(events: Iterable[Event]) -> list[str]:
    return [type(event).__name__ for event in events]


@dataclass
class Drive:
    """A session driven by calls at chosen moments; keeps every event in order."""

    engine: SessionEngine
    clock: FakeClock
    start: float
    events: list[Event] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    """Session seconds (by the fake clock) of the call that reported each event."""
    last: Update | None = None

    @classmethod
    def of(cls, routine: Routine, clock: FakeClock | None = None) -> Drive:
        clock = clock or FakeClock()
        drive = cls(SessionEngine(routine, clock), clock, clock.monotonic())
        drive.take(drive.engine.advance())
        return drive

    def take(self, update: Update) -> Update:
        self.events.extend(update.events)
        self.times.extend([self.clock.monotonic() - self.start] * len(update.events))
        self.last = update
        return update

    def tick(self, seconds: float, every: float = 1.0) -> Update:
        """Let `seconds` pass, calling `advance` every `every` seconds as a UI timer would."""
        left = seconds
        update = self.last
        while left > 1e-9:
            step = min(every, left)
            self.clock.advance(step)
            left -= step
            update = self.take(self.engine.advance())
        assert update is not None
        return update

    def do(self, control: str, *args: object) -> Update:
        return self.take(getattr(self.engine, control)(*args))

    def phases(self) -> list[str]:
        return [event.phase.position for event in self.events if isinstance(event, PhaseStarted)]

    def when(self, kind: type) -> list[float]:
        """Session seconds at which events of a kind were reported."""
        return [at for at, event in zip(self.times, self.events, strict=True) if isinstance(event, kind)]

    def of_kind(self, kind: type) -> list[Event]:
        return [event for event in self.events if isinstance(event, kind)]

    def until_finished(self, every: float = 1.0, limit: float = 100_000.0) -> Update:
        spent = 0.0
        while not self.engine.snapshot().finished:
            if self.engine.snapshot().waiting:
                self.do("ready")
                continue
            self.tick(every, every)
            spent += every
            assert spent < limit, "the session never ended"
        assert self.last is not None
        return self.last


@dataclass(frozen=True)
class Suspend:
    """Scripted in a FakeWaiter: the machine sleeps this long (the waiter then returns nothing)."""

    seconds: float


class FakeWaiter:
    """Scripted input at chosen session times; waiting moves the fake clock instead of sleeping."""

    def __init__(
        self,
        clock: FakeClock,
        script: Iterable[tuple[float, Input | Suspend]] = (),
        *,
        interactive: bool = True,
        eof_at_end: bool = True,
    ) -> None:
        self.clock = clock
        self.start = clock.monotonic()
        self.script = deque(script)
        self.interactive = interactive
        self.eof_at_end = eof_at_end
        self.timeouts: list[float] = []

    def wait(self, timeout: float) -> Input | None:
        self.timeouts.append(timeout)
        now = self.clock.monotonic()
        if self.script:
            at, item = self.script[0]
            due = self.start + at
            if due <= now + timeout:
                self.clock.advance(max(0.0, due - now))
                self.script.popleft()
                if isinstance(item, Suspend):
                    self.clock.suspend(item.seconds)
                    return None
                return item
        elif self.eof_at_end:
            self.eof_at_end = False
            return EndOfInput()
        self.clock.advance(timeout)
        return None


@dataclass
class FakeRecorder:
    """An in-memory history: keeps every call, with the monotonic time it came at, and the rows they leave."""

    clock: FakeClock
    calls: list[tuple[str, float, object]] = field(default_factory=list)
    rows: dict[str, tuple[Status, float]] = field(default_factory=dict)
    """Session id -> (status, active seconds), as a history table would hold them."""
    closed: bool = False

    def start(self, session: SessionStart) -> None:
        self.calls.append(("start", self.clock.monotonic(), session))
        self.rows[session.id] = (Status.RUNNING, 0.0)

    def checkpoint(self, session_id: str, checkpoint: Checkpoint) -> None:
        self.calls.append(("checkpoint", self.clock.monotonic(), checkpoint))
        self.rows[session_id] = (Status.RUNNING, checkpoint.active_seconds)

    def finish(self, session_id: str, status: Status, ended_at: datetime, checkpoint: Checkpoint) -> None:
        self.calls.append(("finish", self.clock.monotonic(), (status, ended_at, checkpoint)))
        self.rows[session_id] = (status, checkpoint.active_seconds)

    def discard(self, session_id: str) -> None:
        self.calls.append(("discard", self.clock.monotonic(), session_id))
        self.rows.pop(session_id, None)

    def close(self) -> bool:
        self.closed = True
        return True

    def named(self, name: str) -> list[tuple[str, float, object]]:
        return [call for call in self.calls if call[0] == name]
