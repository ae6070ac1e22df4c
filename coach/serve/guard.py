"""Nobody without the token: an aiohttp middleware in front of every route of textual-serve's app.

A request gets in with the token in its query (`?token=...`, the address `coach serve` prints) or in the cookie that
the first such visit sets. The page, the websocket, the downloads and the static files all answer 401 without
either and 403 with a wrong one. Two more checks stop other web pages from using a browser that holds the cookie:
the Host header must be an address or a name of this machine (DNS rebinding), and a websocket's Origin must be the
page's own (cross-site websocket hijacking; the cookie's SameSite=Strict does not separate two ports of one host).
"""

from __future__ import annotations

import hashlib
import ipaddress
import socket
from collections.abc import Iterable

from aiohttp import hdrs, web
from aiohttp.typedefs import Handler, Middleware
from yarl import URL

from coach.serve.token import token_matches

TOKEN_PARAMETER = "token"
COOKIE_MAX_AGE = 400 * 24 * 3600
"""The longest a browser keeps a cookie (Chrome's cap): a bookmark of the page keeps working that long."""

SECURITY_HEADERS = {
    "Referrer-Policy": "no-referrer",  # the address with the token never leaves in a Referer
    "X-Frame-Options": "DENY",  # no other page frames coach (clickjacking)
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
}
NOT_STORED = {"Cache-Control": "no-store"}
"""For everything but the static files: the page, refusals and redirects are kept in no cache."""

NO_TOKEN = (
    "coach serve: this page needs its token. Open the address that `coach serve` printed "
    "(it ends in ?token=...), or scan its QR code (`coach serve --qr`).\n"
)
WRONG_TOKEN = "coach serve: wrong token. Open the address that `coach serve` printed last.\n"
WRONG_HOST = "coach serve: this server answers only to this machine's own addresses and names.\n"
WRONG_ORIGIN = "coach serve: the websocket is for coach's own page only.\n"


def cookie_name(token: str) -> str:
    """The cookie's name, one per token: browsers send a host's cookies to every port of it, so two `coach serve`
    of two data folders on one machine (two tokens) must not overwrite each other's cookie."""
    return f"coach_serve_{hashlib.sha256(token.encode('ascii')).hexdigest()[:12]}"


def machine_names(host: str) -> frozenset[str]:
    """Names that mean this machine in a Host header: localhost, its host name (also as NAME.local, for mDNS) and
    the name coach serve was told to listen on. Addresses (IP literals) are always accepted."""
    names = {"localhost", host.lower().strip("[]")}
    hostname = socket.gethostname().lower()
    if hostname:
        names.update({hostname, f"{hostname}.local"})
    return frozenset(names)


def host_allowed(host_header: str | None, names: Iterable[str]) -> bool:
    """Whether a request's Host is an IP address or one of this machine's `names`: a name that an attacker's DNS
    points at 127.0.0.1 (DNS rebinding) is neither."""
    if not host_header or any(character in host_header for character in "/?#@\\ \t"):
        return False  # a host and a port, nothing more (the page builds its websocket's address from it)
    try:
        hostname = URL(f"http://{host_header}").host
    except ValueError:
        return False
    if not hostname:
        return False
    hostname = hostname.lower().strip("[]")
    try:
        ipaddress.ip_address(hostname)
    except ValueError:
        return hostname in names
    return True


def origin_allowed(request: web.Request) -> bool:
    """A websocket's Origin, when a browser sent one, must be this page's own (scheme, host and port)."""
    origin = request.headers.get(hdrs.ORIGIN)
    if origin is None:
        return True  # not a browser: the token (or cookie) alone decides
    return origin.lower() in {f"http://{request.host}".lower(), f"https://{request.host}".lower()}


def token_guard(token: str, *, names: Iterable[str]) -> Middleware:
    """The middleware that keeps out every request without the token (see the module's docstring)."""
    known_names = frozenset(names)
    cookie = cookie_name(token)

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not host_allowed(request.headers.get(hdrs.HOST), known_names):
            return _refuse(web.HTTPForbidden, WRONG_HOST)
        given = request.query.get(TOKEN_PARAMETER)
        from_cookie = request.cookies.get(cookie)
        if given is None and from_cookie is None:
            return _refuse(web.HTTPUnauthorized, NO_TOKEN)
        if not token_matches(given if given is not None else from_cookie, token):
            return _refuse(web.HTTPForbidden, WRONG_TOKEN)
        if request.path == "/ws" and not origin_allowed(request):
            return _refuse(web.HTTPForbidden, WRONG_ORIGIN)
        response = await handler(request)
        if given is not None and request.path == "/" and not response.prepared:
            _set_cookie(response, request, token, cookie)  # the first visit: reloads and bookmarks work by it
        if not response.prepared:  # a websocket's (and a download's) headers went out when it began
            _add_headers(response, SECURITY_HEADERS)
            if not request.path.startswith("/static/"):
                _add_headers(response, NOT_STORED)
        return response

    return guard


def _set_cookie(response: web.StreamResponse, request: web.Request, token: str, cookie: str) -> None:
    """The cookie that lets the page's reloads, its websocket and a bookmark of it in without the token in the
    address (the page then takes the token out of the address bar: coach/serve/templates/app_index.html)."""
    response.set_cookie(
        cookie,
        token,
        max_age=COOKIE_MAX_AGE,
        path="/",
        httponly=True,
        samesite="Strict",
        secure=request.secure,
    )


def _refuse(kind: type[web.HTTPClientError], text: str) -> web.Response:
    response = kind(text=text, content_type="text/plain")
    _add_headers(response, {**SECURITY_HEADERS, **NOT_STORED})
    if kind is web.HTTPUnauthorized:
        response.headers["WWW-Authenticate"] = 'Bearer realm="coach"'  # HTTP asks a 401 to name a scheme
    return response


def _add_headers(response: web.StreamResponse, headers: dict[str, str]) -> None:
    for name, value in headers.items():
        response.headers.setdefault(name, value)
