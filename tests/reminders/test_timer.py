"""`coach remind install` / `uninstall`: a systemd user timer written into a temporary XDG config home (with a
fake systemctl that records what it is asked), checked with `systemd-analyze verify`; launchd and cron texts."""

from __future__ import annotations

import os
import plistlib
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import COACH, FakePrograms, Run

from coach.common.problems import CoachError
from coach.reminders.timer import (
    Kind,
    coach_command,
    cron_line,
    launchd_plist,
    plan,
    systemd_service,
    systemd_timer,
)

UNITS = ("coach-remind.service", "coach-remind.timer")


def unit_folder() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "systemd" / "user"


def systemd_analyze() -> str:
    """systemd-analyze, which .ci/run installs on Linux (Debian's systemd package)."""
    found = shutil.which("systemd-analyze")
    if found is None:
        if sys.platform.startswith("linux"):
            pytest.fail("systemd-analyze is not installed: apt-get install systemd (as .ci/run does)")
        pytest.skip("systemd-analyze exists on Linux only")
    return found


def verify(folder: Path, *names: str) -> subprocess.CompletedProcess[str]:
    """`systemd-analyze verify` of unit files, offline (as system units: the user manager needs a session)."""
    return subprocess.run(
        [systemd_analyze(), "verify", *(str(folder / name) for name in names)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SYSTEMD_LOG_LEVEL": "notice"},
    )


def test_install_writes_a_systemd_user_timer_once_and_uninstall_removes_it(coach: Run, fakes: FakePrograms) -> None:
    fakes.add("systemctl")
    result = coach("remind", "install")
    assert result.returncode == 0, result.stderr
    folder = unit_folder()
    assert sorted(p.name for p in folder.iterdir()) == list(UNITS)
    assert f"Wrote {folder / 'coach-remind.service'}" in result.stdout
    assert "coach remind now runs every 5 minutes" in result.stdout
    assert "No reminder times are set yet." in result.stdout
    service = (folder / "coach-remind.service").read_text()
    assert f'ExecStart="{COACH}" "remind"' in service  # the installed coach, by absolute path
    assert f'Environment="COACH_DATA_DIR={os.environ["COACH_DATA_DIR"]}"' in service
    assert "OnCalendar=*:0/5" in (folder / "coach-remind.timer").read_text()
    assert fakes.calls("systemctl") == [
        ["--user", "daemon-reload"],
        ["--user", "enable", "--now", "coach-remind.timer"],
    ]
    written = {name: (folder / name).stat().st_mtime_ns for name in UNITS}

    again = coach("remind", "install")  # installing twice changes nothing
    assert again.returncode == 0, again.stderr
    assert "already installed as written; nothing changed" in again.stdout
    assert {name: (folder / name).stat().st_mtime_ns for name in UNITS} == written
    assert fakes.calls("systemctl")[2:] == [["--user", "enable", "--now", "coach-remind.timer"]]

    removed = coach("remind", "uninstall")
    assert removed.returncode == 0, removed.stderr
    assert list(folder.iterdir()) == []
    assert fakes.calls("systemctl")[3:] == [
        ["--user", "disable", "--now", "coach-remind.timer"],
        ["--user", "daemon-reload"],
    ]
    assert coach("remind", "uninstall").stdout == "No reminder timer is installed; nothing changed.\n"
    assert len(fakes.calls("systemctl")) == 5


def test_print_shows_the_files_and_writes_nothing(coach: Run, fakes: FakePrograms) -> None:
    fakes.add("systemctl")
    result = coach("remind", "install", "--print")
    assert result.returncode == 0, result.stderr
    assert f"# {unit_folder() / 'coach-remind.service'}\n[Unit]\n" in result.stdout
    assert "OnCalendar=*:0/5" in result.stdout
    assert "Then: systemctl --user daemon-reload; systemctl --user enable --now coach-remind.timer" in result.stdout
    assert not unit_folder().exists() and fakes.calls("systemctl") == []


def test_when_systemd_cannot_take_the_timer_the_user_is_told_what_to_run(coach: Run, fakes: FakePrograms) -> None:
    fakes.add("systemctl", status=1, stderr="Failed to connect to bus: No medium found\n")
    result = coach("remind", "install")
    assert result.returncode == 1
    assert "the timer's files are in place, but systemd did not take them" in result.stderr
    assert "Failed to connect to bus: No medium found" in result.stderr
    assert "  systemctl --user enable --now coach-remind.timer" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in unit_folder().iterdir()) == list(UNITS)


