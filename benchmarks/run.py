"""coach's benchmark suite: one command, a table of ratios against baselines measured in the same run.

    python benchmarks/run.py            # full pass, about 8 minutes
    python benchmarks/run.py --quick    # short pass, about 2 minutes
    python benchmarks/run.py --only first-frame --only cli

The machine is shared and noisy, so every coach figure is set against a baseline measured in the same run,
interleaved with it, and medians of several runs are reported. A row whose coach side does not exist yet says
"not available yet: <reason>". The table goes to stdout and to benchmarks/results/latest.md (git-ignored), with the
raw figures in benchmarks/results/latest.json. What each row measures and how: docs/performance.md.
Benchmarks are not tests: nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import shlex
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import second_accuracy  # noqa: E402
from benchkit.contenders import (  # noqa: E402
    BARE_CLOCK,
    BARE_HELLO,
    BENCH_DIR,
    HOME_MARKER,
    REPO,
    RUN_MARKER,
    SOAK_MARKER,
    Program,
    coach,
    coach_env,
    have,
    prepare_bytecode,
    termdown,
    terminal_env,
)
from benchkit.stats import (  # noqa: E402
    FAIL,
    Row,
    fmt_mib,
    fmt_ms,
    fmt_ratio,
    median,
    parse_markdown_table,
    ratio,
    render_table,
    verdict,
)
from benchkit.terminal import Launched, Tmux, cpu_seconds, new_workdir, peak_rss_bytes  # noqa: E402

SECTIONS = ("first-frame", "cpu", "accuracy", "cli", "history")
RESULTS = BENCH_DIR / "results"


@dataclass(frozen=True)
class Plan:
    """How much of everything to run."""

    quick: bool
    frame_runs: int
    cpu_seconds: float
    cpu_rounds: int
    accuracy_rounds: int
    cli_runs: int


def make_plan(quick: bool, runs: int | None, cpu_seconds: float | None) -> Plan:
    return Plan(
        quick=quick,
        frame_runs=runs or (3 if quick else 15),  # medians of 7 moved 1.10-1.18x between back-to-back passes
        cpu_seconds=cpu_seconds or (15.0 if quick else 60.0),
        cpu_rounds=1 if quick else 3,
        accuracy_rounds=1 if quick else 2,
        cli_runs=10 if quick else 20,
    )


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------------- first frame


def first_frame(tmux: Tmux, program: Program, tag: str) -> float | str:
    """Seconds from asking tmux to start the program until its marker is on the screen, or why it never showed."""
    launched = tmux.launch(tag, program.argv, terminal_env(program.env))
    try:
        seen = launched.wait_for(program.marker, timeout=20)
        if seen is None:
            if launched.ended():
                return f"`{program.label}` exited: {launched.why_ended()}"
            return f"`{program.label}` did not show {program.marker!r} within 20 s"
        return seen - launched.spawned
    finally:
        launched.stop()
        time.sleep(0.2)


def bench_first_frame(tmux: Tmux, workdir: Path, plan: Plan) -> list[Row]:
    home = coach("coach", (), HOME_MARKER, workdir)
    run = coach("coach run toe-exercises", ("run", "toe-exercises"), RUN_MARKER, workdir)
    programs = [BARE_HELLO, home, run]
    unavailable: dict[str, str] = {}
    for program in programs:  # warm-up: compiles .pyc files, fills the page cache, and tells what exists
        outcome = first_frame(tmux, program, f"warm-{program.label.replace(' ', '-')}")
        if isinstance(outcome, str):
            unavailable[program.label] = outcome
    if BARE_HELLO.label in unavailable:
        raise RuntimeError(f"the bare Textual baseline does not start: {unavailable[BARE_HELLO.label]}")
    measured = [p for p in programs if p.label not in unavailable]
    samples: dict[str, list[float]] = {p.label: [] for p in measured}
    for i in range(plan.frame_runs):
        order = measured[i % len(measured) :] + measured[: i % len(measured)]  # interleave and rotate
        for program in order:
            outcome = first_frame(tmux, program, f"ff-{i}-{program.label.replace(' ', '-')}")
            if isinstance(outcome, str):
                unavailable[program.label] = outcome
                continue
            samples[program.label].append(outcome)
    base = median(samples[BARE_HELLO.label])
    baseline_text = f"bare_hello {fmt_ms(base)}"
    rows = []
    for program, target in ((home, 1.15), (run, 1.25)):
        figure = f"first frame of `{program.label}` at 80x24 (tmux), median of {plan.frame_runs}"
        target_text = f"<= {target:.2f}x"
        if program.label in unavailable or not samples.get(program.label):
            rows.append(Row.unavailable(figure, target_text, unavailable.get(program.label, "?"), baseline_text))
            continue
        value = median(samples[program.label])
        r = ratio(value, base)
        rows.append(
            Row(
                figure,
                baseline_text,
                fmt_ms(value),
                fmt_ratio(r),
                target_text,
                verdict(r <= target),
                data={"baseline_s": samples[BARE_HELLO.label], "coach_s": samples[program.label]},
            )
        )
    return rows


# ------------------------------------------------------------------------------------------- CPU and peak memory


def screen_ticks(launched: Launched, gap: float = 1.3) -> bool:
    """Whether the screen changes within `gap` seconds (a countdown that shows seconds must)."""
    before = launched.screen()
    time.sleep(gap)
    return launched.screen() != before


def bench_cpu(tmux: Tmux, workdir: Path, plan: Plan, install: bool) -> list[Row]:
    soak = coach("coach run foot-soak", ("run", "foot-soak"), SOAK_MARKER, workdir)
    contrast = termdown(install)
    programs: list[Program] = [BARE_CLOCK, soak] + ([contrast] if isinstance(contrast, Program) else [])
    cpu: dict[str, list[float]] = {p.label: [] for p in programs}
    rss: dict[str, list[int]] = {p.label: [] for p in programs}
    unavailable: dict[str, str] = {}
    if isinstance(contrast, str):
        unavailable["termdown"] = contrast
    for i in range(plan.cpu_rounds):
        running: dict[str, Launched] = {}
        try:
            for program in programs:
                if program.label in unavailable:
                    continue
                tag = f"cpu-{i}-{program.label.replace(' ', '-')}"
                launched = tmux.launch(tag, program.argv, terminal_env(program.env))
                if launched.wait_for(program.marker, timeout=20) is None:
                    unavailable[program.label] = (
                        f"exited: {launched.why_ended()}"
                        if launched.ended()
                        else f"{program.marker!r} not shown within 20 s"
                    )
                    launched.stop()
                    continue
                if program is soak:
                    launched.keys("Enter")
                    time.sleep(0.5)
                    if not screen_ticks(launched):
                        unavailable[program.label] = "after Enter on 'Prepare the water' the screen does not change"
                        launched.stop()
                        continue
                running[program.label] = launched
            time.sleep(2.0)  # let start-up work settle: the figure is the steady state while a countdown shows
            start = {label: (time.monotonic(), cpu_seconds(each.pid)) for label, each in running.items()}
            time.sleep(plan.cpu_seconds)
            for label, launched in running.items():
                t0, c0 = start[label]
                used = cpu_seconds(launched.pid) - c0
                cpu[label].append(used / (time.monotonic() - t0) * 60)
                rss[label].append(peak_rss_bytes(launched.pid))
        finally:
            for launched in running.values():
                launched.stop()
    base_cpu = median(cpu[BARE_CLOCK.label])
    base_rss = median(rss[BARE_CLOCK.label])
    contrast_text = (
        f"; termdown {median(cpu['termdown']):.2f}"
        if cpu.get("termdown")
        else f"; termdown: {unavailable.get('termdown', 'not measured')}"
    )
    per = f"{plan.cpu_rounds} x {plan.cpu_seconds:.0f} s"
    cpu_figure = f"CPU s per wall minute while a countdown shows (`coach run foot-soak`), median of {per}"
    rss_figure = "peak RSS (VmHWM) while counting down"
    if soak.label in unavailable or not cpu[soak.label]:
        reason = unavailable.get(soak.label, "?")
        return [
            Row.unavailable(cpu_figure, "<= 1.10x the bare clock", reason, f"bare_clock {base_cpu:.2f}{contrast_text}"),
            Row.unavailable(rss_figure, "<= 1.20x", reason, f"bare_clock {fmt_mib(base_rss)}"),
        ]
    value_cpu, value_rss = median(cpu[soak.label]), median(rss[soak.label])
    r_cpu, r_rss = ratio(value_cpu, base_cpu), ratio(value_rss, base_rss)
    return [
        Row(
            cpu_figure,
            f"bare_clock {base_cpu:.2f}{contrast_text}",
            f"{value_cpu:.2f}",
            fmt_ratio(r_cpu),
            "<= 1.10x the bare clock",
            verdict(r_cpu <= 1.10),
            data={"cpu_per_min": cpu},
        ),
        Row(
            rss_figure,
            f"bare_clock {fmt_mib(base_rss)}",
            fmt_mib(value_rss),
            fmt_ratio(r_rss),
            "<= 1.20x",
            verdict(r_rss <= 1.20),
            data={"rss_bytes": rss},
        ),
    ]


# ---------------------------------------------------------------------------------------------- shown-second error


def bench_accuracy(tmux: Tmux, workdir: Path, plan: Plan) -> list[Row]:
    figure = "error of the shown second vs the true boundary, p99 (pause/resume + 2.5 s stall), and at the end"
    target = "<= 20 ms, 0 s at the end"
    parts = []
    data: dict[str, object] = {}
    for app in ("tick", "monotonic"):
        result = second_accuracy.measure(tmux, app, workdir, plan.accuracy_rounds)
        parts.append(f"{result.label} p99 {fmt_ms(result.p99)}, ends {result.end_error:+d} s")
        data[app] = {"p99_s": result.p99, "end_s": result.end_error, "errors_s": result.pooled.errors}
    baseline_text = "; ".join(parts)
    try:
        result = second_accuracy.measure(tmux, "coach", workdir, plan.accuracy_rounds)
    except second_accuracy.Unavailable as why:
        return [Row.unavailable(figure, target, str(why), baseline_text)]
    data["coach"] = {"p99_s": result.p99, "end_s": result.end_error, "errors_s": result.pooled.errors}
    ok = result.p99 <= second_accuracy.TARGET_P99 and result.end_error == 0
    coach_text = f"p99 {fmt_ms(result.p99)}, ends {result.end_error:+d} s ({len(result.pooled.changes)} changes)"
    return [Row(figure, baseline_text, coach_text, "-", target, verdict(ok), data=data)]


# -------------------------------------------------------------------------------------------- printing commands


def seed_history(workdir: Path, env: dict[str, str]) -> str:
    """A year of sessions (three a day) through `coach import`, so `status` and `streaks` read a real database."""
    sessions = []
    today = dt.date.today()
    tz = dt.timezone(dt.timedelta(hours=1))
    for back in range(365, 0, -1):
        day = today - dt.timedelta(days=back)
        for routine, slot, hour, minutes in (
            ("toe-exercises", "morning", 7, 12),
            ("toe-exercises", "evening", 19, 12),
            ("foot-soak", "bedtime", 22, 16),
        ):
            start = dt.datetime(day.year, day.month, day.day, hour, 5, tzinfo=tz)
            sessions.append(
                {
                    "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"coachbench/{day}/{slot}")),
                    "routine": routine,
                    "slot": slot,
                    "started_at": start.isoformat(),
                    "ended_at": (start + dt.timedelta(minutes=minutes)).isoformat(),
                    "status": "completed",
                    "active_seconds": minutes * 60,
                }
            )
    path = workdir / "seed-sessions.json"
    path.write_text(json.dumps(sessions))
    result = subprocess.run(
        [sys.executable, "-m", "coach", "import", str(path)], env=env, capture_output=True, text=True, timeout=120
    )
    if result.returncode != 0:
        return "empty history (`coach import` failed: " + _last_line(result.stderr or result.stdout) + ")"
    return f"{len(sessions)} sessions imported"


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip()[:160] if lines else "no output"


def textual_imports(argv: Sequence[str], env: dict[str, str]) -> int:
    """How many `-X importtime` lines name textual: `python -X importtime -m coach status 2>&1 | grep -c textual`."""
    result = subprocess.run([sys.executable, "-X", "importtime", *argv], env=env, capture_output=True, text=True)
    return sum("textual" in line for line in (result.stdout + result.stderr).splitlines())


def wall_times(commands: dict[str, list[str]], env: dict[str, str], runs: int, workdir: Path) -> dict[str, float]:
    """Median wall time per command: hyperfine (-N, 3 warm-ups) when installed, else our own interleaved loop."""
    if have("hyperfine"):
        out = workdir / "hyperfine.json"
        argv = ["hyperfine", "-N", "--warmup", "3", "--runs", str(runs), "--export-json", str(out), "--style", "none"]
        argv += [shlex.join(c) for c in commands.values()]
        subprocess.run(argv, env=env, check=True, capture_output=True, timeout=600)
        results = json.loads(out.read_text())["results"]
        return {label: float(r["median"]) for label, r in zip(commands, results, strict=True)}
    samples: dict[str, list[float]] = {label: [] for label in commands}
    for i in range(runs + 3):
        for label, argv in commands.items():
            begin = time.perf_counter()
            subprocess.run(argv, env=env, capture_output=True)
            if i >= 3:
                samples[label].append(time.perf_counter() - begin)
    return {label: median(values) for label, values in samples.items()}


def bench_cli(workdir: Path, plan: Plan) -> list[Row]:
    env = {**os.environ, **coach_env(workdir / "cli")}
    seeded = seed_history(workdir, env)
    commands = {"python -c pass": [sys.executable, "-c", "pass"]}
    unavailable: dict[str, str] = {}
    for sub in ("status", "streaks"):
        argv = [sys.executable, "-m", "coach", sub]
        result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            unavailable[sub] = f"`coach {sub}` exit {result.returncode}: " + _last_line(result.stderr or result.stdout)
        else:
            commands[f"coach {sub}"] = argv
    times = wall_times(commands, env, plan.cli_runs, workdir)
    base = times["python -c pass"]
    tool = "hyperfine" if have("hyperfine") else "own loop"
    baseline_text = f"`python -c pass` {fmt_ms(base)}"
    rows = []
    for sub in ("status", "streaks"):
        figure = f"`coach {sub}` wall time ({seeded}; median of {plan.cli_runs}, {tool})"
        target = "<= 100 ms, textual not imported"
        if sub in unavailable:
            rows.append(Row.unavailable(figure, target, unavailable[sub], baseline_text))
            continue
        value = times[f"coach {sub}"]
        textual = textual_imports(["-m", "coach", sub], env)
        rows.append(
            Row(
                figure,
                baseline_text,
                f"{fmt_ms(value)}, textual " + ("not imported" if textual == 0 else f"imported ({textual} lines)"),
                fmt_ratio(ratio(value, base)),
                target,
                verdict(value <= 0.100 and textual == 0),
                data={"seconds": value, "baseline_seconds": base, "textual_lines": textual},
            )
        )
    return rows


# ------------------------------------------------------------------------------------------------ history scale

HISTORY_SCALE = BENCH_DIR / "history_scale.py"
PLAIN_TIMING = BENCH_DIR / "plain_timing.py"


def run_other(script: Path, quick: bool, extra: Sequence[str] = ()) -> tuple[int, str, str]:
    """Run another engineer's benchmark script, shortened in a quick pass (--quick, or --seconds 15 when it takes
    that); (exit code, stdout, stderr)."""
    helped = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, timeout=60)
    argv = [sys.executable, str(script), *extra]
    if quick and "--quick" in helped.stdout:
        argv.append("--quick")
    elif quick and "--seconds" in helped.stdout:
        argv += ["--seconds", "15"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(argv, capture_output=True, text=True, timeout=900, cwd=REPO, env=env)
    return result.returncode, result.stdout, result.stderr


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).replace(",", "").removesuffix("ms").strip())
    except ValueError:
        return None


HISTORY_FIGURES = (
    # key in --json output, first cell of its printed table, figure, limit in ms at 100,000 sessions
    ("streaks_ms", "streaks", "streaks with 100,000 sessions (store query)", 50.0),
    ("history_screen_ms", "history screen", "the history screen's query (history_view) with 100,000 sessions", 200.0),
)


def history_figures(stdout: str, as_json: bool) -> dict[str, tuple[float | None, float | None]]:
    """{key: (ms at 100 sessions, ms at 100,000)} from history_scale.py's JSON or, without it, its printed table.

    JSON: {"streaks_ms": {"100": x, "100000": y}, "history_screen_ms": {"100": x, "100000": y}}.
    Table: rows whose first cell starts with "streaks" / "history screen", columns "100 sessions" and
    "100,000 sessions".
    """
    found: dict[str, tuple[float | None, float | None]] = {}
    if as_json:
        report = json.loads(stdout)
        for key, *_ in HISTORY_FIGURES:
            figures = report.get(key) if isinstance(report, dict) else None
            if isinstance(figures, dict):
                found[key] = (_number(figures.get("100")), _number(figures.get("100000")))
        return found
    for row in parse_markdown_table(stdout):
        first = next(iter(row.values()), "").lower()
        for key, prefix, *_ in HISTORY_FIGURES:
            if first.startswith(prefix) and key not in found:
                found[key] = (_number(row.get("100 sessions", "")), _number(row.get("100,000 sessions", "")))
    return found


def other_history_figures(stdout: str) -> str:
    """history_scale.py's figures that have no row of their own, as a small table."""
    try:
        report = json.loads(stdout)
    except json.JSONDecodeError:
        return f"### benchmarks/history_scale.py --json\n\n```\n{stdout.strip()}\n```"
    lines = ["### Other figures from benchmarks/history_scale.py (ms, medians)", ""]
    lines += ["| figure | 100 sessions | 100,000 sessions |", "| --- | ---: | ---: |"]
    shown = {key for key, *_ in HISTORY_FIGURES}
    for key, figures in report.items() if isinstance(report, dict) else []:
        if key in shown or not isinstance(figures, dict):
            continue
        small, large = _number(figures.get("100")), _number(figures.get("100000"))
        lines.append(f"| {key.removesuffix('_ms')} | {small if small is not None else '-'} | {large or '-'} |")
    return "\n".join(lines)


