"""Programs in a real terminal: a private tmux server watched through one control-mode client, and /proc figures.

Every program runs in a window of one tmux session, `bench`, to which a single `tmux -C` client is attached. tmux
tells a control client about every write a program in its session makes (`%output %PANE DATA`) as soon as it has
read it from the program's terminal, so a reader thread here timestamps each write within about a millisecond, and
the screen is captured once after each burst of writes instead of being polled (a poll would steal CPU from the
program being timed on a 2-core machine). Commands and screen captures go through the same client: a line on a pipe
each, not a new process.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchkit.screens import Snapshot, plain

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
WIDTH, HEIGHT = 80, 24
SESSION = "bench"
BURST_GAP = 0.002
"""Writes closer together than this are one burst (one frame, which tmux may read in several pieces)."""
OBSERVER_NICE = -10
"""The reader thread and the tmux server run at this priority when allowed (root): the observer must not be what
is late when the programs under test share two busy cores."""


class TmuxError(RuntimeError):
    """tmux refused a command, or the control client ended."""


def _quote(arg: str) -> str:
    if "'" in arg:
        raise ValueError(f"cannot pass a single quote to tmux: {arg!r}")
    return f"'{arg}'"


def raise_priority(tid: int | None = None) -> bool:
    """Give a thread (this one by default) or process the observer's priority; False when not allowed."""
    try:
        os.setpriority(os.PRIO_PROCESS, tid if tid is not None else threading.get_native_id(), OBSERVER_NICE)
    except (PermissionError, OSError):
        return False
    return True


class Tmux:
    """A private tmux server (its own socket) with a control-mode client attached to the `bench` session."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.socket = f"coachbench-{os.getpid()}"
        self._launches = 0
        env = {k: v for k, v in os.environ.items() if not k.startswith("TMUX")}
        env["LC_ALL"] = "C.UTF-8"
        self._env = env
        self._base = ["tmux", "-L", self.socket, "-f", "/dev/null"]
        subprocess.run(
            [*self._base, "new-session", "-d", "-s", SESSION, "-x", str(WIDTH), "-y", str(HEIGHT), "sleep 86400"],
            check=True,
            env=env,
        )
        self._client = subprocess.Popen(
            [*self._base, "-C", "attach-session", "-t", SESSION],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self._lock = threading.Lock()
        self._replies: queue.Queue[list[str] | TmuxError] = queue.Queue()
        self._writes: dict[str, list[float]] = {}
        self.wrote = threading.Condition()
        """Notified on every write of any program (the times are in `writes(pane)`)."""
        self._reader = threading.Thread(target=self._read, name="tmux-control-reader", daemon=True)
        self._reader.start()
        token = "coachbench-ready"
        self._send(f"display-message -p {token}")
        while True:  # skip the attach's own reply until our token comes back
            if token in "".join(self._reply()):
                break
        self.command("set-option", "-g", "default-terminal", "xterm-256color")
        self.command("set-option", "-g", "history-limit", "0")
        self.command("set-option", "-g", "remain-on-exit", "on")  # keep what a program printed when it failed
        server = self.command("display-message", "-p", "#{pid}")
        self.observer_raised = raise_priority(int(server[0])) if server and server[0].isdigit() else False

    # -- the control client -----------------------------------------------------------------------------------

    def _read(self) -> None:
        """Timestamp each program write; hand each command's reply block to `_reply`."""
        raise_priority()
        stdout = self._client.stdout
        assert stdout is not None
        block: list[str] | None = None
        tag: list[bytes] = []
        for raw in iter(stdout.readline, b""):
            now = time.monotonic()
            if block is not None:
                if raw.startswith((b"%end ", b"%error ")) and raw.split(b" ")[1:3] == tag:
                    text = "\n".join(block)
                    self._replies.put(block if raw.startswith(b"%end ") else TmuxError(text or raw.decode()))
                    block = None
                else:
                    block.append(raw.rstrip(b"\n").decode("utf-8", errors="replace"))
                continue
            if raw.startswith(b"%output "):
                pane = raw.split(b" ", 2)[1].decode()
                with self.wrote:
                    self._writes.setdefault(pane, []).append(now)
                    self.wrote.notify_all()
            elif raw.startswith(b"%begin "):
                block, tag = [], raw.split(b" ")[1:3]
        self._replies.put(TmuxError("the tmux control client ended"))

    def _send(self, line: str) -> None:
        assert self._client.stdin is not None
        self._client.stdin.write(line.encode() + b"\n")
        self._client.stdin.flush()

    def _reply(self, timeout: float = 30.0) -> list[str]:
        try:
            reply = self._replies.get(timeout=timeout)
        except queue.Empty:
            raise TmuxError(f"tmux did not answer within {timeout:.0f} s") from None
        if isinstance(reply, TmuxError):
            raise reply
        return reply

    def command(self, *args: str) -> list[str]:
        """Run one tmux command through the control client and return its output lines."""
        with self._lock:
            self._send(" ".join(_quote(a) for a in args))
            return self._reply()

    def writes(self, pane: str) -> list[float]:
        """When each write of a pane's program reached tmux (a copy)."""
        with self.wrote:
            return list(self._writes.get(pane, ()))

    def capture(self, pane: str, escapes: bool = False, join: bool = False) -> str:
        """The visible screen of a pane; `escapes` keeps colours and styles, `join` undoes the wrapping of lines."""
        flags = "-p" + ("e" if escapes else "") + ("J" if join else "")
        return "\n".join(self.command("capture-pane", flags, "-t", pane))

    # -- programs ---------------------------------------------------------------------------------------------

    def launch(self, name: str, argv: Sequence[str], env: Mapping[str, str]) -> Launched:
        """Start `argv` in a new 80x24 window; the spawn time is taken just before tmux is asked."""
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
        reply = self.command(
            "new-window", "-d", "-P", "-F", "#{pane_id}", "-t", f"{SESSION}:", "-n", name, f"exec {script}"
        )
        return Launched(self, name, reply[0].strip(), pidfile, spawned, tuple(argv), dict(env))

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
        subprocess.run([*self._base, "kill-server"], capture_output=True, env=self._env)


