"""`coach export [--format json|csv] [-o FILE] [--rest-days | --cramps]`: the whole history, to keep or to move
elsewhere."""

from __future__ import annotations

import argparse

from coach.common.safe_text import echo_error, escape_json, printable


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write the history as JSON or CSV",
        description="Write every finished session as a JSON array (what `coach import` reads) or as CSV. "
        "Rest days are written separately with --rest-days, the cramp diary with --cramps.",
    )
    parser.add_argument("--format", choices=("json", "csv"), default="json", help="json (default) or csv")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of the terminal")
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument(
        "--rest-days", action="store_true", help="export the rest days instead of the sessions (importable too)"
    )
    kind.add_argument(
        "--cramps", action="store_true", help="export the cramp diary instead of the sessions (importable too)"
    )
    parser.set_defaults(handler="coach.cli.export_cmd:run")


def run(args: argparse.Namespace) -> int:
    import sys

    from coach.cli.history_cmd import open_history
    from coach.store.exchange import rest_days_csv, rest_days_json, sessions_csv, sessions_json

    store = open_history(args)
    if getattr(args, "cramps", False):
        from coach.store.cramps import cramps_csv, cramps_json

        entries = store.diary.entries(newest_first=False)
        text = cramps_json(entries) if args.format == "json" else cramps_csv(entries)
        what = f"{len(entries)} cramp{'s' if len(entries) != 1 else ''}"
    elif args.rest_days:
        rests = store.rest_days()
        text = rest_days_json(rests) if args.format == "json" else rest_days_csv(rests)
        what = f"{len(rests)} rest day{'s' if len(rests) != 1 else ''}"
    else:
        sessions = store.sessions(newest_first=False, include_running=False)
        text = sessions_json(sessions) if args.format == "json" else sessions_csv(sessions)
        what = f"{len(sessions)} session{'s' if len(sessions) != 1 else ''}"
    if not args.output or args.output == "-":
        # JSON stays the same data with its invisible characters escaped; CSV has no escapes, so only a terminal
        # gets it made printable (a pipe or a redirect gets the data as recorded)
        if args.format == "json":
            text = escape_json(text)
        elif sys.stdout.isatty():
            text = printable(text)
        sys.stdout.write(text)
        return 0
    _write(args.output, text)
    echo_error(f"Exported {what} to {args.output}.")
    return 0


def _write(shown: str, text: str) -> None:
    """Write the file atomically: a crash never leaves half an export where a good one was."""
    import os
    import tempfile
    from pathlib import Path

    from coach.common.problems import CoachError

    path = Path(shown).expanduser()
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".partial")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as error:
        raise CoachError(f"{shown}: cannot write the export: {error.strerror or error}") from None
