"""The timer that runs `coach remind` every few minutes: a systemd user timer on Linux, a launchd agent on macOS,
a crontab line elsewhere. Writing the same files again changes nothing; the installed coach runs by absolute path.

The file texts are pure functions of the command (tested, and checked with `systemd-analyze verify`); installing
writes them atomically and asks systemctl or launchctl to take them, saying what to run by hand when it cannot.
"""

from __future__ import annotations

import os
import plistlib
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path

from msgspec import Struct

from coach.common.problems import CoachError

EVERY_MINUTES = 5
"""How often the timer runs `coach remind`: a reminder comes at most this late."""
UNIT = "coach-remind"
LAUNCHD_LABEL = "org.coach.remind"
PASSED_ENVIRONMENT = ("COACH_DATA_DIR", "COACH_CONFIG_DIR")
"""Variables that move coach's folders: the timer runs with the values in force at install."""
COMMAND_TIMEOUT = 30.0
UNSAFE_FOR_SYSTEMD = "\"'\\"
"""Characters systemd refuses in the path of the program a unit runs (its arguments may hold anything)."""


class Kind(StrEnum):
    """Which scheduler runs the timer."""

    SYSTEMD = "systemd"
    LAUNCHD = "launchd"
    CRON = "cron"


class TimerFile(Struct, frozen=True):
    """One file the timer needs: where it goes and what it holds."""

    path: Path
    text: str


class Plan(Struct, frozen=True):
    """What installing writes, and the commands that make the scheduler take it (or, for cron, the line to add)."""

    kind: Kind
    files: tuple[TimerFile, ...]
    enable: tuple[tuple[str, ...], ...] = ()
    disable: tuple[tuple[str, ...], ...] = ()
    reload: tuple[tuple[str, ...], ...] = ()
    cron_line: str = ""


def default_kind(platform: str = sys.platform, environ: Mapping[str, str] | None = None) -> Kind:
    """launchd on macOS, systemd where systemctl is installed, cron elsewhere."""
    environ = os.environ if environ is None else environ
    if platform == "darwin":
        return Kind.LAUNCHD
    if platform.startswith("linux") and shutil.which("systemctl", path=environ.get("PATH", os.defpath)):
        return Kind.SYSTEMD
    return Kind.CRON


def coach_command(data_dir: str | None = None) -> list[str]:
    """The installed coach by absolute path, with `remind` (and `--data-dir` when one was given): the coach
    script beside this Python (the same installation), else the one on PATH, else this Python with `-m coach`."""
    beside = Path(os.path.abspath(sys.executable)).parent / ("coach.exe" if sys.platform == "win32" else "coach")
    found = shutil.which("coach")
    if beside.is_file() and os.access(beside, os.X_OK):
        command = [str(beside)]
    elif found:
        command = [os.path.abspath(found)]
    else:
        command = [os.path.abspath(sys.executable), "-m", "coach"]
    if data_dir:
        command += ["--data-dir", os.path.abspath(os.path.expanduser(data_dir))]
    return [*command, "remind"]


def environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The variables the timer must run with (the folders coach was told to use), as absolute paths."""
    environ = os.environ if environ is None else environ
    return {
        name: os.path.abspath(os.path.expanduser(environ[name])) for name in PASSED_ENVIRONMENT if environ.get(name)
    }


def plan(kind: Kind, command: Sequence[str], env: Mapping[str, str], home: Path, config_home: Path) -> Plan:
    """What installing the timer of `kind` means here (nothing is written)."""
    for word in [*command, *env.values()]:
        if "\n" in word or "\r" in word or "\x00" in word:
            raise CoachError(f"cannot install a timer for a path with a line break in it: {word!r}")
    if kind is Kind.SYSTEMD:
        if any(char in command[0] for char in UNSAFE_FOR_SYSTEMD):
            raise CoachError(
                f"systemd cannot run a program whose path holds a quote or a backslash: {command[0]!r}. "
                "Install coach in a folder without them, or use `coach remind install --kind cron`."
            )
        folder = config_home / "systemd" / "user"
        systemctl = ("systemctl", "--user")
        return Plan(
            kind,
            (
                TimerFile(folder / f"{UNIT}.service", systemd_service(command, env)),
                TimerFile(folder / f"{UNIT}.timer", systemd_timer()),
            ),
            enable=((*systemctl, "daemon-reload"), (*systemctl, "enable", "--now", f"{UNIT}.timer")),
            disable=((*systemctl, "disable", "--now", f"{UNIT}.timer"),),
            reload=((*systemctl, "daemon-reload"),),
        )
    if kind is Kind.LAUNCHD:
        path = home / "Library" / "LaunchAgents" / f"{LAUNCHD_LABEL}.plist"
        domain = f"gui/{os.getuid() if hasattr(os, 'getuid') else 0}"
        return Plan(
            kind,
            (TimerFile(path, launchd_plist(command, env)),),
            enable=(("launchctl", "bootstrap", domain, str(path)),),
            disable=(("launchctl", "bootout", domain, str(path)),),
        )
    return Plan(kind, (), cron_line=cron_line(command, env))


def systemd_service(command: Sequence[str], env: Mapping[str, str]) -> str:
    """The oneshot service the timer starts."""
    lines = [
        "[Unit]",
        "Description=coach: remind of the sessions still to do today",
        "",
        "[Service]",
        "Type=oneshot",
    ]
    lines += [f"Environment={_systemd_quote(f'{name}={value}')}" for name, value in sorted(env.items())]
    # systemd expands $VARIABLES in the arguments, never in the program's own path
    arguments = [_systemd_quote(word, expands=True) for word in command[1:]]
    lines.append("ExecStart=" + " ".join([_systemd_quote(command[0]), *arguments]))
    return "\n".join(lines) + "\n"


def systemd_timer() -> str:
    """The timer: every EVERY_MINUTES minutes on the wall clock (a suspended laptop catches up when it wakes)."""
    return "\n".join(
        [
            "[Unit]",
            f"Description=coach: check every {EVERY_MINUTES} minutes whether a reminder is due",
            "",
            "[Timer]",
            f"OnCalendar=*:0/{EVERY_MINUTES}",
            "Persistent=true",
            "AccuracySec=30s",
            "",
            "[Install]",
            "WantedBy=timers.target",
            "",
        ]
    )


def launchd_plist(command: Sequence[str], env: Mapping[str, str]) -> str:
    """The launchd agent: runs at load and every EVERY_MINUTES minutes."""
    agent: dict[str, object] = {
        "Label": LAUNCHD_LABEL,
        "ProgramArguments": list(command),
        "StartInterval": EVERY_MINUTES * 60,
        "RunAtLoad": True,
        "ProcessType": "Background",
    }
    if env:
        agent["EnvironmentVariables"] = dict(sorted(env.items()))
    return plistlib.dumps(agent, sort_keys=False).decode("utf-8")


def cron_line(command: Sequence[str], env: Mapping[str, str]) -> str:
    """The crontab line (cron has no session bus of its own: notify-send may need DBUS_SESSION_BUS_ADDRESS)."""
    words = [f"{name}={shlex.quote(value)}" for name, value in sorted(env.items())]
    words += [shlex.quote(word).replace("%", "\\%") for word in command]
    return f"*/{EVERY_MINUTES} * * * * " + " ".join(words)


def _systemd_quote(word: str, expands: bool = False) -> str:
    """A word for a unit file: in double quotes, with backslash, quote and `%` escaped as systemd reads them (and
    `$` where systemd `expands` variables: a command's arguments)."""
    escaped = word.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")
    return f'"{escaped.replace("$", "$$") if expands else escaped}"'


# -- installing -------------------------------------------------------------------------------------------------


class Result(Struct, frozen=True):
    """What installing or removing did: files written or removed, and the scheduler's commands that failed."""

    changed: tuple[Path, ...]
    unchanged: tuple[Path, ...]
    failed: tuple[str, ...] = ()


def install(timer: Plan, run: bool = True) -> Result:
    """Write the timer's files (only those that differ) and make the scheduler take them. Raises CoachError when a
    file cannot be written."""
    changed, unchanged = [], []
    for item in timer.files:
        if _read(item.path) == item.text:
            unchanged.append(item.path)
            continue
        _write(item.path, item.text)
        changed.append(item.path)
    failed: list[str] = []
    if run and timer.kind is Kind.SYSTEMD:
        # Files as they were: only `enable --now` again, which changes nothing for an enabled, running timer.
        failed += _run_all(timer.enable if changed else timer.enable[1:])
    elif run and timer.kind is Kind.LAUNCHD and changed:
        failed += _run_all(timer.disable, quiet=True)  # an agent loaded before is loaded again, as now written
        failed += _run_all(timer.enable)
    return Result(tuple(changed), tuple(unchanged), tuple(failed))


def uninstall(timer: Plan, run: bool = True) -> Result:
    """Stop the timer and remove its files; nothing to do when none is installed."""
    present = [item.path for item in timer.files if item.path.exists()]
    failed: list[str] = []
    if present and run:
        failed += _run_all(timer.disable, quiet=True)
    for path in present:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as error:
            raise CoachError(f"cannot remove {path}: {error.strerror or error}") from None
    if present and run:
        failed += _run_all(timer.reload)
    return Result(tuple(present), ())


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise CoachError(f"cannot write {path}: {error.strerror or error}") from None


def _run_all(commands: Sequence[Sequence[str]], quiet: bool = False) -> list[str]:
    """Run each command; the ones that failed, with what they said (none when `quiet`)."""
    failed = []
    for command in commands:
        try:
            result = subprocess.run(
                list(command),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=COMMAND_TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            said = f"{command[0]} could not be run ({getattr(error, 'strerror', None) or error})"
        else:
            if result.returncode == 0:
                continue
            said = " ".join(result.stderr.split())[:200] or f"exit status {result.returncode}"
        if not quiet:
            failed.append(f"{shlex.join(command)}: {said}")
    return failed
