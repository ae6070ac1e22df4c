"""`coach run` says what was kept once the terminal is back (the app's own notice vanishes with the app)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

import pytest

from coach.engine.recording import Status
from coach.engine.runner import Ending, Outcome
from coach.ui.app import CoachApp, outcome_words, run_app


def finished_app(outcome: Outcome | None) -> CoachApp:
    """A stand-in for an app that has run `coach run ROUTINE` to its end with `outcome`."""
    return cast(
        CoachApp,
        SimpleNamespace(
            run=lambda: None,
            _run_screens=lambda: [],
            recordings=SimpleNamespace(close_all=lambda: True),
            start_with=object(),
            last_outcome=outcome,
            sync_now=lambda: (None, ""),
            return_code=0,
        ),
    )


def test_a_stopped_session_says_what_was_kept(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_app(finished_app(Outcome(Ending.STOPPED, Status.PARTIAL, 250.0))) == 0
    assert capsys.readouterr().out == "Session stopped: 4m10s saved as partial.\n"


def test_a_session_left_before_it_began_says_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    run_app(finished_app(Outcome(None, None, 0.0)))
    run_app(finished_app(None))
    assert capsys.readouterr().out == ""
    assert outcome_words(Outcome(Ending.DISCARDED, None, 20.0)) == ("Session discarded", "nothing was kept.")
