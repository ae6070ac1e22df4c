"""Finished sessions kept aside when the history could not take them (another coach held the write lock for
longer than a finish waits, or the file could not be written): one small JSON file each in `spool/` of the data
folder, replayed into the history the next time coach opens it. A finished session is never dropped.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from pathlib import Path

from msgspec import Struct

SPOOL_DIR = "spool"
MAX_SPOOL_BYTES = 64 * 1024
"""A spooled session is one row (well under 1 KiB); anything bigger is not ours and is left alone."""

ROW_KEYS = (
    "id",
    "routine_id",
    "routine_name",
    "slot",
    "day",
    "started_at",
    "started_utc",
    "ended_at",
    "status",
    "active_seconds",
    "cycles_done",
    "position",
    "last_checkpoint_at",
)
_REPLAY = (
    f"INSERT INTO sessions ({', '.join(ROW_KEYS)}) VALUES ({', '.join('?' * len(ROW_KEYS))}) "
    "ON CONFLICT (id) DO UPDATE SET ended_at = excluded.ended_at, status = excluded.status, "
    "active_seconds = excluded.active_seconds, cycles_done = excluded.cycles_done, position = excluded.position, "
    "last_checkpoint_at = excluded.last_checkpoint_at WHERE sessions.status = 'running'"
)
"""A spooled row finishes a session still `running` (recovery leaves a spooled session alone), or adds it; it never
overwrites a session already finished."""


def spool_dir(data_dir: Path) -> Path:
    """Where finished sessions wait for the history."""
    return data_dir / SPOOL_DIR


def keep(data_dir: Path, row: tuple[object, ...]) -> Path:
    """Write one finished session's row into the spool (written aside, fsynced, then renamed); OSError if not."""
    folder = spool_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{row[0]}.json"
    partial = folder / f".{row[0]}.{os.getpid()}.partial"
    data = json.dumps(dict(zip(ROW_KEYS, row, strict=True)), ensure_ascii=False).encode("utf-8")
    with open(partial, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, target)
    return target


class Replayed(Struct, frozen=True):
    """What a replay did: sessions saved from the spool, and files it could not read (left where they are)."""

    saved: int
    unreadable: tuple[Path, ...] = ()


def is_spooled(data_dir: Path, session_id: str) -> bool:
    """Whether a finished session waits in the spool (recovery must not close it as partial meanwhile)."""
    return (spool_dir(data_dir) / f"{session_id}.json").exists()


def waiting(data_dir: Path) -> list[Path]:
    """The spooled sessions (none: an empty list, without creating anything)."""
    try:
        return sorted(path for path in spool_dir(data_dir).iterdir() if path.suffix == ".json")
    except OSError:
        return []


def replay(data_dir: Path, connection: sqlite3.Connection) -> Replayed:
    """Write every spooled session into the history (in the caller's write transaction) and remove its file once
    the caller commits (`forget`). Files that are not a spooled row are left in place and named."""
    saved, unreadable = 0, []
    for path in waiting(data_dir):
        row = _read(path)
        if row is None:
            unreadable.append(path)
            continue
        connection.execute(_REPLAY, row)
        saved += 1
    return Replayed(saved, tuple(unreadable))


def forget(data_dir: Path, unreadable: tuple[Path, ...] = ()) -> None:
    """Remove the spooled files that were replayed (after the commit)."""
    for path in waiting(data_dir):
        if path not in unreadable:
            with contextlib.suppress(OSError):
                path.unlink()


def _read(path: Path) -> tuple[object, ...] | None:
    try:
        if path.stat().st_size > MAX_SPOOL_BYTES:
            return None
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or set(data) != set(ROW_KEYS) or data["status"] not in ("completed", "partial"):
        return None
    return tuple(data[key] for key in ROW_KEYS)
