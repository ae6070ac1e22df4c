"""`coach run` says what was kept once the terminal is back (the app's own notice vanishes with the app)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest
from ui_helpers import build_app, fake_clock, screen_text, shows

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


async def test_a_history_that_cannot_be_saved_is_said_before_the_session_starts(tmp_path: Path) -> None:
    """The store is opened as soon as the run screen is drawn (on the recorder's thread), so a history that cannot
    be written is said while the step still waits for Enter, not after the first minutes of a session."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be\n")
    app = build_app(fake_clock(), blocked, "toe-exercises")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        assert await shows(pilot, "Not saved")
        assert "Get ready" in screen_text(app)  # still waiting for Enter
