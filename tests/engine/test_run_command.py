"""`coach run` as the user types it: a real process for a tiny routine, Ctrl+C, bad routines, the options."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coach.__main__ import build_parser, main

TINY = """name = "Tiny"
slots = ["morning"]

[[steps]]
title = "One"
time = "1s"
say = "First."

[[steps]]
title = "Two"
time = "1s"
"""
LONG = TINY.replace('time = "1s"', 'time = "30s"')


def coach(*args: str, stdin: int | None = subprocess.DEVNULL) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "coach", *args],
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
        env=os.environ.copy(),
    )


def test_a_tiny_routine_runs_for_real_and_exits_0(tmp_path: Path) -> None:
    routine = tmp_path / "tiny.toml"
    routine.write_text(TINY, encoding="utf-8")
    began = time.monotonic()
    process = coach("run", str(routine), "--plain", "--quiet")
    out, err = process.communicate(timeout=30)
    took = time.monotonic() - began
    assert process.returncode == 0, err
    lines = out.splitlines()
    assert "00:00 One (1 s) - First." in lines and "00:01 Two (1 s)" in lines
    assert lines[-1] == "00:02 Finished: completed, 2 s of exercise. Well done."
    assert "\a" not in out and took >= 2.0


def test_ctrl_c_ends_a_real_session_as_partial_with_exit_130(tmp_path: Path) -> None:
    routine = tmp_path / "long.toml"
    routine.write_text(LONG, encoding="utf-8")
    process = coach("run", str(routine), "--plain", "--quiet")
    assert process.stdout is not None
    while not process.stdout.readline().startswith("00:00 One"):
        pass
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=30)
    assert process.returncode == 130
    assert out.splitlines()[-1].startswith("00:00 Stopped after 0 s: saved as partial")


def test_plain_exits_1_when_the_session_could_not_be_saved(tmp_path: Path) -> None:
    """A data folder that cannot hold the history: the session runs, says so, and the exit code tells a script."""
    routine = tmp_path / "tiny.toml"
    routine.write_text(TINY, encoding="utf-8")
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be", encoding="utf-8")
    process = coach("--data-dir", str(blocked), "run", str(routine), "--plain", "--quiet")
    out, err = process.communicate(timeout=30)
    assert out.splitlines()[-1] == "00:02 Finished: completed, 2 s of exercise. Well done."
    assert "History is not being saved" in err and "this session is not saved in your history" in err
    assert process.returncode == 1


def test_a_bad_routine_file_prints_its_located_problems_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    routine = tmp_path / "bad.toml"
    routine.write_text(TINY.replace('time = "1s"\nsay', 'time = "-1s"\nsay'), encoding="utf-8")
    assert main(["run", str(routine), "--plain"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{routine}:6:") and "more than zero" in err


def test_an_unknown_routine_id_exits_1_with_one_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "no-such-routine", "--plain"]) == 1
    assert capsys.readouterr().err.startswith("coach: no routine with id 'no-such-routine'")


def test_the_run_options() -> None:
    args = build_parser().parse_args(["run", "foot-soak", "--plain", "--quiet", "--slot", "evening"])
    assert (args.routine, args.plain, args.quiet, args.slot) == ("foot-soak", True, True, "evening")
    assert args.handler == "coach.cli.run_cmd:run"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", "foot-soak", "--slot", "noon"])
