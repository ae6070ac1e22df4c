"""`coach streaks [--json] [--as-of DATE]`: per slot and for the whole day plan, the current and longest streak."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from coach.common.safe_text import echo, json_text

if TYPE_CHECKING:
    from coach.days.streaks import StreakReport


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
    from coach.cli.history_cmd import open_history
    from coach.days.planned import planned_slots

    store = open_history(args)
    planned = planned_slots()
    report = store.streaks(planned, args.as_of)
    if args.json:
        echo(json_text(report_json(report, store.day_start_hour)))
        return 0
    _print(report, store.day_start_hour, store.count())
    return 0


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _print(report: StreakReport, day_start_hour: int, total: int) -> None:
    """The streaks as aligned plain text: rich would double the time of a command read at a glance."""
    from coach.cli.columns import render_columns
    from coach.cli.history_cmd import EMPTY_HISTORY, SLOT_LABELS

    if total == 0:
        echo(EMPTY_HISTORY + "\n")
    rows = []
    for item in report.slots:
        today = "rest" if report.rest_today and not item.streak.kept_today else ("✓" if item.streak.kept_today else "·")
        label = SLOT_LABELS.get(item.slot, item.slot) + ("" if item.planned else " (not planned)")
        rows.append(
            [
                label,
                today,
                _days(item.streak.current),
                _days(item.streak.longest),
                _percent(item.rate_7),
                _percent(item.rate_30),
            ]
        )
    plan = report.day_plan
    rows.append(
        [
            "whole day plan",
            "✓" if plan.kept_today else "·",
            _days(plan.current),
            _days(plan.longest),
            _percent(report.day_plan_rate_7),
            _percent(report.day_plan_rate_30),
        ]
    )
    echo(f"Streaks on {report.as_of.isoformat()} (a day starts at {day_start_hour:02d}:00)\n")
    header = ["", "today", "current", "longest", "last 7 days", "last 30 days"]
    echo(render_columns(header, rows, ["left", "left", "right", "right", "right", "right"]))
    if report.rest_today:
        echo("\nToday is a rest day: it neither breaks nor extends your streaks.")
