"""`coach history`: every recorded session; `history note` adds a note, `history rest` marks a rest day,
`history repair` deals with a damaged history file."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO, cast

from coach.cli.printing import rich_text
from coach.common.safe_text import EscapingWriter, echo, echo_error, escape_json

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from coach.store.records import SessionRecord
    from coach.store.store import Store

DEFAULT_TABLE_LIMIT = 50
SLOT_LABELS = {"morning": "☀ morning", "evening": "☾ evening", "bedtime": "🛁 bedtime"}
EMPTY_HISTORY = "No sessions recorded yet. Start one with `coach run toe-exercises`, or open `coach`."


def day_argument(text: str) -> date:
    """argparse type for YYYY-MM-DD (a usage error otherwise)."""
    from datetime import date

    try:
        if len(text) == 10:
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, not {text!r}")


def _discomfort_argument(text: str) -> int:
    if text.isdigit() and 0 <= int(text) <= 10:
        return int(text)
    raise argparse.ArgumentTypeError(f"discomfort is a whole number from 0 to 10, not {text!r}")


MAX_LIMIT = 2**63 - 1
"""A larger --limit means all of them (SQLite's LIMIT takes a 64-bit integer)."""


def _limit_argument(text: str) -> int:
    if text.isascii() and text.isdigit():
        return 0 if len(text) > 18 and int(text) > MAX_LIMIT else int(text)
    raise argparse.ArgumentTypeError(f"expected a whole number (0 for all), not {text!r}")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "history",
        help="list recorded sessions; add notes, mark rest days, repair",
        description="Recorded sessions, oldest first (the latest 50 unless --limit says otherwise). "
        "`--json` prints them as the export's JSON array.",
    )
    parser.add_argument("--json", action="store_true", help="print the sessions as a JSON array (as `coach export`)")
    parser.add_argument(
        "--since", type=day_argument, metavar="DATE", help="only sessions on or after DATE (YYYY-MM-DD)"
    )
    parser.add_argument("--routine", metavar="ID", help="only sessions of this routine id")
    parser.add_argument(
        "--limit",
        type=_limit_argument,
        metavar="N",
        help=f"show the latest N sessions (table default {DEFAULT_TABLE_LIMIT}, JSON default all; 0 for all)",
    )
    parser.set_defaults(handler="coach.cli.history_cmd:run")
    actions = parser.add_subparsers(title="actions", metavar="ACTION", dest="history_action")

    note = actions.add_parser(
        "note", help="add a note (and a 0-10 discomfort) to a session", description="Add or change a session's note."
    )
    note.add_argument("session_id", metavar="ID", help="the session id, or its first characters (see `coach history`)")
    note.add_argument("text", nargs="?", metavar="TEXT", help='the note ("" removes it)')
    note.add_argument(
        "--discomfort", type=_discomfort_argument, metavar="N", help="how much discomfort, 0 (none) to 10"
    )
    note.set_defaults(handler="coach.cli.history_cmd:run_note")

    rest = actions.add_parser(
        "rest",
        help="mark a day as a rest day (it neither breaks nor extends a streak)",
        description="Mark a day (default today) as a rest day: ill, travelling. Streaks carry on across it.",
    )
    rest.add_argument("day", nargs="?", type=day_argument, metavar="DATE", help="YYYY-MM-DD (default: today)")
    rest.add_argument("--note", default="", metavar="TEXT", help="why, e.g. 'flu'")
    rest.add_argument("--undo", action="store_true", help="make it an ordinary day again")
    rest.set_defaults(handler="coach.cli.history_cmd:run_rest")

    delete = actions.add_parser(
        "delete",
        help="delete a recorded session (asks first)",
        description="Delete one past session. It is gone from the history, the export and the streaks, and "
        "`coach import` never brings it back. Asks first when run in a terminal; --yes skips the question.",
    )
    delete.add_argument(
        "session_id", metavar="ID", help="the session id, or its first characters (see `coach history`)"
    )
    delete.add_argument("--yes", "-y", action="store_true", help="delete without asking")
    delete.set_defaults(handler="coach.cli.history_cmd:run_delete")

    repair = actions.add_parser(
        "repair",
        help="move a damaged history file aside and restore the newest backup",
        description="If the history file is damaged: move it aside (kept, never deleted), then restore the "
        "newest sound daily backup, or start a fresh history if there is none. Does nothing to a sound file.",
    )
    repair.set_defaults(handler="coach.cli.history_cmd:run_repair")


