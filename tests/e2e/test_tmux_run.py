"""The installed `coach` in a real terminal (tmux): what only a real terminal shows, driven by keys.

Each test starts its own tmux server (a private socket), runs `coach` in a detached 100x30 window with temporary
data and config folders, sends keys and reads the screen with capture-pane. Waiting here is for a real program,
so it polls the pane with a deadline; no test waits longer than it must.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

TMUX = shutil.which("tmux")
COACH = Path(sys.executable).with_name("coach")
"""The console script installed beside this interpreter (`pip install .[test]`), whatever PATH says."""
if TMUX is None or not COACH.exists():
    pytest.fail(
        f"needs tmux and the installed coach command at {COACH} (.ci/run installs tmux; `pip install .[test]` coach)",
        pytrace=False,
    )


class Terminal:
    """One detached tmux window running a command, on a tmux server of its own."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.socket = f"coach-e2e-{uuid.uuid4().hex[:8]}"
        self.folder = folder
        self.env = env
        self.status_file = folder / "exit-status"

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(TMUX), "-L", self.socket, "-f", os.devnull, *args],
            capture_output=True,
            text=True,
            check=check,
            timeout=10,
            env=self.env,
        )

    def start(self, *argv: str, size: tuple[int, int] = (100, 30)) -> None:
        command = " ".join(shlex.quote(part) for part in (str(COACH), *argv))
        shell = f"{command}; echo $? > {shlex.quote(str(self.status_file))}"
        width, height = (str(n) for n in size)
        self.tmux("new-session", "-d", "-s", "e2e", "-x", width, "-y", height, "sh", "-c", shell)

    def rang(self) -> bool:
        """Whether the program has rung the terminal's bell since the window opened (tmux keeps the flag)."""
        return self.tmux("display", "-p", "-t", "e2e", "#{window_bell_flag}").stdout.strip() == "1"

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "e2e").stdout

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "e2e", *keys)

    def wait_for(self, what: Callable[[str], bool] | str, timeout: float = 10.0) -> str:
        """Poll the screen until `what` (a text, or a test of the screen) holds; the screen then."""
        test = (lambda screen: what in screen) if isinstance(what, str) else what
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen() if self.running() else ""
            if test(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout} s for {what!r}; the screen:\n{screen}")
            time.sleep(0.05)

    def running(self) -> bool:
        return self.tmux("has-session", "-t", "e2e", check=False).returncode == 0

    def exit_status(self, timeout: float = 10.0) -> int:
        """Wait for the program to end; its exit status."""
        deadline = time.monotonic() + timeout
        while not self.status_file.exists() or not self.status_file.read_text().strip():
            if time.monotonic() > deadline:
                raise AssertionError(f"coach did not exit within {timeout} s; the screen:\n{self.screen()}")
            time.sleep(0.05)
        return int(self.status_file.read_text())

    def close(self) -> None:
        self.tmux("kill-server", check=False)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    env = dict(os.environ)
    env.update(
        COACH_DATA_DIR=str(tmp_path / "data"),
        COACH_CONFIG_DIR=str(tmp_path / "config"),
        TERM="xterm-256color",
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
    )
    env.pop("TMUX", None)  # never talk to a tmux the tests run inside
    for name in ("COLUMNS", "LINES"):  # set in pytest-xdist workers (80x24): Textual would take them over the pane's
        env.pop(name, None)
    made = Terminal(tmp_path, env)
    yield made
    made.close()


BLOCKS = ("█", "▀", "▄")


def digit_rows(screen: str) -> str:
    """The big countdown: the lines drawn in block characters."""
    return "\n".join(line for line in screen.splitlines() if any(block in line for block in BLOCKS))


def history_json(terminal: Terminal) -> list[dict[str, object]]:
    result = subprocess.run(
        [str(COACH), "history", "--json"], capture_output=True, text=True, env=terminal.env, timeout=30, check=True
    )
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def coach_pid(terminal: Terminal) -> int:
    shell = terminal.tmux("list-panes", "-t", "e2e", "-F", "#{pane_pid}").stdout.split()[0]
    children = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True).stdout.split()
    assert children, "coach is not running in the window"
    return int(children[0])


