"""coach's keyboard driver (coach/ui/driver.py) leans on names Textual keeps to itself. If a Textual release renames
or drops any of them, this fails with the name, before a user meets a dead keyboard (docs/textual-upstream.md)."""

from __future__ import annotations

import inspect

import pytest
from textual.drivers.linux_driver import LinuxDriver

PRIVATE_MODULES = {
    "textual._parser": "ParseError",
    "textual._time": "get_time",
    "textual._xterm_parser": "XTermParser",
}
DRIVER_SOURCE_NAMES = (
    "self.exit_event",  # replaced by a WakingEvent in CoachDriver.__init__
    "self._must_signal_resume",  # read by CoachDriver._sigcont_application
    "self.fileno",  # the terminal's input file descriptor
    "self._debug",  # handed to the XTermParser as Textual does
    "def run_input_thread",  # overridden: the keyboard loop
    "def _sigcont_application",  # overridden: SIGCONT without Ctrl+Z
    "def process_message",
    "self._file",  # the terminal Textual writes to: coach/ui/terminal_output.py opens it a second time
    "def write",  # overridden: every write goes through TerminalOutput
    "def start_application_mode",  # overridden: TerminalOutput learns the event loop
    "def stop_application_mode",  # overridden: what still waits is sent before the shell gets its screen back
    "def close",
)


@pytest.mark.parametrize(("module", "name"), PRIVATE_MODULES.items())
def test_the_private_textual_names_the_driver_imports_exist(module: str, name: str) -> None:
    imported = __import__(module, fromlist=[name])
    assert hasattr(imported, name), f"Textual no longer has {module}.{name}: coach/ui/driver.py must change"


@pytest.mark.parametrize("name", DRIVER_SOURCE_NAMES)
def test_the_linux_driver_still_has_what_the_driver_overrides_or_reads(name: str) -> None:
    source = inspect.getsource(LinuxDriver) + inspect.getsource(LinuxDriver.__mro__[1])
    assert name in source, f"Textual's LinuxDriver no longer has {name!r}: coach/ui/driver.py must change"


def test_the_parser_keeps_its_escape_deadline_where_the_driver_reads_it() -> None:
    from textual._xterm_parser import XTermParser

    parser = XTermParser(False)
    assert hasattr(parser, "_timeout_time"), "XTermParser._timeout_time is gone: coach.ui.driver.escape_wait breaks"
    list(parser.feed("\x1b"))  # an unfinished escape sequence sets the deadline
    assert parser._timeout_time is not None
