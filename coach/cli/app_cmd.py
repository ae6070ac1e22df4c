"""`coach` with no subcommand: open the full-screen app on today's plan."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from coach.common.problems import CoachError

if TYPE_CHECKING:
    import argparse

NO_TERMINAL = "the full screen needs a terminal, and {missing} not one here; for plain lines of text: {suggestion}"
PLAIN = "coach run ROUTINE --plain"


def require_terminal(suggestion: str = PLAIN) -> None:
    """Without a terminal the app would write escape codes into a file or pipe and wait for keys that never come:
    say so in one message instead (exit 1), and name the way that works without one. Textual reads its keys from
    standard input and draws on standard error: both must be a terminal."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return  # another driver draws the app (`coach serve` runs it in a browser tab through the web driver)
    missing = [
        name for name, stream in (("standard input", sys.stdin), ("standard error", sys.stderr)) if not _tty(stream)
    ]
    if missing:
        verb = " are" if len(missing) > 1 else " is"
        raise CoachError(NO_TERMINAL.format(missing=" and ".join(missing) + verb, suggestion=suggestion))


def _tty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(callable(isatty) and isatty())


def run(args: argparse.Namespace) -> int:
    require_terminal()
    from coach.ui.startup import pause_collector

    pause_collector()  # until the app's first frame (coach.ui.startup)
    from coach.ui.app import make_app, run_app

    return run_app(make_app(data_dir=args.data_dir))
