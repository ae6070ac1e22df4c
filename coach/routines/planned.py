"""The slots the installed routines plan, cheaply: printing commands (`status` runs at every shell prompt) must not
validate every routine file each time, so the answer is remembered until a routine file changes."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

CACHE_NAME = ".status-planned-slots.json"


def planned_slots(cache_dir: Path | None = None) -> tuple[str, ...]:
    """The union of the installed routines' slots in the order of the day; with `cache_dir`, remembered there
    with the size and modification time of every routine file it came from (and the coach version)."""
    if cache_dir is None:
        return _from_catalog()
    signature = _routine_files_signature()
    cache = cache_dir / CACHE_NAME
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data["signature"] == signature:
            return tuple(str(slot) for slot in data["slots"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    slots = _from_catalog()
    if cache_dir.is_dir():
        with contextlib.suppress(OSError):
            partial = cache_dir / f"{CACHE_NAME}.{os.getpid()}"
            partial.write_text(json.dumps({"signature": signature, "slots": list(slots)}), encoding="utf-8")
            os.replace(partial, cache)
    return slots


def _from_catalog() -> tuple[str, ...]:
    from coach.routines.catalog import load_catalog
    from coach.streaks import planned_slots as union_of_slots

    return union_of_slots(routine.slots for routine in load_catalog().routines.values())


def _routine_files_signature() -> list[object]:
    """What the catalog depends on: the coach version and every routine file's name, size and mtime."""
    import coach
    from coach.paths import bundled_routines_dir, user_routines_dir

    signature: list[object] = [coach.__version__]
    for folder in (bundled_routines_dir(), user_routines_dir()):
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            signature.append([str(folder), None])
            continue
        files = []
        for entry in entries:
            if entry.name.endswith(".toml"):
                with contextlib.suppress(OSError):
                    info = entry.stat()
                    files.append([entry.name, info.st_size, info.st_mtime_ns])
        signature.append([str(folder), files])
    return signature
