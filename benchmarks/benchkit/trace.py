"""Shown-second traces: what a countdown showed and when, and how far each change was from the true boundary.

A trace is a text file, one event per line: `<time.monotonic()>\t<text>`. `text` is either the remaining time exactly
as the screen shows it (`14:59`, `0:09`, `9`; the first `H:MM:SS`, `M:SS` or `S` in it is read), or a mark:

- `@start`: the countdown starts running now. The next shown-time line is the value it starts from.
- `@pause` / `@resume`: the pause took effect / ended (the countdown's time stands still in between).
- `@stall-begin` / `@stall-end`: the event loop was blocked in between (baselines write these around a sleep; the
  harness knows the stalls that it causes with SIGSTOP and passes them as `blackouts`).

The truth is derived from the marks only: after `@start` with initial value D, the true remaining time is D minus
the running time since `@start` (pauses excluded). The harness may give marks of its own, taken when it typed the
keys, in place of the program's: then the truth rests on nothing the program says. A countdown that shows whole
seconds should change to value v at the moment the running time reaches D - v. The error of a change is (when it
happened) - (that boundary): positive is late, negative early. A boundary that fell while the event loop could not
run (a stall, or `grace` seconds before one) is due at the end of the stall instead: no program can draw while it is
frozen, but it must be right as soon as it runs again. The first value of a countdown is not a second boundary but
the drawing of a new step: its delay after `@start` is reported apart (`start_latencies`) and left out of the
errors.

When the screen is watched as well (`landed`: the time each decided change reached the terminal, see
benchkit/screens.py), a change counts from when it reached the terminal, not from when the program decided on it:
the trace says which value and from when, the terminal says when a user could see it.

Each second boundary is put in one condition, for a p99 of its own: `after-stall` (the first change after a stall
ended), `after-pause` (the first change after a resume), `busy` (due while other processes kept every core busy, or
due just before and reaching the terminal after they had started: a frame drawn as the busy loops are spawned meets
them), else `quiet`.

Pure logic: no timing, no I/O except `read_trace`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchkit.stats import percentile

_SHOWN = re.compile(r"\d+(?::\d{1,2}){0,2}")

Event = tuple[float, str]
Interval = tuple[float, float]


def parse_shown_seconds(text: str) -> int | None:
    """Whole seconds from the first `H:MM:SS`, `M:SS` or `S` in the text; None if there is none."""
    match = _SHOWN.search(text)
    if match is None:
        return None
    seconds = 0
    for part in match.group(0).split(":"):
        seconds = seconds * 60 + int(part)
    return seconds


def parse_trace(lines: Iterable[str]) -> list[Event]:
    """Events from trace lines; blank and malformed lines are skipped. Sorted by time (stable)."""
    events: list[Event] = []
    for line in lines:
        stamp, sep, text = line.rstrip("\r\n").partition("\t")
        if not sep:
            continue
        try:
            events.append((float(stamp), text.strip()))
        except ValueError:
            continue
    events.sort(key=lambda event: event[0])
    return events


def read_trace(path: Path) -> list[Event]:
    """The events of a trace file; an empty list if it does not exist."""
    try:
        return parse_trace(path.read_text(encoding="utf-8").splitlines())
    except FileNotFoundError:
        return []


QUIET, AFTER_PAUSE, AFTER_STALL, BUSY = "quiet", "after-pause", "after-stall", "busy"
CONDITIONS = (QUIET, AFTER_STALL, AFTER_PAUSE, BUSY)


@dataclass(frozen=True)
class Change:
    """One change of the shown value: when it was shown, when the program decided on it, and when it was due."""

    time: float
    """When it was shown: when it reached the terminal if that was watched, else when the program decided on it;
    inf if it never reached the terminal."""
    text: str
    value: int
    due: float
    initial: bool = False
    decided: float | None = None
    """When the program decided on it (its trace); None when that is `time`."""
    condition: str = QUIET

    @property
    def error(self) -> float:
        """Seconds late (positive) or early (negative); inf if it never reached the screen."""
        return self.time - self.due

    @property
    def shown(self) -> bool:
        return not math.isinf(self.time)


@dataclass
class _Segment:
    start: float
    running: list[list[float | None]] = field(default_factory=list)
    initial: int | None = None
    last: int | None = None

    def elapsed_at(self, when: float) -> float:
        total = 0.0
        for begin, end in self.running:
            assert begin is not None
            stop = when if end is None else min(end, when)
            total += max(0.0, stop - begin)
        return total

    def reached_at(self, target: float, now: float) -> float:
        """When the running time first reached `target`; extrapolated past `now` if it had not yet (an early change)."""
        total = 0.0
        for begin, end in self.running:
            assert begin is not None
            stop = now if end is None else min(end, now)
            length = max(0.0, stop - begin)
            if total + length >= target:
                return begin + (target - total)
            total += length
        return now + (target - total)


@dataclass
class Analysis:
    """The changes of a trace and the figures the benchmark reports."""

    changes: list[Change]
    blackouts: list[Interval]

    def second_changes(self, condition: str | None = None) -> list[Change]:
        """The changes at a second boundary (not the first value of each countdown), in one condition if given."""
        return [c for c in self.changes if not c.initial and (condition is None or c.condition == condition)]

    @property
    def errors(self) -> list[float]:
        """The error of every change at a second boundary (not the first value of each countdown)."""
        return [change.error for change in self.second_changes()]

    def errors_in(self, condition: str) -> list[float]:
        return [change.error for change in self.second_changes(condition)]

    @property
    def start_latencies(self) -> list[float]:
        """How long after each `@start` its first value was shown."""
        return [change.error for change in self.changes if change.initial]

    @property
    def p99_abs_error(self) -> float:
        """The 99th percentile of |error| in seconds (nearest rank: the largest one below 100 changes)."""
        return percentile([abs(e) for e in self.errors], 99)

    @property
    def end_error_seconds(self) -> int:
        """How many whole seconds the display is off at the end (the last change's error, rounded)."""
        last = self.errors[-1]
        return round(last) if math.isfinite(last) else 999

    @property
    def wrong(self) -> list[Change]:
        """Changes a user would call wrong: off by half a second or more, never shown, or a second skipped while
        the program could run (a stall may skip seconds: nothing can draw while frozen)."""
        bad = []
        previous: Change | None = None
        for change in self.changes:
            if change.initial:
                previous = change
                continue
            skipped = previous is not None and previous.value - change.value > 1 and change.condition != AFTER_STALL
            if skipped or not abs(change.error) < 0.5:
                bad.append(change)
            previous = change
        return bad


def analyse(
    events: Sequence[Event],
    blackouts: Iterable[Interval] = (),
    grace: float = 0.02,
    until: float | None = None,
    landed: Callable[[float], float | None] | None = None,
    busy: Iterable[Interval] = (),
    marks: Iterable[Event] | None = None,
) -> Analysis:
    """Match every change of the shown value to its true boundary; raises ValueError if the trace has no change.

    Events after `until` (when the harness began to close the program) are left out: what a program shows while it
    is being shut down is no countdown. `landed(t)` says when a change decided at t reached the terminal (None:
    never); `busy` are the intervals when every core was kept busy. `marks` (@start, @pause, @resume) replace the
    program's own: the harness's, taken when it typed the key, make the truth independent of the program.
    """
    if until is not None:
        events = [event for event in events if event[0] <= until]
    if marks is not None:
        ours = {"@start", "@pause", "@resume"}
        events = sorted([e for e in events if e[1] not in ours] + list(marks), key=lambda event: event[0])
    stalls = list(blackouts)
    loaded = list(busy)
    open_stall: float | None = None
    for stamp, text in events:
        if text == "@stall-begin":
            open_stall = stamp
        elif text == "@stall-end" and open_stall is not None:
            stalls.append((open_stall, stamp))
            open_stall = None

    def due_after_stalls(boundary: float) -> float:
        for begin, end in stalls:
            if begin - grace <= boundary < end:
                return end
        return boundary

    changes: list[Change] = []
    segment: _Segment | None = None
    resumed = False
    previous = -math.inf
    for stamp, text in events:
        if text == "@start":
            segment = _Segment(start=stamp, running=[[stamp, None]])
            continue
        if segment is None:
            continue
        if text == "@pause":
            if segment.running and segment.running[-1][1] is None:
                segment.running[-1][1] = stamp
            continue
        if text == "@resume":
            if not segment.running or segment.running[-1][1] is not None:
                segment.running.append([stamp, None])
            resumed = True
            continue
        if text.startswith("@"):
            continue
        value = parse_shown_seconds(text)
        if value is None or value == segment.last:
            continue
        initial = segment.initial is None
        if segment.initial is None:
            segment.initial = value
        boundary = segment.reached_at(segment.initial - value, stamp)
        due = due_after_stalls(boundary)
        shown = stamp if landed is None else landed(stamp)
        seen = stamp if shown is None else shown
        if initial:
            condition = QUIET
        elif any(previous < end <= stamp for _, end in stalls):
            condition = AFTER_STALL
        elif resumed:
            condition = AFTER_PAUSE
        elif any(due <= end and seen >= begin for begin, end in loaded):
            condition = BUSY  # due in the spell, or due just before it and reaching the terminal once it had begun
        else:
            condition = QUIET
        resumed = False
        previous = stamp
        changes.append(
            Change(
                math.inf if shown is None else shown,
                text,
                value,
                due,
                initial,
                decided=None if landed is None else stamp,
                condition=condition,
            )
        )
        segment.last = value
    if not any(not change.initial for change in changes):
        raise ValueError("the trace shows no countdown: no change of the shown time after an @start mark")
    return Analysis(changes=changes, blackouts=stalls)
