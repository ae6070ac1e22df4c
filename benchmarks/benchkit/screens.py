"""What the terminal showed and when: screens captured after each burst of writes, read for the moments that count.

A `Snapshot` is the screen as tmux had it after a burst of a program's writes (with colours and styles as escape
sequences), stamped with the time of the last write of that burst. From a list of them:

- `complete`: when the screen reached its final form (the last change before it went quiet) and whether that form
  shows every marker, e.g. a footer and the streaks; `first_showing`: when a text first showed;
- `landing`: when a change the program decided on at time t reached the screen: the first snapshot at or after t
  whose screen differs from the one shown before t.

Pure logic: no timing, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

_ESCAPES = re.compile(r"\x1b(?:\[[0-9;:?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()*+][0-9A-Za-z]|[@-Z\\-_])")


def plain(text: str) -> str:
    """The text of a screen without its escape sequences (colours, styles)."""
    return _ESCAPES.sub("", text)


@dataclass(frozen=True)
class Snapshot:
    """The screen (with escape sequences) after the burst of writes whose last write reached tmux at `time`."""

    time: float
    screen: str
    writes: int = 0
    """How many writes the program had made by then."""

    @property
    def text(self) -> str:
        return plain(self.screen)


@dataclass(frozen=True)
class Complete:
    """When a screen was complete, read from its snapshots."""

    settled: float | None
    """When the screen last changed: from then on it showed what it shows at the end. None without snapshots."""
    missing: tuple[str, ...]
    """Markers the final screen does not show (then it was never complete)."""

    @property
    def complete(self) -> float | None:
        """When the screen was complete: its last change, if the final screen shows every marker."""
        return None if self.missing else self.settled


def first_showing(snapshots: Sequence[Snapshot], text: str) -> float | None:
    """When `text` first showed on the screen, or None."""
    return next((shot.time for shot in snapshots if text in shot.text), None)


def complete(snapshots: Sequence[Snapshot], markers: Sequence[str]) -> Complete:
    """When the screen last changed, and which markers its final form lacks."""
    if not snapshots:
        return Complete(None, tuple(markers))
    final = snapshots[-1].screen
    settled = snapshots[-1].time
    for shot in reversed(snapshots):
        if shot.screen != final:
            break
        settled = shot.time
    text = plain(final)
    return Complete(settled, tuple(m for m in markers if m not in text))


def shows_all(markers: Sequence[str]) -> Callable[[Sequence[Snapshot]], bool]:
    """A `done` test for `Launched.settle`: the latest snapshot shows every marker."""

    def done(snapshots: Sequence[Snapshot]) -> bool:
        return bool(snapshots) and all(m in snapshots[-1].text for m in markers)

    return done


def landing(snapshots: Sequence[Snapshot], decided: float) -> float | None:
    """When a change decided at `decided` reached the screen: the time of the first snapshot at or after it whose
    screen differs from the last one before it; None if the screen never changed after it."""
    before: str | None = None
    for shot in snapshots:
        if shot.time < decided:
            before = shot.screen
            continue
        if shot.screen != before:
            return shot.time
    return None
