"""When does each new second reach the terminal? coach and a bare Textual countdown run side by side in a real
terminal through pauses, stalls of their event loops and a spell of busy cores, and every new second is timed from
its true boundary to the moment its frame reached tmux.

    python benchmarks/second_accuracy.py                     # coach, the bare countdown and the tick counter
    python benchmarks/second_accuracy.py --app bare --app coach --rounds 2 --verbose
    python benchmarks/second_accuracy.py --analyse TRACE [--blackout BEGIN:END ...]   # a trace alone, no terminal

The scenario (about 30 s of countdown, the same for every program in the same window of time): Enter starts each
countdown (staggered by a fraction of a second, so that their boundaries do not fall together, and in an order that
turns round by round: the busy spell starts at a fixed moment, and the program whose boundary came just after it
met the busy loops' first fraction of a second in every round); run 4.3 s; pause
1.5 s; run 3.4 s; stall 2.5 s; run 3.3 s; pause 1.2 s; run 2.6 s; stall 2.5 s; run 2.4 s; both cores busy 6 s (one
busy-loop process per core); run 0.6 s. A pause is Space typed half-way through one of the program's seconds (so a
slow key never takes effect after a boundary), then Space again. A stall is SIGSTOP then SIGCONT sent to the program
from outside: its event loop cannot run, exactly as with a blocking call in a handler, and it needs nothing from the
program (`--stall key` presses `s` instead, which the baselines answer with `time.sleep(2.5)`).

Three sources, each for what only it knows:
- the harness knows when it typed Enter and Space and when it stopped the program: the true boundaries follow from
  those moments alone (a countdown started by Enter at T should show one second less at T + 1, pauses excluded);
- the program's trace (COACH_BENCH_TRACE=PATH, format in benchkit/trace.py) says which value it decided to show and
  when (its own @start/@pause/@resume marks only confirm that the keys worked);
- the terminal says when the new value could be seen. tmux's control mode reports each write of the program within
  about a millisecond (benchkit/terminal.py); the screen is captured after each burst of writes, and a value
  "landed" at the first burst after the program's decision that changed the screen (benchkit/screens.py).
Not reading the digits off the screen is deliberate: coach's big digits are being replaced by a scalable widget of
its own, and any drawing of them is fine as long as the frame that carries the change is timed.

Reported per condition (quiet, the first second after a stall, the first after a pause, while both cores are busy):
p99 of |landed - due| (nearest rank: the largest below 100 changes), and whether every value was right: within
0.5 s of its boundary, no second skipped while the program could run, and the right value at the end.
Baselines: benchmarks/baselines/bare_countdown.py (a deadline and a one-shot timer: what coach is held to) and
benchmarks/baselines/tick_counter.py (counts timer ticks: ends whole seconds wrong after a stall; the contrast that
shows the check works).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import signal
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchkit.contenders import (  # noqa: E402
    BARE_COUNTDOWN,
    SOAK_MARKER,
    TICK_COUNTER,
    Program,
    coach,
    prepare_bytecode,
    terminal_env,
)
from benchkit.screens import landing  # noqa: E402
from benchkit.stats import fmt_ms, median, percentile  # noqa: E402
from benchkit.terminal import BusyCores, Launched, Tmux, Watcher, new_workdir  # noqa: E402
from benchkit.trace import CONDITIONS, Analysis, Interval, analyse, read_trace  # noqa: E402

SCENARIO: tuple[tuple[str, float], ...] = (
    ("run", 4.3),
    ("pause", 1.5),
    ("run", 3.4),
    ("stall", 2.5),
    ("run", 3.3),
    ("pause", 1.2),
    ("run", 2.6),
    ("stall", 2.5),
    ("run", 2.4),
    ("busy", 6.0),
    ("run", 0.6),
)
APPS = ("tick", "bare", "coach")
TARGET_RATIO = 1.20
"""coach's p99 in each condition may be at most this times the bare countdown's."""


class Unavailable(Exception):
    """The program cannot be measured (yet); the message says why."""


@dataclass
class Result:
    """The analyses of one program's rounds."""

    label: str
    rounds: list[Analysis] = field(default_factory=list)

    @property
    def pooled(self) -> Analysis:
        return Analysis(
            changes=[c for a in self.rounds for c in a.changes], blackouts=[b for a in self.rounds for b in a.blackouts]
        )

    def errors(self, condition: str | None = None) -> list[float]:
        pooled = self.pooled
        return pooled.errors if condition is None else pooled.errors_in(condition)

    def p99(self, condition: str | None = None) -> float | None:
        """p99 of |error| in a condition (all changes without one); None when it had no change."""
        errors = self.errors(condition)
        return percentile([abs(e) for e in errors], 99) if errors else None

    @property
    def end_error(self) -> int:
        """The worst end error of any round, in whole seconds (signed)."""
        return max((a.end_error_seconds for a in self.rounds), key=abs)

    @property
    def wrong(self) -> int:
        return sum(len(a.wrong) for a in self.rounds)

    def summary(self) -> str:
        pooled = self.pooled
        parts = [
            f"{condition} p99 {fmt_ms(self.p99(condition))} ({len(self.errors(condition))})" for condition in CONDITIONS
        ]
        starts = [s for s in pooled.start_latencies if s != float("inf")]
        return (
            f"{self.label}: {len(pooled.errors)} changes in {len(self.rounds)} round(s); " + "; ".join(parts) + "; "
            f"median {fmt_ms(median(pooled.errors))}; {self.wrong} wrong, ends {self.end_error:+d} s; "
            f"first value {fmt_ms(max(starts) if starts else None)} after @start"
            + "".join(f"; wrong: {c.text} {fmt_ms(c.error)} ({c.condition})" for a in self.rounds for c in a.wrong[:5])
        )


