"""How the history store scales: 100 sessions against 100,000, for the queries the screens and commands make.

    python benchmarks/history_scale.py            # about 20 s
    python benchmarks/history_scale.py --runs 50
    python benchmarks/history_scale.py --json     # {"streaks_ms": {"100": x, "100000": y}, ...}

Builds two databases in a temporary folder, through the store's own insert path:
- small: 100 sessions, about a month of use;
- large: 100,000 sessions, 3 a day (morning, evening, bedtime) over 91 years, 1 in 10 partial and a rest day now
  and then. That is far more than anyone records, and the worst shape for streaks: every session is a distinct
  (day, slot) pair.

Then times, median of `--runs` runs each, every call opening its own connection as the app does:
- streaks: `Store.streaks(planned, today)` (per-slot and whole-plan current/longest, 7/30-day rates);
- home screen: `Store.today_view(planned, today)` (today's sessions + streaks);
- history screen: `Store.history_view(planned, today)` (latest 50 sessions + 3 calendar months + streaks + count);
- checkpoint: one `HistoryRecorder.checkpoint` write into the database of that size.
Budgets at 100,000 sessions: streaks < 50 ms, history screen < 200 ms (the brief's); home screen < 50 ms and a
checkpoint < 5 ms (ours: the home screen shows streaks, and a checkpoint must not hold up a countdown).
Not a test: nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coach.engine.recording import Checkpoint, SessionStart, Status  # noqa: E402
from coach.store.records import RestDay, SessionRecord
from coach.store.store import Store, open_recorder, open_store  # noqa: E402

PLANNED = ("morning", "evening", "bedtime")
SLOT_HOURS = {"morning": 7, "evening": 19, "bedtime": 22}
TZ = timezone(timedelta(hours=1))
TODAY = date(2024, 6, 15)


def build(folder: Path, count: int) -> Store:
    """A history of `count` sessions ending yesterday, three a day, every tenth partial, a rest day now and then."""
    store = open_store(folder, day_start_hour=4, maintenance=False)
    days = count // 3 + 1
    first = TODAY - timedelta(days=days)
    records: list[SessionRecord] = []
    rests: list[RestDay] = []
    for n in range(count):
        day = first + timedelta(days=n // 3)
        slot = PLANNED[n % 3]
        started = datetime(day.year, day.month, day.day, SLOT_HOURS[slot], 5, tzinfo=TZ)
        ended = started + timedelta(minutes=14)
        records.append(
            SessionRecord(
                id=str(uuid.UUID(int=n + 1)),
                routine_id="foot-soak" if slot == "bedtime" else "toe-exercises",
                routine_name="Foot soak" if slot == "bedtime" else "Toe exercises",
                slot=slot,
                day=day,
                started_at=started,
                ended_at=ended,
                status=Status.PARTIAL if n % 10 == 7 else Status.COMPLETED,
                active_seconds=780.0,
                cycles_done=60,
                position="done",
                last_checkpoint_at=ended,
            )
        )
        if n % 3 == 0 and (n // 3) % 45 == 44:
            rests.append(RestDay(day, "travel"))
    store.import_records(records, rests)
    return store


def median_ms(action: Callable[[], object], runs: int) -> float:
    action()  # warm the page cache and the imports
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        timings.append(time.perf_counter() - began)
    return statistics.median(timings) * 1000


def measure(store: Store, runs: int) -> dict[str, float]:
    recorder = open_recorder(store.data_dir, day_start_hour=4)
    start = SessionStart(
        str(uuid.uuid4()), "toe-exercises", "Toe exercises", "morning", datetime(2024, 6, 15, 7, 0, tzinfo=TZ)
    )
    recorder.start(start)
    counter = iter(range(10**9))

    def checkpoint() -> None:
        n = next(counter)
        recorder.checkpoint(start.id, Checkpoint("Heel raises", float(n), n))

    results = {
        "streaks": median_ms(lambda: store.streaks(PLANNED, TODAY), runs),
        "home screen (today_view)": median_ms(lambda: store.today_view(PLANNED, TODAY), runs),
        "history screen (history_view)": median_ms(lambda: store.history_view(PLANNED, TODAY), runs),
        "recorder checkpoint": median_ms(checkpoint, runs),
    }
    recorder.finish(start.id, Status.COMPLETED, start.started_at + timedelta(minutes=13), Checkpoint("", 700.0, 50))
    recorder.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per figure (median reported)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    args = parser.parse_args()
    budgets = {
        "streaks": 50.0,
        "home screen (today_view)": 50.0,
        "history screen (history_view)": 200.0,
        "recorder checkpoint": 5.0,
    }
    with tempfile.TemporaryDirectory(prefix="coach-history-scale-") as temporary:
        root = Path(temporary)
        sizes = {"100": 100, "100,000": 100_000}
        figures: dict[str, dict[str, float]] = {}
        for label, count in sizes.items():
            began = time.perf_counter()
            store = build(root / label.replace(",", ""), count)
            built = time.perf_counter() - began
            size_mb = store.path.stat().st_size / 1e6
            print(f"built {count:>7,} sessions in {built:5.1f} s ({size_mb:.1f} MB)", file=sys.stderr)
            figures[label] = measure(store, args.runs)
    if args.json:
        import json

        keys = {
            "streaks": "streaks_ms",
            "home screen (today_view)": "home_screen_ms",
            "history screen (history_view)": "history_screen_ms",
            "recorder checkpoint": "checkpoint_ms",
        }
        report = {
            keys[name]: {label.replace(",", ""): round(figures[label][name], 3) for label in sizes} for name in keys
        }
        print(json.dumps({**report, "runs": args.runs}, indent=2))
        return 0
    print(f"\nMedian of {args.runs} runs, ms (Python {sys.version.split()[0]}):\n")
    print("| query | 100 sessions | 100,000 sessions | ratio | budget at 100,000 |")
    print("| --- | ---: | ---: | ---: | --- |")
    for name in figures["100"]:
        small, large = figures["100"][name], figures["100,000"][name]
        budget = budgets.get(name)
        verdict = f"< {budget:g} ms: {'ok' if large < budget else 'OVER'}" if budget else "-"
        print(f"| {name} | {small:.2f} | {large:.2f} | {large / small:.1f}x | {verdict} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
