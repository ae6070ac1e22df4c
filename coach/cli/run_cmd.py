"""`coach run ROUTINE`: the full-screen run screen, or with --plain one line per event in any terminal or pipe."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coach.common.safe_text import echo_error, one_line

if TYPE_CHECKING:  # types only: `coach run ROUTINE` starts without even argparse (coach.__main__)
    import argparse
    from datetime import datetime

    from coach.config.settings import Settings
    from coach.routines.catalog import Catalog
    from coach.routines.model import Routine

SLOTS = ("morning", "evening", "bedtime")
HANDLER = "coach.cli.run_cmd:run"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run a routine now",
        description="Run a routine now and record the session in your history.",
    )
    parser.add_argument("routine", metavar="ROUTINE", help="a routine id (see `coach routines`) or a path to a .toml")
    parser.add_argument("--plain", action="store_true", help="no full screen: one line per step, Enter to go on")
    parser.add_argument("--quiet", action="store_true", help="no terminal bell")
    parser.add_argument("--slot", choices=SLOTS, help="count the session for this slot instead of the time of day")
    parser.set_defaults(handler=HANDLER)


def run(args: argparse.Namespace) -> int:
    """Load the routine (a bad file prints its located problems, exit 1), then run it."""
    from coach.routines.catalog import load_catalog, resolve_routine

    catalog = load_catalog()
    routine = resolve_routine(args.routine, catalog)
    if not args.plain:
        return _run_app(args, routine, catalog)
    return _run_plain(args, routine)


def _run_plain(args: argparse.Namespace, routine: Routine) -> int:
    """`--plain`: the same session runner as the screen, printed; exit 1 if the session could not be saved."""
    import sys

    from coach.cli.plain_runner import SystemWaiter, run_plain
    from coach.common.paths import data_dir
    from coach.config.settings import preferred_seconds
    from coach.engine.clock import SystemClock
    from coach.engine.runner import SessionRunner
    from coach.engine.session import SessionEngine
    from coach.routines.customize import with_preferred_length
    from coach.store.store import open_recorder

    settings = _settings(routine)
    routine = with_preferred_length(routine, preferred_seconds(settings, routine.id))

    def report(message: str) -> None:
        echo_error(f"coach: {message}")

    folder = data_dir(getattr(args, "data_dir", None))
    recorder = open_recorder(folder, on_problem=report, day_start_hour=settings.day_start_hour)
    _sync(args, settings, background=True)
    try:
        with SystemWaiter() as waiter:  # signal handlers first: a Ctrl+C from now on ends the session by the rules
            engine = SessionEngine(routine, SystemClock())
            slot = args.slot or _slot(routine, engine.started_at, settings.day_start_hour)
            runner = SessionRunner(engine, recorder, slot)
            result = run_plain(runner, waiter, sys.stdout, bell=not args.quiet)
    finally:
        saved = recorder.close()
    _sync(args, settings, background=False)
    if result.outcome.recorded and not saved:
        report("this session is not saved in your history (see the message above)")
        return result.exit_code or 1
    return result.exit_code


def _sync(args: argparse.Namespace, settings: Settings, *, background: bool) -> None:
    """With `sync_folder` set: merge with the other machines (docs/sync.md), at the start in a thread that never
    holds up the countdown, and once the session is recorded. A problem is one line on stderr."""
    if not settings.sync_folder:
        return
    import sys
    import threading

    from coach.common.paths import data_dir
    from coach.common.safe_text import printable
    from coach.sync.engine import sync_in_background

    def run() -> None:
        _, message = sync_in_background(
            data_dir(getattr(args, "data_dir", None)), settings.sync_folder, settings.day_start_hour
        )
        if message:
            print(printable(f"coach: {message}"), file=sys.stderr)

    if background:
        threading.Thread(target=run, name="coach-sync", daemon=True).start()
    else:
        run()


def _run_app(args: argparse.Namespace, routine: Routine, catalog: Catalog) -> int:
    """The full-screen run screen, from the UI package (imported only here: textual is slow to import)."""
    from coach.cli.app_cmd import require_terminal
    from coach.ui.startup import pause_collector

    require_terminal(f"coach run {args.routine} --plain")  # without one, one message that points at --plain

    pause_collector()  # until the app's first frame (coach.ui.startup)
    from coach.ui.app import run_routine

    return run_routine(args, routine, catalog)


def _settings(routine: Routine) -> Settings:
    from coach.config.settings import load_settings

    loaded = load_settings().with_routines({routine.id: routine})  # a length outside its range is said, located
    for problem in loaded.problems:
        echo_error(one_line(f"coach: {problem} (using the default)"))
    return loaded.settings


def _slot(routine: Routine, started_at: datetime, day_start_hour: int) -> str:
    from coach.days.day import choose_slot

    return choose_slot(routine.slots, started_at, day_start_hour).value