class Watcher:
    """Captures the screens of some panes after each burst of writes, on a thread of its own, until stopped.

    Each snapshot carries the time of the last write before the capture: the moment tmux had what it shows."""

    def __init__(self, tmux: Tmux, panes: Sequence[str], gap: float = BURST_GAP) -> None:
        self.tmux = tmux
        self.gap = gap
        self.snapshots: dict[str, list[Snapshot]] = {pane: [] for pane in panes}
        self._seen = dict.fromkeys(panes, 0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="screen-watcher", daemon=True)
        self._thread.start()

    def _counts(self) -> dict[str, int]:
        with self.tmux.wrote:
            return {pane: len(self.tmux._writes.get(pane, ())) for pane in self._seen}

    def _run(self) -> None:
        raise_priority()
        while not self._stop.is_set():
            with self.tmux.wrote:
                if self._counts() == self._seen:
                    self.tmux.wrote.wait(timeout=0.05)
            counts = self._counts()
            if counts == self._seen:
                continue
            while True:  # let the burst end: a frame may reach tmux in several reads
                time.sleep(self.gap)
                later = self._counts()
                if later == counts:
                    break
                counts = later
            for pane, count in counts.items():
                if count == self._seen[pane]:
                    continue
                try:
                    text = self.tmux.capture(pane, escapes=True)
                except TmuxError:
                    continue  # the pane has gone
                writes = self.tmux.writes(pane)
                self.snapshots[pane].append(Snapshot(writes[-1], text, len(writes)))
                self._seen[pane] = len(writes)

    def latest(self, pane: str) -> Snapshot | None:
        shots = self.snapshots[pane]
        return shots[-1] if shots else None

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


