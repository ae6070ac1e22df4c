"""UI test setup: no real speech program, desktop notification or terminal bell ever leaves a test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ui_helpers import CueCalls, fake_clock

from coach.engine.clock import FakeClock


@pytest.fixture(autouse=True)
def cue_calls(monkeypatch: pytest.MonkeyPatch) -> CueCalls:
    """Speech and desktop notifications are recorded instead of started."""
    import coach.ui.cue_player as cue_player

    calls = CueCalls()

    def speak(program: str, words: str) -> None:
        calls.spoken.append(words)

    def notify_desktop(title: str, body: str) -> bool:
        if calls.desktop_available:
            calls.notified.append(body)
        return calls.desktop_available

    monkeypatch.setattr(cue_player, "speak", speak)
    monkeypatch.setattr(cue_player, "notify_desktop", notify_desktop)
    monkeypatch.setattr(cue_player, "find_speech_program", lambda preferred="": "/usr/bin/fake-speech")
    return calls


@pytest.fixture
def clock() -> FakeClock:
    return fake_clock()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "history"
    folder.mkdir()
    return folder


@pytest.fixture
def settings_file() -> Iterator[Path]:
    """The settings.toml of the test's config folder (absent unless a test writes it)."""
    from coach.common.paths import settings_file as path

    yield path()
