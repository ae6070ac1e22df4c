"""`coach import FILE`: add sessions (and rest days, cramps) from a JSON export; all or nothing, safe to repeat."""

from __future__ import annotations

import argparse

from coach.common.safe_text import echo, echo_error, one_line


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "import",
        help="add sessions from a JSON export (importing the same file again adds nothing)",
        description="Read a JSON array of sessions as `coach export` writes it (rest-day and cramp items too). A "
        "file with any problem imports nothing; every problem is printed as PATH:LINE:COL: message. Sessions and "
        "cramps already in the history (same id) are kept as they are.",
    )
    parser.add_argument("file", metavar="FILE", help="the JSON file ('-' reads standard input)")
    parser.set_defaults(handler="coach.cli.import_cmd:run")


def run(args: argparse.Namespace) -> int:
    import sys
    from datetime import datetime
    from pathlib import Path

    from coach.cli.history_cmd import open_history
    from coach.common.problems import ProblemsError
    from coach.config.settings import load_settings
    from coach.store.exchange import parse_import, read_import_file, read_stream

    # Sessions without a "day" get theirs from their start and the day-start hour in force now.
    hour = load_settings().settings.day_start_hour
    now = datetime.now().astimezone()  # a cramp after this is refused: the diary records what happened
    try:
        if args.file == "-":
            raw = read_stream(sys.stdin.buffer, "<stdin>")
            batch = parse_import(raw, "<stdin>", day_start_hour=hour, now=now)
            del raw
        else:
            batch = read_import_file(Path(args.file), day_start_hour=hour, shown_as=args.file, now=now)
    except ProblemsError as error:
        for problem in error.problems:
            echo_error(one_line(str(problem)))
        count = len(error.problems)
        echo_error(f"coach: nothing was imported ({count} problem{'s' if count != 1 else ''}).")
        return 1
    for warning in batch.warnings:
        echo_error(one_line(str(warning)))
    store = open_history(args)
    result = store.import_rows(batch.rows, batch.rest_days, batch.cramps)
    parts = [_count(result.added, "session")]
    if batch.rest_days:
        parts.append(_count(result.rest_added, "rest day"))
    if batch.cramps:
        parts.append(_count(result.cramps_added, "cramp"))
    message = f"Imported {', '.join(parts[:-1]) + ' and ' if len(parts) > 1 else ''}{parts[-1]} from {args.file}."
    if result.already:
        message += (
            f" {_count(result.already, 'session')} {'was' if result.already == 1 else 'were'} already in your "
            "history and kept as recorded"
        )
        message += f" ({result.differing} with different details in the file)." if result.differing else "."
    if result.deleted:
        message += (
            f" {_count(result.deleted, 'session')} you had deleted {'was' if result.deleted == 1 else 'were'} left out."
        )
    if result.rest_already:
        message += f" {_count(result.rest_already, 'rest day')} already marked."
    if result.cramps_already:
        message += (
            f" {_count(result.cramps_already, 'cramp')} {'was' if result.cramps_already == 1 else 'were'} already in "
            "your diary and kept as logged."
        )
    echo(message)
    return 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