def test_the_written_units_pass_systemd_analyze_verify(coach: Run, fakes: FakePrograms) -> None:
    fakes.add("systemctl")
    assert coach("remind", "install").returncode == 0
    result = verify(unit_folder(), *UNITS)
    assert result.returncode == 0, result.stderr
    assert "coach-remind" not in result.stderr, result.stderr  # not even a warning


def test_verify_catches_a_broken_unit(tmp_path: Path) -> None:
    """The check above can fail: a timer with a bad calendar and a service whose program is missing."""
    (tmp_path / "coach-remind.timer").write_text(systemd_timer().replace("*:0/5", "every five minutes"))
    (tmp_path / "coach-remind.service").write_text(systemd_service(["/nonexistent/coach", "remind"], {}))
    result = verify(tmp_path, *UNITS)
    assert result.returncode != 0
    assert "Failed to parse calendar specification" in result.stderr
    assert "/nonexistent/coach" in result.stderr


def test_paths_with_spaces_percent_dollar_and_quotes_reach_systemd_whole(tmp_path: Path) -> None:
    folder = tmp_path / 'my "tools" 100% $HOME\\x'
    folder.mkdir()
    program = tmp_path / "my tools 100% $HOME" / "coach"  # systemd refuses quotes and backslashes in a program path
    program.parent.mkdir()
    program.write_text("#!/bin/sh\nexit 0\n")
    program.chmod(0o755)
    units = tmp_path / "units"
    units.mkdir()
    service = systemd_service([str(program), "--data-dir", str(folder), "remind"], {"COACH_DATA_DIR": str(folder)})
    (units / "coach-remind.service").write_text(service)
    (units / "coach-remind.timer").write_text(systemd_timer())
    result = verify(units, *UNITS)
    assert result.returncode == 0, result.stderr + service  # systemd found the program at exactly that path
    assert "%%" in service and "$$HOME" in service  # an argument's $ is not expanded


def test_a_program_path_systemd_cannot_run_is_refused_with_a_way_out(tmp_path: Path) -> None:
    with pytest.raises(CoachError, match="systemd cannot run a program whose path holds a quote or a backslash"):
        plan(Kind.SYSTEMD, ['/opt/my "tools"/coach', "remind"], {}, tmp_path, tmp_path / ".config")
    assert plan(Kind.CRON, ['/opt/my "tools"/coach', "remind"], {}, tmp_path, tmp_path).cron_line


def test_launchd_agent_and_crontab_line() -> None:
    command = ["/Applications/My Tools/bin/coach", "remind"]
    env = {"COACH_DATA_DIR": "/Users/ann/coach data"}
    agent = plistlib.loads(launchd_plist(command, env).encode())
    assert agent["ProgramArguments"] == command and agent["StartInterval"] == 300 and agent["RunAtLoad"] is True
    assert agent["EnvironmentVariables"] == env
    line = cron_line(command, env)
    assert line.startswith("*/5 * * * * ")
    assert shlex.split(line.removeprefix("*/5 * * * * ")) == [f"COACH_DATA_DIR={env['COACH_DATA_DIR']}", *command]
    launchd = plan(Kind.LAUNCHD, command, env, Path("/Users/ann"), Path("/Users/ann/.config"))
    assert [item.path for item in launchd.files] == [Path("/Users/ann/Library/LaunchAgents/org.coach.remind.plist")]
    assert launchd.enable[0][:2] == ("launchctl", "bootstrap")


def test_cron_is_a_line_to_add_and_nothing_is_written(coach: Run, fakes: FakePrograms) -> None:
    fakes.add("crontab")
    result = coach("remind", "install", "--kind", "cron")
    assert result.returncode == 0, result.stderr
    assert "coach does not edit your crontab" in result.stdout
    assert f"*/5 * * * * COACH_CONFIG_DIR={os.environ['COACH_CONFIG_DIR']}" in result.stdout
    assert result.stdout.rstrip().endswith(f"{COACH} remind")
    assert fakes.calls("crontab") == [] and not unit_folder().exists()
    assert "remove the line" in coach("remind", "uninstall", "--kind", "cron").stdout


def test_the_command_is_the_installed_coach_by_absolute_path() -> None:
    command = coach_command()
    assert Path(command[0]).is_absolute() and command[-1] == "remind"
    assert command == [str(COACH), "remind"]
    assert coach_command("relative/history")[1:] == ["--data-dir", os.path.abspath("relative/history"), "remind"]
