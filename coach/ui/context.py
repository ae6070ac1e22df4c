"""Everything the app needs from outside, passed in by the factory so tests can give fakes (house style)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # types only: the store and the engine are not needed for the first frame
    from coach.config.settings import Settings
    from coach.engine.clock import Clock
    from coach.engine.recording import Recorder
    from coach.routines.catalog import Catalog
    from coach.store.records import HistoryView, TodayView

ProblemHandler = Callable[[str], None]


@dataclass
class AppContext:
    """The app's dependencies: routines, settings, clock, and access to the history store."""

    catalog: Catalog
    settings: Settings
    clock: Clock
    data_dir: Path
    today_view: Callable[[tuple[str, ...], datetime], TodayView]
    """Reads the store (planned slots, now); called from a thread worker, never on the event loop."""
    history_view: Callable[[tuple[str, ...], datetime], HistoryView]
    """Reads the history screen's data; called from a thread worker."""
    open_recorder: Callable[[ProblemHandler], Recorder]
    """Opens the store for recording; called on the recorder's own thread."""
    settings_problems: list[str] = field(default_factory=list)

    @property
    def planned(self) -> tuple[str, ...]:
        """The slots the installed routines plan, in the order of the day."""
        from coach.days.streaks import planned_slots

        return planned_slots(routine.slots for routine in self.catalog.routines.values())
