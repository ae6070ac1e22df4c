"""Start the installed `coach serve` on a free port and talk to it as a browser's page would (aiohttp, pyte)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

import aiohttp
import pyte

ADDRESS = re.compile(r"^(http://127\.0\.0\.1:(\d+))/\?token=([A-Za-z0-9_-]{20,})$", re.MULTILINE)


def short_soak(counts_after: str = "2s") -> str:
    """A routine that overrides the bundled foot soak (the second routine on the home screen): it begins at once
    (no step to get ready) and counts after `counts_after`."""
    return f"""\
name = "Foot soak"
summary = "A short soak for the tests."
slots = ["bedtime"]
counts_after = "{counts_after}"

[[steps]]
title = "Soak"
time = "10m"
"""


def with_soak(home: Path, counts_after: str = "2s") -> Path:
    """`home` with that soak in its config folder's routines."""
    routines = home / "config" / "routines"
    routines.mkdir(parents=True, exist_ok=True)
    (routines / "foot-soak.toml").write_text(short_soak(counts_after))
    return home


def coach_command() -> str:
    """The installed `coach` (these tests drive it as a user would); fails with what to install."""
    found = shutil.which("coach")
    if found is None:
        raise AssertionError("the `coach` command is not installed: pip install -e '.[test]'")
    return found


class Served:
    """One `coach serve` process on a free port of 127.0.0.1, with its own data and config folders."""

    def __init__(self, home: Path, *extra: str) -> None:
        self.home = home
        self.data = home / "data"
        self.config = home / "config"
        self.env = {**os.environ, "COACH_DATA_DIR": str(self.data), "COACH_CONFIG_DIR": str(self.config)}
        self.stdout_path = home / "serve.out"
        self.stderr_path = home / "serve.err"
        self._out: IO[bytes] = self.stdout_path.open("wb")
        self._err: IO[bytes] = self.stderr_path.open("wb")
        self.process = subprocess.Popen(
            [coach_command(), "serve", "--port", "0", *extra],
            stdout=self._out,
            stderr=self._err,
            stdin=subprocess.DEVNULL,
            env=self.env,
        )
        match = self._wait_for_address()
        self.base, self.port, self.token = match.group(1), int(match.group(2)), match.group(3)
        self.address = f"{self.base}/?token={self.token}"

    def _wait_for_address(self, timeout: float = 20.0) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = ADDRESS.search(self.stdout())
            if match:
                return match
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"coach serve printed no address:\n{self.stdout()}\n{self.stderr()}")

    def stdout(self) -> str:
        return self.stdout_path.read_text(errors="replace")

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def stop(self) -> int:
        """Ctrl+C, as a user stops it; the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=30)
        finally:
            self._out.close()
            self._err.close()

    def history(self) -> list[dict[str, object]]:
        result = subprocess.run(
            [coach_command(), "history", "--json"], capture_output=True, text=True, env=self.env, timeout=30
        )
        assert result.returncode == 0, result.stderr
        sessions: list[dict[str, object]] = json.loads(result.stdout)
        return sessions

    def app_processes(self) -> list[int]:
        """Process ids of the app processes this server started (children that run `-m coach --data-dir`)."""
        result = subprocess.run(["ps", "-o", "pid=,ppid=,args=", "-e"], capture_output=True, text=True, check=True)
        found = []
        for line in result.stdout.splitlines():
            pid, ppid, args = line.split(maxsplit=2)
            if int(ppid) == self.process.pid and "-m coach --data-dir" in args:
                found.append(int(pid))
        return found


class Tab:
    """A websocket to `coach serve`, as the page opens it, with the screen it draws kept in a VT emulator."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse, width: int, height: int) -> None:
        self.socket = socket
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)
        self.texts: list[object] = []
        self.closed = False

    def text(self) -> str:
        return "\n".join(self.screen.display)

    async def wait_for(self, what: str | Callable[[str], bool], timeout: float = 20.0) -> str:
        """Read what the app sends until the screen shows `what`; the screen then."""
        test = (lambda screen: what in screen) if isinstance(what, str) else what
        deadline = time.monotonic() + timeout
        while not test(self.text()):
            left = deadline - time.monotonic()
            if left <= 0 or self.closed:
                raise AssertionError(f"waited {timeout} s for {what!r}; the screen:\n{self.text()}")
            try:
                message = await asyncio.wait_for(self.socket.receive(), left)
            except TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                self.stream.feed(message.data)
            elif message.type == aiohttp.WSMsgType.TEXT:
                self.texts.append(json.loads(message.data))
            else:
                self.closed = True
        return self.text()

    async def keys(self, *keys: str) -> None:
        for key in keys:
            await self.socket.send_str(json.dumps(["stdin", key]))


BLOCKS = ("█", "▀", "▄")
"""What the big countdown is drawn with."""


def digit_rows(screen: str) -> str:
    """The big countdown: the lines drawn in block characters."""
    return "\n".join(line for line in screen.splitlines() if any(block in line for block in BLOCKS))


async def soaked(page: Tab, seconds: int) -> None:
    """Wait until the running countdown has moved `seconds` times: that many seconds counted. The app is a real
    process running in real time, so the test waits for what the screen shows, never for a fixed time."""
    shown = digit_rows(await page.wait_for(lambda screen: bool(digit_rows(screen))))
    for _ in range(seconds):
        shown = digit_rows(await page.wait_for(lambda screen, before=shown: digit_rows(screen) not in ("", before)))


HOME = "\x1b[H"
"""The first routine: where the list's cursor starts depends on the hour (it is placed on the slot that is due)."""
DOWN = "\x1b[B"
ENTER = "\r"
