"""Sync: one history on every machine, through a folder the user's file-sync tool (Syncthing, Nextcloud, Dropbox,
a git repository) already keeps in step. Plain Python: never imports textual or coach.ui.

Each data folder writes only its own journal in the sync folder (`coach-<device id>.jsonl`, JSON lines of events)
and reads everyone else's, conflict copies included; the merge is coach's, by id and version, so that every
machine ends with the same history. `coach.sync.engine.sync(data_dir, folder)` runs one sync and returns a
SyncReport. The rules are in docs/sync.md.
"""
