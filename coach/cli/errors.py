"""One place that turns every expected failure into one clear message and an exit code, never a traceback."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from coach.common.problems import CoachError, ProblemsError

if TYPE_CHECKING:
    import argparse


def run_guarded(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a subcommand, mapping known errors to messages on stderr and exit codes."""
    try:
        return handler(args)
    except ProblemsError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    except CoachError as error:
        print(f"coach: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
