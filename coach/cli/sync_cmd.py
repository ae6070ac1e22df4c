"""`coach sync`: merge this machine's history with the others that share the sync folder, now, and say what came in
and what went out (`--json` too). `--folder PATH` syncs through PATH this once; otherwise `sync_folder` in
settings.toml names the folder. See docs/sync.md."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from coach.sync.engine import SyncReport

SINGULAR = {
    "sessions": "session",
    "notes": "note",
    "sessions deleted": "session deleted",
    "rest days": "rest day",
    "cramps": "cramp",
    "cramps deleted": "cramp deleted",
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sync",
        help="merge your history with your other machines through a synced folder",
        description="Merge the history of every machine that shares the sync folder (sessions, notes, rest days, "
        "cramps, deletions): read what the others wrote there, write what is new here. The folder is "
        "`sync_folder` in settings.toml, or --folder for this once; a file-sync tool (Syncthing, Nextcloud, "
        "Dropbox...) carries it between machines.",
    )
    parser.add_argument("--folder", metavar="PATH", help="sync through PATH this once instead of sync_folder")
    parser.add_argument("--json", action="store_true", help="print what came in and went out as a JSON object")
    parser.set_defaults(handler="coach.cli.sync_cmd:run")


def run(args: argparse.Namespace) -> int:
    import json
    import sys
    from pathlib import Path

    from coach.common.paths import data_dir, settings_file
    from coach.common.problems import CoachError
    from coach.common.safe_text import printable
    from coach.config.settings import load_settings
    from coach.sync.engine import folder_from_setting, sync

    loaded = load_settings()
    for setting_problem in loaded.problems:
        print(printable(f"coach: {setting_problem} (using the default)"), file=sys.stderr)
    folder = Path(args.folder) if args.folder else folder_from_setting(loaded.settings.sync_folder)
    if folder is None:
        raise CoachError(
            f'no sync folder: set sync_folder = "PATH" in {settings_file()}, or give --folder PATH '
            "(a folder your file-sync tool shares between your machines)"
        )
    report = sync(data_dir(args.data_dir), folder, day_start_hour=loaded.settings.day_start_hour)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
        return 0
    for problem in report.problems:
        print(printable(f"coach: {problem}"), file=sys.stderr)
    print(summary(report))
    return 0


def summary(report: SyncReport) -> str:
    """What a sync did, in three lines."""
    from coach.common.safe_text import printable

    others = len(report.devices)
    devices = "no other machine yet" if not others else f"{others} other machine{'s' if others > 1 else ''}"
    return (
        f"Synced through {printable(str(report.folder))} ({devices}).\n"
        f"In:  {_counts(report.received)}\n"
        f"Out: {_counts(report.sent)}"
    )


def _counts(counts: dict[str, int]) -> str:
    if not counts:
        return "nothing new"
    return ", ".join(f"{number} {SINGULAR[label] if number == 1 else label}" for label, number in counts.items())
