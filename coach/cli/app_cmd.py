"""`coach` with no subcommand: open the full-screen app on today's plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def run(args: argparse.Namespace) -> int:
    from coach.ui.startup import pause_collector

    pause_collector()  # until the app's first frame (coach.ui.startup)
    from coach.ui.app import make_app, run_app

    return run_app(make_app(data_dir=args.data_dir))
