"""The `coach` command: parses arguments and hands each subcommand to its own module, importing only what it needs.

Printing subcommands never import textual; only the full-screen app does.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from coach import __version__

if TYPE_CHECKING:
    import argparse

# Each module defines `register(subparsers)`, which adds its parser and sets `handler` to "module:function".
# The modules import nothing heavy at top level, so building the whole parser stays cheap; a handler's module is
# imported only when its command runs (textual for the app, rich for printing).
COMMAND_MODULES: tuple[str, ...] = (
    "coach.cli.run_cmd",
    "coach.cli.routines_cmd",
    "coach.cli.validate_cmd",
    "coach.cli.history_cmd",
    "coach.cli.streaks_cmd",
    "coach.cli.export_cmd",
    "coach.cli.import_cmd",
    "coach.cli.status_cmd",
    "coach.cli.why_cmd",
    "coach.cli.cramp_cmd",
    "coach.cli.insights_cmd",
    "coach.cli.sync_cmd",
    "coach.cli.remind_cmd",
    "coach.cli.serve_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    """The command line; `coach` with no subcommand opens the app."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="coach",
        description="Guided toe exercises and foot soaks against night-time leg cramps, with an honest record.",
    )
    parser.add_argument("--version", action="version", version=f"coach {__version__}")
    parser.add_argument(
        "--data-dir", metavar="DIR", help="keep history in DIR instead of the user data folder (or COACH_DATA_DIR)"
    )
    parser.set_defaults(handler="coach.cli.app_cmd:run")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code (0 ok, 1 bad input or data, 2 usage)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    from coach.cli.errors import run_guarded

    args = build_parser().parse_args(argv)
    module_name, _, function_name = args.handler.partition(":")
    handler = getattr(importlib.import_module(module_name), function_name)
    return run_guarded(handler, args)


if __name__ == "__main__":
    sys.exit(main())
