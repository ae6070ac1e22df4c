"""`coach status [--ascii]`: one short line for a shell prompt or a tmux status bar, e.g. `☀✓ ☾· 🛁· 12d`.

It reads the history without creating it, skips the daily backup, and never imports textual or rich: it runs in
well under 100 ms.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coach.streaks import StreakReport

SYMBOLS = {"morning": "☀", "evening": "☾", "bedtime": "🛁"}
ASCII_LETTERS = {"morning": "M", "evening": "E", "bedtime": "B"}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "status",
        help="one line for a prompt or status bar: today's slots and the whole-day streak",
        description="Print which of today's planned slots are done (✓) or to do (·), and the whole-day streak.",
    )
    parser.add_argument("--ascii", action="store_true", help="plain ASCII: M:done E:todo B:todo streak 12")
    parser.set_defaults(handler="coach.cli.status_cmd:run")


def status_line(report: StreakReport, *, ascii_only: bool = False) -> str:
    """The status line for a streak report (only the planned slots are shown)."""
    slots = report.planned or tuple(SYMBOLS)
    if ascii_only:
        parts = [f"{ASCII_LETTERS[s]}:{'done' if s in report.kept_today else 'todo'}" for s in slots]
        parts.append(f"streak {report.day_plan.current}")
        if report.rest_today:
            parts.append("rest")
        return " ".join(parts)
    parts = [f"{SYMBOLS[s]}{'✓' if s in report.kept_today else '·'}" for s in slots]
    parts.append(f"{report.day_plan.current}d")
    if report.rest_today:
        parts.append("rest")
    return " ".join(parts)


def run(args: argparse.Namespace) -> int:
    from coach.paths import data_dir
    from coach.store import history_exists, open_store
    from coach.streaks import streak_report

    folder = data_dir(getattr(args, "data_dir", None))
    planned = planned_slots_cached(folder)
    if history_exists(folder):
        store = open_store(folder, maintenance=False)
        report = store.streaks(planned)
    else:
        from datetime import datetime

        from coach.day import today
        from coach.settings import load_settings

        hour = load_settings().settings.day_start_hour
        report = streak_report([], [], planned, today(datetime.now().astimezone(), hour))
    print(status_line(report, ascii_only=args.ascii))
    return 0


CACHE_NAME = ".status-planned-slots.json"


def planned_slots_cached(folder: Path) -> tuple[str, ...]:
    """The planned slots, remembered in the data folder until a routine file changes.

    Loading the catalog validates every routine file (about 30 ms); a prompt runs status at every command, so the
    answer is kept with the size and modification time of every routine file it came from, and the coach version.
    """
    import json

    from coach.cli.streaks_cmd import installed_slots

    signature = _routine_files_signature()
    cache = folder / CACHE_NAME
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data["signature"] == signature:
            return tuple(str(slot) for slot in data["slots"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    slots = installed_slots()
    if folder.is_dir():
        import contextlib
        import os

        with contextlib.suppress(OSError):
            partial = folder / f"{CACHE_NAME}.{os.getpid()}"
            partial.write_text(json.dumps({"signature": signature, "slots": list(slots)}), encoding="utf-8")
            os.replace(partial, cache)
    return slots


def _routine_files_signature() -> list[object]:
    """What the catalog depends on: the coach version and every routine file's name, size and mtime."""
    import os

    import coach
    from coach.paths import user_routines_dir

    package = Path(coach.__file__).parent
    folders = [package / "bundled_routines", package.parent / "routines", user_routines_dir()]
    signature: list[object] = [coach.__version__]
    for folder in folders:
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            signature.append([str(folder), None])
            continue
        files = []
        for entry in entries:
            if entry.name.endswith(".toml"):
                try:
                    info = entry.stat()
                except OSError:
                    continue
                files.append([entry.name, info.st_size, info.st_mtime_ns])
        signature.append([str(folder), files])
    return signature
