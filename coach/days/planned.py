"""The slots the installed routines plan, cheaply: printing commands (`status` runs at every shell prompt) must not
validate every routine file each time, so the answer is remembered in the user cache folder until a routine file
changes. The remembered answer is read back like any input: a damaged or crafted one is ignored and rewritten."""

from __future__ import annotations

from pathlib import Path

from coach.common.cachefile import read_json_cache, write_json_cache
from coach.common.paths import cache_dir
from coach.days.streaks import planned_slots as union_of_slots
from coach.routines.model import Slot
from coach.routines.signature import routine_files_signature

CACHE_NAME = "status-planned-slots.json"
MAX_CACHE_BYTES = 64 * 1024
MAX_CACHE_DEPTH = 8
"""The signature nests four deep; anything deeper is not what coach wrote."""
SLOTS = frozenset(slot.value for slot in Slot)


def planned_slots(*, cache_folder: Path | None = None) -> tuple[str, ...]:
    """The union of the installed routines' slots in the order of the day, remembered in `cache_folder` (the
    user cache folder by default) with the size and modification time of every routine file it came from."""
    signature = routine_files_signature()
    cache = (cache_folder or cache_dir()) / CACHE_NAME
    remembered = _slots(read_json_cache(cache, MAX_CACHE_BYTES, MAX_CACHE_DEPTH), signature)
    if remembered is not None:
        return remembered
    from coach.routines.catalog import load_catalog  # the loader and the TOML reader only when the cache misses

    slots = union_of_slots(routine.slots for routine in load_catalog().routines.values())
    write_json_cache(cache, {"signature": signature, "slots": list(slots)})
    return slots


def _slots(value: object, signature: list[object]) -> tuple[str, ...] | None:
    """The slots in a cache read back, or None unless it is exactly what coach writes for this signature."""
    if not isinstance(value, dict) or set(value) != {"signature", "slots"} or value["signature"] != signature:
        return None
    slots = value["slots"]
    if not isinstance(slots, list) or len(slots) > len(SLOTS) or len(set(map(str, slots))) != len(slots):
        return None
    if not all(isinstance(slot, str) and slot in SLOTS for slot in slots):
        return None
    return union_of_slots([slots])
