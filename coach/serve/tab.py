"""Starts one tab's app process so that it cannot outlive its server: `python -m coach.serve.tab SERVER_PID -- ARGV`.

A tab's app runs in a session of its own (the server's Ctrl+C must not reach it directly), so nothing would tell it
that a server killed with SIGKILL, or crashed, is gone: it would run on, unseen, with its session left open. On
Linux the kernel is asked (prctl PR_SET_PDEATHSIG) to hang the process up when the server dies, and then `ARGV` (the
app) replaces this process: the request survives exec, and coach's hang-up path records a running session.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Sequence

PR_SET_PDEATHSIG = 1
"""From <linux/prctl.h>."""


def hang_up_with_parent() -> None:
    """Ask Linux to send SIGHUP when the parent process dies (elsewhere nothing is asked)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGHUP)


def main(argv: Sequence[str]) -> int:
    """Arrange the hang-up, check the server is still there, then become the app (no return when it works)."""
    if len(argv) < 3 or argv[1] != "--" or not argv[0].isdigit():
        print("usage: python -m coach.serve.tab SERVER_PID -- COMMAND...", file=sys.stderr)
        return 2
    hang_up_with_parent()
    if os.getppid() != int(argv[0]):
        return 128 + signal.SIGHUP  # the server died before the request was made: nobody to serve
    command = list(argv[2:])
    os.execv(command[0], command)
    return 0  # not reached: execv replaced this process or raised


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
