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

- `summary.py`: the summary of past days that lets streaks and screens read only the recent ones;
- `daily_job.py`: the day's check and backup in a detached process (started by `maintenance.start_daily`).

Start-up (the one trick here, measured; issue 12 item 2): the cramp diary (`cramps.py`, which brings
`coach.diary.entries`, `coach.diary.insights`, uuid and csv) is imported by `Store.diary` and by an import that
holds cramps, not with the store: `coach status` and `coach streaks` never use it. Measured on 2026-11-30
(`/tmp`-run A/B of 30 interleaved runs each, load average 1.8): `coach status` 107 -> 97 ms, `coach streaks`
108 -> 100 ms (-9 % and -7 %).

See docs/history.md for the schema, the rules and the commands.
"""
