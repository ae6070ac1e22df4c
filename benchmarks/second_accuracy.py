"""How exact is the shown second? A countdown is driven in a real terminal through a pause/resume and a 2.5 s stall
of its event loop, and every change of the shown time is compared with the true whole-second boundary.

    python benchmarks/second_accuracy.py                  # tick counter, monotonic reference, then coach
    python benchmarks/second_accuracy.py --app tick --stall key --verbose
    python benchmarks/second_accuracy.py --analyse TRACE [--blackout BEGIN:END ...]

The scenario (about 20 s of countdown): start with Enter, run 4.3 s, pause 2.7 s (Space), run 3.6 s, stall 2.5 s,
run 5.4 s. The stall is made with SIGSTOP/SIGCONT from outside by default, which freezes the event loop exactly as a
blocking call inside a handler would and needs no help from the program; `--stall key` instead presses `s`, which the
baselines answer with `time.sleep(2.5)` in a handler (the two give the same result on the tick counter).

The program writes its trace when the environment variable COACH_BENCH_TRACE names a file; the format and the error
definition are in benchkit/trace.py. The hook coach's run screen must offer (the lead's side):

    COACH_BENCH_TRACE=PATH coach run foot-soak
      - on "Prepare the water", Enter starts the soak countdown, Space pauses and resumes it;
      - append `f"{time.monotonic():.6f}\\t{text}\\n"` to PATH (line-buffered) when:
          the countdown starts running          text = "@start", then at once the shown time (e.g. "15:00")
          the shown remaining time changes      text = the time exactly as shown ("14:59")
          a pause takes effect / ends           text = "@pause" / "@resume"
      - time.monotonic() in the process that draws; nothing is written without the variable.

Baselines: benchmarks/baselines/tick_counter.py (counts set_interval ticks: ends 2 s wrong after the stall) and
benchmarks/baselines/monotonic_countdown.py (derives the time from time.monotonic(): what coach should match).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchkit.contenders import (  # noqa: E402
    MONOTONIC_COUNTDOWN,
    SOAK_MARKER,
    TICK_COUNTER,
    Program,
    coach,
    prepare_bytecode,
    terminal_env,
)
from benchkit.stats import fmt_ms, median  # noqa: E402
from benchkit.terminal import Tmux, new_workdir  # noqa: E402
from benchkit.trace import Analysis, Interval, analyse, read_trace  # noqa: E402

SCENARIO: tuple[tuple[str, float], ...] = (("run", 4.3), ("pause", 2.7), ("run", 3.6), ("stall", 2.5), ("run", 5.4))
TARGET_P99 = 0.020


class Unavailable(Exception):
    """The program cannot be measured (yet); the message says why."""


@dataclass
class Result:
    """The analyses of one program's rounds."""

    label: str
    rounds: list[Analysis]

    @property
    def pooled(self) -> Analysis:
        return Analysis(
            changes=[c for a in self.rounds for c in a.changes], blackouts=[b for a in self.rounds for b in a.blackouts]
        )

    @property
    def p99(self) -> float:
        return self.pooled.p99_abs_error

    @property
    def end_error(self) -> int:
        """The worst end error of any round, in whole seconds (signed)."""
        return max((a.end_error_seconds for a in self.rounds), key=abs)

    def summary(self) -> str:
        pooled = self.pooled
        return (
            f"{self.label}: {len(pooled.errors)} changes in {len(self.rounds)} round(s), "
            f"p99 |error| {fmt_ms(self.p99)}, median error {fmt_ms(median(pooled.errors))}, "
            f"end {self.end_error:+d} s; first value {fmt_ms(max(pooled.start_latencies))} after @start"
        )


def program_for(app: str, workdir: Path) -> Program:
    if app == "tick":
        return TICK_COUNTER
    if app == "monotonic":
        return MONOTONIC_COUNTDOWN
    return coach("coach run foot-soak", ("run", "foot-soak"), SOAK_MARKER, workdir)


