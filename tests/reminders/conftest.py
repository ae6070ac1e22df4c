"""Reminder test setup: fake notifier and scheduler programs on PATH that record their arguments, and a way to
run the installed `coach` with them (never the real desktop, systemd or launchd)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

COACH = Path(sys.executable).parent / "coach"
"""The coach installed beside this Python: the one the tests are about."""

RECORDER = """#!{python}
import json, sys
with open({log!r}, "a", encoding="utf-8") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
sys.stderr.write({stderr!r})
sys.exit({status})
"""


@dataclass
class FakePrograms:
    """A folder of fake programs put first on PATH; each records every call's arguments."""

    folder: Path

    def add(self, name: str, status: int = 0, stderr: str = "") -> None:
        script = self.folder / name
        log = str(self.folder / f"{name}.calls")
        script.write_text(RECORDER.format(python=sys.executable, log=log, stderr=stderr, status=status))
        script.chmod(0o755)

    def calls(self, name: str) -> list[list[str]]:
        log = self.folder / f"{name}.calls"
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def fakes(tmp_path: Path) -> FakePrograms:
    folder = tmp_path / "bin"
    folder.mkdir()
    return FakePrograms(folder)


Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def coach(fakes: FakePrograms) -> Run:
    """Run the installed coach with the fake programs first on PATH (and only the system's folders after them)."""

    def run(*args: str, path: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        environ = {**os.environ, "PATH": path if path is not None else f"{fakes.folder}:/usr/bin:/bin", **(env or {})}
        environ.pop("TERM", None)
        return subprocess.run(
            [str(COACH), *args], capture_output=True, text=True, env=environ, stdin=subprocess.DEVNULL, timeout=60
        )

    return run
