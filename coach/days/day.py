"""The coach day: it runs from the day-start hour to the next, so a soak at 00:30 belongs to the evening before.

A session's day is fixed from its start time in the UTC offset in force when it started, so DST and travel
never move old sessions.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from coach.routines.model import SLOT_ORDER, Slot

DEFAULT_DAY_START_HOUR = 4
EVENING_FROM_HOUR = 14
"""Local hour from which a routine that serves both morning and evening counts for the evening."""
BEDTIME_FROM_HOUR = 20


def local_day(started_at: datetime, day_start_hour: int = DEFAULT_DAY_START_HOUR) -> date:
    """The coach day of an aware start time, read in its own UTC offset."""
    if started_at.tzinfo is None:
        raise ValueError("started_at must carry its UTC offset")
    return (started_at - timedelta(hours=day_start_hour)).date()


def today(now: datetime, day_start_hour: int = DEFAULT_DAY_START_HOUR) -> date:
    """The coach day that `now` (aware, local) falls in."""
    return local_day(now, day_start_hour)


def choose_slot(slots: tuple[Slot, ...], started_at: datetime, day_start_hour: int = DEFAULT_DAY_START_HOUR) -> Slot:
    """The slot a session counts for: the routine's only slot, else the one whose part of the day it is.

    Morning runs from the day start to 14:00, evening from 14:00 to 20:00, bedtime from 20:00 to the next
    day start. A routine that does not serve the slot of the hour counts for its nearest earlier slot, or its
    first one (toe exercises at 22:00 count for the evening, at 05:00 for the morning).
    """
    if len(slots) == 1:
        return slots[0]
    of_hour = slot_of_hour(started_at, day_start_hour)
    ordered = [slot for slot in SLOT_ORDER if slot in slots]
    earlier = [slot for slot in ordered if SLOT_ORDER.index(slot) <= SLOT_ORDER.index(of_hour)]
    return earlier[-1] if earlier else ordered[0]


def slot_of_hour(now: datetime, day_start_hour: int = DEFAULT_DAY_START_HOUR) -> Slot:
    """The part of the coach day `now` falls in: morning from the day start to 14:00, evening to 20:00, bedtime
    from 20:00 to the next day start."""
    hour = (now.hour - day_start_hour) % 24 + day_start_hour  # hours past midnight, day-start based
    if hour >= BEDTIME_FROM_HOUR:  # includes the small hours before the day start
        return Slot.BEDTIME
    if hour >= EVENING_FROM_HOUR:
        return Slot.EVENING
    return Slot.MORNING
