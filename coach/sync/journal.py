"""Journal files in the sync folder: their names (conflict copies included), reading new whole lines from where the
last sync stopped, appending to this device's own journal, and rewriting it whole (atomically).

A journal is `coach-<device id>.jsonl`: a header line, then one event per line (coach.sync.events). Only the device
it is named after writes it; every other device only reads it. File-sync tools that meet two versions of one file
keep both, the other under a name of their own (Syncthing `.sync-conflict-...`, Nextcloud and Dropbox `(...conflicted
copy...)`): any name that starts with `coach-<device id>` and ends in `.jsonl` is read as that device's journal.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
from pathlib import Path

from msgspec import Struct

JOURNAL_FORMAT = 1
"""The format this coach writes; a journal with a higher one was written by a newer coach and is left alone."""
_NAME = re.compile(r"coach-(?P<device>[0-9a-f]{16})(?P<copy>.*)\.jsonl", re.DOTALL)
_TRANSFER_SUFFIXES = (".tmp", ".part", ".partial", ".!sync", ".crdownload", "~")
"""Names file-sync tools give files still arriving: not journals yet, and not foreign either."""
_SYSTEM_FILES = frozenset({"desktop.ini", "thumbs.db", "icon\r"})
_TAIL_BLOCK = 65_536


class JournalProblem(Exception):
    """A file in the sync folder that cannot be read as a journal; the message says why, for the user."""


def journal_name(device: str) -> str:
    """The file name of a device's journal."""
    return f"coach-{device}.jsonl"


def journal_device(name: str) -> str | None:
    """The device whose journal (or a file-sync tool's conflict copy of it) `name` is; None when it is not one."""
    match = _NAME.fullmatch(name)
    return match.group("device") if match else None


def is_ignored(name: str) -> bool:
    """Hidden files, files still arriving and the desktop's own files: not journals, and not worth a message."""
    lowered = name.lower()
    return name.startswith(".") or lowered.endswith(_TRANSFER_SUFFIXES) or lowered in _SYSTEM_FILES


class FileSeen(Struct, frozen=True):
    """A file in the sync folder, as `os.stat` saw it."""

    name: str
    device: str | None
    size: int
    mtime_ns: int


def scan(folder: Path) -> list[FileSeen]:
    """The files of the sync folder worth looking at (not hidden, not arriving), sorted by name. OSError when
    the folder cannot be listed."""
    seen = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if is_ignored(entry.name):
                continue
            try:
                if not entry.is_file():
                    continue
                info = entry.stat()
            except OSError:
                continue  # gone since it was listed, or a broken link
            seen.append(FileSeen(entry.name, journal_device(entry.name), info.st_size, info.st_mtime_ns))
    return sorted(seen, key=lambda file: file.name)


def header_line(device: str, generation: str) -> bytes:
    """The first line of a journal."""
    return _line({"coach_journal": JOURNAL_FORMAT, "device": device, "generation": generation})


def new_generation() -> str:
    """A fresh generation: readers that see it change know the journal was rewritten and read it from the top."""
    return secrets.token_hex(8)


def encode(event: dict[str, object]) -> bytes:
    """One event as one line."""
    return _line(event)


def _line(item: dict[str, object]) -> bytes:
    return json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


class Reading(Struct, frozen=True):
    """What reading a journal found: its header's generation, the complete new lines, and where they end."""

    generation: str
    lines: list[bytes]
    offset: int
    """The position after the last complete line: the next read starts there."""


def read_new_lines(path: Path, device: str, generation: str, offset: int) -> Reading | None:
    """The whole lines of a journal after `offset`, or all of them when its generation is not `generation` (its
    owner rewrote it). None when not even the header has arrived whole. A last line without its newline is a
    line still arriving: left for next time. JournalProblem when the file is not a journal this coach can read."""
    try:
        with path.open("rb") as handle:
            head = handle.readline(4096)
            if not head.endswith(b"\n"):
                if len(head) >= 4096 or (head and not head.startswith(b"{")):
                    raise JournalProblem("not a coach journal (ignored)")
                return None
            found = _read_header(head, device)
            start = offset if found == generation and len(head) <= offset else len(head)
            handle.seek(start)
            data = handle.read()
    except OSError as error:
        raise JournalProblem(f"cannot be read ({error.strerror or error})") from None
    end = data.rfind(b"\n") + 1
    lines = [line for line in data[:end].split(b"\n") if line.strip()]
    return Reading(found, lines, start + end)


def _read_header(head: bytes, device: str) -> str:
    try:
        item = json.loads(head)
    except ValueError:
        raise JournalProblem("not a coach journal (ignored)") from None
    if not isinstance(item, dict) or not isinstance(item.get("coach_journal"), int):
        raise JournalProblem("not a coach journal (ignored)")
    if item["coach_journal"] > JOURNAL_FORMAT:
        raise JournalProblem(
            f"written by a newer coach (journal format {item['coach_journal']}, this coach reads up to "
            f"{JOURNAL_FORMAT}); update coach on this machine to merge it"
        )
    if item.get("device") != device:
        raise JournalProblem("its header names another device than its file name (ignored)")
    generation = item.get("generation")
    if not isinstance(generation, str) or not generation:
        raise JournalProblem("not a coach journal: its header has no generation (ignored)")
    return generation


def append(path: Path, lines: list[bytes]) -> os.stat_result:
    """Add lines at the end of this device's own journal and flush them to disk. A tail without its newline (a
    write cut short by a crash) is cut off first: that event is still waiting in the history and goes out again."""
    fd = os.open(path, os.O_RDWR)
    try:
        end = os.lseek(fd, 0, os.SEEK_END)
        keep = _last_line_end(fd, end)
        if keep != end:
            os.ftruncate(fd, keep)
        os.lseek(fd, keep, os.SEEK_SET)
        _write_all(fd, b"".join(lines))
        os.fsync(fd)
        return os.fstat(fd)
    finally:
        os.close(fd)


def _last_line_end(fd: int, end: int) -> int:
    """The position just after the file's last newline (0 when there is none)."""
    position = end
    while position > 0:
        start = max(0, position - _TAIL_BLOCK)
        block = os.pread(fd, position - start, start)
        newline = block.rfind(b"\n")
        if newline >= 0:
            return start + newline + 1
        position = start
    return 0


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def rewrite(path: Path, lines: list[bytes]) -> os.stat_result:
    """Replace a journal by `lines` at once: written beside it under a hidden name, flushed, then renamed over it,
    so a reader (or a file-sync tool) sees the old file or the new one, never half of one."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            _write_all(fd, b"".join(lines))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    _sync_folder(path.parent)
    return path.stat()


def _sync_folder(folder: Path) -> None:
    """Flush the rename itself (POSIX); a no-op where folders cannot be opened."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
