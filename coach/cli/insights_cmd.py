"""`coach insights [--json] [--as-of DATE] [--weeks N]`: the cramp diary beside the sessions kept, week by week;
cramps before the program against lately; the most suspected trigger and the article's advice for it."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from coach.cli.printing import rich_text
from coach.common.safe_text import echo, json_text

if TYPE_CHECKING:
    from rich.text import Text

    from coach.diary.insights import Insights, WeekCount

BAR = "█"
CRAMP_BAR_WIDTH = 20


def _weeks(text: str) -> int:
    if text.isdigit() and 1 <= int(text) <= 104:
        return int(text)
    raise argparse.ArgumentTypeError(f"expected a number of weeks from 1 to 104, not {text!r}")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from coach.cli.history_cmd import day_argument

    parser = subparsers.add_parser(
        "insights",
        help="cramps beside sessions kept, week by week; before and since the program; triggers",
        description="Cramps logged with `coach cramp` beside the sessions kept, for the last 12 weeks; the 4 weeks "
        "before the program began (your first session) against the last 4; the trigger you suspect most, with the "
        "article's advice. It shows what happens together, not what caused what.",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--as-of", type=day_argument, metavar="DATE", help="as on DATE (YYYY-MM-DD) instead of today")
    parser.add_argument("--weeks", type=_weeks, default=12, metavar="N", help="weeks in the chart (default 12)")
    parser.set_defaults(handler="coach.cli.insights_cmd:run")


def run(args: argparse.Namespace) -> int:
    from coach.cli.errors import check_day
    from coach.cli.history_cmd import open_history
    from coach.days.planned import planned_slots
    from coach.diary.insights import insights_json

    check_day("--as-of", args.as_of)
    store = open_history(args)
    insights = store.diary.insights(planned_slots(), args.as_of, weeks=args.weeks)
    if args.json:
        echo(json_text(insights_json(insights, store.day_start_hour)))
        return 0
    _print(insights)
    return 0


def _print(insights: Insights) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from coach.diary.insights import DOCTOR, insight_lines

    console = Console()
    lines = insight_lines(insights)
    if not insights.has_data:
        console.print(rich_text(lines[0]))
        return
    most = max((week.cramps for week in insights.weeks), default=0)
    scale = CRAMP_BAR_WIDTH / most if most > CRAMP_BAR_WIDTH else 1.0
    table = Table(
        title=f"The last {len(insights.weeks)} weeks to {insights.as_of.isoformat()}",
        title_justify="left",
    )
    table.add_column("week", no_wrap=True)
    table.add_column("cramps", no_wrap=True)
    table.add_column("slots kept", no_wrap=True)
    for week in insights.weeks:
        table.add_row(
            Text(_week_label(week)),
            Text.assemble((BAR * round(week.cramps * scale), "red"), f" {week.cramps}"),
            _kept_cell(week, insights.program_start is not None),
        )
    console.print(table)
    console.print()
    for line in lines:
        style = "bold yellow" if DOCTOR in line else ""
        console.print(rich_text(line, style=style))


def _week_label(week: WeekCount) -> str:
    return f"{week.start.strftime('%d %b')} – {week.end.strftime('%d %b')}"


def _kept_cell(week: WeekCount, started: bool) -> Text:
    from rich.text import Text

    if week.possible == 0 and week.kept == 0:
        return Text("before the program" if started else "–", style="dim")
    shown = f" {week.kept}/{week.possible}" if week.possible else f" {week.kept}"
    return Text.assemble((BAR * week.kept, "green"), shown)
