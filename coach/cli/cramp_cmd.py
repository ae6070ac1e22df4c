"""`coach cramp`: log a leg cramp in the diary in a few keystrokes; `cramp list` and `cramp delete ID`.

At a terminal, whatever the options leave out is asked (Enter accepts the default shown); otherwise the options
say it all: `coach cramp --leg left --muscle calf --severity 6 --trigger cold --note "after a long walk"`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from coach.cli.printing import rich_text
from coach.common.safe_text import echo, json_text

if TYPE_CHECKING:
    from datetime import datetime

    from coach.diary.entries import CrampEntry
    from coach.store.store import Store

T = TypeVar("T")
DEFAULT_TABLE_LIMIT = 50
EMPTY_DIARY = "No cramps logged yet. `coach cramp` logs one (`coach cramp --last-night` for last night's)."
WHEN_HELP = "now (default), 'last night', HH:MM (the latest such time) or 'YYYY-MM-DD HH:MM' (local time)"


def _choice(kind: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        from coach.diary.entries import DiaryError, parse_choice

        try:
            return parse_choice(kind, text)
        except DiaryError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    parse.__name__ = kind
    return parse


def _severity(text: str) -> int:
    from coach.diary.entries import DiaryError, parse_severity

    try:
        return parse_severity(text)
    except DiaryError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _limit(text: str) -> int:
    if text.isdigit():
        return int(text)
    raise argparse.ArgumentTypeError(f"expected a whole number (0 for all), not {text!r}")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from coach.cli.history_cmd import day_argument

    parser = subparsers.add_parser(
        "cramp",
        help="log a leg cramp in the diary (`cramp list`, `cramp delete ID`)",
        description="Log a cramp: when, which leg and muscle, how bad (0-10), what may have set it off, a note. "
        "At a terminal, what the options leave out is asked (Enter accepts the default); otherwise give at least "
        "--leg, --muscle and --severity.",
    )
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--at", metavar="WHEN", help=WHEN_HELP)
    when.add_argument(
        "--last-night",
        action="store_true",
        help="at 03:00 last night (the small hours before the current coach day)",
    )
    parser.add_argument("--leg", type=_choice("leg"), metavar="LEG", help="left, right or both (l, r, b)")
    parser.add_argument(
        "--muscle", type=_choice("muscle"), metavar="MUSCLE", help="calf, foot (the foot or toes) or thigh"
    )
    parser.add_argument("--severity", type=_severity, metavar="N", help="how bad, 0 (a twinge) to 10 (the worst)")
    parser.add_argument(
        "--trigger",
        type=_choice("trigger"),
        metavar="KEY",
        help="what may have set it off: cold, effort, sweating, fatigue, calcium, posture, or unknown (default)",
    )
    parser.add_argument("--note", metavar="TEXT", help="anything worth remembering")
    parser.set_defaults(handler="coach.cli.cramp_cmd:run")
    actions = parser.add_subparsers(title="actions", metavar="ACTION", dest="cramp_action")

    listing = actions.add_parser(
        "list",
        help="the cramps in the diary, oldest first",
        description="The logged cramps, oldest first (the latest 50 unless --limit says otherwise). `--json` prints "
        "them as `coach export --cramps` does.",
    )
    listing.add_argument("--json", action="store_true", help="print a JSON array (as `coach export --cramps`)")
    listing.add_argument("--since", type=day_argument, metavar="DATE", help="only cramps on or after DATE")
    listing.add_argument(
        "--limit",
        type=_limit,
        metavar="N",
        help=f"the latest N (table default {DEFAULT_TABLE_LIMIT}, JSON default all; 0 for all)",
    )
    listing.set_defaults(handler="coach.cli.cramp_cmd:run_list")

    delete = actions.add_parser(
        "delete", help="remove a cramp logged by mistake", description="Remove one cramp from the diary."
    )
    delete.add_argument("cramp_id", metavar="ID", help="its id, or its first characters (see `coach cramp list`)")
    delete.add_argument("--yes", "-y", action="store_true", help="delete without asking")
    delete.set_defaults(handler="coach.cli.cramp_cmd:run_delete")


# -- logging ---------------------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    import sys

    from coach.cli.history_cmd import open_history
    from coach.common.problems import CoachError

    missing = [name for name in ("leg", "muscle", "severity") if getattr(args, name) is None]
    interactive = bool(missing) and sys.stdin.isatty()
    if missing and not interactive:
        options = ", ".join(f"--{name}" for name in missing)
        raise CoachError(
            f"give {options} as well (at a terminal, `coach cramp` asks for them); nothing was logged", exit_code=2
        )
    store = open_history(args)
    if interactive:
        entry = ask_and_log(args, store, ask=input, tell=echo)
    else:
        entry = store.diary.log(
            cramp_at=_when(args, store),
            leg=args.leg,
            muscle=args.muscle,
            severity=args.severity,
            trigger=args.trigger or "unknown",
            note=args.note or "",
        )
    echo(logged_message(entry))
    return 0


def _when(args: argparse.Namespace, store: Store) -> datetime:
    from coach.cli.errors import EARLIEST_DAY, LATEST_DAY
    from coach.common.problems import CoachError
    from coach.diary.entries import DiaryError, last_night, parse_when

    now = store.clock()
    if args.last_night:
        return last_night(now, store.day_start_hour)
    if args.at is None:
        return now.replace(microsecond=0)
    try:
        moment = parse_when(args.at, now, store.day_start_hour)
    except DiaryError as error:
        raise CoachError(f"--at: {error}", exit_code=2) from None
    except (ValueError, OverflowError):  # a date at the very edge of the calendar, before a time zone is applied
        moment = None
    if moment is None or not EARLIEST_DAY <= moment.date() <= LATEST_DAY:
        raise CoachError(f"--at {args.at.strip()!r}: give a time from {EARLIEST_DAY} to {LATEST_DAY}")
    return moment


def logged_message(entry: CrampEntry) -> str:
    """What `coach cramp` says once the cramp is in the diary."""
    short = entry.id[:8]
    text = f"Logged a cramp: {entry.describe()} (id {short})."
    if entry.day != entry.cramp_at.date():
        text += f" It counts for the coach day {entry.day.isoformat()}."
    return text + f" `coach cramp delete {short}` takes it back; `coach insights` sets the diary against your sessions."


def ask_and_log(
    args: argparse.Namespace,
    store: Store,
    *,
    ask: Callable[[str], str],
    tell: Callable[[str], None],
) -> CrampEntry:
    """Ask for what the options left out (Enter accepts the default shown), then log the cramp. A bad answer is
    explained and asked again; end of input logs nothing (CoachError)."""
    from coach.cli.errors import EARLIEST_DAY, LATEST_DAY
    from coach.diary.entries import (
        DiaryError,
        check_not_future,
        choices,
        cramp_defaults,
        make_entry,
        parse_choice,
        parse_severity,
        parse_when,
        trigger_title,
    )

    previous = store.diary.entries(limit=1)
    defaults = cramp_defaults(previous[0] if previous else None)  # the same as the app's form
    hour = store.day_start_hour

    def question(prompt: str, default: str, parse: Callable[[str], T]) -> T:
        return _ask_until_valid(ask, tell, f"{prompt} [{default}]: ", default, parse)

    def when(text: str) -> datetime:
        now = store.clock()
        try:
            moment = parse_when(text, now, hour)
        except (ValueError, OverflowError):
            moment = None
        if moment is None or not EARLIEST_DAY <= moment.date() <= LATEST_DAY:
            raise DiaryError(f"give a time from {EARLIEST_DAY} to {LATEST_DAY}")
        check_not_future(moment, now)
        return moment

    if args.last_night or args.at is not None:
        cramp_at = _when(args, store)
    else:
        cramp_at = question("When? now, last night, HH:MM or YYYY-MM-DD HH:MM", "now", when)
    leg = args.leg or question("Which leg? left, right, both", defaults.leg, lambda text: parse_choice("leg", text))
    muscle = args.muscle or question(
        "Which muscle? calf, foot (or toes), thigh", defaults.muscle, lambda t: parse_choice("muscle", t)
    )
    severity = args.severity
    if severity is None:
        severity = question("How bad, 0 (a twinge) to 10 (the worst)?", str(defaults.severity), parse_severity)
    trigger = args.trigger
    if trigger is None:
        tell("What may have set it off? (your guess)")
        for number, key in enumerate(choices("trigger"), start=1):
            tell(f"  {number}. {trigger_title(key)}")
        default_trigger = str(choices("trigger").index(defaults.trigger) + 1)
        trigger = question("Number or name", default_trigger, lambda text: parse_choice("trigger", text))
    note = args.note
    if note is None:
        note = _ask_until_valid(ask, tell, "Note (Enter for none): ", "", str)
    entry = make_entry(
        cramp_at=cramp_at,
        leg=str(leg),
        muscle=str(muscle),
        severity=severity,
        trigger=str(trigger),
        note=note,
        now=store.clock(),
        day_start_hour=hour,
    )
    store.diary.add(entry)
    return entry


def _ask_until_valid(
    ask: Callable[[str], str], tell: Callable[[str], None], prompt: str, default: str, parse: Callable[[str], T]
) -> T:
    """Ask until `parse` accepts the answer (an empty answer is `default`); a refusal is told and asked again.
    End of input logs nothing."""
    from coach.common.problems import CoachError
    from coach.diary.entries import DiaryError

    while True:
        try:
            answer = ask(prompt)
        except EOFError:
            raise CoachError("nothing was logged") from None
        try:
            return parse(answer.strip() or default)
        except DiaryError as error:
            tell(f"  {error}")


# -- list and delete -------------------------------------------------------------------------------------------


def run_list(args: argparse.Namespace) -> int:
    from coach.cli.history_cmd import open_history

    store = open_history(args)
    limit = args.limit if args.limit is not None else (0 if args.json else DEFAULT_TABLE_LIMIT)
    entries = store.diary.entries(since=args.since, limit=limit or None, newest_first=False)
    if args.json:
        echo(json_text([entry.to_json() for entry in entries]))
        return 0
    if not entries:
        echo(f"No cramps logged since {args.since.isoformat()}." if args.since else EMPTY_DIARY)
        return 0
    _print_table(entries)
    total = store.diary.count() if args.since is None else None
    if total is not None and limit and total > len(entries):
        echo(f"The latest {len(entries)} of {total} cramps; `coach cramp list --limit 0` shows all.")
    return 0


def _print_table(entries: list[CrampEntry]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from coach.diary.entries import MUSCLE_TITLES, UNKNOWN, trigger_title

    table = Table(title="Cramp diary", title_justify="left")
    for column in ("date", "time", "leg", "muscle", "how bad", "suspected", "note", "id"):
        table.add_column(column, no_wrap=column != "note", justify="left")
    for entry in entries:
        table.add_row(
            Text(entry.cramp_at.strftime("%Y-%m-%d")),
            Text(entry.cramp_at.strftime("%H:%M")),
            rich_text(entry.leg),
            rich_text(MUSCLE_TITLES.get(entry.muscle, entry.muscle)),
            Text(f"{entry.severity}/10", style="red" if entry.severity >= 7 else ""),
            rich_text(trigger_title(entry.trigger), style="dim" if entry.trigger == UNKNOWN else ""),
            rich_text(entry.note),
            rich_text(entry.id[:8], style="dim"),
        )
    Console().print(table)


def run_delete(args: argparse.Namespace) -> int:
    from coach.cli.confirm import confirmed
    from coach.cli.history_cmd import open_history

    store = open_history(args)
    entry = store.diary.find(args.cramp_id)
    shown = f"{entry.describe()} (id {entry.id[:8]})"
    if not confirmed(f"Delete the cramp of {shown}?", f"the cramp of {shown}", yes=args.yes):
        return 1
    store.diary.delete(entry.id)
    echo(f"Deleted the cramp of {shown}.")
    return 0