def test_a_soak_counts_pauses_and_quits_as_partial(terminal: Terminal) -> None:
    terminal.start("run", "foot-soak")
    terminal.wait_for("Prepare the water")
    terminal.keys("Enter")
    first = digit_rows(terminal.wait_for(lambda screen: "SOAK" in screen and "Soak" in screen))
    terminal.wait_for(lambda screen: "SOAK" in screen and digit_rows(screen) != first, timeout=5)  # it moves

    terminal.keys("Space")
    paused = terminal.wait_for("PAUSED")
    time.sleep(3)
    still = terminal.screen()
    assert "PAUSED" in still
    assert digit_rows(still) == digit_rows(paused), "the digits moved while paused"

    terminal.keys("Space")
    terminal.wait_for(lambda screen: "SOAK" in screen and "PAUSED" not in screen)
    terminal.wait_for(lambda screen: digit_rows(screen) != digit_rows(still), timeout=3)

    terminal.keys("q")
    terminal.wait_for("Stop this session?")
    terminal.keys("y")
    assert terminal.exit_status() == 0

    sessions = history_json(terminal)
    assert len(sessions) == 1, sessions
    [session] = sessions
    assert session["routine"] == "foot-soak"
    assert session["status"] == "partial"
    assert isinstance(session["active_seconds"], float) and session["active_seconds"] > 1


def test_home_shows_today_and_the_routines_and_q_exits(terminal: Terminal) -> None:
    terminal.start()
    screen = terminal.wait_for(lambda screen: "Today ·" in screen and "Foot soak" in screen)
    assert "Toe exercises" in screen and "Morning" in screen and "Bedtime" in screen
    terminal.keys("q")
    assert terminal.exit_status() == 0


def test_down_then_enter_typed_at_once_starts_the_routine_moved_to(terminal: Terminal) -> None:
    """Both keys arrive in one read: Enter must not start the routine that was highlighted before Down moved on."""
    terminal.start()
    terminal.wait_for(lambda screen: "Today ·" in screen and "Foot soak" in screen)
    terminal.keys("Home")  # the first routine, whatever the hour: the cursor starts on the routine of the due slot
    terminal.keys("Down", "Enter")
    screen = terminal.wait_for("BEFORE YOU START")
    assert "Prepare the water" in screen and "Get ready" not in screen


def test_a_session_run_to_its_end_closes_with_q(terminal: Terminal) -> None:
    """A short routine runs out by itself; the finished screen closes with q and coach exits (it used to hang)."""
    routines = Path(terminal.env["COACH_CONFIG_DIR"]) / "routines"
    routines.mkdir(parents=True)
    (routines / "quick.toml").write_text(
        'name = "Quick"\nslots = ["morning"]\n[[steps]]\ntitle = "Quick hold"\nkind = "hold"\ntime = "2s"\n',
        encoding="utf-8",
    )
    terminal.start("run", "quick")
    terminal.wait_for("Session complete", timeout=10)
    terminal.keys("q")
    assert terminal.exit_status() == 0
    [session] = history_json(terminal)
    assert (session["routine"], session["status"]) == ("quick", "completed")


def test_closing_the_terminal_mid_session_ends_coach_and_keeps_the_session(terminal: Terminal) -> None:
    """SIGHUP (the window closed): coach records the session as partial and ends; it never lingers on a dead tty."""
    terminal.start("run", "foot-soak")
    terminal.wait_for("Prepare the water")
    terminal.keys("Enter")
    first = digit_rows(terminal.wait_for(lambda screen: "SOAK" in screen and bool(digit_rows(screen))))
    terminal.wait_for(lambda screen: digit_rows(screen) not in ("", first), timeout=5)  # a second soaked
    coach = coach_pid(terminal)
    terminal.close()  # the window and its terminal are gone: SIGHUP
    deadline = time.monotonic() + 10
    while Path(f"/proc/{coach}").exists():
        assert time.monotonic() < deadline, "coach lived on after its terminal closed"
        time.sleep(0.05)
    [session] = history_json(terminal)
    assert session["status"] == "partial" and session["active_seconds"] > 1


