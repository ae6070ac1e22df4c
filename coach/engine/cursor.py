"""A place in a routine kept as a stack of positions, so a repeat of a million never becomes a million phases."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from coach.routines.model import Group, Step, TimedStep, WaitStep, max_seconds, min_seconds

EPSILON = 1e-6
"""Float tolerance on second sums: a 15 s round must fit exactly 60 times in 15 minutes."""

_entries = itertools.count(1)


@dataclass
class Frame:
    """One level being walked: its steps, the step reached, the round of its group and when the group began."""

    steps: tuple[Step, ...]
    group: Group | None = None
    path: tuple[int, ...] = ()
    """Step indexes from the top of the routine down to this group (empty for the top level)."""
    index: int = 0
    cycle: int = 1
    started_active: float = 0.0
    """Session active seconds when the group began: a `for` group's time is measured from here, pauses excluded."""
    move_on_told: bool = False
    entry: int = field(default_factory=lambda: next(_entries))
    """Tells one entry into a group from another (kept by copies), so an event about a group left is dropped."""

    def elapsed(self, active: float) -> float:
        """Active seconds spent in this group so far."""
        return active - self.started_active


class _Left(NamedTuple):
    """What is kept of a group once the cursor leaves it, so that `back` re-enters it at the same round."""

    cycle: int
    elapsed: float
    move_on_told: bool


def fits_another_round(group: Group, elapsed: float) -> bool:
    """The `for` rule: a new round starts only if it fits entirely before the upper bound."""
    if group.for_ is None:
        return False
    cycle = group.cycle_seconds
    return cycle > 0 and elapsed + cycle <= group.for_.high + EPSILON


class Cursor:
    """Where the session is; moves one phase at a time, forward or back, without expanding any repeat."""

    def __init__(self, steps: tuple[Step, ...]) -> None:
        self.frames: list[Frame] = [Frame(steps)]
        self.ended = not steps
        self._left: dict[tuple[int, ...], _Left] = {}
        if steps:
            self._descend(0.0, last=False)

    def copy(self) -> Cursor:
        """An independent cursor at the same place (a few frames: cheap)."""
        other = Cursor(())
        other.frames = [replace(frame) for frame in self.frames]
        other.ended = self.ended
        other._left = dict(self._left)
        return other

    @property
    def leaf(self) -> TimedStep | WaitStep | None:
        """The step of the current phase; None once the routine has run to its end."""
        if self.ended:
            return None
        top = self.frames[-1]
        step = top.steps[top.index]
        assert not isinstance(step, Group)
        return step

    def forward(self, active: float) -> int:
        """Move to the next phase (deciding a `for` group's next round with its time so far); returns rounds done."""
        rounds = 0
        while True:
            top = self.frames[-1]
            top.index += 1
            if top.index < len(top.steps):
                self._descend(active, last=False)
                return rounds
            if top.group is None:
                self.ended = True
                return rounds
            rounds += 1
            group = top.group
            again = (
                top.cycle < (group.repeat or 1)
                if group.for_ is None
                else fits_another_round(group, top.elapsed(active))
            )
            if again:
                top.cycle += 1
                top.index = 0
                self._descend(active, last=False)
                return rounds
            self._leave_top(active)

    def backward(self, active: float) -> bool:
        """Move to the previous phase (re-entering a group at its last round); False at the very first phase."""
        trial = self.copy()
        if not trial._back(active):
            return False
        self.frames, self.ended, self._left = trial.frames, trial.ended, trial._left
        return True

    def leave(self, depth: int, active: float) -> int:
        """Leave the group at `depth` in the frame stack (and all inside it) and go on after it; returns rounds done."""
        while len(self.frames) > depth:
            self._leave_top(active)
        return self.forward(active)

    def _back(self, active: float) -> bool:
        while True:
            top = self.frames[-1]
            if top.index > 0:
                top.index -= 1
                self._descend(active, last=True)
                return True
            if top.cycle > 1:
                top.cycle -= 1
                top.index = len(top.steps) - 1
                self._descend(active, last=True)
                return True
            if top.group is None:
                return False
            self.frames.pop()

    def _leave_top(self, active: float) -> None:
        frame = self.frames.pop()
        self._left[frame.path] = _Left(frame.cycle, frame.elapsed(active), frame.move_on_told)

    def _descend(self, active: float, *, last: bool) -> None:
        """Enter groups until the cursor is on a phase: at their first step, or (going back) their last."""
        while True:
            top = self.frames[-1]
            step = top.steps[top.index]
            if not isinstance(step, Group):
                return
            path = top.path + (top.index,)
            if not last:
                self.frames.append(Frame(step.steps, step, path, started_active=active))
                continue
            record = self._left.get(path) or _Left((step.repeat or 1) if step.for_ is None else 1, 0.0, False)
            self.frames.append(
                Frame(
                    step.steps,
                    step,
                    path,
                    index=len(step.steps) - 1,
                    cycle=record.cycle,
                    started_active=active - record.elapsed,
                    move_on_told=record.move_on_told,
                )
            )


class TimeLeft(NamedTuple):
    """Seconds left at least and at most, and when each `for` group on the stack ends by itself."""

    low: float
    high: float
    group_ends: dict[int, tuple[float, bool]]
    """Frame depth -> (the group's elapsed time at which it ends by itself, whether this round is its last)."""


def time_left(cursor: Cursor, active: float, phase_min: float, phase_max: float) -> TimeLeft:
    """Seconds left from now to the end of the routine, by arithmetic alone: no repeat is ever expanded."""
    if cursor.ended:
        return TimeLeft(0.0, 0.0, {})
    low, high = phase_min, phase_max
    group_ends: dict[int, tuple[float, bool]] = {}
    for depth in range(len(cursor.frames) - 1, -1, -1):
        frame = cursor.frames[depth]
        rest = frame.steps[frame.index + 1 :]
        low += sum(min_seconds(step) for step in rest)
        high += sum(max_seconds(step) for step in rest)
        group = frame.group
        if group is None:
            continue
        if group.for_ is None:
            more = (group.repeat or 1) - frame.cycle
            low += more * sum(min_seconds(step) for step in group.steps)
            high += more * sum(max_seconds(step) for step in group.steps)
            continue
        elapsed = frame.elapsed(active)
        round_end = elapsed + high
        rounds = _rounds_after(group, round_end)
        high += rounds * group.cycle_seconds
        low = min(high, max(0.0, group.for_.low - elapsed))
        group_ends[depth] = (round_end + rounds * group.cycle_seconds, rounds == 0)
    return TimeLeft(low, high, group_ends)


def _rounds_after(group: Group, round_end: float) -> int:
    """How many more whole rounds of a `for` group fit after the current one ends at `round_end`."""
    cycle = group.cycle_seconds
    if group.for_ is None or cycle <= 0:
        return 0
    return max(0, math.floor((group.for_.high - round_end + EPSILON) / cycle))
