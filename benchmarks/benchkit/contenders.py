"""The programs the benchmarks start: coach from this checkout and the bare Textual baselines, with their markers."""

from __future__ import annotations

import importlib.util
import os
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
"""coach's home screen shows a "Today" heading in its first frame."""
HOME_COMPLETE = ("Today ·", "Whole day", "History")
"""The complete home screen: the heading with the date and the plan (written once the plan is read), the streaks
(their last line), and the footer (its History key). The first is also the first-frame marker's full form."""
RUN_MARKER = "Get ready"
"""The first step of `coach run toe-exercises` (it waits for Enter: the screen settles)."""
RUN_COMPLETE = ("Get ready", "Ready")
"""The run screen settled: the step and the footer (its Ready key)."""
SOAK_MARKER = "Prepare the water"
"""The first step of `coach run foot-soak`; Enter moves on to the 15-minute soak countdown."""


@dataclass(frozen=True)
class Program:
    """A command to start in a terminal, the text that says its first frame is up, and its extra environment."""

    label: str
    argv: tuple[str, ...]
    marker: str
    env: dict[str, str] = field(default_factory=dict)
    complete: tuple[str, ...] = ()
    """What its complete screen shows, every one of them (the first frame shows `marker`)."""


def baseline(script: str, marker: str, complete: tuple[str, ...] = ()) -> Program:
    return Program(script.removesuffix(".py"), (sys.executable, str(BASELINES / script)), marker, complete=complete)


BARE_FOOTER = baseline("bare_footer.py", "Hello from a bare Textual app", ("Hello from a bare Textual app", "History"))
BARE_CLOCK = baseline("bare_clock.py", "Bare clock")
TICK_COUNTER = baseline("tick_counter.py", "Get ready")
BARE_COUNTDOWN = baseline("bare_countdown.py", "Get ready")


def coach_env(workdir: Path) -> dict[str, str]:
    """Isolated data, config and cache folders, and this checkout first on the import path."""
    data, config = workdir / "data", workdir / "config"
    data.mkdir(parents=True, exist_ok=True)
    config.mkdir(parents=True, exist_ok=True)
    cache = workdir / "cache"
    return {
        "COACH_DATA_DIR": str(data),
        "COACH_CONFIG_DIR": str(config),
        "COACH_CACHE_DIR": str(cache),
        "PYTHONPATH": str(REPO),
    }


def coach(label: str, args: tuple[str, ...], marker: str, workdir: Path, complete: tuple[str, ...] = ()) -> Program:
    """coach from this checkout (`python -m coach`, the same code the console script runs)."""
    return Program(label, (sys.executable, "-m", "coach", *args), marker, coach_env(workdir), complete)


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


def prepare_bytecode(workdir: Path) -> None:
    """Give every program of this run compiled bytecode, as an installed coach has (pip compiles at install).

    This machine sets PYTHONDONTWRITEBYTECODE=1, so coach's modules, run from the checkout, would be compiled from
    source at every start while Textual's come precompiled from site-packages: 30 ms more for `coach streaks` alone.
    Bytecode goes to a cache folder inside this run's work folder (PYTHONPYCACHEPREFIX), never into the tree, and
    coach, textual and rich are compiled there before anything is timed. Set in os.environ, so that the tmux server
    and every subprocess started afterwards inherit it.
    """
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
    folders = [str(REPO / "coach")]
    for name in ("textual", "rich"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            folders += list(spec.submodule_search_locations)
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", *folders], capture_output=True, timeout=600)


def have(tool: str) -> bool:
    return shutil.which(tool) is not None
