"""Asking before a command deletes what the user recorded: one question, the same everywhere (history and diary)."""

from __future__ import annotations

import sys

from coach.common.problems import CoachError
from coach.common.safe_text import echo, printable


def confirmed(question: str, what: str, *, yes: bool) -> bool:
    """True when the user agreed to delete `what` (or passed --yes); says "Nothing was deleted." otherwise.

    Without a terminal to ask in, nothing is deleted unless --yes: one message that says so, exit 1."""
    if yes:
        return True
    if not sys.stdin.isatty():
        raise CoachError(f"not deleting {what}: add --yes to delete without a terminal to ask in")
    try:
        answer = input(printable(f"{question} It cannot be undone. [y/N] "))
    except EOFError:
        answer = ""
    if answer.strip().lower() in ("y", "yes"):
        return True
    echo("Nothing was deleted.")
    return False
