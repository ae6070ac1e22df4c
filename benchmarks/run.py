"""coach's benchmark suite: one command, a table of ratios against baselines measured in the same run.

    python benchmarks/run.py            # full pass, about 10 minutes
    python benchmarks/run.py --quick    # short pass, about 2 minutes (more on a loaded machine)
    python benchmarks/run.py --only first-frame --only cli

Every row times what the terminal shows (a tmux control-mode client sees each write within about a millisecond),
and names the moment it times. The machine is shared and noisy, so every coach figure is set against a baseline
measured in the same run, interleaved with it or side by side, and medians of several runs are reported. A row
whose coach side does not exist yet says "not available yet: <reason>". The table goes to stdout and to
benchmarks/results/latest.md (git-ignored), with the raw figures in benchmarks/results/latest.json. What each row
measures and how: docs/performance.md.
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
import shutil
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
    BARE_FOOTER,
    BENCH_DIR,
    HOME_COMPLETE,
    HOME_MARKER,
    REPO,
    RUN_COMPLETE,
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
from benchkit.screens import complete, first_showing, shows_all  # noqa: E402
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
from benchkit.trace import AFTER_PAUSE, AFTER_STALL, BUSY, CONDITIONS, QUIET  # noqa: E402

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
        frame_runs=runs or (5 if quick else 15),  # medians of 7 moved 1.10-1.18x between back-to-back passes
        cpu_seconds=cpu_seconds or (15.0 if quick else 60.0),
        cpu_rounds=1 if quick else 3,
        accuracy_rounds=1 if quick else 3,
        cli_runs=10 if quick else 20,
    )


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------- complete screens

SETTLE_QUIET = 0.4
"""A screen is settled once its program has written nothing for this long (with every marker shown)."""


@dataclass(frozen=True)
class ScreenTiming:
    """Seconds from asking tmux to start a program until its screen was complete, and until its first frame."""

    complete: float
    first: float | None


def complete_screen(tmux: Tmux, program: Program, tag: str) -> ScreenTiming | str:
    """Start the program, watch its screen until it shows every marker and goes quiet; the timing or why not."""
    launched = tmux.launch(tag, program.argv, terminal_env(program.env))
    try:
        shots, settled = launched.settle(shows_all(program.complete), SETTLE_QUIET, timeout=15)
        result = complete(shots, program.complete)
        if result.complete is not None and settled:
            first = first_showing(shots, program.marker)
            return ScreenTiming(result.complete - launched.spawned, None if first is None else first - launched.spawned)
        if launched.ended():
            return f"`{program.label}` exited: {launched.why_ended()}"
        if result.missing:
            last = [line.strip() for line in shots[-1].text.splitlines() if line.strip()] if shots else []
            shown = " / ".join(last[:3] + ["..."] + last[-2:]) if len(last) > 5 else " / ".join(last)
            return f"`{program.label}` never showed {', '.join(map(repr, result.missing))} (its screen: {shown})"
        return f"`{program.label}` kept changing its screen for 15 s"
    finally:
        launched.stop()
        time.sleep(0.2)


def bench_screens(tmux: Tmux, workdir: Path, plan: Plan) -> list[Row]:
    home = coach("coach", (), HOME_MARKER, workdir, HOME_COMPLETE)
    run = coach("coach run toe-exercises", ("run", "toe-exercises"), RUN_MARKER, workdir, RUN_COMPLETE)
    programs = [BARE_FOOTER, home, run]
    unavailable: dict[str, str] = {}
    for program in programs:  # warm-up: fills the page cache, takes the day's first backup, tells what exists
        outcome = complete_screen(tmux, program, f"warm-{program.label.replace(' ', '-')}")
        if isinstance(outcome, str):
            unavailable[program.label] = outcome
    if BARE_FOOTER.label in unavailable:
        raise RuntimeError(f"the bare Textual baseline does not settle: {unavailable[BARE_FOOTER.label]}")
    measured = [p for p in programs if p.label not in unavailable]
    samples: dict[str, list[ScreenTiming]] = {p.label: [] for p in measured}
    for i in range(plan.frame_runs):
        order = measured[i % len(measured) :] + measured[: i % len(measured)]  # interleave and rotate
        for program in order:
            outcome = complete_screen(tmux, program, f"ff-{i}-{program.label.replace(' ', '-')}")
            if isinstance(outcome, str):
                unavailable[program.label] = outcome
                continue
            samples[program.label].append(outcome)
    base = median([t.complete for t in samples[BARE_FOOTER.label]])
    base_first = median([t.first for t in samples[BARE_FOOTER.label] if t.first is not None])
    baseline_text = (
        f"bare_footer settled (its text and footer drawn) {fmt_ms(base)}; its first frame {fmt_ms(base_first)}"
    )
    rows = []
    for program, target, moment in (
        (home, 1.30, "home complete, date and plan, streaks and footer drawn"),
        (run, 1.25, "run screen settled, the step and the footer drawn"),
    ):
        figure = f"`{program.label}` {moment}: the screen's last change (tmux 80x24), median of {plan.frame_runs}"
        target_text = f"<= {target:.2f}x"
        if program.label in unavailable or not samples.get(program.label):
            rows.append(Row.unavailable(figure, target_text, unavailable.get(program.label, "?"), baseline_text))
            continue
        timings = samples[program.label]
        value = median([t.complete for t in timings])
        firsts = [t.first for t in timings if t.first is not None]
        first_text = (
            f" (first frame {fmt_ms(median(firsts))}, {fmt_ratio(ratio(median(firsts), base_first))})" if firsts else ""
        )
        r = ratio(value, base)
        rows.append(
            Row(
                figure,
                baseline_text,
                fmt_ms(value) + first_text,
                fmt_ratio(r),
                target_text,
                verdict(r <= target),
                data={
                    "baseline": [asdict(t) for t in samples[BARE_FOOTER.label]],
                    "coach": [asdict(t) for t in timings],
                },
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
    cpu_figure = f"CPU s per wall minute while a countdown shows (`coach run foot-soak`, from 2 s in), median of {per}"
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


CONDITION_TEXT = {
    QUIET: "quiet",
    AFTER_STALL: "the first second after a 2.5 s stall (SIGSTOP/SIGCONT)",
    AFTER_PAUSE: "the first second after a pause",
    BUSY: "both cores busy",
}


def bench_accuracy(tmux: Tmux, workdir: Path, plan: Plan, extras: list[str]) -> list[Row]:
    results = second_accuracy.measure(tmux, ["tick", "bare", "coach"], workdir, plan.accuracy_rounds)
    lines = [f"{app}: not available: {r}" if isinstance(r, Exception) else r.summary() for app, r in results.items()]
    extras.append("### The shown second, per program (second_accuracy.py)\n\n```\n" + "\n".join(lines) + "\n```")
    bare, mine = results["bare"], results["coach"]
    if isinstance(bare, second_accuracy.Unavailable):
        raise RuntimeError(f"the bare countdown cannot be measured: {bare}")
    rounds = f"{plan.accuracy_rounds} round{'s' if plan.accuracy_rounds > 1 else ''} side by side"
    rows = []
    for condition in CONDITIONS:
        count = len(bare.errors(condition))
        figure = (
            f"shown second: the frame with the new digits reaches the terminal, p99 after the boundary (the typed "
            f"keys are the truth): {CONDITION_TEXT[condition]} ({count} seconds each, {rounds})"
        )
        base = bare.p99(condition)
        baseline_text = f"bare_countdown {fmt_ms(base)}" + (
            f" (median {fmt_ms(median(bare.errors(condition)))})" if count else ""
        )
        target = f"<= {second_accuracy.TARGET_RATIO:.2f}x"
        if isinstance(mine, second_accuracy.Unavailable):
            rows.append(Row.unavailable(figure, target, str(mine), baseline_text))
            continue
        value = mine.p99(condition)
        if value is None or base is None:
            rows.append(Row.unavailable(figure, target, "no second changed in this condition", baseline_text))
            continue
        r = ratio(value, base)
        rows.append(
            Row(
                figure,
                baseline_text,
                f"{fmt_ms(value)} (median {fmt_ms(median(mine.errors(condition)))})",
                fmt_ratio(r),
                target,
                verdict(r <= second_accuracy.TARGET_RATIO),
                data={"bare_s": bare.errors(condition), "coach_s": mine.errors(condition)},
            )
        )
    figure = "the right second: each within 0.5 s of its boundary, none skipped while running, the right one at the end"
    contrasts = []
    for app in ("tick", "bare"):
        other = results.get(app)
        if isinstance(other, second_accuracy.Result):
            contrasts.append(f"{other.label} {other.wrong} wrong, ends {other.end_error:+d} s")
    target = "0 wrong, 0 s at the end"
    if isinstance(mine, second_accuracy.Unavailable):
        rows.append(Row.unavailable(figure, target, str(mine), "; ".join(contrasts)))
    else:
        rows.append(
            Row(
                figure,
                "; ".join(contrasts),
                f"{mine.wrong} wrong of {len(mine.errors())}, ends {mine.end_error:+d} s",
                "-",
                target,
                verdict(mine.wrong == 0 and mine.end_error == 0),
            )
        )
    return rows


# -------------------------------------------------------------------------------------------- printing commands


def seed_history(workdir: Path) -> str:
    """A year of sessions (three a day, up to yesterday) through `coach import` into the data folder every coach of
    this run uses (`coach_env`), and a copy for the printing commands; what was seeded, for the rows."""
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
    env = {**os.environ, **coach_env(workdir)}
    result = subprocess.run(
        [sys.executable, "-m", "coach", "import", str(path)], env=env, capture_output=True, text=True, timeout=120
    )
    if result.returncode != 0:
        return "empty history (`coach import` failed: " + _last_line(result.stderr or result.stdout) + ")"
    shutil.copytree(workdir / "data", workdir / "cli" / "data", dirs_exist_ok=True)
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


def clean_venv(workdir: Path) -> Path | str:
    """The python of a new empty venv (no pip, no packages, no .pth files): the floor of any program in a venv."""
    folder = workdir / "clean-venv"
    base = getattr(sys, "_base_executable", sys.executable)
    result = subprocess.run([base, "-m", "venv", "--without-pip", str(folder)], capture_output=True, text=True)
    python = folder / "bin" / "python"
    if result.returncode != 0 or not python.exists():
        return "could not make a clean venv: " + _last_line(result.stderr or result.stdout)
    return python


def bench_cli(workdir: Path, plan: Plan, seeded: str) -> list[Row]:
    env = {**os.environ, **coach_env(workdir / "cli")}
    base_python = getattr(sys, "_base_executable", sys.executable)
    commands = {"machine": [base_python, "-c", "pass"]}
    clean = clean_venv(workdir)
    if isinstance(clean, Path):
        commands["clean venv"] = [str(clean), "-c", "pass"]
    if sys.prefix != sys.base_prefix:
        commands["this venv"] = [sys.executable, "-c", "pass"]
    unavailable: dict[str, str] = {}
    for sub in ("status", "streaks"):
        argv = [sys.executable, "-m", "coach", sub]
        result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            unavailable[sub] = f"`coach {sub}` exit {result.returncode}: " + _last_line(result.stderr or result.stdout)
        else:
            commands[f"coach {sub}"] = argv
    times = wall_times(commands, env, plan.cli_runs, workdir)
    base = times.get("clean venv", times["machine"])
    tool = "hyperfine" if have("hyperfine") else "interleaved runs"
    parts = [f"clean venv {fmt_ms(times['clean venv'])}" if "clean venv" in times else f"clean venv: {clean}"]
    if "this venv" in times:
        parts.append(f"coach's venv {fmt_ms(times['this venv'])}")
    parts.append(f"machine's interpreter {fmt_ms(times['machine'])} (its site-packages has .pth files: certifi)")
    baseline_text = "`python -c pass`: " + "; ".join(parts)
    rows = []
    for sub in ("status", "streaks"):
        figure = f"`coach {sub}` wall time, start to exit ({seeded}; median of {plan.cli_runs}, {tool})"
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
                fmt_ratio(ratio(value, base)) + (" the clean venv" if "clean venv" in times else " the machine's"),
                target,
                verdict(value <= 0.100 and textual == 0),
                data={"seconds": value, "baselines": {k: v for k, v in times.items() if not k.startswith("coach")}},
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
    parser.add_argument("--quick", action="store_true", help="5 runs per screen, 15 s of CPU, 1 round of seconds")
    parser.add_argument("--only", action="append", choices=SECTIONS, help="run only these sections (repeatable)")
    parser.add_argument("--runs", type=int, help="runs per complete screen (default 15, quick 5)")
    parser.add_argument("--cpu-seconds", type=float, help="seconds of countdown per CPU round (default 60, quick 15)")
    parser.add_argument("--no-install", action="store_true", help="do not pip-install termdown into benchmarks/.venv")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.md", help="where to write the Markdown table")
    parser.add_argument("--check", action="store_true", help="exit 1 when any row fails its target")
    args = parser.parse_args(argv)
    plan = make_plan(args.quick, args.runs, args.cpu_seconds)
    sections = args.only or list(SECTIONS)
    started = time.monotonic()
    terminal_sections = {"first-frame", "cpu", "accuracy"} & set(sections)
    if not have("tmux") and terminal_sections:
        parser.error("tmux is needed for the terminal rows (apt-get install tmux), or pass --only cli --only history")

    sys.setswitchinterval(0.0005)  # the tmux reader thread's timestamps must not wait long for the interpreter
    workdir = new_workdir()
    prepare_bytecode(workdir)
    seeded = seed_history(workdir) if {"first-frame", "cpu", "accuracy", "cli"} & set(sections) else ""
    rows: list[Row] = []
    extras: list[str] = []
    steps: list[tuple[str, Callable[[], list[Row]]]] = []
    tmux = Tmux(workdir) if terminal_sections else None
    if tmux is not None:
        steps += [
            ("first-frame", lambda: bench_screens(tmux, workdir, plan)),
            ("cpu", lambda: bench_cpu(tmux, workdir, plan, not args.no_install)),
            ("accuracy", lambda: bench_accuracy(tmux, workdir, plan, extras)),
        ]
    steps += [("cli", lambda: bench_cli(workdir, plan, seeded)), ("history", lambda: bench_history(plan, extras))]
    try:
        for name, step in steps:
            if name in sections:
                log(f"{name} ...")
                rows += step()
        if "history" in sections and not plan.quick:
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
