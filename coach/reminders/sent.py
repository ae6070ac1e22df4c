"""Which reminders were sent, so each slot is reminded once per coach day however often the timer runs.

One small file per sent reminder in `<data folder>/reminders/`, named by coach day and slot. It is created with
O_EXCL, which is atomic: of two `coach remind` running at once, only one claims a reminder and sends it, with no
lock to leave behind. A claim whose notification then failed is released, so the next run tries again.
"""

from __future__ import annotations

import contextlib
import os
from datetime import date, datetime, timedelta
from pathlib import Path

FOLDER = "reminders"
KEEP_DAYS = 14
"""Claims older than this many coach days are removed (nothing reads them)."""


class SentLog:
    """The reminders sent from one data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / FOLDER

    def _path(self, day: date, slot: str) -> Path:
        return self.folder / f"{day.isoformat()}.{slot}"

    def sent(self, day: date) -> dict[str, datetime | None]:
        """The slots reminded of on a coach day, with when (None when the file does not say)."""
        found: dict[str, datetime | None] = {}
        prefix = f"{day.isoformat()}."
        try:
            names = [entry.name for entry in os.scandir(self.folder)]
        except OSError:
            return found
        for name in names:
            if name.startswith(prefix):
                found[name[len(prefix) :]] = self._when(self.folder / name)
        return found

    def claim(self, day: date, slot: str, now: datetime) -> bool:
        """Mark a reminder as sent; False when it already was (by this run or another). Raises OSError when the
        folder cannot be written."""
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self._path(day, slot), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return False
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(now.isoformat(timespec="seconds") + "\n")
        return True

    def release(self, day: date, slot: str) -> None:
        """Undo a claim whose notification could not be shown (the next run tries again)."""
        with contextlib.suppress(OSError):
            self._path(day, slot).unlink()

    def prune(self, today: date) -> None:
        """Remove the claims of coach days more than KEEP_DAYS before `today` (never raises)."""
        oldest = (today - timedelta(days=KEEP_DAYS)).isoformat()
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.folder):
                day = entry.name.partition(".")[0]
                if len(day) == 10 and day < oldest:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)

    @staticmethod
    def _when(path: Path) -> datetime | None:
        try:
            return datetime.fromisoformat(path.read_text(encoding="utf-8", errors="replace")[:64].strip())
        except (OSError, ValueError):
            return None