@dataclass
class Launched:
    """A program running in its own tmux window."""

    tmux: Tmux
    name: str
    pane: str
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
        return self.tmux.capture(self.pane)

    def writes(self) -> list[float]:
        return self.tmux.writes(self.pane)

    def wait_for(self, marker: str, timeout: float) -> float | None:
        """Wait until `marker` shows (any text if it is empty), capturing the screen after each write.

        Returns the time of the write after which it showed, or None on time-out or when the program ended first
        (then `last_screen` holds what it left on the screen).
        """
        deadline = time.monotonic() + timeout
        while True:
            writes = self.writes()
            text = self.screen()
            if (marker in text) if marker else text.strip():
                return writes[-1] if writes else time.monotonic()
            if time.monotonic() > deadline or self.ended():
                time.sleep(0.2)  # tmux reads the pty on its own time: let it take in the last words
                self.last_screen = self.tmux.capture(self.pane, join=True)
                return None
            with self.tmux.wrote:
                if len(self.tmux._writes.get(self.pane, ())) == len(writes):
                    self.tmux.wrote.wait(timeout=0.05)

    def settle(
        self, done: Callable[[Sequence[Snapshot]], bool], quiet: float, timeout: float
    ) -> tuple[list[Snapshot], bool]:
        """Snapshots after each burst of writes until `done(snapshots)` holds and nothing was written for `quiet`
        seconds; (the snapshots, whether it settled before `timeout`)."""
        watcher = Watcher(self.tmux, [self.pane])
        deadline = time.monotonic() + timeout
        try:
            while True:
                time.sleep(0.01)
                shots = list(watcher.snapshots[self.pane])
                writes = self.writes()
                now = time.monotonic()
                if shots and writes and shots[-1].writes == len(writes) and now - writes[-1] >= quiet and done(shots):
                    return shots, True
                if now > deadline or self.ended():
                    if self.ended():
                        time.sleep(0.2)
                        self.last_screen = self.tmux.capture(self.pane, join=True)
                    return shots, False
        finally:
            watcher.stop()

    def ended(self) -> bool:
        """Whether the launcher shell (and so the program) has finished."""
        shell = _read_int(self.pidfile)
        return shell is not None and _state(shell) in {"Z", "X"}

    def why_ended(self) -> str:
        """The last non-blank line the program left on the screen, for a 'not available yet' reason."""
        lines = [line.strip() for line in plain(self.last_screen).splitlines() if line.strip()]
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
        self.tmux.command("send-keys", "-t", self.pane, *keys)

    def stop(self, timeout: float = 3.0) -> None:
        """Close the window and make sure the program has exited before the next measurement starts."""
        pid = self._pid
        if pid is None and not self.ended():
            try:
                pid = self.pid
            except TmuxError:
                pid = None
        with contextlib.suppress(TmuxError):
            self.tmux.command("kill-pane", "-t", self.pane)
        if pid is None:
            return
        deadline = time.monotonic() + timeout
        while Path(f"/proc/{pid}").exists() and _state(pid) != "Z":
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                break
            time.sleep(0.01)


class BusyCores:
    """One busy-loop process per core, at normal priority, for as long as the context lasts."""

    def __init__(self, cores: int | None = None) -> None:
        self.cores = cores or os.cpu_count() or 2
        self._procs: list[subprocess.Popen[bytes]] = []
        self.began = self.ended = 0.0

    def __enter__(self) -> BusyCores:
        # Stamped before the spawn: starting the busy loops (two forks of this process) is already a busy moment,
        # and a boundary that fell during it was counted as quiet.
        self.began = time.monotonic()
        self._procs = [subprocess.Popen([sys.executable, "-S", "-c", "while True: pass"]) for _ in range(self.cores)]
        return self

    def __exit__(self, *exc: object) -> None:
        for proc in self._procs:
            proc.kill()
        for proc in self._procs:
            proc.wait()
        self.ended = time.monotonic()  # once they are gone: the spell is measured the same way at both ends


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
