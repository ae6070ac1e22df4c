"""The app syncs in the background when `sync_folder` is set: at start (what came in shows on the home screen) and
after a session ends (the session goes out), with `coach run ROUTINE` too."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sync_helpers import Machine, session

from coach.common.paths import settings_file
from coach.engine.clock import FakeClock
from coach.routines.catalog import load_catalog
from coach.ui.app import CoachApp, make_app

PARIS = timezone(timedelta(hours=1))
MORNING = datetime(2026, 3, 2, 7, 30, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def quiet_cues(monkeypatch: pytest.MonkeyPatch) -> None:
    import coach.ui.cue_player as cue_player

    monkeypatch.setattr(cue_player, "speak", lambda program, words: None)
    monkeypatch.setattr(cue_player, "notify_desktop", lambda title, body: False)
    monkeypatch.setattr(cue_player, "find_speech_program", lambda preferred="": None)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shared = tmp_path / "Sync"
    shared.mkdir()
    settings_file().write_text(f'sync_folder = "{shared}"\nsound = false\n')
    return shared


async def _settle(app: CoachApp) -> None:
    for _ in range(20):
        await app.workers.wait_for_complete()


def _screen_text(app: CoachApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_what_another_machine_did_this_morning_shows_at_start(tmp_path: Path, folder: Path) -> None:
    other = Machine(tmp_path, "other", folder)
    other.add(session(MORNING.date()))
    other.sync()
    app = make_app(clock=FakeClock(wall=MORNING, monotonic=5000.0), data_dir=tmp_path / "here")

    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(app)
        await pilot.pause()
        await _settle(app)
        await pilot.pause()
        assert "Morning  done" in _screen_text(app)


async def test_a_session_run_with_coach_run_goes_out_when_it_ends(tmp_path: Path, folder: Path) -> None:
    clock = FakeClock(wall=MORNING.replace(hour=22), monotonic=5000.0)
    routine = load_catalog().get("foot-soak")
    assert routine is not None
    app = make_app(clock=clock, data_dir=tmp_path / "here", routine=routine)

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")  # ready
        from coach.ui.screens.run import RunScreen

        screen = app.screen
        assert isinstance(screen, RunScreen)
        for _ in range(20 * 6):
            clock.advance(10)
            screen.poll()
        await pilot.pause()
        await pilot.press("q")
        await _settle(app)
    assert app.recordings.close_all()
    assert app.sync_now() == (0, None)  # as run_app does once the app has closed with the session

    (journal,) = folder.glob("coach-*.jsonl")
    events = [json.loads(line) for line in journal.read_text().splitlines()[1:]]
    assert [(event["type"], event["routine"], event["status"]) for event in events] == [
        ("session", "foot-soak", "completed")
    ]


async def test_no_sync_folder_no_sync(tmp_path: Path) -> None:
    app = make_app(clock=FakeClock(wall=MORNING, monotonic=5000.0), data_dir=tmp_path / "here")
    async with app.run_test(size=(100, 30)):
        await _settle(app)
    assert not (tmp_path / "here" / "sync.lock").exists()
    assert app.sync_now() == (0, None)
