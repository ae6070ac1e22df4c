"""One place that turns every expected failure into one clear message and an exit code, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from coach.common.problems import CoachError, ProblemsError
from coach.common.safe_text import echo_error, one_line

if TYPE_CHECKING:
    import argparse


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
