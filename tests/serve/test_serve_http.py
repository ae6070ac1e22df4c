"""`coach serve` as a browser and an intruder meet it: the token guard on the page, the websocket, the downloads and
the static files; the cookie; the Host and Origin checks; the log without the token. The installed command, on a
free port of 127.0.0.1."""

from __future__ import annotations

import stat
from http.cookies import SimpleCookie

import aiohttp
import pytest
from serve_helpers import Served

pytestmark = pytest.mark.e2e

WRONG = "A" * 43


async def status_of(url: str, **kwargs: object) -> int:
    async with aiohttp.ClientSession() as session, session.get(url, allow_redirects=False, **kwargs) as response:  # type: ignore[arg-type]
        return response.status


@pytest.mark.parametrize("path", ["/", "/static/js/textual.js", "/download/0123456789abcdef", "/no-such-page"])
async def test_every_path_answers_401_without_the_token_and_403_with_a_wrong_one(served: Served, path: str) -> None:
    assert await status_of(served.base + path) == 401
    assert await status_of(f"{served.base}{path}?token={WRONG}") == 403
    assert await status_of(f"{served.base}{path}?token={served.token[:-1]}") == 403  # one character short
    assert await status_of(served.base + path, cookies={cookie_name(served): WRONG}) == 403


async def test_the_websocket_answers_401_without_the_token_and_403_with_a_wrong_one(served: Served) -> None:
    for query, status in (("", 401), (f"&token={WRONG}", 403)):
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(f"{served.base}/ws?width=80&height=24{query}", headers={"Origin": served.base})
        assert refused.value.status == status
    assert served.app_processes() == []  # no app process was started for them


async def test_the_page_with_the_token_sets_a_strict_httponly_cookie_that_lets_the_page_in_again(
    served: Served,
) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:  # unsafe: an IP host
        async with session.get(served.address + "&fontsize=20", allow_redirects=False) as page:
            assert page.status == 200
            html = await page.text()
            assert page.headers["X-Frame-Options"] == "DENY"
            assert page.headers["Referrer-Policy"] == "no-referrer"
            assert page.headers["Cache-Control"] == "no-store"
            cookie = SimpleCookie(page.headers["Set-Cookie"])
        morsel = cookie[cookie_name(served)]
        assert morsel.value == served.token
        assert morsel["httponly"] is True
        assert morsel["samesite"] == "Strict"
        assert morsel["path"] == "/"
        assert int(morsel["max-age"]) >= 30 * 24 * 3600  # a bookmark of the page works for months
        assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws"' in html
        assert "fonts.googleapis.com" not in html  # the page asks no other server for anything
        # A reload without the token in the address: the cookie lets the page and its files in.
        async with session.get(served.base + "/?fontsize=20", allow_redirects=False) as again:
            assert again.status == 200
            assert "Set-Cookie" not in again.headers
        async with session.get(served.base + "/static/js/textual.js") as script:
            assert script.status == 200


async def test_another_sites_page_cannot_open_the_websocket_even_with_the_cookie(served: Served) -> None:
    """A page on another port of this host shares the cookie (cookies ignore ports): its Origin gives it away."""
    cookies = {cookie_name(served): served.token}
    async with aiohttp.ClientSession(cookies=cookies) as session:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(f"{served.base}/ws", headers={"Origin": "http://127.0.0.1:1"})
    assert refused.value.status == 403


async def test_a_host_name_that_is_not_this_machine_is_refused_even_with_the_token(served: Served) -> None:
    """DNS rebinding: a page of attacker.example whose name was pointed at 127.0.0.1 sends that name as Host."""
    assert await status_of(served.address, headers={"Host": f"attacker.example:{served.port}"}) == 403
    assert await status_of(served.address, headers={"Host": f"localhost:{served.port}"}) == 200


async def test_the_token_is_kept_owner_only_in_the_data_folder_and_never_logged(served: Served) -> None:
    # Its own visits (the other tests may run in another worker's server): with the token, without, a wrong one.
    assert await status_of(served.address) == 200
    assert await status_of(served.base + "/") == 401
    assert await status_of(f"{served.base}/?token={WRONG}") == 403
    token_file = served.data / "serve-token"
    assert token_file.read_text().strip() == served.token
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert len(served.token) >= 43  # 256 bits of secrets.token_urlsafe
    assert served.stdout().count(served.token) == 1  # the address printed once, for the user
    log = served.stderr()
    assert '"GET /" 200' in log and '"GET /" 401' in log  # the log is there, and names the visits
    assert served.token not in log
    assert WRONG not in log  # nor a wrong token: it may be a near miss of the right one


def cookie_name(served: Served) -> str:
    import hashlib

    return f"coach_serve_{hashlib.sha256(served.token.encode()).hexdigest()[:12]}"
