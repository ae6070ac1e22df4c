"""One place that turns every expected failure into one clear message and an exit code, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from coach.common.problems import CoachError, ProblemsError
from coach.common.safe_text import echo_error, one_line

if TYPE_CHECKING:
    import argparse

EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(9998, 12, 31)
"""The dates a command takes: every history and diary is inside them, and the weeks, nights and time zones counted
from them stay inside the calendar Python can hold (year 1 minus a week is no date at all)."""


def check_day(option: str, day: date | None) -> None:
    """A CoachError (exit 1) naming the option when `day` is outside EARLIEST_DAY..LATEST_DAY."""
    if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
        raise CoachError(
            f"{option} {day.isoformat()}: give a date from {EARLIEST_DAY.isoformat()} to {LATEST_DAY.isoformat()}"
        )


def run_guarded(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a subcommand, mapping known errors to messages on stderr and exit codes."""
    try:
        return handler(args)
    except ProblemsError as error:
        for problem in error.problems:
            echo_error(one_line(str(problem)))
        return 1
    except CoachError as error:
        echo_error(f"coach: {error}")
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
