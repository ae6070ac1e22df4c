"""The history store: every session in a SQLite file in the user data folder, plain Python (never textual).

What the rest of coach calls:

- `open_recorder(data_dir, on_problem=...)` -> HistoryRecorder, the `coach.recording.Recorder` a session runner
  writes to; it never raises and reports a failure once ("History is not being saved: <path>: <reason>").
- `open_store(data_dir)` -> Store, for reading and small edits: `today_view(planned)` for the home screen,
  `history_view(planned)` for the history screen (run it in a worker thread), `streaks(planned, today)`,
  `sessions(...)`, `set_note(...)`, `mark_rest_day(...)`, `import_records(...)`.
- `quarantine_damaged(data_dir)` and `restore_latest_backup(data_dir)` for `coach history repair`.

See docs/history.md for the schema, the streak rules and the commands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coach.store.backups import daily_backups, quarantine_damaged, restore_latest_backup
    from coach.store.connection import DB_NAME, DamagedHistoryError, HistoryBusyError, HistoryError, database_path
    from coach.store.migrations import LATEST_VERSION, MIGRATIONS
    from coach.store.recorder import HistoryRecorder, NullRecorder, open_recorder
    from coach.store.records import DaySummary, HistoryView, ImportResult, RestDay, SessionRecord, TodayView
    from coach.store.store import Store, history_exists, open_store

# Names are imported when first used, so `coach status` pays only for what it reads (PEP 562).
_HOMES = {
    "daily_backups": "backups",
    "quarantine_damaged": "backups",
    "restore_latest_backup": "backups",
    "DB_NAME": "connection",
    "DamagedHistoryError": "connection",
    "HistoryBusyError": "connection",
    "HistoryError": "connection",
    "database_path": "connection",
    "LATEST_VERSION": "migrations",
    "MIGRATIONS": "migrations",
    "HistoryRecorder": "recorder",
    "NullRecorder": "recorder",
    "open_recorder": "recorder",
    "DaySummary": "records",
    "HistoryView": "records",
    "ImportResult": "records",
    "RestDay": "records",
    "SessionRecord": "records",
    "TodayView": "records",
    "Store": "store",
    "history_exists": "store",
    "open_store": "store",
}

__all__ = [
    "DB_NAME",
    "DamagedHistoryError",
    "DaySummary",
    "HistoryBusyError",
    "HistoryError",
    "HistoryRecorder",
    "HistoryView",
    "ImportResult",
    "LATEST_VERSION",
    "MIGRATIONS",
    "NullRecorder",
    "RestDay",
    "SessionRecord",
    "Store",
    "TodayView",
    "daily_backups",
    "database_path",
    "history_exists",
    "open_recorder",
    "open_store",
    "quarantine_damaged",
    "restore_latest_backup",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'coach.store' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"coach.store.{home}"), name)
    globals()[name] = value
    return value