def run_once(tmux: Tmux, program: Program, workdir: Path, tag: str, stall: str, pause_key: str) -> Analysis:
    """One pass of the scenario; raises Unavailable when the program does not show its marker or write a trace."""
    trace = workdir / f"trace-{tag}.tsv"
    env = terminal_env({**program.env, "COACH_BENCH_TRACE": str(trace)})
    launched = tmux.launch(tag, program.argv, env)
    blackouts: list[Interval] = []
    try:
        if launched.wait_for(program.marker, timeout=15) is None:
            if launched.ended():
                raise Unavailable(f"`{program.label}` exited: {launched.why_ended()}")
            raise Unavailable(f"`{program.label}` did not show {program.marker!r} within 15 s")
        time.sleep(0.3)
        launched.keys("Enter")
        deadline = time.monotonic() + 3
        while not any(text == "@start" for _, text in read_trace(trace)):
            if time.monotonic() > deadline:
                raise Unavailable("no @start in COACH_BENCH_TRACE within 3 s of Enter (the trace hook is missing)")
            time.sleep(0.02)
        for action, seconds in SCENARIO:
            if action == "run":
                time.sleep(seconds)
            elif action == "pause":
                launched.keys(pause_key)
                time.sleep(seconds)
                launched.keys(pause_key)
            elif stall == "signal":
                begin = time.monotonic()
                os.kill(launched.pid, signal.SIGSTOP)
                time.sleep(seconds)
                os.kill(launched.pid, signal.SIGCONT)
                blackouts.append((begin, time.monotonic()))
            else:
                launched.keys("s")
                time.sleep(seconds)
        time.sleep(0.2)
    finally:
        stopping = time.monotonic()
        launched.stop()
    events = read_trace(trace)
    marks = {text for _, text in events if text.startswith("@")}
    if not {"@pause", "@resume"} <= marks:
        raise Unavailable(f"the trace has no @pause/@resume after pressing {pause_key} (marks seen: {sorted(marks)})")
    try:
        return analyse(events, blackouts, until=stopping)
    except ValueError as error:
        raise Unavailable(str(error)) from None


def measure(
    tmux: Tmux, app: str, workdir: Path, rounds: int = 1, stall: str = "signal", pause_key: str = "Space"
) -> Result:
    """Run the scenario `rounds` times on one program (tick, monotonic or coach)."""
    program = program_for(app, workdir)
    analyses = [run_once(tmux, program, workdir, f"{app}-{i}", stall, pause_key) for i in range(rounds)]
    return Result(program.label, analyses)


def print_changes(analysis: Analysis) -> None:
    print(f"  {'time':>12}  {'shown':>8}  {'error':>9}")
    for change in analysis.changes:
        note = "  (first value, after @start)" if change.initial else ""
        print(f"  {change.time:12.3f}  {change.text:>8}  {change.error * 1000:+8.1f} ms{note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", choices=["tick", "monotonic", "coach"], action="append", help="default: all three")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--stall", choices=["signal", "key"], default="signal")
    parser.add_argument("--pause-key", default="Space", help="tmux key name that pauses and resumes (default Space)")
    parser.add_argument("--verbose", action="store_true", help="list every change and its error")
    parser.add_argument("--analyse", type=Path, metavar="TRACE", help="only analyse an existing trace file")
    parser.add_argument("--blackout", action="append", default=[], metavar="BEGIN:END", help="with --analyse")
    parser.add_argument("--until", type=float, metavar="TIME", help="with --analyse: leave out later events")
    args = parser.parse_args(argv)

    if args.analyse:
        blackouts = [tuple(float(x) for x in b.split(":")) for b in args.blackout]
        analysis = analyse(read_trace(args.analyse), blackouts, until=args.until)  # type: ignore[arg-type]
        print(Result(str(args.analyse), [analysis]).summary())
        if args.verbose:
            print_changes(analysis)
        return 0

    workdir = new_workdir()
    prepare_bytecode(workdir)
    tmux = Tmux(workdir)
    failed = False
    try:
        for app in args.app or ["tick", "monotonic", "coach"]:
            try:
                result = measure(tmux, app, workdir, args.rounds, args.stall, args.pause_key)
            except Unavailable as why:
                print(f"{app}: not available yet: {why}")
                continue
            print(result.summary())
            if args.verbose:
                for analysis in result.rounds:
                    print_changes(analysis)
            if app == "coach":
                failed = result.p99 > TARGET_P99 or result.end_error != 0
    finally:
        tmux.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
