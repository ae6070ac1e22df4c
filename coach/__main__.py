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
# The modules import nothing heavy at top level, so building the parser stays cheap.
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
)


def command_name(module: str) -> str:
    """The subcommand a module registers: coach.cli.run_cmd registers `run`."""
    return module.rsplit(".", 1)[1].removesuffix("_cmd")


def modules_for(argv: Sequence[str]) -> tuple[str, ...]:
    """Only the modules the command line needs: the named subcommand's, none for the app, all for help or a typo.

    Every module costs an import before the first frame, so `coach` and `coach run` register only what they use.
    """
    words = iter(argv)
    for word in words:
        if word == "--data-dir":
            next(words, None)
        elif word in ("-h", "--help"):
            return COMMAND_MODULES
        elif not word.startswith("-"):
            chosen = tuple(module for module in COMMAND_MODULES if command_name(module) == word)
            return chosen or COMMAND_MODULES
    return ()


def build_parser(modules: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    """The command line (with the subcommands of `modules`); `coach` with no subcommand opens the app."""
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
    for name in modules:
        importlib.import_module(name).register(subparsers)
    return parser


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    """The parsed command line; the parser itself is dropped here, not kept alive for the whole session."""
    return build_parser(modules_for(argv)).parse_args(argv)


def countdown_arguments(argv: Sequence[str]) -> argparse.Namespace | None:
    """`coach run ROUTINE` (after `--data-dir DIR` or not), the command that starts a countdown, read without
    argparse: its import and parser cost ~3 ms and 0.3 MiB before the run screen's first frame. Any other form (an
    option, help, a typo) is None and goes to argparse, which stays the definition of the command line; a test
    checks that both read every form this accepts the same way."""
    words = list(argv)
    data_dir = None
    if len(words) == 4 and words[0] == "--data-dir" and not words[1].startswith("-"):
        data_dir, words = words[1], words[2:]
    if len(words) != 2 or words[0] != "run" or words[1].startswith("-"):
        return None
    from types import SimpleNamespace

    from coach.cli.run_cmd import HANDLER

    return SimpleNamespace(  # type: ignore[return-value]  (the attributes argparse would set, no more)
        data_dir=data_dir, handler=HANDLER, routine=words[1], plain=False, quiet=False, slot=None
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code (0 ok, 1 bad input or data, 2 usage)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    from coach.cli.errors import run_guarded

    if not argv:  # plain `coach`: nothing to parse, so argparse is not even imported before the first frame
        from types import SimpleNamespace

        from coach.startup import pause_collector

        pause_collector()
        from coach.cli.app_cmd import run

        return run_guarded(run, SimpleNamespace(data_dir=None))  # type: ignore[arg-type]
    args = countdown_arguments(argv) or parse_arguments(argv)
    module_name, _, function_name = args.handler.partition(":")
    handler = getattr(importlib.import_module(module_name), function_name)
    return run_guarded(handler, args)


if __name__ == "__main__":
    sys.exit(main())
