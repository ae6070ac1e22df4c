"""Shared helpers for the sync tests: machines (data folders) that share one sync folder, each with its own clock,
and hand-written journals for what only a broken or foreign machine would write."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from coach.engine.recording import Status
from coach.store.records import RestDay, SessionRecord
from coach.store.store import Store, open_store
from coach.sync.engine import SyncReport, sync

TZ = timezone(timedelta(hours=2))


def session(
    day: date, slot: str = "morning", *, note: str | None = None, status: Status = Status.COMPLETED
) -> SessionRecord:
    """A finished 12-minute session at 07:00 (or later for later slots) local time on `day`."""
    hour = {"morning": 7, "evening": 18, "bedtime": 22}[slot]
    started = datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)
    ended = started + timedelta(minutes=13)
    return SessionRecord(
        id=str(uuid.uuid4()),
        routine_id="toe-exercises" if slot != "bedtime" else "foot-soak",
        routine_name="Toe exercises" if slot != "bedtime" else "Foot soak",
        slot=slot,
        day=day,
        started_at=started,
        ended_at=ended,
        status=status,
        active_seconds=720.0,
        cycles_done=55,
        position="done",
        last_checkpoint_at=ended,
        note=note,
    )


class Machine:
    """One data folder that syncs through `folder`, with a clock `skew` away from the real one."""

    def __init__(self, root: Path, name: str, folder: Path, skew: timedelta = timedelta(0)) -> None:
        self.name = name
        self.data_dir = root / name
        self.folder = folder
        self.skew = skew
        self.store: Store = open_store(self.data_dir, day_start_hour=4, maintenance=False)

    def clock(self) -> datetime:
        """This machine's idea of now."""
        return datetime.now(UTC) + self.skew

    def sync(self) -> SyncReport:
        """One sync through the shared folder."""
        return sync(self.data_dir, self.folder, clock=self.clock, day_start_hour=4)

    def add(self, *records: SessionRecord) -> list[str]:
        """Record finished sessions; their ids."""
        self.store.insert_sessions(records)
        return [record.id for record in records]

    def note(self, session_id: str, text: str | None, discomfort: int | None = None) -> None:
        """Edit a session's note and discomfort, as `coach history note` does."""
        self.store.set_note(session_id, text, discomfort, set_discomfort=True)

    def delete_session(self, session_id: str) -> None:
        """Delete a session, as `coach history delete` does."""
        self.store.delete_session(session_id)

    def history(self) -> dict[str, Any]:
        """Everything that travels, in a form two machines can be compared by."""
        sessions = [
            (
                r.id,
                r.routine_id,
                r.slot,
                r.day.isoformat(),
                r.started_at.isoformat(),
                str(r.status),
                r.note,
                r.discomfort,
            )
            for r in self.store.sessions(newest_first=False)
        ]
        rests = [(rest.day.isoformat(), rest.note) for rest in self.store.rest_days()]
        cramps = [(c.id, c.cramp_at.isoformat(), c.leg, c.severity, c.note) for c in self.store.diary.entries()]
        return {"sessions": sorted(sessions), "rest_days": rests, "cramps": sorted(cramps)}

    def rest(self, day: date, note: str = "") -> None:
        """Mark a rest day."""
        self.store.mark_rest_day(day, note)

    def rests(self) -> list[RestDay]:
        """The rest days here."""
        return self.store.rest_days()


def sync_all(machines: list[Machine], rounds: int = 2) -> None:
    """Every machine syncs, `rounds` times over, in order."""
    for _ in range(rounds):
        for machine in machines:
            report = machine.sync()
            assert report.problems == (), report.problems


def device_of(machine: Machine) -> str:
    """The device id a machine made at its first sync."""
    with sqlite3.connect(machine.store.path) as connection:
        row = connection.execute("SELECT value FROM sync_meta WHERE name = 'device'").fetchone()
    connection.close()
    return str(row[0])


def write_journal(folder: Path, device: str, events: list[dict[str, Any]], *, name: str | None = None) -> Path:
    """A journal as another machine would write it (whole lines)."""
    path = folder / (name or f"coach-{device}.jsonl")
    lines = [{"coach_journal": 1, "device": device, "generation": "g-" + device[:4]}, *events]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def session_line(record: SessionRecord, version: int) -> dict[str, Any]:
    """A session event for a hand-written journal."""
    item = record.to_json()
    item.pop("note")
    item.pop("discomfort")
    return {"type": "session", **item, "v": version}


def ms(moment: datetime) -> int:
    """A version: milliseconds since 1970."""
    return int(moment.timestamp() * 1000)
