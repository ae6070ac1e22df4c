"""The app as a tab's process runs it: Textual's web driver (coach's own keyboard driver is for terminals only),
and a bell that a browser can see and hear."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from textual import constants
from textual.drivers.headless_driver import HeadlessDriver
from textual.drivers.web_driver import WebDriver

sys.path.insert(0, str(Path(__file__).parents[1] / "ui"))
from ui_helpers import build_app, fake_clock  # noqa: E402

from coach.ui.app import CUE_FLASH_SECONDS  # noqa: E402


def test_a_tab_process_gets_textuals_web_driver(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """textual-serve chooses the driver through TEXTUAL_DRIVER; coach swaps in its own only for the terminal's."""
    monkeypatch.setattr(constants, "DRIVER", "textual.drivers.web_driver:WebDriver")  # TEXTUAL_DRIVER, as read
    assert build_app(fake_clock(), tmp_path).get_driver_class() is WebDriver


@pytest.mark.skipif(sys.platform == "win32", reason="coach's terminal driver is the Linux one")
def test_a_terminal_still_gets_coachs_driver(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from coach.ui.driver import CoachDriver

    monkeypatch.setattr(constants, "DRIVER", None)
    assert build_app(fake_clock(), tmp_path).get_driver_class() is CoachDriver


async def test_in_a_browser_the_bell_flashes_the_screen_and_tells_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[dict[str, object]] = []
    monkeypatch.setattr(HeadlessDriver, "is_web", property(lambda self: True))
    monkeypatch.setattr(HeadlessDriver, "write_meta", lambda self, data: sent.append(data), raising=False)
    app = build_app(fake_clock(), tmp_path)
    async with app.run_test() as pilot:
        app.bell()
        assert app.screen.has_class("-cue-flash")
        assert sent == [{"type": "coach_bell"}]
        await pilot.pause(CUE_FLASH_SECONDS)
        for _ in range(50):  # the flash's timer, late under load
            if not app.screen.has_class("-cue-flash"):
                break
            await pilot.pause(0.1)
        assert not app.screen.has_class("-cue-flash")


async def test_in_a_terminal_the_bell_is_only_the_bell(tmp_path: Path) -> None:
    app = build_app(fake_clock(), tmp_path)
    async with app.run_test():
        app.bell()
        assert not app.screen.has_class("-cue-flash")
