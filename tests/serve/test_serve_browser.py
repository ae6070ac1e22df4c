"""`coach serve` in a real browser: Debian's chromium driven by Playwright, shaped like a phone held upright, and
what the page shows read back from screenshots by tesseract-ocr. Never a downloaded browser: the test fails, saying
what to install, when chromium or tesseract is missing (`.ci/run` installs both)."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import AsyncIterator, Iterator
from io import BytesIO
from pathlib import Path

import pytesseract
import pytest
from PIL import Image, ImageOps
from playwright.async_api import Browser, Page, async_playwright
from serve_helpers import Served, with_soak

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 1}
"""A phone held upright (CSS pixels of a common 6.1-inch phone)."""


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("Debian's chromium is needed for the browser tests: apt-get install -y chromium", pytrace=False)
    return found


@pytest.fixture(scope="module", autouse=True)
def tesseract() -> None:
    if shutil.which("tesseract") is None:
        pytest.fail("tesseract-ocr is needed to read the browser's screenshots: apt-get install -y tesseract-ocr")


@pytest.fixture
def soak_server(tmp_path: Path) -> Iterator[Served]:
    server = Served(with_soak(tmp_path, counts_after="5m"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=chromium_path())
        try:
            yield launched
        finally:
            await launched.close()


async def open_coach(browser: Browser, address: str) -> Page:
    """Open the address as a phone would, click through textual-serve's start card if it shows one, and wait for
    the app's first bytes."""
    page = await (await browser.new_context(**PHONE)).new_page()  # type: ignore[arg-type]
    await page.goto(address)
    start = page.locator("#start")
    if await start.is_visible():
        await start.click()
    await page.wait_for_selector("body.-first-byte", timeout=20_000)
    return page


async def to_first_routine(page: Page) -> None:
    """Tap the screen and move the list's cursor to its first routine. It starts on the routine of the slot that is
    due, which depends on the hour, and a highlighted name is not read: Foot soak reads, and Down goes to it."""
    await page.locator(".xterm-screen").click()  # focus, as a tap does
    await page.keyboard.press("Home")


def read(png: bytes) -> str:
    """The words on a screenshot: light text on a dark page, so grey, inverted and enlarged for tesseract."""
    image = ImageOps.invert(Image.open(BytesIO(png)).convert("L"))
    image = image.resize((image.width * 2, image.height * 2), Image.Resampling.LANCZOS)
    return str(pytesseract.image_to_string(image))


async def wait_to_read(page: Page, *words: str, timeout: float = 20.0) -> str:
    """Screenshots until every word is read on the page; the text read then."""
    deadline = time.monotonic() + timeout
    while True:
        text = read(await page.screenshot())
        if all(word in text for word in words):
            return text
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s to read {words} on the page; read:\n{text}")
        await asyncio.sleep(0.3)


async def test_without_the_token_the_browser_gets_no_page(browser: Browser, served: Served) -> None:
    page = await (await browser.new_context(**PHONE)).new_page()  # type: ignore[arg-type]
    response = await page.goto(served.base + "/")
    assert response is not None and response.status == 401
    assert "needs its token" in await page.inner_text("body")
    assert await page.locator("#terminal").count() == 0


async def test_the_phone_opens_the_address_and_reads_the_home_screen(browser: Browser, served: Served) -> None:
    page = await open_coach(browser, served.address)
    await to_first_routine(page)
    await wait_to_read(page, "Today", "Routines", "Foot soak", "Streaks")
    assert page.url == served.base + "/"  # the token left the address bar (the cookie carries it)
    await page.reload()  # a reload works by the cookie
    await page.wait_for_selector("body.-first-byte", timeout=20_000)
    await wait_to_read(page, "Routines")


async def test_the_run_screen_reads_on_a_phone_held_upright_and_the_bell_flashes(
    browser: Browser, soak_server: Served
) -> None:
    page = await open_coach(browser, soak_server.address)
    await to_first_routine(page)
    await wait_to_read(page, "Foot soak")
    size = await page.evaluate("[document.getElementById('terminal').dataset.fontSize, window.innerWidth]")
    assert int(size[0]) * 0.6 * 40 <= size[1]  # a font small enough for 40 columns
    await page.keyboard.press("ArrowDown")
    await page.keyboard.press("Enter")
    text = await wait_to_read(page, "Soak", "min left")
    assert "Make the window larger" not in text
    bells = await page.evaluate("[window.coachBells || 0, window.coachBeeps || 0]")
    assert bells[0] >= 1  # the step's bell reached the page, which flashes
    assert bells[1] >= 1  # and beeps: the keys pressed let the page sound


async def test_closing_the_tab_saves_the_running_session(browser: Browser, soak_server: Served) -> None:
    page = await open_coach(browser, soak_server.address)
    await to_first_routine(page)
    await wait_to_read(page, "Foot soak")
    await page.keyboard.press("ArrowDown")
    await page.keyboard.press("Enter")
    await wait_to_read(page, "min left")
    await asyncio.sleep(1.5)
    await page.context.close()  # the tab (and its browser window) closes
    deadline = time.monotonic() + 20
    while soak_server.app_processes():
        assert time.monotonic() < deadline, "the tab's app process outlived the tab"
        await asyncio.sleep(0.1)
    [session] = soak_server.history()
    assert session["routine"] == "foot-soak" and session["status"] == "partial"
    assert float(session["active_seconds"]) >= 1.0  # type: ignore[arg-type]  # saved as it closed (not recovered)


async def test_quitting_the_app_shows_the_ended_card_and_restart_opens_it_again(
    browser: Browser, served: Served
) -> None:
    page = await open_coach(browser, served.address)
    await wait_to_read(page, "Routines")
    await page.locator(".xterm-screen").click()
    await page.keyboard.press("Control+q")
    await page.wait_for_selector("body.-closed", timeout=20_000)
    await wait_to_read(page, "Session ended")
    await page.get_by_role("button", name="Restart").click()
    await page.wait_for_selector("body.-first-byte", timeout=20_000)
    await wait_to_read(page, "Routines")
