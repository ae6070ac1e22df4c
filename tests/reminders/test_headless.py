"""coach/reminders is headless: it never imports textual or coach.ui, and `coach remind` starts no full-screen
app (a timer runs it every few minutes, with no terminal)."""

from __future__ import annotations

import subprocess
import sys

MODULES = ["coach.reminders.due", "coach.reminders.sent", "coach.reminders.notifiers", "coach.reminders.check"]
MODULES += ["coach.reminders.timer", "coach.cli.remind_cmd"]


def loaded_after(code: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(result.stdout.split())


def test_the_reminder_modules_import_neither_textual_nor_the_ui() -> None:
    modules = loaded_after("\n".join(f"import {name}" for name in MODULES))
    assert "coach.reminders.check" in modules  # the import really happened
    assert not {name for name in modules if name.split(".")[0] == "textual" or name.startswith("coach.ui")}


def test_coach_remind_runs_without_textual() -> None:
    modules = loaded_after(
        "from coach.__main__ import main\nimport contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['remind', '--dry-run', '--at', '2026-03-02T22:00:00+01:00'])"
    )
    assert "coach.cli.remind_cmd" in modules
    assert "textual" not in modules and "coach.ui" not in modules
