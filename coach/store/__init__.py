"""The history store: every session in a SQLite file in the user data folder, plain Python (never textual).

The one way in is `coach.store.store.Store` (the gateway): reads and small writes for the app and the commands,
`recorder(on_problem)` for a session, `maintain()` for the day's check and backup (once per process). Modules,
by what they hold:

- `store.py`: the gateway, `open_store`, `open_recorder` (for `coach run --plain`);
- `connection.py`: opening, pragmas, write transactions, errors in the user's words;
- `migrations.py`: the versioned schema; `maintenance.py`: what opening does; `backups.py`: daily copies, repair;
- `queries.py`: the SQL of sessions; `views.py`: streaks, calendar, the home and history views;
- `cramps.py`: the cramp diary; `exchange.py`: import checks and export; `formats.py`: JSON/CSV writing;
- `recorder.py`, `recorder_thread.py`: recording a session; `spool.py`: finished sessions kept aside;
- `locks.py`: which running sessions are alive; `records.py`: the records handed out; `plan.py`: today's slots.

See docs/history.md for the schema, the rules and the commands.
"""