def bench_history(plan: Plan, extras: list[str]) -> list[Row]:
    if not HISTORY_SCALE.exists():
        return [
            Row.unavailable(f, f"< {lim:.0f} ms", "benchmarks/history_scale.py does not exist")
            for *_, f, lim in HISTORY_FIGURES
        ]
    helped = subprocess.run([sys.executable, str(HISTORY_SCALE), "--help"], capture_output=True, text=True)
    as_json = "--json" in helped.stdout
    extra = ["--json"] if as_json else []
    if plan.quick and "--runs" in helped.stdout:
        extra += ["--runs", "5"]
    code, out, err = run_other(HISTORY_SCALE, plan.quick, extra)
    if not as_json:
        extras.append(f"### benchmarks/history_scale.py (exit {code})\n\n```\n{(out + err).strip()}\n```")
    else:
        extras.append(other_history_figures(out))
    try:
        found = history_figures(out, as_json) if code == 0 else {}
    except json.JSONDecodeError:
        found = {}
    rows = []
    for key, _, figure, limit in HISTORY_FIGURES:
        target = f"< {limit:.0f} ms"
        small, large = found.get(key, (None, None))
        if small is None or large is None:
            why = f"exit {code}: {_last_line(err)}" if code else f"its output has no {key} figures for 100 and 100,000"
            rows.append(Row.unavailable(figure, target, f"history_scale.py {why}"))
            continue
        rows.append(
            Row(
                figure,
                f"100 sessions {small:.1f} ms",
                f"{large:.1f} ms",
                fmt_ratio(ratio(large, small)),
                target,
                verdict(large < limit),
                data={"ms_100": small, "ms_100000": large},
            )
        )
    return rows


