"""The reads the screens and the printing commands show: streaks, calendar days, the home and history views.

Functions on an open connection, each read in the caller's transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date

from coach.days.streaks import StreakReport, streak_report_masks
from coach.store.queries import ORDINAL_OF_DAY
from coach.store.records import DaySummary
from coach.store.summary import Summary, report_from_summary


def read_streaks(
    connection: sqlite3.Connection, planned: Sequence[str], today: date, summary: Summary | None = None
) -> StreakReport:
    """The streaks as of `today`: from the summary and the recent days when the summary covers them, else from
    every day."""
    first = connection.execute("SELECT min(day) FROM sessions").fetchone()[0]
    # Rates count from the first recorded day; with nothing recorded there is no day to rate yet.
    began = date.fromisoformat(first).toordinal() if first else today.toordinal() + 1
    if summary is not None and today.toordinal() >= summary.through:
        return report_from_summary(connection, summary, planned, today, began)
    # day_slots holds one row per day with a kept slot (kept up to date by triggers on sessions), in day order.
    masks = connection.execute(
        "SELECT ordinal, mask FROM day_slots WHERE ordinal <= ? ORDER BY ordinal", (today.toordinal(),)
    ).fetchall()
    rest = [row[0] for row in connection.execute(f"SELECT {ORDINAL_OF_DAY} FROM rest_days ORDER BY day")]
    return streak_report_masks(masks, rest, planned, today, began)


def count_sessions(connection: sqlite3.Connection, summary: Summary | None) -> int:
    """How many sessions are recorded: the summary's count and the days since it (an index range), else all."""
    if summary is None:
        return int(connection.execute("SELECT count(*) FROM sessions").fetchone()[0])
    since = date.fromordinal(summary.through).isoformat()
    recent = connection.execute("SELECT count(*) FROM sessions WHERE day >= ?", (since,)).fetchone()[0]
    return summary.sessions + int(recent)


def day_summaries(connection: sqlite3.Connection, since: date, until: date) -> dict[date, DaySummary]:
    bounds = (since.isoformat(), until.isoformat())
    kept: dict[str, set[str]] = {}
    other: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for day, slot, status, number in connection.execute(
        "SELECT day, slot, status, count(*) FROM sessions WHERE day BETWEEN ? AND ? GROUP BY day, slot, status",
        bounds,
    ):
        (kept if status == "completed" else other).setdefault(day, set()).add(slot)
        counts[day] = counts.get(day, 0) + int(number)
    rests = dict(connection.execute("SELECT day, note FROM rest_days WHERE day BETWEEN ? AND ?", bounds).fetchall())
    summaries: dict[date, DaySummary] = {}
    for day in sorted(set(counts) | set(rests)):
        kept_slots = frozenset(kept.get(day, ()))
        summaries[date.fromisoformat(day)] = DaySummary(
            day=date.fromisoformat(day),
            kept=kept_slots,
            partial=frozenset(other.get(day, set()) - kept_slots),
            sessions=counts.get(day, 0),
            rest=day in rests,
            rest_note=str(rests.get(day, "")),
        )
    return summaries


def months_back(today: date, months: int) -> date:
    """The first day of the month `months - 1` months before today's month."""
    index = today.year * 12 + (today.month - 1) - max(0, months - 1)
    return date(index // 12, index % 12 + 1, 1)
