"""The app through `coach serve`'s websocket, as the page drives it: the home screen, keys, one process per tab on
one history, and a tab that closes while a session runs (saved as when a terminal closes; counted after
`counts_after`). The installed command on a free port; a VT emulator reads what the app draws."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest
from serve_helpers import DOWN, ENTER, HOME, Served, Tab, soaked, with_soak

pytestmark = pytest.mark.e2e


@pytest.fixture
def soak_server(tmp_path: Path) -> Iterator[Served]:
    """A server whose foot soak begins at once and counts after 2 s (a user routine overriding the bundled one)."""
    server = Served(with_soak(tmp_path))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def long_soak_server(tmp_path: Path) -> Iterator[Served]:
    """The same, counting only after 5 minutes."""
    server = Served(with_soak(tmp_path, counts_after="5m"))
    try:
        yield server
    finally:
        server.stop()


@asynccontextmanager
async def tab(served: Served, width: int = 80, height: int = 24) -> AsyncIterator[Tab]:
    """A websocket as the page opens it (its Origin, the cookie the first visit set)."""
    cookies = {f"coach_serve_{_hash(served.token)}": served.token}
    async with (
        aiohttp.ClientSession(cookies=cookies) as session,
        session.ws_connect(
            f"{served.base}/ws?width={width}&height={height}", headers={"Origin": served.base}
        ) as socket,
    ):
        yield Tab(socket, width, height)


def _hash(token: str) -> str:
    import hashlib

    return hashlib.sha256(token.encode()).hexdigest()[:12]


async def wait_until(test: object, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not test():  # type: ignore[operator]
        assert time.monotonic() < deadline, "waited too long"
        await asyncio.sleep(0.1)


async def test_a_tab_shows_the_home_screen_and_its_keys_work(served: Served) -> None:
    async with tab(served) as page:
        home = await page.wait_for("Routines")
        assert "Toe exercises" in home and "Foot soak" in home
        await page.keys("h")
        await page.wait_for("Sessions")  # the history screen


async def test_each_tab_runs_its_own_app_process_on_the_same_history(served: Served) -> None:
    async with tab(served) as first, tab(served) as second:
        await first.wait_for("Routines")
        await second.wait_for("Routines")
        assert len(served.app_processes()) == 2
        await first.keys("h")
        await first.wait_for("Sessions")
        assert "Sessions" not in second.text()  # the other tab stays where it was
    await wait_until(lambda: served.app_processes() == [])  # closing the tabs ended both


async def test_closing_the_tab_during_a_session_saves_it_as_partial_before_counts_after(
    long_soak_server: Served,
) -> None:
    async with tab(long_soak_server) as page:
        await page.wait_for("Whole day")  # the plan is read: the list is ready for keys
        await page.keys(HOME, DOWN, ENTER)
        await page.wait_for("Soak")
        await soaked(page, 1)
    await wait_until(lambda: long_soak_server.app_processes() == [])
    [session] = long_soak_server.history()
    assert session["routine"] == "foot-soak"
    assert session["status"] == "partial"
    # Saved by the app when its tab closed, with the time soaked: not found later by the store's recovery of a
    # process that died (which ends a session at its last checkpoint, here its start).
    assert float(session["active_seconds"]) >= 1.0  # type: ignore[arg-type]


async def test_closing_the_tab_after_counts_after_saves_the_session_as_completed(soak_server: Served) -> None:
    async with tab(soak_server) as page:
        await page.wait_for("Whole day")  # the plan is read: the list is ready for keys
        await page.keys(HOME, DOWN, ENTER)
        await page.wait_for("Soak")
        await soaked(page, 2)  # 2 s of soak make it count
    await wait_until(lambda: soak_server.app_processes() == [])
    [session] = soak_server.history()
    assert session["status"] == "completed", "a session past counts_after counts however it ends (product.md)"
    assert float(session["active_seconds"]) >= 2  # type: ignore[arg-type]


async def test_stopping_the_server_saves_the_sessions_running_in_its_tabs(long_soak_server: Served) -> None:
    async with tab(long_soak_server) as page:
        await page.wait_for("Whole day")  # the plan is read: the list is ready for keys
        await page.keys(HOME, DOWN, ENTER)
        await page.wait_for("Soak")
        await soaked(page, 1)
        assert long_soak_server.stop() == 0  # Ctrl+C in the server's terminal
        await page.wait_for(lambda screen: page.closed, timeout=20)
    [session] = long_soak_server.history()
    assert session["status"] == "partial"
    assert float(session["active_seconds"]) >= 1.0  # type: ignore[arg-type]


async def test_the_bell_reaches_the_page_as_a_message(soak_server: Served) -> None:
    """The terminal bell means nothing to textual-serve's page: coach sends ["coach_bell"], which coach's page plays."""
    async with tab(soak_server) as page:
        await page.wait_for("Whole day")  # the plan is read: the list is ready for keys
        await page.keys(HOME, DOWN, ENTER)
        await page.wait_for(lambda screen: ["coach_bell"] in page.texts)


async def test_a_tab_does_not_outlive_a_killed_server_and_its_session_is_saved(tmp_path: Path) -> None:
    """SIGKILL leaves the server no time to close its tabs: the kernel hangs each tab's app up (coach.serve.tab).

    Notifications stay on (the default): the cue player never writes a terminal's notification escapes to a browser,
    and a write to a dead server's pipe would not stop the hang-up from recording the session."""
    home = with_soak(tmp_path, counts_after="5m")
    served = Served(home)
    try:
        async with tab(served) as page:
            await page.wait_for("Whole day")
            await page.keys(HOME, DOWN, ENTER)
            await page.wait_for("Soak")
            await soaked(page, 1)
            [app_process] = served.app_processes()
            served.process.kill()
            served.process.wait(timeout=10)
            await wait_until(lambda: not _alive(app_process))
    finally:
        served.stop()
    [session] = served.history()
    assert session["status"] == "partial"
    assert float(session["active_seconds"]) >= 1.0  # type: ignore[arg-type]


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie waiting for its reaper, the server being dead, has ended)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
