"""One sync of a data folder with a sync folder: read what is new in every journal there, merge it, write this
device's own changes to its journal, and compact that journal when it has grown.

The order matters: what came in is merged first (a local change that loses to it is dropped), then what is left
goes out. Each step is its own short write transaction; the read positions of the journals are saved with the last
merge step, so a sync cut short merges the same lines again next time, which changes nothing (merging is
idempotent). The history is never replaced and nothing in it is dropped, except what a deletion says.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from msgspec import Struct, field
from msgspec.structs import replace

from coach.common.problems import CoachError
from coach.store.connection import connect, explain, to_coach_error, write_transaction
from coach.store.store import open_store
from coach.sync import replica
from coach.sync.events import COUNTED_AS, BadEvent, Event, read_event
from coach.sync.journal import (
    FileSeen,
    JournalProblem,
    append,
    encode,
    header_line,
    journal_name,
    new_generation,
    read_new_lines,
    rewrite,
    scan,
)
from coach.sync.lock import SyncBusy, sync_lock

Clock = Callable[[], datetime]

EVENTS_PER_TRANSACTION = 5_000
"""Merged in steps of this many, so another coach never waits long for the history (a step takes ~0.1 s)."""
COMPACT_MIN_LINES = 1_000
"""A journal is compacted once it holds more than this many lines and twice as many as the values it stands for."""
WAIT_FOR_OTHER_SYNC = 30.0
CACHE_KIB = 32_768
"""SQLite's page cache for a sync's own connection: a first merge inserts tens of thousands of sessions in id
order, which is random order for the indexes; with the default 2 MiB cache each insert went to the disk."""


class SyncError(CoachError):
    """A sync that cannot run (a bad folder, another sync holding the data folder); the message says what."""


class SyncBusyError(SyncError):
    """Another coach is syncing this data folder and did not finish within the wait."""


class SyncReport(Struct, frozen=True):
    """What one sync did: what came in and went out by kind, the other devices seen, and the files it could not
    read (each once, with where and why)."""

    folder: Path
    device: str
    received: dict[str, int] = field(default_factory=dict)
    sent: dict[str, int] = field(default_factory=dict)
    devices: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    compacted: bool = False
    seconds: float = 0.0

    @property
    def received_total(self) -> int:
        """How many changes came in."""
        return sum(self.received.values())

    @property
    def sent_total(self) -> int:
        """How many changes went out."""
        return sum(self.sent.values())

    def to_json(self) -> dict[str, Any]:
        """The `coach sync --json` object."""
        return {
            "folder": str(self.folder),
            "device": self.device,
            "received": self.received,
            "sent": self.sent,
            "devices": list(self.devices),
            "problems": list(self.problems),
            "compacted": self.compacted,
            "seconds": round(self.seconds, 3),
        }


class _FileState(Struct, frozen=True):
    generation: str
    offset: int
    size: int
    mtime_ns: int
    problem: str | None


def sync(
    data_dir: Path,
    folder: Path,
    *,
    clock: Clock | None = None,
    wait_seconds: float = WAIT_FOR_OTHER_SYNC,
    day_start_hour: int = 4,
) -> SyncReport:
    """Sync the history in `data_dir` through `folder`. `clock` (tests) stands for this machine's clock: edit times
    are shifted by how far it is from the system clock. SyncError or another CoachError with one message when it
    cannot run; problems with single files are in the report, and the rest still merges."""
    started = time.perf_counter()
    folder = check_folder(folder)
    store = open_store(data_dir, day_start_hour=day_start_hour, maintenance=False)
    shift_ms = 0 if clock is None else round((clock() - datetime.now(UTC)).total_seconds() * 1000)
    try:
        with sync_lock(data_dir, wait_seconds), closing(connect(store.path)) as connection:
            connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            report = _sync(connection, folder, shift_ms)
    except SyncBusy:
        raise SyncBusyError(f"another coach is syncing {data_dir} right now; try again in a moment") from None
    except sqlite3.Error as error:
        raise to_coach_error(store.path, error) from None
    except OSError as error:
        where = error.filename or folder
        raise SyncError(f"cannot sync through {folder}: {where}: {explain(error)}") from None
    return replace(report, seconds=time.perf_counter() - started)


def sync_in_background(data_dir: Path, sync_folder: str, day_start_hour: int) -> tuple[SyncReport | None, str | None]:
    """The app's and `coach run`'s sync (at start and after a session): (None, None) when `sync_folder` is "" (off);
    otherwise the report, and one line for the user when something went wrong. Never raises: it runs in a thread
    nobody waits on, and a sync that cannot run must not take a session down with it. A sync already running for
    this data folder is not waited for (the next one merges what this one would have)."""
    folder = folder_from_setting(sync_folder)
    if folder is None:
        return None, None
    try:
        report = sync(data_dir, folder, wait_seconds=0.0, day_start_hour=day_start_hour)
    except SyncBusyError:
        return None, None
    except CoachError as error:
        return None, f"Sync: {error}"
    except Exception as error:  # noqa: BLE001 - a background job reports, it does not crash the app
        return None, f"Sync through {folder} failed: {type(error).__name__}: {error}"
    problems = len(report.problems)
    if not problems:
        return report, None
    return report, f"Sync: {report.problems[0]}" + (
        f" (and {problems - 1} more: `coach sync` lists them)" if problems > 1 else ""
    )


def folder_from_setting(text: str) -> Path | None:
    """The folder `sync_folder` names: None when it is "" (sync off); `~` is the home folder, and a relative path
    is taken from the home folder (settings do not depend on where coach was started)."""
    if not text.strip():
        return None
    folder = Path(text.strip()).expanduser()
    return folder if folder.is_absolute() else Path.home() / folder


def check_folder(folder: Path) -> Path:
    """The sync folder, absolute; SyncError when it is missing, not a folder, or not writable."""
    folder = folder.expanduser()
    if not folder.exists():
        raise SyncError(
            f"the sync folder {folder} does not exist; create it (or let your file-sync tool create it) first"
        )
    if not folder.is_dir():
        raise SyncError(f"the sync folder {folder} is not a folder")
    if not os.access(folder, os.R_OK | os.W_OK | os.X_OK):
        raise SyncError(f"the sync folder {folder} cannot be read and written by this user")
    return folder.resolve()


def _sync(connection: sqlite3.Connection, folder: Path, shift_ms: int) -> SyncReport:
    device = replica.meta(connection, "device")
    if device is None:
        with write_transaction(connection):
            device = replica.meta(connection, "device") or replica.start_tracking(connection)
    device = str(device)
    if replica.meta(connection, "folder") != str(folder):
        with write_transaction(connection):  # another folder: read its journals from the start, write ours whole
            connection.execute("DELETE FROM sync_files")
            replica.set_meta(connection, "folder", str(folder))
            replica.set_meta(connection, "generation", None)
    states = _file_states(connection)
    files = scan(folder)
    problems: list[str] = []
    best, new_states, readable = _read_journals(folder, files, states, problems)
    received = _merge(connection, best, new_states, shift_ms)
    own = folder / journal_name(device)
    own_state = _file_states(connection).get(own.name)
    sent, compacted = _send(connection, device, own, own_state, shift_ms)
    return SyncReport(
        folder=folder,
        device=device,
        received=_labelled(received),
        sent=_labelled(sent),
        devices=tuple(sorted(readable - {device})),
        problems=tuple(problems),
        compacted=compacted,
    )


def _file_states(connection: sqlite3.Connection) -> dict[str, _FileState]:
    return {
        str(row[0]): _FileState(*row[1:])
        for row in connection.execute("SELECT name, generation, offset, size, mtime_ns, problem FROM sync_files")
    }


def _read_journals(
    folder: Path, files: list[FileSeen], states: dict[str, _FileState], problems: list[str]
) -> tuple[dict[str, Event], list[tuple[Any, ...]], set[str]]:
    """The best event per register among the new lines of every journal, the journals' new read positions, and
    the devices whose journals could be read. A file whose size and time are as last seen is not opened."""
    best: dict[str, Event] = {}
    new_states: list[tuple[Any, ...]] = []
    readable: set[str] = set()
    for file in files:
        path = folder / file.name
        if file.device is None:
            problems.append(f"{path}: not a coach journal (ignored)")
            continue
        state = states.get(file.name)
        if state is not None and (state.size, state.mtime_ns) == (file.size, file.mtime_ns):
            if state.problem:
                problems.append(f"{path}: {state.problem}")
            else:
                readable.add(file.device)
            continue
        try:
            reading = read_new_lines(path, file.device, state.generation if state else "", state.offset if state else 0)
        except JournalProblem as problem:
            problems.append(f"{path}: {problem}")
            new_states.append((file.name, "", 0, file.size, file.mtime_ns, str(problem)))
            continue
        if reading is None:
            continue  # not even its first line has arrived: next time
        bad, first_bad = 0, ""
        for item in _parsed(reading.lines):
            try:
                if isinstance(item, _Unreadable):
                    raise BadEvent("not JSON")
                event = read_event(item, file.device)
            except BadEvent as error:
                bad, first_bad = bad + 1, first_bad or str(error)
                continue
            current = best.get(event.key)
            if current is None or (event.version, event.device) > (current.version, current.device):
                best[event.key] = event
        if bad:
            problems.append(
                f"{path}: {bad} line{'s' if bad > 1 else ''} could not be read and {'were' if bad > 1 else 'was'} "
                f"skipped (first: {first_bad}); the rest was merged"
            )
        new_states.append((file.name, reading.generation, reading.offset, file.size, file.mtime_ns, None))
        readable.add(file.device)
    return best, new_states, readable


class _Unreadable:
    """A line that is not JSON (or not UTF-8, or nested past the reader's depth)."""


def _parsed(lines: list[bytes]) -> list[object]:
    """Each line parsed: all at once as one JSON array (one call into the C parser, about twice as fast), or line by
    line when that fails, so that a damaged line costs only itself."""
    try:
        return list(json.loads(b"[" + b",".join(lines) + b"]"))
    except (ValueError, RecursionError):
        pass
    parsed: list[object] = []
    for line in lines:
        try:
            parsed.append(json.loads(line))
        except (ValueError, RecursionError):
            parsed.append(_Unreadable())
    return parsed


def _merge(
    connection: sqlite3.Connection, best: dict[str, Event], new_states: list[tuple[Any, ...]], shift_ms: int
) -> Counter[str]:
    """Apply the events in short transactions; the read positions go in with the last one."""
    received: Counter[str] = Counter()
    if not best and not new_states:
        return received
    ordered = sorted(best.values(), key=lambda event: replica.APPLY_ORDER[event.key[0]])
    steps = [ordered[i : i + EVENTS_PER_TRANSACTION] for i in range(0, len(ordered), EVENTS_PER_TRANSACTION)]
    for index, step in enumerate(steps or [[]]):
        with write_transaction(connection):
            received += replica.apply(connection, step, shift_ms)
            if index == max(0, len(steps) - 1):
                _save_states(connection, new_states)
    return received


def _save_states(connection: sqlite3.Connection, states: list[tuple[Any, ...]]) -> None:
    connection.executemany(
        "INSERT INTO sync_files (name, generation, offset, size, mtime_ns, problem) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (name) DO UPDATE SET generation = excluded.generation, offset = excluded.offset, "
        "size = excluded.size, mtime_ns = excluded.mtime_ns, problem = excluded.problem",
        states,
    )


def _send(
    connection: sqlite3.Connection, device: str, own: Path, own_state: _FileState | None, shift_ms: int
) -> tuple[Counter[str], bool]:
    """Write the waiting local changes to this device's journal (appended), or write the journal whole when it is
    missing, was written by another copy of this data folder, or has grown past twice what it stands for."""
    generation = replica.meta(connection, "generation")
    whole = generation is None or own_state is None or own_state.generation != generation or not own.exists()
    if not whole and replica.pending_count(connection) == 0:
        return Counter(), False
    with write_transaction(connection):
        out = replica.outgoing(connection, shift_ms)
        replica.sent(connection, out, device)
        lines = [encode(event) for event in out.events]
        own_lines = int(replica.meta(connection, "own_lines") or 0) + len(lines)
        if not whole and own_lines > max(COMPACT_MIN_LINES, 2 * replica.authored_count(connection, device)):
            whole = True
        if whole:
            generation = new_generation()
            body = [encode(event) for event in replica.snapshot(connection, device)]
            info = rewrite(own, [header_line(device, generation), *body])
            own_lines = len(body)
            replica.set_meta(connection, "generation", generation)
        else:
            info = append(own, lines)
        replica.set_meta(connection, "own_lines", own_lines)
        _save_states(connection, [(own.name, generation, info.st_size, info.st_size, info.st_mtime_ns, None)])
    return out.counts, whole


def _labelled(counts: Counter[str]) -> dict[str, int]:
    return {label: counts[prefix] for prefix, label in COUNTED_AS.items() if counts[prefix]}
