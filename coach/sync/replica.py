"""The history's side of a sync, in SQL: turning local changes into events, applying the events that win, and
writing the snapshot a compacted journal holds. Every function runs inside the caller's transaction.

The tables and the triggers that fill `sync_changes` are in coach/store/sync_tables.py. A register's value wins when
its (version, device) is the greater; a local change not yet sent out counts with the version it will be sent with.
Deletions of sessions and cramps are final: ids are never reused, so nothing may bring a deleted one back.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from coach.store.sync_tables import ms_of
from coach.sync.events import (
    COUNTED_AS,
    CRAMP_COLUMNS,
    MAX_VERSION,
    SESSION_COLUMNS,
    Event,
    cramp_event,
    deletion_event,
    note_event,
    rest_event,
    session_event,
)

CHUNK = 500
"""Ids per `IN (...)` query (SQLite allows 32,766 parameters; smaller lists plan as fast)."""

_UPSERT_SESSION = (
    "INSERT INTO sessions (id, routine_id, routine_name, slot, day, started_at, started_utc, ended_at, status, "
    "active_seconds, cycles_done, position, last_checkpoint_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (id) DO UPDATE SET routine_id = excluded.routine_id, routine_name = excluded.routine_name, "
    "slot = excluded.slot, day = excluded.day, started_at = excluded.started_at, started_utc = excluded.started_utc, "
    "ended_at = excluded.ended_at, status = excluded.status, active_seconds = excluded.active_seconds, "
    "cycles_done = excluded.cycles_done, last_checkpoint_at = excluded.last_checkpoint_at "
    "WHERE sessions.status != 'running'"
)
_UPSERT_CRAMP = (
    "INSERT INTO cramps (id, cramp_at, cramp_utc, day, leg, muscle, severity, trigger, note, logged_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET cramp_at = excluded.cramp_at, "
    "cramp_utc = excluded.cramp_utc, day = excluded.day, leg = excluded.leg, muscle = excluded.muscle, "
    "severity = excluded.severity, trigger = excluded.trigger, note = excluded.note, logged_at = excluded.logged_at"
)
_UPSERT_VERSION = (
    "INSERT INTO sync_versions (key, version, device, payload) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
    "version = excluded.version, device = excluded.device, payload = excluded.payload"
)
APPLY_ORDER = {"x": 0, "y": 0, "s": 1, "c": 1, "n": 2, "r": 2}
"""Deletions first (so a deleted record is not added back), then records, then what hangs on them (notes)."""


# -- bookkeeping -------------------------------------------------------------------------------------------------


def meta(connection: sqlite3.Connection, name: str) -> Any:
    """One value of sync_meta (None when unset)."""
    row = connection.execute("SELECT value FROM sync_meta WHERE name = ?", (name,)).fetchone()
    return None if row is None else row[0]


def set_meta(connection: sqlite3.Connection, name: str, value: object) -> None:
    """Set one value of sync_meta."""
    connection.execute(
        "INSERT INTO sync_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        (name, value),
    )


def start_tracking(connection: sqlite3.Connection) -> str:
    """The first sync of this data folder: make its device id, and note everything already in the history as
    changes to send, versioned by when it happened (an unknown edit time counts as old, so any edit made since
    on another machine wins over it). From now on the triggers note every change."""
    device = secrets.token_hex(8)
    set_meta(connection, "device", device)
    set_meta(connection, "track", 1)
    seeds: tuple[str, ...] = (
        f"SELECT 's:' || id, 0, {ms_of('coalesce(ended_at, started_at)')} FROM sessions WHERE status != 'running'",
        f"SELECT 'n:' || id, 0, {ms_of('coalesce(ended_at, started_at)')} FROM sessions "
        "WHERE status != 'running' AND (note IS NOT NULL OR discomfort IS NOT NULL)",
        f"SELECT 'r:' || day, 0, {ms_of('marked_at')} FROM rest_days WHERE true",
        f"SELECT 'c:' || id, 0, {ms_of('coalesce(logged_at, cramp_at)')} FROM cramps WHERE true",
    )
    if has_tombstones(connection):
        seeds += (f"SELECT 'x:' || id, 0, {ms_of('deleted_at')} FROM deleted_sessions WHERE true",)
    for select in seeds:
        connection.execute(f"INSERT INTO sync_changes (key, wall, floor) {select} ON CONFLICT (key) DO NOTHING")
    return device


def has_tombstones(connection: sqlite3.Connection) -> bool:
    """Whether the history keeps the store's own tombstones of deleted sessions (table deleted_sessions, schema
    v5): a deletion that comes in is written there too, so that `coach import` never brings the session back."""
    found = connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'deleted_sessions'")
    return found.fetchone() is not None


def pending_count(connection: sqlite3.Connection) -> int:
    """How many local changes wait to be sent out."""
    return int(connection.execute("SELECT count(*) FROM sync_changes").fetchone()[0])


def authored_count(connection: sqlite3.Connection, device: str) -> int:
    """How many registers hold a value this device wrote (what its compacted journal holds)."""
    return int(connection.execute("SELECT count(*) FROM sync_versions WHERE device = ?", (device,)).fetchone()[0])


def _pending_versions(connection: sqlite3.Connection, shift_ms: int) -> dict[str, int]:
    """Each waiting local change and the version it goes out with: its edit time (shifted by an injected clock),
    and never below the version it overwrote plus one."""
    return {
        str(key): max(int(wall) + shift_ms if wall else 0, int(floor))
        for key, wall, floor in connection.execute("SELECT key, wall, floor FROM sync_changes")
    }


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _select_in(connection: sqlite3.Connection, sql: str, ids: Sequence[str]) -> list[tuple[Any, ...]]:
    """Rows of `sql`, which ends in `IN`, for every id (in chunks)."""
    rows: list[tuple[Any, ...]] = []
    for part in _chunks(ids):
        rows.extend(connection.execute(f"{sql} ({', '.join('?' * len(part))})", part).fetchall())
    return rows


def _versions(connection: sqlite3.Connection, keys: Sequence[str]) -> dict[str, tuple[int, str]]:
    return {
        str(key): (int(version), str(device))
        for key, version, device in _select_in(
            connection, "SELECT key, version, device FROM sync_versions WHERE key IN", keys
        )
    }


def _split(keys: Iterable[str]) -> dict[str, list[str]]:
    """Ids (or days) by register prefix."""
    grouped: dict[str, list[str]] = {prefix: [] for prefix in COUNTED_AS}
    for key in keys:
        prefix, _, rest = key.partition(":")
        grouped.setdefault(prefix, []).append(rest)
    return grouped


# -- going out ---------------------------------------------------------------------------------------------------


@dataclass
class Outgoing:
    """The local changes as events, with the versions to record once they are written."""

    events: list[dict[str, Any]] = field(default_factory=list)
    versions: list[tuple[str, int]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    revived: list[str] = field(default_factory=list)
    """Sessions deleted elsewhere that came back here (an import of an old file): deleted again."""


def outgoing(connection: sqlite3.Connection, shift_ms: int) -> Outgoing:
    """The waiting local changes as events (read inside the caller's write transaction)."""
    pending = _pending_versions(connection, shift_ms)
    out = Outgoing()
    if not pending:
        return out
    ids = _split(pending)
    record_ids = {*ids["s"], *ids["n"]}
    gone_sessions = set(ids["x"]) | {
        key[2:] for key in _versions(connection, [f"x:{sid}" for sid in sorted(record_ids)])
    }
    gone_cramps = set(ids["y"]) | {key[2:] for key in _versions(connection, [f"y:{cid}" for cid in ids["c"]])}

    def add(key: str, event: dict[str, Any]) -> None:
        out.events.append(event)
        out.versions.append((key, pending[key]))
        out.counts[key[0]] += 1

    for sid in ids["x"]:
        add(f"x:{sid}", deletion_event("session_deleted", sid, pending[f"x:{sid}"]))
    for cid in ids["y"]:
        add(f"y:{cid}", deletion_event("cramp_deleted", cid, pending[f"y:{cid}"]))
    live = [sid for sid in ids["s"] if sid not in gone_sessions]
    for row in _select_in(
        connection, f"SELECT {SESSION_COLUMNS} FROM sessions WHERE status != 'running' AND id IN", live
    ):
        add(f"s:{row[0]}", session_event(row, pending[f"s:{row[0]}"]))
    out.revived = [sid for sid in ids["s"] if sid in gone_sessions and sid not in ids["x"]]
    noted = [sid for sid in ids["n"] if sid not in gone_sessions]
    for sid, note, discomfort in _select_in(
        connection, "SELECT id, note, discomfort FROM sessions WHERE status != 'running' AND id IN", noted
    ):
        add(f"n:{sid}", note_event(sid, note, discomfort, pending[f"n:{sid}"]))
    rests = dict(_select_in(connection, "SELECT day, note FROM rest_days WHERE day IN", ids["r"]))
    for day in ids["r"]:
        add(f"r:{day}", rest_event(day, rests.get(day), pending[f"r:{day}"]))
    cramps = [cid for cid in ids["c"] if cid not in gone_cramps]
    for row in _select_in(connection, f"SELECT {CRAMP_COLUMNS} FROM cramps WHERE id IN", cramps):
        add(f"c:{row[0]}", cramp_event(row, pending[f"c:{row[0]}"]))
    return out


def sent(connection: sqlite3.Connection, out: Outgoing, device: str) -> None:
    """The events are in the journal: record their versions as this device's and forget the waiting changes
    (inside the same write transaction that read them, so none came in between). Sessions deleted elsewhere that
    an import brought back are deleted again."""
    connection.executemany(_UPSERT_VERSION, ((key, version, device, None) for key, version in out.versions))
    connection.execute("DELETE FROM sync_changes")
    if out.revived:
        set_meta(connection, "track", 0)
        connection.executemany("DELETE FROM sessions WHERE id = ? AND status != 'running'", ((i,) for i in out.revived))
        set_meta(connection, "track", 1)


# -- coming in ---------------------------------------------------------------------------------------------------


def apply(connection: sqlite3.Connection, events: Sequence[Event], shift_ms: int) -> Counter[str]:
    """Apply the events that win (the caller gives the best event per register, in APPLY_ORDER, and holds a write
    transaction); returns how many registers changed here, by prefix. A local change still waiting to go out
    counts with the version it will have; when a remote value beats it, it is dropped."""
    set_meta(connection, "track", 0)
    needed: set[str] = set()
    for event in events:
        needed.add(event.key)
        prefix, _, rid = event.key.partition(":")
        if prefix in ("s", "n"):
            needed.add(f"x:{rid}")
        elif prefix == "c":
            needed.add(f"y:{rid}")
    known = _versions(connection, sorted(needed))
    pending = _pending_versions(connection, shift_ms)
    me = str(meta(connection, "device"))
    counts: Counter[str] = Counter()
    versions: list[tuple[str, int, str, str | None]] = []
    dropped: list[str] = []
    deletes: dict[str, list[str]] = {"x": [], "y": []}
    sessions: list[tuple[Any, ...]] = []
    cramps: list[tuple[Any, ...]] = []
    notes: list[Event] = []
    rests: list[Event] = []
    for event in events:
        prefix, _, rid = event.key.partition(":")
        if prefix in ("x", "y"):
            if event.key in known or event.key in pending:
                continue  # already deleted here: deletions are final
            deletes[prefix].append(rid)
            known[event.key] = (event.version, event.device)
            dropped.extend(f"{p}:{rid}" for p in (("s", "n") if prefix == "x" else ("c",)))
        else:
            gone = {"s": "x", "n": "x", "c": "y"}.get(prefix)
            if gone and (f"{gone}:{rid}" in known or f"{gone}:{rid}" in pending):
                continue  # a record deleted here or elsewhere never comes back
            current = (pending[event.key], me) if event.key in pending else known.get(event.key)
            if current is not None and (event.version, event.device) <= current:
                continue
            if event.key in pending:
                dropped.append(event.key)
            if prefix == "s":
                sessions.append(event.values or ())
            elif prefix == "c":
                cramps.append(event.values or ())
            elif prefix == "n":
                notes.append(event)
                counts[prefix] += 1
                continue  # its version is recorded with the note (or kept waiting for its session)
            else:
                rests.append(event)
        versions.append((event.key, event.version, event.device, None))
        counts[prefix] += 1
    connection.executemany("DELETE FROM sync_changes WHERE key = ?", ((key,) for key in dropped))
    connection.executemany("DELETE FROM sessions WHERE id = ? AND status != 'running'", ((i,) for i in deletes["x"]))
    if deletes["x"] and has_tombstones(connection):
        connection.executemany(
            "INSERT INTO deleted_sessions (id, deleted_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
            ((sid, _iso(known[f"x:{sid}"][0])) for sid in deletes["x"]),
        )
    connection.executemany("DELETE FROM cramps WHERE id = ?", ((i,) for i in deletes["y"]))
    # In key order: each B-tree is then filled page by page instead of at random (ids are random UUIDs).
    connection.executemany(_UPSERT_SESSION, sorted(sessions))
    connection.executemany(_UPSERT_CRAMP, sorted(cramps))
    connection.executemany(_UPSERT_VERSION, sorted(versions))
    _apply_notes(connection, notes)
    _apply_rest_days(connection, rests)
    set_meta(connection, "track", 1)
    return counts


def _apply_notes(connection: sqlite3.Connection, notes: Sequence[Event]) -> None:
    """Notes whose session is here are written; the others wait (as a payload) until their session arrives. Notes
    that waited for a session that has now arrived are written too."""
    present = {
        row[0]
        for row in _select_in(
            connection, "SELECT id FROM sessions WHERE status != 'running' AND id IN", [e.key[2:] for e in notes]
        )
    }
    for event in notes:
        waiting = None if event.key[2:] in present else json.dumps(event.values)
        connection.execute(_UPSERT_VERSION, (event.key, event.version, event.device, waiting))
    _write_notes(connection, [(e.key[2:], *(e.values or (None, None))) for e in notes if e.key[2:] in present])
    waited = connection.execute("SELECT key, payload FROM sync_versions WHERE payload IS NOT NULL").fetchall()
    if not waited:
        return
    arrived = {
        row[0]
        for row in _select_in(
            connection, "SELECT id FROM sessions WHERE status != 'running' AND id IN", [key[2:] for key, _ in waited]
        )
    }
    ready = [(key[2:], *json.loads(payload)) for key, payload in waited if key[2:] in arrived]
    _write_notes(connection, ready)
    connection.executemany(
        "UPDATE sync_versions SET payload = NULL WHERE key = ?", ((f"n:{sid}",) for sid, *_ in ready)
    )


def _write_notes(connection: sqlite3.Connection, notes: Sequence[tuple[Any, ...]]) -> None:
    connection.executemany(
        "UPDATE sessions SET note = ?, discomfort = ? WHERE id = ? AND status != 'running'",
        ((note, discomfort, sid) for sid, note, discomfort in notes),
    )


def _apply_rest_days(connection: sqlite3.Connection, rests: Sequence[Event]) -> None:
    for event in rests:
        if event.values is None:
            connection.execute("DELETE FROM rest_days WHERE day = ?", (event.key[2:],))
            continue
        day, note = event.values
        connection.execute(
            "INSERT INTO rest_days (day, note, marked_at) VALUES (?, ?, ?) "
            "ON CONFLICT (day) DO UPDATE SET note = excluded.note",
            (day, note, _iso(event.version)),
        )


def _iso(version: int) -> str:
    """A version as the time it stands for, ISO 8601 in UTC (for columns that say when something was done)."""
    return datetime.fromtimestamp(min(version, MAX_VERSION) / 1000, UTC).isoformat()


# -- the snapshot of a compacted journal -------------------------------------------------------------------------


def snapshot(connection: sqlite3.Connection, device: str) -> list[dict[str, Any]]:
    """Every value this device wrote that still stands (a later one from elsewhere is in that device's journal),
    with its version: what this device's journal holds once compacted. Deletions stay for ever."""
    events: list[dict[str, Any]] = []

    def registers(prefix: str, select: str) -> list[tuple[Any, ...]]:
        return connection.execute(
            f"SELECT {select} FROM sync_versions AS v {{join}} WHERE v.device = ? AND v.key >= ? AND v.key < ?".replace(
                "{join}", _JOINS.get(prefix, "")
            ),
            (device, f"{prefix}:", f"{prefix};"),
        ).fetchall()

    for prefix, kind in (("x", "session_deleted"), ("y", "cramp_deleted")):
        events.extend(deletion_event(kind, key[2:], version) for key, version in registers(prefix, "v.key, v.version"))
    columns = ", ".join(f"s.{name.strip()}" for name in SESSION_COLUMNS.split(","))
    events.extend(session_event(row[:-1], row[-1]) for row in registers("s", f"{columns}, v.version"))
    events.extend(note_event(*row) for row in registers("n", "s.id, s.note, s.discomfort, v.version"))
    events.extend(rest_event(row[0][2:], row[1], row[2]) for row in registers("r", "v.key, r.note, v.version"))
    columns = ", ".join(f"c.{name.strip()}" for name in CRAMP_COLUMNS.split(","))
    events.extend(cramp_event(row[:-1], row[-1]) for row in registers("c", f"{columns}, v.version"))
    return events


_JOINS = {
    "s": "JOIN sessions AS s ON s.id = substr(v.key, 3) AND s.status != 'running'",
    "n": "JOIN sessions AS s ON s.id = substr(v.key, 3) AND s.status != 'running'",
    "r": "LEFT JOIN rest_days AS r ON r.day = substr(v.key, 3)",
    "c": "JOIN cramps AS c ON c.id = substr(v.key, 3)",
}
