"""What `coach remind` does apart from printing: read the coach day from the history, decide which reminders are
due, and send each once (claimed in the sent log first, released again when it could not be shown)."""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

from msgspec import Struct, field

from coach.common.safe_text import printable
from coach.config.settings import Settings, reminder_times
from coach.days.streaks import planned_slots
from coach.engine.recording import Status
from coach.reminders.due import DayState, SlotCheck, Verdict, check_slots, coach_day
from coach.reminders.notifiers import Notifier, NotifyError
from coach.reminders.sent import SentLog
from coach.routines.model import Routine
from coach.store.store import history_exists, open_store

SLOT_NAMES = {"morning": "Morning", "evening": "Evening", "bedtime": "Bedtime"}


class Evaluation(Struct, frozen=True):
    """The reminders of the coach day at a moment: each slot's check, the routines that serve each slot, and
    when each reminder already sent was sent."""

    now: datetime
    day: date
    checks: list[SlotCheck]
    routines: dict[str, list[Routine]]
    sent: dict[str, datetime | None] = field(default_factory=dict)

    @property
    def due(self) -> list[SlotCheck]:
        """The checks whose reminder is to be sent now."""
        return [check for check in self.checks if check.verdict is Verdict.DUE]


class Delivery(Struct, frozen=True):
    """One reminder sent, or not sent and why."""

    slot: str
    title: str
    body: str
    error: str = ""


def read_day(data_dir: Path, day: date, day_start_hour: int, now: datetime) -> DayState:
    """What the history in `data_dir` says of a coach day (an empty day when there is no history yet). Raises
    CoachError when the history cannot be read."""
    if not history_exists(data_dir):
        return DayState(day)
    store = open_store(
        data_dir, day_start_hour=day_start_hour, clock=lambda: now, maintenance=False, read_only_fallback=True
    )
    sessions = store.sessions(since=day, until=day)
    kept = frozenset(record.slot for record in sessions if record.status is Status.COMPLETED)
    running = frozenset(record.slot for record in sessions if record.status is Status.RUNNING)
    rest = any(rest_day.day == day for rest_day in store.rest_days(since=day))
    return DayState(day, kept=kept, rest=rest, running=running)


def evaluate(now: datetime, settings: Settings, data_dir: Path, routines: Mapping[str, Routine]) -> Evaluation:
    """Which of the day's reminders are due at `now` (aware), from the settings, the history and the sent log."""
    times = reminder_times(settings)
    day = coach_day(now, settings.day_start_hour)
    serving = {
        slot: sorted((r for r in routines.values() if slot in r.slots), key=lambda r: (r.origin != "bundled", r.id))
        for slot in times
    }
    if not times:
        return Evaluation(now, day, [], serving)
    state = read_day(data_dir, day, settings.day_start_hour, now)
    sent = SentLog(data_dir).sent(day)
    planned = planned_slots(routine.slots for routine in routines.values())
    checks = check_slots(now, times, settings.day_start_hour, state, planned, frozenset(sent))
    return Evaluation(now, day, checks, serving, sent)


def message(slot: str, routines: list[Routine]) -> tuple[str, str]:
    """The notification's title and body: the routine still to do and the command that starts it."""
    names = " or ".join(routine.name for routine in routines)
    commands = " or ".join(f"coach run {shlex.quote(routine.id)}" for routine in routines)
    title = f"coach: {SLOT_NAMES.get(slot, slot).lower()} reminder"
    return printable(title), printable(f"{names} is still to do today. Start it with: {commands}")


def deliver(evaluation: Evaluation, notifier: Notifier, log: SentLog) -> list[Delivery]:
    """Send each due reminder once: claimed in the log first (so a second run at the same time sends nothing),
    released when it could not be shown (so the next run tries again). Raises OSError when the log cannot be
    written (nothing is sent then)."""
    log.prune(evaluation.day)
    deliveries = []
    for check in evaluation.due:
        title, body = message(check.slot, evaluation.routines[check.slot])
        if not log.claim(evaluation.day, check.slot, evaluation.now):
            continue
        try:
            notifier.send(title, body)
        except NotifyError as error:
            log.release(evaluation.day, check.slot)
            deliveries.append(Delivery(check.slot, title, body, str(error)))
            continue
        deliveries.append(Delivery(check.slot, title, body))
    return deliveries
