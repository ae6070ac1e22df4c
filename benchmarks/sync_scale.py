"""How sync scales: three machines with ten years of history each (about 33,000 sessions together) merging for the
first time, a machine joining late, and a sync with nothing new.

    python benchmarks/sync_scale.py            # about 30 s
    python benchmarks/sync_scale.py --runs 50  # more runs of the nothing-new sync
    python benchmarks/sync_scale.py --json

Builds three data folders in a temporary folder, each with ten years of use: three sessions a day (1 in 10 partial,
1 in 20 with a note), a rest day every 45 days, a cramp a week. Then, through one shared sync folder:
- first syncs: a, b, c each sync once in turn (c's first sync sends its 11,000 sessions and merges the other
  22,000), then a and b sync again (each merges what it lacks): the merge of everything, the first time;
- late joiner: an empty data folder syncs once and gets all 33,000 sessions;
- nothing new: `sync()` again on a machine that has everything, median of `--runs` (in-process, imports done),
  and `coach sync` from the shell once (with the interpreter's start).
Budgets (issue 17): every first sync under 5 s; a sync with nothing new under 100 ms.
Not a test: nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coach.diary.entries import CrampEntry  # noqa: E402
from coach.engine.recording import Status  # noqa: E402
from coach.store.records import RestDay, SessionRecord  # noqa: E402
from coach.store.store import Store, open_store  # noqa: E402
from coach.sync.engine import SyncReport, sync  # noqa: E402

SLOTS = ("morning", "evening", "bedtime")
HOURS = {"morning": 7, "evening": 19, "bedtime": 22}
TZ = timezone(timedelta(hours=1))
YEARS = 10
FIRST_SYNC_BUDGET_S = 5.0
NOTHING_NEW_BUDGET_MS = 100.0


def build(folder: Path, machine: int) -> Store:
    """Ten years of one machine's history, with ids of its own."""
    store = open_store(folder, day_start_hour=4, maintenance=False)
    first = date(2014, 6, 1)
    days = YEARS * 365
    sessions, rests, cramps = [], [], []
    for n in range(days * 3):
        day = first + timedelta(days=n // 3)
        slot = SLOTS[n % 3]
        started = datetime(day.year, day.month, day.day, HOURS[slot], 5 + machine, tzinfo=TZ)
        ended = started + timedelta(minutes=14)
        sessions.append(
            SessionRecord(
                id=str(uuid.UUID(int=(machine << 64) + n + 1)),
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
                note=f"calves tight, day {n // 3}" if n % 20 == 0 else None,
                discomfort=3 if n % 20 == 0 else None,
            )
        )
    for d in range(machine * 15, days, 45):
        rests.append(RestDay(first + timedelta(days=d), "travel"))
    for week in range(days // 7):
        at = datetime.combine(first + timedelta(days=week * 7 + machine), datetime.min.time(), TZ).replace(hour=3)
        cramps.append(
            CrampEntry(
                id=str(uuid.UUID(int=(machine << 64) + (1 << 40) + week)),
                cramp_at=at,
                day=at.date() - timedelta(days=1),
                leg="left",
                muscle="calf",
                severity=5,
                logged_at=at + timedelta(hours=4),
            )
        )
    store.import_records(sessions, rests, cramps)
    return store


CPU: dict[str, float] = {}
"""CPU seconds of each first sync (this process): what the sync costs whatever else the machine is doing."""


def timed(data_dir: Path, folder: Path) -> tuple[float, SyncReport]:
    started, cpu = time.perf_counter(), time.process_time()
    report = sync(data_dir, folder, day_start_hour=4)
    CPU[str(data_dir)] = time.process_time() - cpu
    return time.perf_counter() - started, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="runs of the nothing-new sync (median)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="coach-sync-bench-") as temporary:
        root = Path(temporary)
        shared = root / "Sync"
        shared.mkdir()
        names = ("a", "b", "c")
        build_started = time.perf_counter()
        stores = {name: build(root / name, index + 1) for index, name in enumerate(names)}
        build_s = time.perf_counter() - build_started
        total = sum(store.count() for store in stores.values())

        first: dict[str, float] = {}
        first_cpu: dict[str, float] = {}
        for label, name in (("a first", "a"), ("b first", "b"), ("c first", "c"), ("a second", "a"), ("b second", "b")):
            seconds, report = timed(root / name, shared)
            first[f"{label} (in {report.received_total}, out {report.sent_total})"] = seconds
            first_cpu[label] = CPU[str(root / name)]
        counts = {name: store.count() for name, store in stores.items()}
        assert len(set(counts.values())) == 1 and counts["a"] == total, counts

        late_s, late = timed(root / "late", shared)
        first_cpu["late joiner"] = CPU[str(root / "late")]
        assert open_store(root / "late", day_start_hour=4, maintenance=False).count() == total

        nothing: list[float] = []
        for _ in range(args.runs):
            seconds, report = timed(root / "b", shared)
            assert report.received_total == report.sent_total == 0
            nothing.append(seconds * 1000)
        cli_started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "coach", "--data-dir", str(root / "b"), "sync", "--folder", str(shared)],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        )
        cli_ms = (time.perf_counter() - cli_started) * 1000
        journal_mb = {path.name: round(path.stat().st_size / 1e6, 2) for path in sorted(shared.iterdir())}

    figures = {
        "sessions": total,
        "build_s": round(build_s, 2),
        "first_syncs_s": {label: round(seconds, 2) for label, seconds in first.items()},
        "first_syncs_cpu_s": {label: round(seconds, 2) for label, seconds in first_cpu.items()},
        "late_joiner_s": round(late_s, 2),
        "late_joiner_in": late.received_total,
        "nothing_new_ms_median": round(statistics.median(nothing), 1),
        "nothing_new_ms_max": round(max(nothing), 1),
        "coach_sync_cli_ms": round(cli_ms, 1),
        "journal_mb": journal_mb,
    }
    worst_first = max([*first.values(), late_s])
    ok = worst_first < FIRST_SYNC_BUDGET_S and statistics.median(nothing) < NOTHING_NEW_BUDGET_MS
    if args.json:
        print(json.dumps({**figures, "within_budget": ok}, indent=2))
        return 0 if ok else 1
    print(f"{total:,} sessions on three machines (built in {build_s:.1f} s)")
    for (label, seconds), cpu in zip(first.items(), first_cpu.values(), strict=False):
        print(f"  {label:<34} {seconds:6.2f} s  (CPU {cpu:.2f} s)")
    late_label = "late joiner (in " + str(late.received_total) + ")"
    print(f"  {late_label:<34} {late_s:6.2f} s  (CPU {first_cpu['late joiner']:.2f} s)")
    print(f"  worst first sync: {worst_first:.2f} s (budget {FIRST_SYNC_BUDGET_S:.0f} s)")
    print(
        f"  nothing new: median {statistics.median(nothing):.1f} ms, max {max(nothing):.1f} ms over {args.runs} runs "
        f"(budget {NOTHING_NEW_BUDGET_MS:.0f} ms); `coach sync` from the shell {cli_ms:.0f} ms"
    )
    print("  journals: " + ", ".join(f"{name} {size} MB" for name, size in journal_mb.items()))
    print("within budget" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