def other_figures(plan: Plan, extras: list[str]) -> None:
    """plain_timing.py (the engine's own benchmark) has no row here; its output goes under the table."""
    if PLAIN_TIMING.exists():
        log("running benchmarks/plain_timing.py")
        code, out, err = run_other(PLAIN_TIMING, plan.quick)
        extras.append(f"### benchmarks/plain_timing.py (exit {code})\n\n```\n{(out + err).strip()}\n```")


# ------------------------------------------------------------------------------------------------------- report


def environment_line(plan: Plan, started: float) -> str:
    git = ["git", "-C", str(REPO)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run([*git, "status", "--porcelain", "--", "coach"], capture_output=True, text=True)
    try:
        textual_version = importlib.metadata.version("textual")
    except importlib.metadata.PackageNotFoundError:
        textual_version = "?"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{dt.datetime.now().isoformat(timespec='seconds')}, {'quick' if plan.quick else 'full'} pass "
        f"in {time.monotonic() - started:.0f} s; commit {commit.stdout.strip() or '?'}"
        f"{' + uncommitted changes in coach/' if dirty.stdout.strip() else ''}; Python {platform.python_version()}, "
        f"Textual {textual_version}, {os.cpu_count()} CPUs, load average {load}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 runs per first frame, 15 s of CPU, 1 accuracy round")
    parser.add_argument("--only", action="append", choices=SECTIONS, help="run only these sections (repeatable)")
    parser.add_argument("--runs", type=int, help="first-frame runs per program (default 7, quick 3)")
    parser.add_argument("--cpu-seconds", type=float, help="seconds of countdown per CPU round (default 60, quick 15)")
    parser.add_argument("--no-install", action="store_true", help="do not pip-install termdown into benchmarks/.venv")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.md", help="where to write the Markdown table")
    parser.add_argument("--check", action="store_true", help="exit 1 when any row fails its target")
    args = parser.parse_args(argv)
    plan = make_plan(args.quick, args.runs, args.cpu_seconds)
    sections = args.only or list(SECTIONS)
    started = time.monotonic()
    if not have("tmux") and {"first-frame", "cpu", "accuracy"} & set(sections):
        parser.error("tmux is needed for the terminal rows (apt-get install tmux), or pass --only cli --only history")

    workdir = new_workdir()
    prepare_bytecode(workdir)
    rows: list[Row] = []
    extras: list[str] = []
    steps: list[tuple[str, Callable[[], list[Row]]]] = []
    tmux = Tmux(workdir) if {"first-frame", "cpu", "accuracy"} & set(sections) else None
    if tmux is not None:
        steps += [
            ("first-frame", lambda: bench_first_frame(tmux, workdir, plan)),
            ("cpu", lambda: bench_cpu(tmux, workdir, plan, not args.no_install)),
            ("accuracy", lambda: bench_accuracy(tmux, workdir, plan)),
        ]
    steps += [("cli", lambda: bench_cli(workdir, plan)), ("history", lambda: bench_history(plan, extras))]
    try:
        for name, step in steps:
            if name in sections:
                log(f"{name} ...")
                rows += step()
        if "history" in sections:
            other_figures(plan, extras)
    finally:
        if tmux is not None:
            tmux.close()

    report = "\n\n".join(
        [
            "## Benchmarks",
            environment_line(plan, started),
            render_table(rows),
            "Ratios are coach / the baseline measured in the same run (medians). "
            "How each row is measured: docs/performance.md.",
            *extras,
        ]
    )
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report + "\n")
    args.out.with_suffix(".json").write_text(json.dumps([asdict(r) for r in rows], indent=2, default=str) + "\n")
    log(f"written to {args.out} (and {args.out.with_suffix('.json').name}); work files in {workdir}")
    return 1 if args.check and any(r.status == FAIL for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
