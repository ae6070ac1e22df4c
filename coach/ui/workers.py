"""What a worker brought back, read in one place: each screen's one `on_worker_state_changed` matches on it.

Workers of the app are named and made with `exit_on_error=False`: a busy or damaged history, a refused entry, even
a bug, ends as a `Failed` with words a person can read, never as a traceback over the screen.
"""

from __future__ import annotations

from msgspec import Struct
from textual.worker import Worker, WorkerState

from coach.common.problems import CoachError


class Done(Struct, frozen=True):
    """A worker ended with its result."""

    name: str
    result: object


class Failed(Struct, frozen=True):
    """A worker stopped on a problem; `message` says what, in the words shown to the user."""

    name: str
    message: str
    expected: bool = True
    """False for an error coach did not expect (a bug): the app logs it as well."""


def outcome(event: Worker.StateChanged) -> Done | Failed | None:
    """The end of a worker, or None while it is still pending or running (or was cancelled: nothing to show)."""
    worker: Worker[object] = event.worker
    if event.state is WorkerState.SUCCESS:
        return Done(worker.name, worker.result)
    if event.state is WorkerState.ERROR:
        error = worker.error
        if isinstance(error, CoachError):
            return Failed(worker.name, str(error))
        return Failed(worker.name, f"something went wrong ({type(error).__name__}: {error})", expected=False)
    return None
