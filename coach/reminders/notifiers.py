"""How a reminder reaches the person: notify-send on Linux (and the BSDs), osascript on macOS, otherwise the
terminal's own notification (OSC 9, or OSC 777 where that is the one understood) when a terminal is attached, else a
printed line. Every text passes through `coach.common.safe_text` first: it came from routine files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from typing import Protocol, TextIO

from msgspec import Struct

from coach.common.safe_text import printable

RUN_TIMEOUT = 15.0
"""Seconds a notifier program may take before the reminder counts as not shown."""
OSC_777_TERMINALS = ("rxvt", "foot")
"""TERM prefixes of terminals that show OSC 777 notifications and not OSC 9."""


class NotifyError(Exception):
    """A notification could not be shown; the message says why, for the user."""


class Notifier(Protocol):
    """Shows one notification or raises NotifyError."""

    name: str

    def send(self, title: str, body: str) -> None: ...


@dataclass
class ProgramNotifier:
    """A desktop notification through a program: notify-send, or osascript on macOS."""

    name: str
    argv: tuple[str, ...]
    """The command before the title and the body (they come last, after anything that ends the options)."""

    def send(self, title: str, body: str) -> None:
        command = [*self.argv, printable(title), printable(body)]
        try:
            result = subprocess.run(
                command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired:
            raise NotifyError(f"{self.name} did not finish within {RUN_TIMEOUT:.0f} s") from None
        except OSError as error:
            raise NotifyError(f"{self.name} could not be started: {error.strerror or error}") from None
        if result.returncode != 0:
            said = printable(" ".join(result.stderr.split())[:200]) or f"exit status {result.returncode}"
            raise NotifyError(f"{self.name} failed: {said}")


@dataclass
class TerminalNotifier:
    """The terminal's own notification (an OSC escape the terminal turns into a desktop one), and the line too,
    so that the reminder stays in the scrollback where the terminal shows none."""

    stream: TextIO
    osc: int = 9
    name: str = "the terminal"

    def send(self, title: str, body: str) -> None:
        title, body = printable(title), printable(body)
        if self.osc == 777:
            escape = f"\x1b]777;notify;{title.replace(';', ',')};{body.replace(';', ',')}\x07"
        else:
            escape = f"\x1b]9;{title}: {body}\x07"
        self.stream.write(escape)
        PrintedNotifier(self.stream).send(title, body)


@dataclass
class PrintedNotifier:
    """A printed line: where there is no desktop to notify (a log, a pipe, a system without notify-send)."""

    stream: TextIO
    name: str = "a printed line"

    def send(self, title: str, body: str) -> None:
        self.stream.write(f"{printable(title)}: {printable(body)}\n")
        self.stream.flush()


class Choice(Struct, frozen=True):
    """The notifier to use, and what to say once about a notifier that is missing ("" when none is)."""

    notifier: Notifier
    missing: str = ""


def choose_notifier(
    platform: str = sys.platform,
    stream: TextIO | None = None,
    environ: dict[str, str] | None = None,
) -> Choice:
    """The best way to show a reminder here: the desktop's notifier, else the terminal's, else a printed line."""
    stream = stream or sys.stdout
    environ = dict(os.environ) if environ is None else environ
    path = environ.get("PATH", os.defpath)
    missing = ""
    if platform == "darwin":
        program = shutil.which("osascript", path=path)
        if program:
            script = ("-e", "on run argv", "-e", "display notification (item 2 of argv) with title (item 1 of argv)")
            return Choice(ProgramNotifier("osascript", (program, *script, "-e", "end run")))
        missing = "osascript was not found, so reminders cannot reach the macOS notification centre"
    elif platform != "win32":
        program = shutil.which("notify-send", path=path)
        if program:
            return Choice(ProgramNotifier("notify-send", (program, "--app-name=coach", "--")))
        missing = (
            "notify-send is not installed, so reminders cannot reach the desktop "
            "(Debian and Ubuntu: apt install libnotify-bin; Fedora: dnf install libnotify)"
        )
    if _is_terminal(stream):
        term = environ.get("TERM", "")
        osc = 777 if term.startswith(OSC_777_TERMINALS) else 9
        return Choice(TerminalNotifier(stream, osc), missing)
    return Choice(PrintedNotifier(stream), missing)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False
