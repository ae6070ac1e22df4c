"""Programs in a real terminal: a private tmux server driven through one control-mode client, and /proc figures.

Every command goes through a single `tmux -C` client, so polling the screen every few milliseconds costs a line on a
pipe instead of a new process per poll (which would steal CPU from the program being timed on a 2-core machine).
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
WIDTH, HEIGHT = 80, 24


class TmuxError(RuntimeError):
    """tmux refused a command."""


def _quote(arg: str) -> str:
    if "'" in arg:
        raise ValueError(f"cannot pass a single quote to tmux: {arg!r}")
    return f"'{arg}'"


class Tmux:
    """A private tmux server (its own socket) with a control-mode client attached to an idle `harness` session."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.socket = f"coachbench-{os.getpid()}"
        self._launches = 0
        env = {k: v for k, v in os.environ.items() if not k.startswith("TMUX")}
        env["LC_ALL"] = "C.UTF-8"
        self._env = env
        base = ["tmux", "-L", self.socket, "-f", "/dev/null"]
        subprocess.run(
            [*base, "new-session", "-d", "-s", "harness", "-x", str(WIDTH), "-y", str(HEIGHT), "sleep 86400"],
            check=True,
            env=env,
        )
        self._client = subprocess.Popen(
            [*base, "-C", "attach-session", "-t", "harness"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            text=True,
            encoding="utf-8",
            errors="replace",
            bufsize=1,
        )
        token = "coachbench-ready"
        self._send(f"display-message -p {token}")
        while True:  # skip the attach's own reply and any notifications until our token comes back
            if token in self._read_block():
                break
        self.command("set-option", "-g", "default-terminal", "xterm-256color")
        self.command("set-option", "-g", "history-limit", "0")
        self.command("set-option", "-g", "remain-on-exit", "on")  # keep what a program printed when it failed

    def _send(self, line: str) -> None:
        assert self._client.stdin is not None
        self._client.stdin.write(line + "\n")
        self._client.stdin.flush()

    def _read_block(self) -> list[str]:
        assert self._client.stdout is not None
        out: list[str] = []
        inside = False
        while True:
            line = self._client.stdout.readline()
            if not line:
                raise TmuxError("the tmux control client ended")
            line = line.rstrip("\n")
            if not inside:
                inside = line.startswith("%begin ")
                continue
            if line.startswith("%end ") or line.startswith("%error "):
                if line.startswith("%error "):
                    raise TmuxError("\n".join(out) or line)
                return out
            out.append(line)

    def command(self, *args: str) -> list[str]:
        """Run one tmux command through the control client and return its output lines."""
        self._send(" ".join(_quote(a) for a in args))
        return self._read_block()

    def capture(self, target: str, join: bool = False) -> str:
        """The visible text of a session's pane; `join` undoes the terminal's wrapping of long lines."""
        flags = "-pJ" if join else "-p"
        return "\n".join(self.command("capture-pane", flags, "-t", f"={target}:"))

    def launch(self, name: str, argv: Sequence[str], env: Mapping[str, str]) -> Launched:
        """Start `argv` in a new detached 80x24 session; the returned spawn time is taken just before tmux is asked."""
        self._launches += 1
        pidfile = self.workdir / f"{name}-{self._launches}.pid"
        script = self.workdir / f"{name}-{self._launches}.sh"
        exports = "".join(f"export {k}={shlex.quote(v)}\n" for k, v in env.items())
        # Not `exec`: the program runs as the shell's child. tmux sends SIGCONT to a pane's own process when it
        # stops, which would end a SIGSTOP stall at once; a grandchild of tmux stays stopped.
        script.write_text(
            f"#!/bin/sh\n{exports}echo $$ > {shlex.quote(str(pidfile))}\n{shlex.join(argv)}\nstatus=$?\nexit $status\n"
        )
        script.chmod(0o755)
        spawned = time.monotonic()
        self.command("new-session", "-d", "-s", name, "-x", str(WIDTH), "-y", str(HEIGHT), f"exec {script}")
        return Launched(self, name, pidfile, spawned, tuple(argv), dict(env))

    def close(self) -> None:
        """Stop the control client and the private server."""
        with contextlib.suppress(TmuxError, OSError, ValueError):
            self.command("kill-server")
        for stream in (self._client.stdin, self._client.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        try:
            self._client.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._client.kill()
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, env=self._env)


@dataclass
class Launched:
    """A program running in its own tmux session."""

    tmux: Tmux
    name: str
    pidfile: Path
    spawned: float
    argv: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    _pid: int | None = None
    last_screen: str = ""

    @property
    def pid(self) -> int:
        """The program's process id: the child of the launcher script, whose own pid is in the pid file."""
        if self._pid is None:
            deadline = time.monotonic() + 5
            while True:
                shell = _read_int(self.pidfile)
                children = child_pids(shell) if shell is not None else []
                if children:
                    self._pid = children[0]
                    break
                if time.monotonic() > deadline:
                    raise TmuxError(f"{self.name}: the program did not start")
                time.sleep(0.002)
        return self._pid

    def screen(self) -> str:
        return self.tmux.capture(self.name)

    def wait_for(self, marker: str, timeout: float, poll: float = 0.003) -> float | None:
        """Poll the screen until `marker` shows (any text if it is empty).

        Returns the monotonic time it was first seen, or None on time-out or when the program ended first (then
        `last_screen` holds what it left on the screen).
        """
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen()
            now = time.monotonic()
            if (marker in text) if marker else text.strip():
                return now
            if now > deadline or self.ended():
                time.sleep(0.2)  # tmux reads the pty on its own time: let it take in the last words
                self.last_screen = self.tmux.capture(self.name, join=True)
                return None
            time.sleep(poll)

    def ended(self) -> bool:
        """Whether the launcher shell (and so the program) has finished."""
        shell = _read_int(self.pidfile)
        return shell is not None and _state(shell) in {"Z", "X"}

    def why_ended(self) -> str:
        """The last non-blank line the program left on the screen, for a 'not available yet' reason."""
        lines = [line.strip() for line in self.last_screen.splitlines() if line.strip()]
        lines = [line for line in lines if not line.startswith("Pane is dead")]
        if not lines:
            # tmux may wipe the screen of a dead pane (a program that had switched to the alternate screen): run it
            # again outside the terminal to hear what it says.
            try:
                again = subprocess.run(
                    self.argv,
                    env={**os.environ, **self.env},
                    stdin=subprocess.DEVNULL,
                    capture_output=True,
                    text=True,
                    timeout=15,
                )
                lines = [line.strip() for line in (again.stdout + again.stderr).splitlines() if line.strip()]
            except subprocess.TimeoutExpired:
                pass
        starts = [i for i, line in enumerate(lines) if "error" in line.lower()]
        text = "".join(lines[starts[-1] :]) if starts else (lines or ["no output"])[-1]
        return text if len(text) <= 160 else text[:157] + "..."

    def keys(self, *keys: str) -> None:
        """Type keys (tmux key names: Enter, Space, q)."""
        self.tmux.command("send-keys", "-t", f"={self.name}:", *keys)

    def stop(self, timeout: float = 3.0) -> None:
        """End the session and make sure the program has exited before the next measurement starts."""
        pid = self._pid
        if pid is None and not self.ended():
            try:
                pid = self.pid
            except TmuxError:
                pid = None
        with contextlib.suppress(TmuxError):
            self.tmux.command("kill-session", "-t", f"={self.name}")
        if pid is None:
            return
        deadline = time.monotonic() + timeout
        while Path(f"/proc/{pid}").exists() and _state(pid) != "Z":
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                break
            time.sleep(0.01)


def _read_int(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def child_pids(parent: int) -> list[int]:
    """Processes whose parent is `parent`, oldest first (this kernel has no /proc/PID/task/TID/children)."""
    found: list[tuple[int, int]] = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            fields = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if int(fields[1]) == parent:
            found.append((int(fields[19]), int(entry.name)))  # field 22: start time
    return [pid for _, pid in sorted(found)]


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return "X"


def cpu_seconds(pid: int) -> float:
    """CPU time of a process, all its threads, in seconds, to the nanosecond where the kernel tells it.

    The sum of each thread's /proc/PID/task/TID/schedstat run time (exact); /proc/PID/stat's utime + stime (counted
    in 10 ms clock ticks, too coarse for a process that uses 0.2 s a minute) when schedstat is missing.
    """
    total = 0
    try:
        for task in os.scandir(f"/proc/{pid}/task"):
            with contextlib.suppress(FileNotFoundError):
                total += int(Path(task.path, "schedstat").read_text().split()[0])
    except FileNotFoundError:
        total = 0
    return total / 1e9 if total else cpu_seconds_ticks(pid)


def cpu_seconds_ticks(pid: int) -> float:
    """utime + stime from /proc/PID/stat (all threads, clock-tick resolution), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def peak_rss_bytes(pid: int) -> int:
    """VmHWM: the most resident memory the process has had."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmHWM for {pid}")


def new_workdir() -> Path:
    """A fresh temp folder for one benchmark run (launchers, pid files, traces, isolated coach data)."""
    return Path(tempfile.mkdtemp(prefix="coachbench-"))