def open_history(args: argparse.Namespace, *, maintenance: bool = True, read_only_ok: bool = False) -> Store:
    """The history of the data folder chosen by `--data-dir` / COACH_DATA_DIR, with the day-start hour of the
    settings; warnings (a backup that could not be written, sessions saved from the spool) go to stderr. With
    `read_only_ok`, a history that cannot be written is still opened to be read (commands that only show)."""
    from coach.common.paths import data_dir
    from coach.config.settings import load_settings
    from coach.store.store import open_store

    return open_store(
        data_dir(getattr(args, "data_dir", None)),
        day_start_hour=load_settings().settings.day_start_hour,
        maintenance=maintenance,
        background=True,  # the day's check and backup never hold up a command (docs/history.md)
        on_warning=warn,
        read_only_fallback=read_only_ok,
    )


def warn(message: str) -> None:
    """A warning from the history, on stderr: the command goes on."""
    echo_error(f"coach: warning: {message}")


def format_length(seconds: float) -> str:
    """Active time as m:ss, or h:mm:ss from an hour."""
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def run(args: argparse.Namespace) -> int:
    import sys

    from coach.store.formats import write_json_array, write_session_rows

    store = open_history(args, read_only_ok=True)
    json_out = cast(TextIO, EscapingWriter(sys.stdout, escape_json))  # the same data, nothing raw for a terminal
    limit = args.limit if args.limit is not None else (0 if args.json else DEFAULT_TABLE_LIMIT)
    if args.json and not limit:  # everything: streamed, whatever the size of the history
        write_session_rows(store.session_rows(since=args.since, routine=args.routine), json_out)
        return 0
    sessions = store.sessions(
        since=args.since, routine=args.routine, limit=limit or None, include_running=not args.json
    )
    sessions.reverse()  # oldest first, as the export: the newest end up last, next to the prompt
    if args.json:
        write_json_array((record.to_json() for record in sessions), json_out)
        return 0
    if not sessions:
        if args.since or args.routine:
            echo("No sessions match" + _filters_text(args) + ".")
        else:
            echo(EMPTY_HISTORY)
        return 0
    first_day = sessions[0].day
    rests = [rest for rest in store.rest_days(since=first_day) if args.routine is None]
    total = store.count() if not (args.since or args.routine) else None
    _print_table(sessions, rests, total, limit)
    return 0


def _filters_text(args: argparse.Namespace) -> str:
    parts = []
    if args.since:
        parts.append(f"since {args.since.isoformat()}")
    if args.routine:
        parts.append(f"for routine {args.routine!r}")
    return (" " + " ".join(parts)) if parts else ""


