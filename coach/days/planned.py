"""The slots the installed routines plan, cheaply: printing commands (`status` runs at every shell prompt) must not
validate every routine file each time, so the answer is remembered until a routine file changes."""

from __future__ import annotations

import json
from pathlib import Path

CACHE_NAME = ".status-planned-slots.json"


def planned_slots(cache_dir: Path | None = None) -> tuple[str, ...]:
    """The union of the installed routines' slots in the order of the day; with `cache_dir`, remembered there
    with the size and modification time of every routine file it came from (and the coach version)."""
    if cache_dir is None:
        return _from_catalog()
    from coach.routines.signature import remember, routine_files_signature

    signature = routine_files_signature()
    cache = cache_dir / CACHE_NAME
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data["signature"] == signature:
            return tuple(str(slot) for slot in data["slots"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    slots = _from_catalog()
    remember(cache, json.dumps({"signature": signature, "slots": list(slots)}).encode())
    return slots


def _from_catalog() -> tuple[str, ...]:
    from coach.days.streaks import planned_slots as union_of_slots
    from coach.routines.catalog import load_catalog

    return union_of_slots(routine.slots for routine in load_catalog().routines.values())
