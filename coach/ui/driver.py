"""Textual's Linux driver, except that a SIGCONT with no Ctrl+Z before it leaves the terminal alone.

Textual re-enters application mode on every SIGCONT. After Ctrl+Z that is right (the terminal was handed back to
the shell); after a plain SIGSTOP (`kill -STOP`, a debugger, a stalled machine) nothing was handed back, and the
restart started another input and output thread each time (3 became 7 after one stop), so two threads read the
keyboard at once, and the whole screen was set up again before the countdown could show its next second.
"""

from __future__ import annotations

from textual.drivers.linux_driver import LinuxDriver


class CoachDriver(LinuxDriver):
    """Resumes application mode only when Ctrl+Z (SIGTSTP) suspended it."""

    def _sigcont_application(self, *args: object) -> None:
        if self._must_signal_resume:  # set by Textual's SIGTSTP handler when it suspended application mode
            super()._sigcont_application(*args)
