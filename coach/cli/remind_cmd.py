"""`coach remind [--dry-run] [--at ISO-TIME]`: a desktop notification for each slot whose reminder time has passed
in the current coach day and that is neither done nor a rest day, once per slot per day, however often it runs.
`coach remind install [--print]` sets up the timer that runs it every few minutes; `coach remind uninstall` removes
it."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from coach.reminders.check import Evaluation
    from coach.reminders.timer import Plan

KINDS = ("systemd", "launchd", "cron")
HOW_TO_SET = (
    "Set the times in the settings screen (press s in coach) or in settings.toml:\n"
    '[reminders]\nmorning = "08:00"\nevening = "19:00"\nbedtime = "22:00"'
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "remind",
        help="remind of the sessions still to do today (meant to run from a timer: coach remind install)",
        description="For each slot whose reminder time ([reminders] in settings.toml) has passed in the current "
        "coach day, and that is neither done nor a rest day, show one desktop notification naming the routine "
        "and how to start it. Each slot is reminded once a day, however often this runs.",
    )
    parser.add_argument("--dry-run", action="store_true", help="print what would be sent; send and record nothing")
    parser.add_argument(
        "--at", type=moment_argument, metavar="ISO-TIME", help="decide as at this moment (e.g. 2026-03-02T22:30)"
    )
    parser.set_defaults(handler="coach.cli.remind_cmd:run")
    actions = parser.add_subparsers(title="the timer", metavar="{install,uninstall}")
    install = actions.add_parser(
        "install",
        help="run coach remind every 5 minutes (a systemd user timer, a launchd agent, or a crontab line)",
        description="Set up a timer that runs this coach's `coach remind` every 5 minutes: a systemd user timer on "
        "Linux, a launchd agent on macOS, a crontab line to add elsewhere. Installing again changes nothing.",
    )
    install.add_argument("--print", action="store_true", dest="print_only", help="show what would be written")
    install.add_argument("--kind", choices=KINDS, help="the scheduler (default: the one this system uses)")
    install.set_defaults(handler="coach.cli.remind_cmd:install")
    uninstall = actions.add_parser("uninstall", help="stop and remove the timer", description="Stop and remove it.")
    uninstall.add_argument("--kind", choices=KINDS, help="the scheduler (default: the one this system uses)")
    uninstall.set_defaults(handler="coach.cli.remind_cmd:uninstall")


def moment_argument(text: str) -> datetime:
    """argparse type for an ISO 8601 moment; without a UTC offset it is read on the local clock."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a moment as YYYY-MM-DDTHH:MM (a UTC offset such as +01:00 may follow), not {text!r}"
        ) from None
    if not 1970 <= moment.year <= 9998:
        raise argparse.ArgumentTypeError(f"expected a moment between the years 1970 and 9998, not {text!r}")
    return moment if moment.tzinfo is not None else moment.astimezone()


def run(args: argparse.Namespace) -> int:
    from datetime import datetime

    from coach.common.paths import data_dir
    from coach.common.safe_text import printable
    from coach.config.settings import load_settings, reminder_times
    from coach.reminders.check import deliver, evaluate
    from coach.reminders.notifiers import PrintedNotifier, choose_notifier
    from coach.reminders.sent import SentLog
    from coach.routines.catalog import load_catalog

    loaded = load_settings()
    for problem in loaded.problems:
        print(f"coach: {printable(str(problem))}", file=sys.stderr)
    settings = loaded.settings
    if not reminder_times(settings):
        print("No reminders are set. " + HOW_TO_SET)
        return 0
    now = args.at or datetime.now().astimezone()
    folder = data_dir(getattr(args, "data_dir", None))
    evaluation = evaluate(now, settings, folder, load_catalog().routines)
    choice = choose_notifier()
    if args.dry_run:
        _print_dry_run(evaluation, settings.day_start_hour, choice.notifier.name, choice.missing)
        return 0
    if not evaluation.due:
        return 0
    if choice.missing:
        print(f"coach: {choice.missing}; the reminder is shown here instead.", file=sys.stderr)
    try:
        deliveries = deliver(evaluation, choice.notifier, SentLog(folder))
    except OSError as error:
        print(f"coach: cannot record reminders in {printable(str(folder))}: {error.strerror or error}", file=sys.stderr)
        return 1
    failed = 0
    for delivery in deliveries:
        if delivery.error:
            failed += 1
            print(f"coach: the {delivery.slot} reminder was not shown: {printable(delivery.error)}", file=sys.stderr)
        elif not isinstance(choice.notifier, PrintedNotifier):
            print(f"coach: {delivery.slot} reminder sent through {choice.notifier.name}.")
    return 1 if failed else 0


