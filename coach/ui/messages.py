"""What the app tells its screens: "the routines changed", "the history changed" (house style: tell, don't reach).

Whoever changes something publishes it on the app's signal; the screens that show it subscribe. A dialog that
saved a routine copy never looks for the home screen, and the history screen never calls back into home.
"""

from __future__ import annotations

from enum import StrEnum

from msgspec import Struct
from textual.dom import DOMNode
from textual.signal import Signal


class RoutinesChanged(Struct, frozen=True):
    """The catalog was read again (a copy was saved): lists of routines show it, the cursor on `highlight`."""

    highlight: str | None = None


class HistoryChange(StrEnum):
    """What was written to the history, for the subscribers that care about only some of it."""

    SESSION = "session"
    """A session began, ended, or was deleted."""
    NOTE = "note"
    CRAMP = "cramp"


class HistoryChanged(Struct, frozen=True):
    """Something was written to the history: views of it read it again."""

    change: HistoryChange


class CoachSignals:
    """The app's two signals, made once by the app; screens subscribe in `on_mount`."""

    def __init__(self, owner: DOMNode) -> None:
        self.routines_changed: Signal[RoutinesChanged] = Signal(owner, "routines-changed")
        self.history_changed: Signal[HistoryChanged] = Signal(owner, "history-changed")
