"""Does `coach run --plain` end on time while the machine is busy? Against a runner that counts one-second ticks.

    python benchmarks/plain_timing.py               # a 60-second routine, about two minutes in all
    python benchmarks/plain_timing.py --seconds 15  # shorter

Both cores are kept busy by busy-loop subprocesses (one per core) for the whole run. Then, one after the other:

- the plain runner (the real `run_plain` loop, the real clock, real stdin/signal waiting on a pipe that never gets
  input, a real history store in a temporary folder) runs a routine of 10 s holds and 5 s rests lasting SECONDS;
- a naive runner does `for _ in range(SECONDS): time.sleep(1)` with a little work per tick (formats and writes a
  line, then about 2 ms of CPU, standing in for a repaint).

For each, the error is when it ended minus when it should have (start + SECONDS); for the plain runner also how
late each phase line was printed. Target for the plain runner: within 0.1 s. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coach.cli.plain_runner import SystemWaiter, run_plain  # noqa: E402
from coach.engine.clock import SystemClock
from coach.engine.recording import Checkpoint, Recorder, SessionStart, Status  # noqa: E402
from coach.engine.runner import SessionRunner  # noqa: E402
from coach.engine.session import SessionEngine  # noqa: E402
from coach.routines.model import Group, Routine, Slot, Span, Step, StepKind, TimedStep  # noqa: E402

TARGET = 0.1


@dataclass(frozen=True)
class Result:
    name: str
    planned: float
    actual: float
    phase_lateness: list[float]

    @property
    def error(self) -> float:
        return self.actual - self.planned


class StampedOut(io.StringIO):
    """Keeps the monotonic time at which each line was written."""

    def __init__(self) -> None:
        super().__init__()
        self.stamps: list[tuple[float, str]] = []

    def write(self, text: str) -> int:
        self.stamps.append((time.monotonic(), text))
        return super().write(text)


class NullRecorder:
    def start(self, session: SessionStart) -> None:
        pass

    def checkpoint(self, session_id: str, checkpoint: Checkpoint) -> None:
        pass

    def finish(self, session_id: str, status: Status, ended_at: object, checkpoint: Checkpoint) -> None:
        pass


def routine_of(seconds: int) -> tuple[Routine, list[float]]:
    """Rounds of a 10 s hold and a 5 s rest, then what is left; and the planned start of every phase."""
    hold = TimedStep("Heels up, hold", Span(10, 10), kind=StepKind.HOLD)
    rest = TimedStep("Heels down, rest", Span(5, 5), kind=StepKind.REST)
    steps: list[Step] = []
    rounds, left = divmod(seconds, 15)
    if rounds:
        steps.append(Group("Heel raises", (hold, rest), repeat=rounds))
    if left:
        steps.append(TimedStep("Last hold", Span(left, left), kind=StepKind.HOLD))
    starts = [15.0 * r + offset for r in range(rounds) for offset in (0.0, 10.0)] + ([15.0 * rounds] if left else [])
    return Routine("bench", "Benchmark", tuple(steps), (Slot.MORNING,), counts_after=seconds), starts


def open_recorder(folder: Path) -> tuple[Recorder, str]:
    try:
        from coach.store.store import open_recorder as open_store_recorder
    except ImportError:
        return NullRecorder(), "no store (not importable)"
    return open_store_recorder(folder, day_start_hour=4), "SQLite history in a temporary folder"


def run_plain_runner(seconds: int) -> tuple[Result, str]:
    routine, starts = routine_of(seconds)
    read_end, write_end = os.pipe()  # stdin that never speaks: the runner waits on it as on a real terminal
    out = StampedOut()
    with tempfile.TemporaryDirectory() as folder, SystemWaiter(fd=read_end) as waiter:
        recorder, recorder_kind = open_recorder(Path(folder))
        engine = SessionEngine(routine, SystemClock())
        begin = time.monotonic()
        result = run_plain(SessionRunner(engine, recorder, "morning"), waiter, out, bell=False)
        end = time.monotonic()
        close = getattr(recorder, "close", None)
        if callable(close):
            close()
    os.close(write_end)
    assert result.status is Status.COMPLETED, result
    phase_lines = [at for at, text in out.stamps if text[:6].rstrip().count(":") == 1 and "(" in text][: len(starts)]
    lateness = [at - begin - planned for at, planned in zip(phase_lines, starts, strict=True)]
    return Result("plain runner (deadlines)", begin + seconds, end, lateness), recorder_kind


def run_naive(seconds: int) -> Result:
    sink = io.StringIO()
    begin = time.monotonic()
    for tick in range(seconds):
        time.sleep(1)
        sink.write(f"{(seconds - tick - 1) // 60:02d}:{(seconds - tick - 1) % 60:02d}\n")
        spin_until = time.perf_counter() + 0.002
        while time.perf_counter() < spin_until:
            pass
    return Result("naive (counts 1 s ticks)", begin + seconds, time.monotonic(), [])


def busy_loops(count: int) -> list[subprocess.Popen[bytes]]:
    code = "while True:\n    pass\n"
    return [subprocess.Popen([sys.executable, "-c", code]) for _ in range(count)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="length of the routine (default 60)")
    parser.add_argument("--busy", type=int, default=os.cpu_count() or 2, help="busy-loop processes (default: cores)")
    args = parser.parse_args()
    loops = busy_loops(args.busy)
    try:
        time.sleep(0.5)  # let the busy loops take the cores
        plain, recorder_kind = run_plain_runner(args.seconds)
        naive = run_naive(args.seconds)
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()
    print(f"{args.seconds} s routine, {args.busy} busy-loop processes on {os.cpu_count()} cores; {recorder_kind}")
    print()
    print(f"| {'runner':<26} | {'end error':>10} | {'phase lines late (median / max)':>31} | target {TARGET} s |")
    print(f"|{'-' * 28}|{'-' * 12}|{'-' * 33}|{'-' * 15}|")
    for result in (plain, naive):
        late = (
            f"{statistics.median(result.phase_lateness) * 1000:.1f} ms / {max(result.phase_lateness) * 1000:.1f} ms"
            if result.phase_lateness
            else "-"
        )
        verdict = "pass" if abs(result.error) <= TARGET else "FAIL"
        print(f"| {result.name:<26} | {result.error:>+9.3f}s | {late:>31} | {verdict:>13} |")
    return 0 if abs(plain.error) <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
