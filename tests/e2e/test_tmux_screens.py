"""The installed `coach` in a real terminal, for the keys only a terminal delivers as a person types them: Ctrl+C
and Ctrl+Q reach coach's own quit (a running session asks first), the footer keeps Quit at 80 columns; and without
a terminal, one message instead of escape codes and a wait."""

from __future__ import annotations

import json
import shlex
import subprocess

import pytest
from test_tmux_run import COACH, Terminal, terminal

pytestmark = pytest.mark.e2e
__all__ = ["terminal"]  # the fixture, shared with the run screen's tmux tests


def history(terminal: Terminal) -> list[dict[str, object]]:
    result = subprocess.run(
        [str(COACH), "history", "--json"], capture_output=True, text=True, env=terminal.env, timeout=30, check=True
    )
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize("key", ["C-c", "C-q"])
def test_ctrl_c_and_ctrl_q_mid_session_ask_first(key: str, terminal: Terminal) -> None:
    terminal.start("run", "foot-soak")
    terminal.wait_for("Prepare the water")
    terminal.keys("Enter")
    terminal.wait_for("SOAK")
    terminal.keys(key)
    screen = terminal.wait_for("Stop this session?")
    assert "Press ctrl+q to quit" not in screen  # not Textual's generic toast
    terminal.keys("n")
    terminal.wait_for(lambda screen: "Stop this session?" not in screen and "SOAK" in screen)
    terminal.keys(key)
    terminal.wait_for("Stop this session?")
    terminal.keys("y")
    assert terminal.exit_status() == 0
    assert [session["status"] for session in history(terminal)] == ["partial"]


def test_ctrl_c_on_home_quits(terminal: Terminal) -> None:
    terminal.start()
    terminal.wait_for("Routines")
    terminal.keys("C-c")
    assert terminal.exit_status() == 0


def start_at(terminal: Terminal, width: int, height: int, *argv: str) -> None:
    """`coach` in a window of this size from the start."""
    command = " ".join(shlex.quote(part) for part in (str(COACH), *argv))
    shell = f"{command}; echo $? > {shlex.quote(str(terminal.status_file))}"
    terminal.tmux("new-session", "-d", "-s", "e2e", "-x", str(width), "-y", str(height), "sh", "-c", shell)


@pytest.mark.parametrize(("width", "height"), [(80, 24), (60, 20), (40, 15)])
def test_home_footer_keeps_quit(width: int, height: int, terminal: Terminal) -> None:
    start_at(terminal, width, height)

    def footer(screen: str) -> str:
        lines = [line.rstrip() for line in screen.splitlines()]
        return lines[-1] if len(lines) == height else ""

    screen = terminal.wait_for(lambda screen: "Routines" in screen and footer(screen).endswith("q Quit"))
    assert footer(screen).startswith(" ⏎ Start  h History") and len(footer(screen)) <= width, screen
    terminal.keys("q")
    assert terminal.exit_status() == 0


@pytest.mark.parametrize(
    ("argv", "suggestion"), [([], "coach run ROUTINE --plain"), (["run", "foot-soak"], "coach run foot-soak --plain")]
)
def test_without_a_terminal_one_message_and_exit_1(argv: list[str], suggestion: str, terminal: Terminal) -> None:
    result = subprocess.run(
        [str(COACH), *argv], stdin=subprocess.DEVNULL, capture_output=True, text=True, env=terminal.env, timeout=30
    )
    assert result.returncode == 1
    assert result.stdout == ""  # no escape codes
    assert result.stderr.count("\n") == 1 and "needs a terminal" in result.stderr and suggestion in result.stderr
