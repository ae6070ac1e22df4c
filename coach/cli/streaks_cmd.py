"""`coach streaks [--json] [--as-of DATE]`: per slot and for the whole day plan, the current and longest streak."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coach.streaks import StreakReport


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from coach.cli.history_cmd import day_argument

    parser = subparsers.add_parser(
        "streaks",
        help="current and longest streaks per slot and for the whole day plan",
        description="Streaks in days: a slot is kept on a day when a completed session for it is recorded; "
        "rest days neither break nor extend a streak.",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--as-of", type=day_argument, metavar="DATE", help="as on DATE (YYYY-MM-DD) instead of today")
    parser.set_defaults(handler="coach.cli.streaks_cmd:run")


def report_json(report: StreakReport, day_start_hour: int) -> dict[str, Any]:
    """The `coach streaks --json` document."""
    return {
        "as_of": report.as_of.isoformat(),
        "day_start_hour": day_start_hour,
        "planned_slots": list(report.planned),
        "slots": {
            item.slot: {
                "current": item.streak.current,
                "longest": item.streak.longest,
                "kept_today": item.streak.kept_today,
                "planned": item.planned,
                "rate_7": _rate(item.rate_7),
                "rate_30": _rate(item.rate_30),
            }
            for item in report.slots
        },
        "day_plan": {
            "current": report.day_plan.current,
            "longest": report.day_plan.longest,
            "kept_today": report.day_plan.kept_today,
            "rate_7": _rate(report.day_plan_rate_7),
            "rate_30": _rate(report.day_plan_rate_30),
        },
        "rest_today": report.rest_today,
    }


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def run(args: argparse.Namespace) -> int:
    import json

    from coach.cli.history_cmd import open_history
    from coach.routines.planned import planned_slots

    store = open_history(args)
    planned = planned_slots(store.data_dir)
    report = store.streaks(planned, args.as_of)
    if args.json:
        print(json.dumps(report_json(report, store.day_start_hour), indent=2))
        return 0
    _print(report, store.day_start_hour, store.count())
    return 0


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _print(report: StreakReport, day_start_hour: int, total: int) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from coach.cli.history_cmd import EMPTY_HISTORY, SLOT_LABELS

    console = Console()
    if total == 0:
        console.print(EMPTY_HISTORY)
    table = Table(
        title=f"Streaks on {report.as_of.isoformat()} (a day starts at {day_start_hour:02d}:00)", title_justify="left"
    )
    for column, justify in (
        ("", "left"),
        ("today", "left"),
        ("current", "right"),
        ("longest", "right"),
        ("last 7 days", "right"),
        ("last 30 days", "right"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for item in report.slots:
        style = "" if item.planned else "dim"
        today = "rest" if report.rest_today and not item.streak.kept_today else ("✓" if item.streak.kept_today else "·")
        label = SLOT_LABELS.get(item.slot, item.slot) + ("" if item.planned else " (not planned)")
        table.add_row(
            Text(label, style=style),
            Text(today, style="green" if item.streak.kept_today else style),
            Text(_days(item.streak.current), style=style),
            Text(_days(item.streak.longest), style=style),
            Text(_percent(item.rate_7), style=style),
            Text(_percent(item.rate_30), style=style),
        )
    plan = report.day_plan
    table.add_row(
        Text("whole day plan", style="bold"),
        Text("✓" if plan.kept_today else "·", style="green" if plan.kept_today else ""),
        Text(_days(plan.current), style="bold"),
        Text(_days(plan.longest)),
        Text(_percent(report.day_plan_rate_7)),
        Text(_percent(report.day_plan_rate_30)),
    )
    console.print(table)
    if report.rest_today:
        console.print("Today is a rest day: it neither breaks nor extends your streaks.")
