"""The day's check and backup in a detached process, started by `maintenance.start_daily` so that the day's first
command does not wait for them: `python -m coach.store.daily_job DATA_DIR YYYY-MM-DD LOCK_FD`.

It runs at a lower priority, holds the daily lock (inherited as LOCK_FD) until it ends, and says nothing on a
terminal: what the user should hear goes to the notes file, said by the next coach that opens the history.
"""

from __future__ import annotations

import contextlib
import os
import sys
from datetime import date
from pathlib import Path

from coach.store.maintenance import run_daily_job

NICENESS = 10
"""The job yields the processor to whatever the user runs next (it reads the whole file)."""


def main(argv: list[str]) -> int:
    """Run the job for `argv` = [data folder, day, lock descriptor]; the lock is released when the process ends."""
    if len(argv) != 3:
        return 2
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    run_daily_job(Path(argv[0]), date.fromisoformat(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