def _print_table(sessions: list[SessionRecord], rests: Sequence[object], total: int | None, limit: int) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from coach.store.records import RestDay

    console = Console()
    table = Table(title="History", title_justify="left")
    table.add_column("date", no_wrap=True)
    table.add_column("time", no_wrap=True)
    table.add_column("slot", no_wrap=True)
    table.add_column("routine", ratio=1)
    table.add_column("length", justify="right", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("note", ratio=2)
    table.add_column("id", no_wrap=True)
    rows: list[tuple[str, int, list[Text]]] = []
    for record in sessions:
        status = {
            "completed": Text("✓ done", style="green"),
            "partial": Text("partial", style="yellow"),
            "running": Text("running", style="cyan"),
        }[str(record.status)]
        note = record.note or ""
        if record.discomfort is not None:
            note = (note + " " if note else "") + f"(discomfort {record.discomfort}/10)"
        rows.append(
            (
                record.day.isoformat(),
                1,
                [
                    Text(record.day.isoformat()),
                    Text(record.started_at.strftime("%H:%M")),
                    rich_text(SLOT_LABELS.get(record.slot, record.slot)),
                    rich_text(record.routine_name),
                    Text(format_length(record.active_seconds)),
                    status,
                    rich_text(note),
                    rich_text(record.id[:8], style="dim"),
                ],
            )
        )
    for rest in rests:
        assert isinstance(rest, RestDay)
        rows.append(
            (
                rest.day.isoformat(),
                0,
                [
                    Text(rest.day.isoformat()),
                    Text(""),
                    Text("rest day", style="blue"),
                    Text(""),
                    Text(""),
                    Text(""),
                    rich_text(rest.note),
                    Text(""),
                ],
            )
        )
    rows.sort(key=lambda row: (row[0], row[1]))
    for _, _, cells in rows:
        table.add_row(*cells)
    console.print(table)
    if total is not None and limit and total > len(sessions):
        console.print(f"The latest {len(sessions)} of {total} sessions; `coach history --limit 0` shows all.")


def run_note(args: argparse.Namespace) -> int:
    store = open_history(args)
    record = store.find(args.session_id)
    if args.text is None and args.discomfort is None:
        echo(_describe(record) + (f": {record.note}" if record.note else ": no note"))
        return 0
    note = record.note if args.text is None else (args.text.strip() or None)
    updated = store.set_note(record.id, note, args.discomfort, set_discomfort=args.discomfort is not None)
    parts = [f"note: {updated.note}" if updated.note else "no note"]
    if updated.discomfort is not None:
        parts.append(f"discomfort {updated.discomfort}/10")
    echo(f"{_describe(updated)}: {', '.join(parts)}")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    from coach.cli.confirm import confirmed
    from coach.common.safe_text import printable

    store = open_history(args)
    record = store.find(args.session_id)
    shown = f"{printable(_describe(record))} ({record.status}, id {record.id[:8]})"
    if not confirmed(f"Delete the session {shown}?", shown, yes=args.yes):
        return 1
    store.delete_session(record.id)
    echo(f"Deleted the session {shown}.")
    return 0


def _describe(record: SessionRecord) -> str:
    return f"{record.day.isoformat()} {record.started_at.strftime('%H:%M')} {record.slot} {record.routine_name}"


def run_rest(args: argparse.Namespace) -> int:
    store = open_history(args)
    day = args.day or store.today()
    if args.undo:
        if store.unmark_rest_day(day):
            echo(f"{day.isoformat()} is an ordinary day again.")
        else:
            echo(f"{day.isoformat()} was not a rest day; nothing changed.")
        return 0
    new = store.mark_rest_day(day, args.note.strip())
    what = "is now a rest day" if new else "was already a rest day"
    echo(f"{day.isoformat()} {what}: it neither breaks nor extends your streaks. (`--undo` takes it back.)")
    return 0


def run_repair(args: argparse.Namespace) -> int:
    from coach.common.paths import data_dir
    from coach.config.settings import load_settings
    from coach.store.backups import quarantine_damaged, restore_latest_backup
    from coach.store.connection import DamagedHistoryError
    from coach.store.store import history_exists, open_store

    folder = data_dir(getattr(args, "data_dir", None))
    hour = load_settings().settings.day_start_hour
    if not history_exists(folder):
        echo(f"There is no history file in {folder}; nothing to repair.")
        return 0
    try:
        store = open_store(folder, day_start_hour=hour, maintenance=False, on_warning=warn)
        damaged = store.check() is not None
    except DamagedHistoryError:
        damaged = True
    if not damaged:
        echo(f"The history file {store.path} is sound ({store.count()} sessions); nothing to do.")
        return 0
    moved = quarantine_damaged(folder)
    echo(f"Moved the damaged history file aside, unchanged: {moved}")
    restored = restore_latest_backup(folder)
    if restored is None:
        open_store(folder, day_start_hour=hour, maintenance=False, on_warning=warn)
        echo("There was no sound backup to restore; a fresh, empty history starts now.")
        return 0
    store = open_store(folder, day_start_hour=hour, maintenance=False, on_warning=warn)
    newest = restored.summary.newest[:10] or "none"
    echo(
        f"Restored the backup {restored.path.name}: the one holding the newest data ({store.count()} sessions, "
        f"the newest started {newest} UTC). Sessions recorded after it are only in the file moved aside."
    )
    return 0