def program_for(app: str, workdir: Path) -> Program:
    if app == "tick":
        return TICK_COUNTER
    if app == "bare":
        return BARE_COUNTDOWN
    return coach("coach run foot-soak", ("run", "foot-soak"), SOAK_MARKER, workdir)


@dataclass
class _Running:
    app: str
    program: Program
    launched: Launched
    trace: Path
    stalls: list[Interval] = field(default_factory=list)
    marks: list[tuple[float, str]] = field(default_factory=list)
    """@start, @pause and @resume as the harness typed them: the truth does not rest on the program's word."""

    def type_key(self, key: str, mark: str) -> None:
        self.marks.append((time.monotonic(), mark))
        self.launched.keys(key)

    def mid_second(self, now: float) -> float:
        """The next moment half-way between two of its boundaries (by the harness's marks): a pause typed there
        takes effect before the next boundary, however slowly the program reads the key."""
        running = 0.0
        since: float | None = None
        for stamp, mark in self.marks:
            if mark in ("@start", "@resume"):
                since = stamp
            elif mark == "@pause" and since is not None:
                running += stamp - since
                since = None
        running += now - since if since is not None else 0.0
        return now + (0.5 - running) % 1.0


def _pause(running: Sequence[_Running], key: str, seconds: float) -> None:
    """Pause each program half-way through one of its seconds and resume it `seconds` later."""
    now = time.monotonic()
    plan = []
    for each in running:
        at = each.mid_second(now)
        plan += [(at, each, "@pause"), (at + seconds, each, "@resume")]
    for at, each, mark in sorted(plan, key=lambda step: step[0]):
        time.sleep(max(0.0, at - time.monotonic()))
        each.type_key(key, mark)


def _stall(running: Sequence[_Running], stall: str, seconds: float) -> None:
    if stall == "key":
        for each in running:
            each.launched.keys("s")
        time.sleep(seconds)
        return
    begun = {}
    for each in running:
        begun[each.app] = time.monotonic()
        os.kill(each.launched.pid, signal.SIGSTOP)
    time.sleep(seconds)
    for each in running:
        ended = time.monotonic()  # before SIGCONT: a program quick to draw ran before a stamp taken after it
        os.kill(each.launched.pid, signal.SIGCONT)
        each.stalls.append((begun[each.app], ended))


