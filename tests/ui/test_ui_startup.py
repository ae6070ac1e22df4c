"""The app gets the cyclic collector back once its first frame is out (coach.ui.startup paused it)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from ui_helpers import build_app, fake_clock

from coach.ui import startup

pytestmark = pytest.mark.usefixtures("collector_restored")


async def test_the_app_resumes_the_collector_after_its_first_frame(data_dir: Path) -> None:
    startup.pause_collector()
    app = build_app(fake_clock(), data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert gc.isenabled()