def _print_dry_run(evaluation: Evaluation, day_start_hour: int, notifier: str, missing: str) -> None:
    from coach.common.safe_text import printable
    from coach.reminders.check import message
    from coach.reminders.due import Verdict

    now = evaluation.now
    print(
        f"At {now:%Y-%m-%d %H:%M} (UTC{now:%z}), coach day {evaluation.day:%A %d %B %Y} "
        f"(the day starts at {day_start_hour:02d}:00). Nothing is sent or recorded (--dry-run)."
    )
    for check in evaluation.checks:
        when = f"{check.at:%H:%M}" + (" (after midnight)" if check.at.date() > evaluation.day else "")
        head = f"  {check.slot:<8} {when:<22} "
        if check.verdict is Verdict.DUE:
            title, body = message(check.slot, evaluation.routines[check.slot])
            print(f"{head}would send: {printable(title)}: {printable(body)}")
        elif check.verdict is Verdict.SENT:
            sent_at = evaluation.sent.get(check.slot)
            print(head + "already sent" + (f" at {sent_at:%H:%M}" if sent_at else "") + " today")
        elif check.verdict is Verdict.NOT_YET:
            print(f"{head}not yet")
        else:
            print(f"{head}nothing to send: {check.verdict}")
    print(f"Notifications go through {notifier}." if not missing else f"Note: {missing}; {notifier} instead.")


def install(args: argparse.Namespace) -> int:
    from coach.common.safe_text import printable
    from coach.config.settings import load_settings, reminder_times
    from coach.reminders.timer import EVERY_MINUTES, Kind
    from coach.reminders.timer import install as install_timer

    timer = _plan(args)
    if timer.kind is Kind.CRON:
        print(
            "coach does not edit your crontab. Add this line with `crontab -e` to run coach remind every "
            f"{EVERY_MINUTES} minutes:"
        )
        print(printable(timer.cron_line))
        return 0
    if args.print_only:
        for item in timer.files:
            print(f"# {printable(str(item.path))}")
            print(printable(item.text), end="")
            print()
        print("Then: " + "; ".join(" ".join(command) for command in timer.enable))
        print("(--print: nothing was written.)")
        return 0
    result = install_timer(timer)
    for path in result.changed:
        print(f"Wrote {printable(str(path))}")
    if not result.changed:
        print("The reminder timer is already installed as written; nothing changed.")
    if result.failed:
        print(f"coach: the timer's files are in place, but {timer.kind} did not take them:", file=sys.stderr)
        for line in result.failed:
            print(f"  {printable(line)}", file=sys.stderr)
        print("Run this once you are logged in to a desktop session:", file=sys.stderr)
        for command in timer.enable:
            print("  " + " ".join(command), file=sys.stderr)
        return 1
    print(f"coach remind now runs every {EVERY_MINUTES} minutes; `coach remind uninstall` stops it.")
    if not reminder_times(load_settings().settings):
        print("No reminder times are set yet. " + HOW_TO_SET)
    return 0


def uninstall(args: argparse.Namespace) -> int:
    from coach.common.safe_text import printable
    from coach.reminders.timer import Kind
    from coach.reminders.timer import uninstall as uninstall_timer

    timer = _plan(args)
    if timer.kind is Kind.CRON:
        print("coach does not edit your crontab: remove the line that runs `coach remind` with `crontab -e`.")
        return 0
    result = uninstall_timer(timer)
    if not result.changed:
        print("No reminder timer is installed; nothing changed.")
        return 0
    for path in result.changed:
        print(f"Removed {printable(str(path))}")
    for line in result.failed:
        print(f"coach: {printable(line)}", file=sys.stderr)
    return 1 if result.failed else 0


def _plan(args: argparse.Namespace) -> Plan:
    import os
    from pathlib import Path

    from coach.reminders.timer import Kind, coach_command, default_kind, environment, plan

    kind = Kind(args.kind) if args.kind else default_kind()
    configured = os.environ.get("XDG_CONFIG_HOME", "")
    config_home = Path(configured) if os.path.isabs(configured) else Path.home() / ".config"
    return plan(kind, coach_command(getattr(args, "data_dir", None)), environment(), Path.home(), config_home)
