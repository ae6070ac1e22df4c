"""Helpers for the routine tests: write routine files, run `coach` in-process or as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from routine_helpers import REPO, Result


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """write(text_or_bytes, name="r.toml", folder=tmp_path) -> the written file."""

    def _write(content: str | bytes, name: str = "r.toml", folder: Path | None = None) -> Path:
        path = (folder or tmp_path) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return path

    return _write


@pytest.fixture
def coach(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run `coach ARGS...` in this process; returns the exit code and what it printed."""
    from coach.__main__ import main

    def _run(*args: str) -> Result:
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse usage errors
            code = exit_.code if isinstance(exit_.code, int) else 1
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return _run


@pytest.fixture
def coach_process(tmp_path: Path) -> Callable[..., Result]:
    """Run `python -m coach ARGS...` as a real process from a temporary folder (the source tree on the path)."""

    def _run(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> Result:
        environment = {**os.environ, **(env or {})}
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), environment.get("PYTHONPATH", "")]))
        done = subprocess.run(
            [sys.executable, "-m", "coach", *args],
            cwd=tmp_path,
            env=environment,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    return _run


@pytest.fixture
def user_routines(isolated_user_dirs: Path) -> Path:
    """The user's routines folder (under the temporary COACH_CONFIG_DIR), created."""
    folder = Path(os.environ["COACH_CONFIG_DIR"]) / "routines"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
