"""One sync at a time per data folder (the app's background sync and a `coach sync` in another terminal): an OS lock
on `sync.lock` in the data folder, dropped by the OS when the process dies."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from coach.store.locks import try_lock, unlock

LOCK_NAME = "sync.lock"


class SyncBusy(Exception):
    """Another coach has been syncing this data folder for longer than we wait."""


@contextmanager
def sync_lock(data_dir: Path, wait_seconds: float) -> Iterator[None]:
    """Hold the data folder's sync lock, waiting up to `wait_seconds` for another coach; SyncBusy otherwise.
    OSError when the lock file cannot be made."""
    fd = os.open(data_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait_seconds
        while not try_lock(fd):
            if time.monotonic() >= deadline:
                raise SyncBusy
            time.sleep(random.uniform(0.01, 0.05))
        try:
            yield
        finally:
            unlock(fd)
    finally:
        os.close(fd)
