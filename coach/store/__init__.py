"""The history store: every session in a SQLite file in the user data folder, plain Python (never textual).

What the rest of coach calls:

- `open_recorder(data_dir, on_problem=...)` -> HistoryRecorder, the `coach.engine.recording.Recorder` a session runner
  writes to; it never raises and reports a failure once ("History is not being saved: <path>: <reason>").
- `open_store(data_dir)` -> Store, for reading and small edits: `today_view(planned)` for the home screen,
  `history_view(planned)` for the history screen (run it in a worker thread), `streaks(planned, today)`,
  `sessions(...)`, `set_note(...)`, `mark_rest_day(...)`, `import_records(...)`.
- `quarantine_damaged(data_dir)` and `restore_latest_backup(data_dir)` for `coach history repair`.

See docs/history.md for the schema, the streak rules and the commands.
"""
