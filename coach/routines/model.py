"""The routine model: immutable records that say what a session asks of the user, step by step.

Frozen msgspec Structs: a timed step never equals a waiting step with the same fields (tuples would), and changed
copies come from `msgspec.structs.replace`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TypeAlias

from msgspec import Struct


class Slot(StrEnum):
    """The times of day the program plans a session for."""

    MORNING = "morning"
    EVENING = "evening"
    BEDTIME = "bedtime"


SLOT_ORDER: tuple[Slot, ...] = (Slot.MORNING, Slot.EVENING, Slot.BEDTIME)


class StepKind(StrEnum):
    """What a timed step asks of the body; the run screen and the sounds tell them apart."""

    HOLD = "hold"
    REST = "rest"
    MOVE = "move"
    SOAK = "soak"


class Span(Struct, frozen=True):
    """A length in whole seconds: fixed when low == high, else a range the user may end after `low`."""

    low: int
    high: int

    @property
    def is_range(self) -> bool:
        return self.low != self.high


class Reminder(Struct, frozen=True):
    """A cue repeated inside a long step, e.g. every 5 minutes: top up the hot water."""

    every: int
    say: str


class TimedStep(Struct, frozen=True):
    """A step with a countdown; with a range, the user may move on once `time.low` has passed."""

    title: str
    time: Span
    say: str = ""
    kind: StepKind = StepKind.MOVE
    remind: Reminder | None = None


class WaitStep(Struct, frozen=True):
    """A step without a countdown that waits until the user says they are ready."""

    title: str
    say: str = ""


class Group(Struct, frozen=True):
    """Steps done in order, `repeat` times or, with `for_`, again and again for a span of time.

    With `for_`, a new cycle starts only if it fits before the upper bound, so the group never runs past it
    and always ends on a whole cycle; the user may move on once the lower bound has passed.
    """

    title: str
    steps: tuple[Step, ...]
    say: str = ""
    repeat: int | None = None
    for_: Span | None = None

    @property
    def cycle_seconds(self) -> int:
        """The timed length of one pass through the steps (the shortest lengths of any ranged steps)."""
        return sum(min_seconds(step) for step in self.steps)


Step: TypeAlias = TimedStep | WaitStep | Group


class Routine(Struct, frozen=True):
    """A whole routine file: what to do, which slots of the day it serves, and when a session counts."""

    id: str
    name: str
    steps: tuple[Step, ...]
    slots: tuple[Slot, ...]
    summary: str = ""
    counts_after: int | None = None
    safety: tuple[str, ...] = ()
    source: Path | None = None
    origin: str = "file"
    """Where it came from: "bundled", "user", or "file" (a path given on the command line)."""

    @property
    def min_seconds(self) -> int:
        return sum(min_seconds(step) for step in self.steps)

    @property
    def max_seconds(self) -> int:
        return sum(max_seconds(step) for step in self.steps)

    @property
    def counts_after_seconds(self) -> int:
        """Active seconds after which a session counts toward the streak (the whole minimum by default)."""
        return self.counts_after if self.counts_after is not None else self.min_seconds


def min_seconds(step: Step) -> int:
    """The shortest timed length of a step: what must be done before the user may move on."""
    if isinstance(step, TimedStep):
        return step.time.low
    if isinstance(step, WaitStep):
        return 0
    if step.for_ is not None:
        return min(step.for_.low, max_seconds(step))  # a fixed "for" ends on the last whole round that fits
    return (step.repeat or 1) * sum(min_seconds(s) for s in step.steps)


def max_seconds(step: Step) -> int:
    """The longest timed length of a step if the user never moves on early."""
    if isinstance(step, TimedStep):
        return step.time.high
    if isinstance(step, WaitStep):
        return 0
    if step.for_ is not None:
        return whole_cycles_within(step.for_.high, step.cycle_seconds) * step.cycle_seconds
    return (step.repeat or 1) * sum(max_seconds(s) for s in step.steps)


def whole_cycles_within(bound: int, cycle: int) -> int:
    """How many whole cycles a `for` group runs at most: those that fit before its upper bound (at least one)."""
    if cycle <= 0:
        return 0
    return max(1, bound // cycle)
