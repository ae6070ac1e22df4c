"""A summary of the history before a day, so that the screens and commands read only the recent days.

The streaks of 100,000 sessions are runs over 33,000 days: worked out from every day, they took 25-150 ms for each
screen. `history_summary` (schema v8) holds, for the days before one day `through`: how many sessions there were,
and for each set of slots (mask 1-7), the longest run of kept days and the run still going at its end
(`streak_summary`). A read then walks only the days from `through` to today, plus the last 30 for the rates.

It is derived data, like an index: filled by the import, the day's maintenance and the first read that finds it
missing, and forgotten (by the v8 triggers) as soon as anything before `through` changes. Everything after it is
read live, so recording today's sessions never makes it stale. `through` is at most yesterday, and never after
the last day with data: a query as of an earlier day, or a summary that is missing, reads every day as before.
`tests/store/test_store_summary_cache.py` checks it agrees with `coach.days.streaks` on random histories.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date

from msgspec import Struct

from coach.days.streaks import SLOT_BITS, SLOTS, SlotStreak, Streak, StreakReport, planned_slots
from coach.store.queries import ORDINAL_OF_DAY

RATE_DAYS = 31
"""How far back a read reaches whatever the summary says: the 30-day rates (and the day before them)."""
MASKS = range(1, 8)


class Summary(Struct, frozen=True):
    """The history before day `through` (an ordinal): its session count and, per mask, (longest, run at its end)."""

    through: int
    sessions: int
    runs: dict[int, tuple[int, int]]


def read_summary(connection: sqlite3.Connection) -> Summary | None:
    """The stored summary, or None when there is none (never made, or forgotten after a change before it)."""
    head = connection.execute("SELECT through, sessions FROM history_summary").fetchone()
    if head is None:
        return None
    runs = {int(m): (int(a), int(b)) for m, a, b in connection.execute("SELECT mask, longest, run FROM streak_summary")}
    if set(runs) != set(MASKS):
        return None
    return Summary(int(head[0]), int(head[1]), runs)


def refresh_summary(connection: sqlite3.Connection, today: date) -> Summary:
    """Work the summary out again from every day (inside the caller's write transaction) and store it."""
    last = connection.execute(
        f"SELECT max(m) FROM (SELECT max(ordinal) AS m FROM day_slots UNION ALL SELECT max({ORDINAL_OF_DAY}) "
        f"FROM rest_days UNION ALL SELECT max({ORDINAL_OF_DAY}) FROM sessions)"
    ).fetchone()[0]
    through = min(int(last) + 1 if last is not None else today.toordinal(), today.toordinal() - 1)
    rows = connection.execute("SELECT ordinal, mask FROM day_slots WHERE ordinal < ? ORDER BY ordinal", (through,))
    day_masks = rows.fetchall()
    rests = rest_ordinals(connection, None, through)
    sessions = int(
        connection.execute(
            "SELECT count(*) FROM sessions WHERE day < ?", (date.fromordinal(through).isoformat(),)
        ).fetchone()[0]
    )
    runs = {}
    for mask in MASKS:
        run, longest, previous = walk(series(day_masks, rests, mask), 0, 0, None)
        if previous is None or previous < through - 1:
            run = 0  # days with nothing since the last event break the run
        runs[mask] = (longest, run)
    connection.execute("DELETE FROM history_summary")
    connection.execute("DELETE FROM streak_summary")
    connection.execute("INSERT INTO history_summary (id, through, sessions) VALUES (1, ?, ?)", (through, sessions))
    connection.executemany(
        "INSERT INTO streak_summary (mask, longest, run) VALUES (?, ?, ?)",
        [(mask, longest, run) for mask, (longest, run) in runs.items()],
    )
    return Summary(through, sessions, runs)


def rest_ordinals(connection: sqlite3.Connection, since: int | None, before: int) -> list[int]:
    """Rest days from `since` (ordinal; None: all) to the day before `before`, as sorted ordinals."""
    low = date.fromordinal(since).isoformat() if since is not None else "0000-00-00"
    return [
        int(row[0])
        for row in connection.execute(
            f"SELECT {ORDINAL_OF_DAY} FROM rest_days WHERE day >= ? AND day < ? ORDER BY day",
            (low, date.fromordinal(before).isoformat()),
        )
    ]


def series(day_masks: Sequence[tuple[int, int]], rests: Sequence[int], wanted: int) -> list[tuple[int, bool]]:
    """The events of one series in day order: (day, True) for a kept day, (day, False) for a rest day that was not
    kept (it carries a run on without adding to it)."""
    events = [(day, True) for day, mask in day_masks if mask & wanted == wanted]  # every slot of it kept
    if rests:
        kept_days = {day for day, _ in events}
        events += [(day, False) for day in rests if day not in kept_days]
    events.sort()  # day_masks come in day order: then this only checks it
    return events


def walk(
    events: Sequence[tuple[int, bool]], run: int, longest: int, previous: int | None
) -> tuple[int, int, int | None]:
    """Carry (run, longest, last day seen) over `events`: a day between two events with neither breaks the run."""
    for day, is_kept in events:
        if previous is not None and day != previous + 1:
            run = 0
        if is_kept:
            run += 1
            if run > longest:
                longest = run
        previous = day
    return run, longest, previous


def report_from_summary(
    connection: sqlite3.Connection, summary: Summary, planned: Sequence[str], today: date, began: int | None
) -> StreakReport:
    """The streak report as of `today` (not before `summary.through`), reading only the days since the summary's
    end and the last 31: the same report as `coach.days.streaks.streak_report_masks` over every day."""
    t = today.toordinal()
    low = min(summary.through, t - RATE_DAYS)
    day_masks = connection.execute(
        "SELECT ordinal, mask FROM day_slots WHERE ordinal >= ? AND ordinal <= ? ORDER BY ordinal", (low, t)
    ).fetchall()
    rests = rest_ordinals(connection, low, t + 1)
    plan = planned_slots([planned])
    slot_streaks = []
    for slot in SLOTS:
        streak, rate_7, rate_30 = _one(summary, day_masks, rests, SLOT_BITS[slot], t, began)
        slot_streaks.append(SlotStreak(slot=slot, planned=slot in plan, streak=streak, rate_7=rate_7, rate_30=rate_30))
    plan_mask = sum(SLOT_BITS[slot] for slot in plan)
    if plan:
        day_plan, plan_7, plan_30 = _one(summary, day_masks, rests, plan_mask, t, began)
    else:
        day_plan, plan_7, plan_30 = Streak(0, 0, False), None, None
    today_mask = day_masks[-1][1] if day_masks and day_masks[-1][0] == t else 0
    return StreakReport(
        as_of=today,
        planned=plan,
        slots=tuple(slot_streaks),
        day_plan=day_plan,
        day_plan_rate_7=plan_7,
        day_plan_rate_30=plan_30,
        kept_today=frozenset(slot for slot in SLOTS if today_mask & SLOT_BITS[slot]),
        rest_today=bool(rests) and rests[-1] == t,
    )


def _one(
    summary: Summary,
    day_masks: Sequence[tuple[int, int]],
    rests: Sequence[int],
    wanted: int,
    t: int,
    began: int | None,
) -> tuple[Streak, float | None, float | None]:
    events = series(day_masks, rests, wanted)
    longest_before, run_before = summary.runs[wanted]
    after = [event for event in events if event[0] >= summary.through]
    yesterday = [event for event in after if event[0] < t]
    run, longest, previous = walk(yesterday, run_before, longest_before, summary.through - 1)
    if previous is not None and previous < t - 1:
        run = 0
    kept_today = bool(after) and after[-1] == (t, True)
    current = run + 1 if kept_today else run
    longest = max(longest, current)
    kept_days = [day for day, is_kept in events if is_kept]
    gaps = [day for day, is_kept in events if not is_kept]
    last = t if kept_today else t - 1
    rates: list[float | None] = []
    for window in (7, 30):
        first = last - window + 1 if began is None else max(last - window + 1, began)
        if first > last:
            rates.append(None)
            continue
        counted = last - first + 1 - sum(1 for day in gaps if first <= day <= last)
        hits = sum(1 for day in kept_days if first <= day <= last)
        rates.append(hits / counted if counted else None)
    return Streak(current=current, longest=longest, kept_today=kept_today), rates[0], rates[1]
