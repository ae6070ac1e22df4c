"""Everything the app needs from outside, passed in by the factory so tests can give fakes (house style)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from coach.days.streaks import planned_slots

if TYPE_CHECKING:  # types only: the store and the engine are not needed for the first frame
    from coach.config.settings import Settings
    from coach.engine.clock import Clock
    from coach.routines.catalog import Catalog
    from coach.store.store import Store

ProblemHandler = Callable[[str], None]


@dataclass
class AppContext:
    """The app's dependencies: routines, settings, clock, and access to the history store."""

    catalog: Catalog
    settings: Settings
    clock: Clock
    data_dir: Path
    settings_problems: list[str] = field(default_factory=list)

    _history: Store | None = field(default=None, init=False, repr=False)
    _history_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def history(self) -> Store:
        """The one way into the history: every read and write, the recorder, the maintenance. Made at its first use,
        on whichever thread comes first (home's read, the recorder's thread, the maintenance: the store is not
        needed for a first frame). The day-start hour is read at each call: a change saved in the settings screen
        applies at once."""
        with self._history_lock:
            if self._history is None:
                from coach.store.store import Store

                self._history = Store(
                    self.data_dir, day_start_hour=lambda: self.settings.day_start_hour, clock=self.clock.wall
                )
            return self._history

    @property
    def planned(self) -> tuple[str, ...]:
        """The slots the installed routines plan, in the order of the day."""
        return planned_slots(routine.slots for routine in self.catalog.routines.values())