def run_round(
    tmux: Tmux,
    apps: Sequence[str],
    workdir: Path,
    tag: str,
    stall: str = "signal",
    pause_key: str = "Space",
    turn: int = 0,
) -> dict[str, Analysis | Unavailable]:
    """One pass of the scenario with every app side by side; per app its analysis or why it could not be had.
    `turn` rotates the order in which they start (so each app's boundaries fall elsewhere against the busy spell)."""
    outcome: dict[str, Analysis | Unavailable] = {}
    running: list[_Running] = []
    watcher: Watcher | None = None
    busy: list[Interval] = []
    try:
        for app in apps:
            program = program_for(app, workdir)
            trace = workdir / f"trace-{tag}-{app}.tsv"
            env = terminal_env({**program.env, "COACH_BENCH_TRACE": str(trace)})
            launched = tmux.launch(f"{tag}-{app}", program.argv, env)
            running.append(_Running(app, program, launched, trace))
        for each in list(running):
            if each.launched.wait_for(each.program.marker, timeout=20) is None:
                why = (
                    f"`{each.program.label}` exited: {each.launched.why_ended()}"
                    if each.launched.ended()
                    else f"`{each.program.label}` did not show {each.program.marker!r} within 20 s"
                )
                outcome[each.app] = Unavailable(why)
                each.launched.stop()
                running.remove(each)
        if not running:
            return outcome
        for each in running:
            _ = each.launched.pid  # found now, not while stalling
        watcher = Watcher(tmux, [each.launched.pane for each in running])
        time.sleep(0.3)
        shift = turn % len(running)
        for i, each in enumerate(running[shift:] + running[:shift]):  # staggered: boundaries fall apart
            if i:
                time.sleep(1 / len(running))
            each.type_key("Enter", "@start")
        deadline = time.monotonic() + 3
        for each in list(running):
            while not any(text == "@start" for _, text in read_trace(each.trace)):
                if time.monotonic() > deadline:
                    outcome[each.app] = Unavailable(
                        "no @start in COACH_BENCH_TRACE within 3 s of Enter (the trace hook is missing)"
                    )
                    running.remove(each)
                    break
                time.sleep(0.02)
        for action, seconds in SCENARIO:
            if action == "run":
                time.sleep(seconds)
            elif action == "pause":
                _pause(running, pause_key, seconds)
            elif action == "stall":
                _stall(running, stall, seconds)
            else:
                with BusyCores() as cores:
                    time.sleep(seconds)
                busy.append((cores.began, cores.ended))
        time.sleep(0.2)
    finally:
        stopping = time.monotonic()
        if watcher is not None:
            watcher.stop()
        for each in running:
            each.launched.stop()
    for each in running:
        events = read_trace(each.trace)
        marks = {text for _, text in events if text.startswith("@")}
        if not {"@start", "@pause", "@resume"} <= marks:
            outcome[each.app] = Unavailable(
                f"the trace has no @pause/@resume after pressing {pause_key} (marks seen: {sorted(marks)})"
            )
            continue
        assert watcher is not None
        shots = watcher.snapshots[each.launched.pane]
        try:
            analysis = analyse(
                events,
                each.stalls,
                until=stopping,
                landed=functools.partial(landing, shots),
                busy=busy,
                marks=each.marks,
            )
        except ValueError as error:
            outcome[each.app] = Unavailable(str(error))
            continue
        outcome[each.app] = analysis
        with (workdir / f"changes-{tag}-{each.app}.txt").open("w") as listing, contextlib.redirect_stdout(listing):
            print(f"{each.program.label}: marks {each.marks}; stalls {each.stalls}; busy {busy}")
            print_changes(analysis)
    return outcome


def measure(
    tmux: Tmux,
    apps: Sequence[str],
    workdir: Path,
    rounds: int = 1,
    stall: str = "signal",
    pause_key: str = "Space",
) -> dict[str, Result | Unavailable]:
    """Run the scenario `rounds` times with the apps side by side; per app its result or why it is unavailable."""
    results: dict[str, Result | Unavailable] = {app: Result(program_for(app, workdir).label) for app in apps}
    for i in range(rounds):
        live = [app for app in apps if isinstance(results[app], Result)]
        if not live:
            break
        for app, outcome in run_round(tmux, live, workdir, f"acc{i}", stall, pause_key, turn=i).items():
            result = results[app]
            if isinstance(outcome, Unavailable):
                results[app] = outcome
            elif isinstance(result, Result):
                result.rounds.append(outcome)
    return results


def print_changes(analysis: Analysis) -> None:
    print(f"  {'decided':>12}  {'shown':>8}  {'error':>9}  {'decided+':>9}  condition")
    wrong = {id(change) for change in analysis.wrong}
    for change in analysis.changes:
        note = "first value, after @start" if change.initial else change.condition
        note += "  WRONG" if id(change) in wrong else ""
        decided = "" if change.decided is None else f"{(change.decided - change.due) * 1000:+8.1f}"
        stamp = change.decided if change.decided is not None else change.time
        print(f"  {stamp:12.3f}  {change.text:>8}  {change.error * 1000:+8.1f} ms  {decided:>9}  {note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", choices=APPS, action="append", help="default: all three, side by side")
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

    sys.setswitchinterval(0.0005)  # the reader thread's timestamps must not wait long for the interpreter
    workdir = new_workdir()
    prepare_bytecode(workdir)
    tmux = Tmux(workdir)
    try:
        results = measure(tmux, args.app or list(APPS), workdir, args.rounds, args.stall, args.pause_key)
    finally:
        tmux.close()
    for app, result in results.items():
        if isinstance(result, Unavailable):
            print(f"{app}: not available yet: {result}")
            continue
        print(result.summary())
        if args.verbose:
            for analysis in result.rounds:
                print_changes(analysis)
    return 0


if __name__ == "__main__":
    sys.exit(main())
