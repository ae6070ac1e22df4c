"""What a running session looks like at one instant: small immutable values the UI can hold in a reactive.

Frozen msgspec Structs: values that compare by kind as well as by fields."""

from __future__ import annotations

import math
from enum import StrEnum

from msgspec import Struct

from coach.engine.recording import Status


class PhaseKind(StrEnum):
    """What a phase asks of the body; `wait` is a step without a countdown that waits for the user."""

    HOLD = "hold"
    REST = "rest"
    MOVE = "move"
    SOAK = "soak"
    WAIT = "wait"


class Rep(Struct, frozen=True):
    """The round of one group the session is in, e.g. round 7 of the heel raises."""

    title: str
    number: int
    of: int | None = None
    """The number of rounds of a `repeat` group; None for a `for` group, whose count depends on the time."""

    @property
    def text(self) -> str:
        """The round in words: `Heel raises 7`, or `Ankle rotations 1 of 2` for a counted repeat."""
        return f"{self.title} {self.number}" + (f" of {self.of}" if self.of is not None else "")


class Phase(Struct, frozen=True):
    """One step being done: a countdown (hold, rest, move, soak) or a wait for the user."""

    title: str
    say: str
    kind: PhaseKind
    group_title: str | None
    """The innermost group the step is in, e.g. "Heel raises"; None at the top level."""
    group_say: str
    """What that group's own `say` asks for as a whole ("" when none)."""
    seconds: int | None
    """Its planned length (the upper bound of a range); None for a wait."""
    low_seconds: int | None
    """The lower bound of a ranged step (the user may move on after it); None when the length is fixed."""
    reps: tuple[Rep, ...]
    """The round of every group it is in, outermost first."""
    position: str
    """Where it is, in words, e.g. "Heel raises > Heels up, hold (round 7)"."""

    @property
    def is_wait(self) -> bool:
        return self.kind is PhaseKind.WAIT


class Block(Struct, frozen=True):
    """A ranged part of the routine being done (a `for` group or a ranged step): how far in, and its bounds."""

    title: str
    is_group: bool
    elapsed: float
    low: float
    high: float
    may_move_on: bool
    ends_at: float
    """The block's elapsed time at which it will end by itself: its upper bound for a step; for a group, the end
    of the last whole round that fits before the upper bound (a new round starts only if it fits entirely)."""
    last_round: bool
    """For a group: the current round is the last that fits before the upper bound."""

    @property
    def note(self) -> str:
        """The rule in words, as offsets from now: "you may move on in 2:13 · ends by itself in 7:09 (last round)"."""
        wait = to_go(self.low - self.elapsed)
        first = "you may move on now" if self.may_move_on else f"you may move on in {wait}"
        last = " (last round)" if self.is_group and self.last_round else ""
        return f"{first} · ends by itself in {to_go(self.ends_at - self.elapsed)}{last}"

    @property
    def not_yet(self) -> str:
        """Why moving on does nothing yet: "You may move on from Heel raises after 10 min — 8:40 to go."."""
        wait = to_go(self.low - self.elapsed)
        return f"You may move on from {self.title} after {length_words(self.low)} — {wait} to go."


class Progress(Struct, frozen=True):
    """How far the session is: the rounds, how much is left at least and at most, and a fraction for a bar."""

    fraction: float
    reps: tuple[Rep, ...]
    left_min: float
    """Seconds left if the user moves on as soon as every range allows."""
    left_max: float
    """Seconds left if every range runs to its upper bound."""
    rounds_done: int

    @property
    def rep_text(self) -> str:
        """The innermost round in words, e.g. "Heel raises 7"; empty outside groups."""
        return self.reps[-1].text if self.reps else ""


class Snapshot(Struct, frozen=True):
    """The whole visible state of a session at one instant; a new one is made on every engine call."""

    phase: Phase
    remaining: float | None
    """Seconds left in the current timed phase (from its deadline on the monotonic clock); None at a wait."""
    phase_elapsed: float
    active_seconds: float
    """Time spent in timed steps so far, pauses and waits excluded: what history records."""
    elapsed_seconds: float
    """Time since the session started, as a wall clock without its jumps: pauses, waits and sleeps included."""
    progress: Progress
    next_title: str | None
    """The title of the phase expected next (an estimate at the edge of a `for` group); None at the end."""
    may_finish: bool
    """Active time has reached the routine's `counts_after`: finishing now records a completed session."""
    may_move_on: bool
    block: Block | None
    paused: bool
    waiting: bool
    gap_seconds: float | None
    """A sleep of the machine that the user has not yet said whether to count; the session is paused meanwhile."""
    finished: bool
    status: Status
    begun: bool = False
    """The user has begun: a timed step has started or they got past the first step. Until then there is no
    session to record (quitting at "Get ready" leaves no partial session behind)."""

    @property
    def shown_remaining(self) -> int | None:
        """The whole seconds to show: rounded up, so 10.0 shows 10, 9.2 shows 10 and 0.3 shows 1."""
        return None if self.remaining is None else shown_seconds(self.remaining)


def shown_seconds(remaining: float) -> int:
    """Seconds as a countdown shows them (rounded up, with a nanosecond's tolerance for float noise)."""
    return max(0, math.ceil(remaining - 1e-9))


def clock_text(seconds: float) -> str:
    """Seconds as M:SS (or H:MM:SS), rounded down as a stopwatch does."""
    whole = max(0, int(seconds + 1e-9))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def length_words(seconds: float) -> str:
    """A length as a person says it: "20 s", "10 min", "1 min 30 s", "1 h 5 min" (rounded to the second)."""
    whole = max(0, round(seconds))
    hours, minutes = divmod(whole // 60, 60)
    secs = whole % 60
    if hours:
        return f"{hours} h" + (f" {minutes} min" if minutes else "")
    if not minutes:
        return f"{secs} s"
    return f"{minutes} min" + (f" {secs} s" if secs else "")


def to_go(seconds: float) -> str:
    """Time still to go as the countdown shows it, rounded up (M:SS): never 0:00 while time is left."""
    return clock_text(math.ceil(max(0.0, seconds) - 1e-9))
