"""`coach status [--ascii]`: one short line for a shell prompt or a tmux status bar, e.g. `☀✓ ☾· 🛁· 12d`.

It reads the history without creating it, skips the daily backup, and never imports textual or rich: it runs in
well under 100 ms.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from coach.common.safe_text import echo, one_line

if TYPE_CHECKING:
    from coach.days.streaks import StreakReport

SYMBOLS = {"morning": "☀", "evening": "☾", "bedtime": "🛁"}
ASCII_LETTERS = {"morning": "M", "evening": "E", "bedtime": "B"}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "status",
        help="one line for a prompt or status bar: today's slots and the whole-day streak",
        description="Print which of today's planned slots are done (✓) or to do (·), and the whole-day streak.",
    )
    parser.add_argument("--ascii", action="store_true", help="plain ASCII: M:done E:todo B:todo streak 12")
    parser.set_defaults(handler="coach.cli.status_cmd:run")


def status_line(report: StreakReport, *, ascii_only: bool = False) -> str:
    """The status line for a streak report (only the planned slots are shown)."""
    slots = report.planned or tuple(SYMBOLS)
    if ascii_only:
        parts = [f"{ASCII_LETTERS[s]}:{'done' if s in report.kept_today else 'todo'}" for s in slots]
        parts.append(f"streak {report.day_plan.current}")
        if report.rest_today:
            parts.append("rest")
        return " ".join(parts)
    parts = [f"{SYMBOLS[s]}{'✓' if s in report.kept_today else '·'}" for s in slots]
    parts.append(f"{report.day_plan.current}d")
    if report.rest_today:
        parts.append("rest")
    return " ".join(parts)


def run(args: argparse.Namespace) -> int:
    from coach.common.paths import data_dir
    from coach.config.settings import load_settings
    from coach.days.planned import planned_slots
    from coach.days.streaks import streak_report
    from coach.store.store import history_exists, open_store

    folder = data_dir(getattr(args, "data_dir", None))
    planned = planned_slots()
    hour = load_settings().settings.day_start_hour
    if history_exists(folder):
        store = open_store(folder, day_start_hour=hour, maintenance=False, read_only_fallback=True)
        report = store.streaks(planned)
    else:
        from datetime import datetime

        from coach.days.day import today

        report = streak_report([], [], planned, today(datetime.now().astimezone(), hour))
    echo(one_line(status_line(report, ascii_only=args.ascii)))
    return 0
