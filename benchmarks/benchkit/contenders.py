"""The programs the benchmarks start: coach from this checkout and the bare Textual baselines, with their markers."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parents[1]
REPO = BENCH_DIR.parent
BASELINES = BENCH_DIR / "baselines"
VENV = BENCH_DIR / ".venv"

HOME_MARKER = "Today"
"""coach's home screen shows a "Today" heading."""
RUN_MARKER = "Get ready"
"""The first step of `coach run toe-exercises`."""
SOAK_MARKER = "Prepare the water"
"""The first step of `coach run foot-soak`; Enter moves on to the 15-minute soak countdown."""


@dataclass(frozen=True)
class Program:
    """A command to start in a terminal, the text that says its first frame is up, and its extra environment."""

    label: str
    argv: tuple[str, ...]
    marker: str
    env: dict[str, str] = field(default_factory=dict)


def baseline(script: str, marker: str) -> Program:
    return Program(script.removesuffix(".py"), (sys.executable, str(BASELINES / script)), marker)


BARE_HELLO = baseline("bare_hello.py", "Hello from a bare Textual app")
BARE_CLOCK = baseline("bare_clock.py", "Bare clock")
TICK_COUNTER = baseline("tick_counter.py", "Get ready")
MONOTONIC_COUNTDOWN = baseline("monotonic_countdown.py", "Get ready")


def coach_env(workdir: Path) -> dict[str, str]:
    """An isolated data and config folder, and this checkout first on the import path."""
    data, config = workdir / "data", workdir / "config"
    data.mkdir(parents=True, exist_ok=True)
    config.mkdir(parents=True, exist_ok=True)
    return {"COACH_DATA_DIR": str(data), "COACH_CONFIG_DIR": str(config), "PYTHONPATH": str(REPO)}


def coach(label: str, args: tuple[str, ...], marker: str, workdir: Path) -> Program:
    """coach from this checkout (`python -m coach`, the same code the console script runs)."""
    return Program(label, (sys.executable, "-m", "coach", *args), marker, coach_env(workdir))


def terminal_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """What every program in the terminal gets: xterm-256color, UTF-8, no inherited COLORTERM differences."""
    env = {"TERM": "xterm-256color", "LC_ALL": "C.UTF-8", "COLORTERM": ""}
    env.update(extra or {})
    return env


def termdown(install: bool = True) -> Program | str:
    """termdown from benchmarks/.venv (installed there with pip on first use), or why it is not available."""
    exe = VENV / "bin" / "termdown"
    if not exe.exists() and install:
        try:
            if not (VENV / "bin" / "python").exists():
                subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, capture_output=True, timeout=120)
            subprocess.run(
                [str(VENV / "bin" / "python"), "-m", "pip", "install", "-q", "termdown"],
                check=True,
                capture_output=True,
                timeout=300,
            )
        except (subprocess.SubprocessError, OSError) as error:
            return f"could not install termdown into {VENV.relative_to(REPO)}: {error}"
    if not exe.exists():
        return "termdown is not installed (benchmarks/.venv)"
    return Program("termdown", (str(exe), "15m"), "", {})


def have(tool: str) -> bool:
    return shutil.which(tool) is not None