def test_ctrl_z_pauses_and_hands_back_the_terminal_and_a_continue_brings_back_one_keyboard_reader(
    terminal: Terminal,
) -> None:
    """Ctrl+Z then `fg` (here: SIGCONT, what fg sends): the screen comes back paused, keys work, Escape alone too."""
    terminal.start("run", "foot-soak")
    terminal.wait_for("Prepare the water")
    terminal.keys("Enter")
    terminal.wait_for(lambda screen: "SOAK" in screen)
    pid = coach_pid(terminal)
    threads = len(os.listdir(f"/proc/{pid}/task"))
    terminal.keys("C-z")
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "T":
        assert time.monotonic() < deadline, "coach did not stop on Ctrl+Z"
        time.sleep(0.05)
    os.kill(pid, signal.SIGCONT)
    terminal.wait_for("PAUSED")
    # The whole screen is drawn again, not only what changed (the terminal's screen was cleared meanwhile).
    terminal.wait_for(lambda screen: all(line in screen for line in ("Soak", "min left", "q Stop")), timeout=3)
    terminal.keys("Space")
    terminal.wait_for(lambda screen: "SOAK" in screen and "PAUSED" not in screen)
    assert len(os.listdir(f"/proc/{pid}/task")) == threads, "a second keyboard reader was started"
    terminal.keys("Escape")  # alone: known to be Escape only when nothing follows it
    terminal.wait_for("Stop this session?")
    terminal.keys("y")
    assert terminal.exit_status() == 0
    [session] = history_json(terminal)
    assert session["status"] == "partial"


QUICK = """name = "Quick"
slots = ["morning"]
[[steps]]
title = "Up"
kind = "hold"
time = "4s"
[[steps]]
title = "Down"
kind = "rest"
time = "30s"
"""


def quick_routine(terminal: Terminal) -> None:
    routines = Path(terminal.env["COACH_CONFIG_DIR"]) / "routines"
    routines.mkdir(parents=True, exist_ok=True)
    (routines / "quick.toml").write_text(QUICK, encoding="utf-8")


@pytest.mark.parametrize("quiet", [True, False])
def test_quiet_rings_no_bell_on_the_full_screen(terminal: Terminal, quiet: bool) -> None:
    """`--quiet` silences the full-screen run as it does --plain; without it the hold's end rings."""
    quick_routine(terminal)
    terminal.start("run", "quick", *(["--quiet"] if quiet else []))
    terminal.wait_for(lambda screen: "Down" in screen, timeout=10)  # a step change (and its countdown ring) passed
    time.sleep(0.5)  # the rest's second ring
    assert terminal.rang() is not quiet
    terminal.keys("q")
    terminal.wait_for("Stop this session?")
    terminal.keys("y")
    assert terminal.exit_status() == 0


@pytest.mark.parametrize(("size", "rows"), [((80, 24), 5), ((160, 48), 10), ((40, 12), 3)])
def test_the_countdown_grows_with_the_terminal(terminal: Terminal, size: tuple[int, int], rows: int) -> None:
    terminal.start("run", "foot-soak", size=size)
    terminal.wait_for("Prepare the water")
    terminal.keys("Enter")
    terminal.wait_for(lambda screen: len(digit_rows(screen).splitlines()) >= rows)

    def footer_keeps_stop_and_finish(screen: str) -> bool:
        footer = [line for line in screen.splitlines() if line.strip()][-1]
        return " Stop " in footer and " Finish " in footer

    terminal.wait_for(footer_keeps_stop_and_finish)


def test_n_on_the_last_step_asks_and_the_countdown_waits(terminal: Terminal) -> None:
    """The soak is the last step: n no longer ends a session short of counting with one key."""
    terminal.start("run", "foot-soak")
    terminal.wait_for("Prepare the water")
    terminal.keys("Enter")
    terminal.wait_for(lambda screen: "SOAK" in screen)
    terminal.keys("n")
    asked = terminal.wait_for("This is the last step: end the session?")
    time.sleep(1.5)
    assert digit_rows(terminal.screen()) == digit_rows(asked), "the countdown ran on while asking"
    terminal.keys("n")  # keep going
    terminal.wait_for(lambda screen: "SOAK" in screen and "last step: end" not in screen)
    terminal.keys("q")
    terminal.wait_for("Discard (d)")  # just begun: it may be thrown away
    terminal.keys("d")
    assert terminal.exit_status() == 0
    assert history_json(terminal) == []
