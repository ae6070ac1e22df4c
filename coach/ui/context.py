"""Everything the app needs from outside, passed in by the factory so tests can give fakes (house style)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
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

    @cached_property
    def history(self) -> Store:
        """The one way into the history: every read and write, the recorder, the maintenance. Used from thread
        workers only (the store loads after the first frame); a test may set its own. The day-start hour is read
        at each call: a change saved in the settings screen applies at once."""
        from coach.store.store import Store

        return Store(self.data_dir, day_start_hour=lambda: self.settings.day_start_hour, clock=self.clock.wall)

    @property
    def planned(self) -> tuple[str, ...]:
        """The slots the installed routines plan, in the order of the day."""
        return planned_slots(routine.slots for routine in self.catalog.routines.values())
