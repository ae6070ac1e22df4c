"""`coach routines`: every routine with its id, name, slots, length and where it came from; `copy` makes one yours."""

from __future__ import annotations

import argparse
from typing import Any

from coach.cli.printing import rich_text
from coach.common.safe_text import echo, json_text, one_line


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("routines", help="list the routines (bundled and your own), or copy one")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--schema-path", action="store_true", help="print where the routine JSON Schema is")
    parser.set_defaults(handler="coach.cli.routines_cmd:run")
    actions = parser.add_subparsers(title="actions", metavar="ACTION")
    copy = actions.add_parser(
        "copy",
        help="copy a routine into your routines folder with your own numbers",
        description="Copy a routine into your routines folder, with changed numbers, validated before it is saved.",
    )
    copy.add_argument("routine", metavar="ID", help="the routine to copy (see `coach routines`)")
    copy.add_argument(
        "--as",
        dest="new_id",
        metavar="NEW_ID",
        help="the copy's id (default: the same id, which then replaces the bundled routine)",
    )
    copy.add_argument("--name", help="the copy's name")
    copy.add_argument("--hold", metavar="TIME", help='length of every hold step, e.g. "12s"')
    copy.add_argument("--rest", metavar="TIME", help='length of every rest step, e.g. "5s"')
    copy.add_argument("--length", metavar="TIME", help='the total time of the timed part, e.g. "12m" or "10m..15m"')
    copy.add_argument(
        "--remind", metavar="TIME", help='how often a reminder comes, e.g. "3m", or "off" for none (the soak\'s)'
    )
    copy.add_argument("--force", action="store_true", help="replace a routine file of yours with the same id")
    copy.set_defaults(handler="coach.cli.routines_cmd:run_copy")


def run(args: argparse.Namespace) -> int:
    from coach.routines.catalog import load_catalog, schema_path

    if args.schema_path:
        echo(str(schema_path()))
        return 0
    catalog = load_catalog()
    rows = [_row(routine) for routine in sorted(catalog.routines.values(), key=lambda r: r.id)]
    broken = [
        {"path": str(path), "problem": str(problems[0]), "problems": len(problems)}
        for path, problems in catalog.broken.items()
    ]
    if args.json:
        echo(json_text({"routines": rows, "broken": broken}))
        return 0
    _print_table(rows, broken)
    return 0


def run_copy(args: argparse.Namespace) -> int:
    from coach.common.paths import user_routines_dir
    from coach.common.problems import CoachError, ProblemsError
    from coach.routines.catalog import resolve_routine
    from coach.routines.customize import adjustable, customized, save_user_routine
    from coach.routines.durations import DurationError, parse_duration, parse_span

    routine = resolve_routine(args.routine)
    can_change = adjustable(routine)
    for option in ("hold", "rest", "length", "remind"):
        if getattr(args, option) is not None and option not in can_change:
            raise CoachError(f"--{option}: {routine.id} has {_WITHOUT[option]}; nothing was saved", exit_code=2)
    no_remind = args.remind is not None and args.remind.strip().lower() == "off"
    try:
        hold = parse_duration(args.hold) if args.hold else None
        rest = parse_duration(args.rest) if args.rest else None
        length = parse_span(args.length) if args.length else None
        remind = parse_duration(args.remind) if args.remind and not no_remind else None
    except DurationError as error:
        raise CoachError(str(error), exit_code=2) from error
    new_id = args.new_id or routine.id
    name = args.name or (routine.name if new_id == routine.id else f"{routine.name} ({new_id})")
    copy = customized(routine, hold=hold, rest=rest, length=length, name=name, remind=remind, no_remind=no_remind)
    try:
        target = save_user_routine(copy, new_id, user_routines_dir(), origin=routine.id, force=args.force)
    except ProblemsError as error:  # the copy was never written: say what is wrong with it, not where in a file
        reasons = "; ".join(problem.message for problem in error.problems)
        hint = _REMIND_HINT if "reminder" in reasons else ""
        raise CoachError(f"this copy would not be a valid routine, so nothing was saved: {reasons}{hint}") from None
    echo(one_line(f"Saved {target}"))
    return 0


_WITHOUT = {
    "hold": "no hold steps",
    "rest": "no rest steps",
    "length": "no part whose length can change (no range, soak or timed group)",
    "remind": "no reminders",
}
_REMIND_HINT = " (change the reminder with --remind TIME, or drop it with --remind off)"


def _row(routine: Any) -> dict[str, object]:
    from coach.routines.durations import format_duration

    low, high = routine.min_seconds, routine.max_seconds
    length = format_duration(low) if low == high else f"{format_duration(low)}..{format_duration(high)}"
    return {
        "id": routine.id,
        "name": routine.name,
        "slots": [slot.value for slot in routine.slots],
        "length": length,
        "min_seconds": low,
        "max_seconds": high,
        "counts_after_seconds": routine.counts_after_seconds,
        "origin": routine.origin,
        "path": str(routine.source) if routine.source else None,
    }


def _print_table(rows: list[dict[str, object]], broken: list[dict[str, object]]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title="Routines", title_justify="left")
    for column in ("id", "name", "slots", "length", "from"):
        table.add_column(column)
    for row in rows:
        slots = row["slots"]
        assert isinstance(slots, list)
        cells = (str(row["id"]), str(row["name"]), ", ".join(slots), str(row["length"]), str(row["origin"]))
        table.add_row(*(rich_text(one_line(cell)) for cell in cells))
    console.print(table)
    for item in broken:
        console.print(rich_text(one_line(f"Not loaded: {item['problem']}"), style="red"))
