"""Reading a small file the user or another program controls: only a regular file, never more than a cap.

Opening a named pipe for reading waits for a writer, and a device such as /dev/zero never ends, so a routine file,
settings.toml or a cache replaced by either (or a symlink to one) would hang coach or fill its memory. The file is
opened without blocking, checked on the open descriptor (no race with a swap after a stat), and read up to the cap.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MIB = 1024 * 1024


class FileRefused(Exception):
    """The file exists but is not one coach will read: `reason` says why in words for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_regular_file(path: Path, limit: int) -> bytes:
    """The whole content of the regular file at `path` (symlinks followed); raises FileRefused for anything else
    (a folder, a named pipe, a device, a socket) or a file larger than `limit` bytes, OSError when unreadable."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(f"this is {_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise FileRefused(f"the file is {_size(info.st_size)}, more than the {_size(limit)} coach reads")
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, MIB))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:  # it grew while read
            raise FileRefused(f"the file is more than the {_size(limit)} coach reads")
        return data
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _size(size: int) -> str:
    return f"{size / MIB:.1f} MiB" if size >= MIB else f"{size:,} bytes"
