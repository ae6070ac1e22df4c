"""Today's plan in words: which slots of the coach day are done, partly done or still to do.

The home screen and `coach status` both show it, so it is derived once here, in plain Python, from the store's
TodayView.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from msgspec import Struct

from coach.engine.recording import Status
from coach.routines.model import SLOT_ORDER, Routine, Slot

if TYPE_CHECKING:
    from coach.store.records import TodayView


class SlotState(StrEnum):
    """Where a slot stands today."""

    DONE = "done"
    PARTIAL = "partial"
    TODO = "todo"
    REST = "rest"


SLOT_LABELS: dict[str, str] = {Slot.MORNING: "Morning", Slot.EVENING: "Evening", Slot.BEDTIME: "Bedtime"}
STATE_LABELS: dict[SlotState, str] = {
    SlotState.DONE: "done",
    SlotState.PARTIAL: "started, not finished",
    SlotState.TODO: "to do",
    SlotState.REST: "rest day",
}
STATE_MARKS: dict[SlotState, str] = {
    SlotState.DONE: "✓",
    SlotState.PARTIAL: "◐",
    SlotState.TODO: "·",
    SlotState.REST: "–",
}


class SlotToday(Struct, frozen=True):
    """One planned slot of today: its state and the routines that serve it."""

    slot: str
    state: SlotState
    routine_ids: tuple[str, ...]


def slots_today(view: TodayView, routines: list[Routine] | tuple[Routine, ...]) -> tuple[SlotToday, ...]:
    """Each planned slot with its state: done when a completed session kept it, partial when one only started."""
    started = {record.slot for record in view.sessions if record.status is not Status.COMPLETED}
    result = []
    for slot in view.planned:
        if slot in view.kept:
            state = SlotState.DONE
        elif slot in started:
            state = SlotState.PARTIAL
        elif view.rest_today:
            state = SlotState.REST
        else:
            state = SlotState.TODO
        ids = tuple(routine.id for routine in routines if slot in routine.slots)
        result.append(SlotToday(slot, state, ids))
    return tuple(result)


def due_slot(items: tuple[SlotToday, ...], of_hour: str) -> str | None:
    """The slot to do now: the slot of the hour while it is open (at 22:30, bedtime, whether the evening was done or
    not), else the next open one later in the day; None when nothing is left from now on."""
    open_slots = [item.slot for item in items if item.state in (SlotState.TODO, SlotState.PARTIAL)]
    if of_hour in open_slots:
        return of_hour
    position = SLOT_ORDER.index(Slot(of_hour))
    later = [slot for slot in open_slots if SLOT_ORDER.index(Slot(slot)) > position]
    return later[0] if later else None
