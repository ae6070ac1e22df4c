"""Shared test setup: no test ever reads or writes the real user folders."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes seconds (builds a wheel, makes a venv); runs by default")
    config.addinivalue_line("markers", "e2e: drives the installed coach in a real terminal (tmux); runs by default")


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point coach's config, data and cache folders (and the XDG ones behind them) at a fresh temporary folder."""
    home = tmp_path_factory.mktemp("home")
    for name in ("config", "data", "xdg-config", "xdg-data", "xdg-state", "xdg-cache"):
        (home / name).mkdir()
    monkeypatch.setenv("COACH_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("COACH_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("COACH_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "xdg-state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "xdg-cache"))
    return home


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """Whatever a test does to the garbage collector (coach.ui.startup pauses and freezes it) is undone after it."""
    yield
    from coach.ui import startup

    startup._paused = False
    gc.unfreeze()
    gc.enable()
