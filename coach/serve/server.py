"""textual-serve's server, made coach's: the token guard in front, one app process per tab, a hang-up when it closes.

textual-serve (Textualize) builds an aiohttp app with four routes (`/` the page, `/ws` the websocket that drives
one app process, `/download/{key}` and `/static`) and starts the app command once per websocket, with Textual's
web driver chosen through `TEXTUAL_DRIVER`. coach keeps its routes and its wire protocol and changes:
- every request passes `coach.serve.guard` first (textual-serve has no authentication);
- the page is coach's (`templates/app_index.html`: a phone's viewport, the bell) and its websocket address is
  built from the request's own Host, so it works by any name or address that reached the page;
- the app runs as `python -m coach --data-dir DIR` (no shell, through `coach.serve.tab`, which has the kernel hang
  it up should the server die), in a session of its own: Ctrl+C in the server's terminal reaches the server only,
  which then closes every tab in order;
- when a tab closes (or the server stops), the app process gets SIGHUP, as when a terminal is closed: coach's
  hang-up path records a running session (textual-serve would send a "quit" that ends the app without it);
- the access log names the path, never the query (where the token travels).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import shlex
import signal
from asyncio.subprocess import PIPE, Process
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

import aiohttp_jinja2
from aiohttp import WSCloseCode, web
from aiohttp.abc import AbstractAccessLogger
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from coach.serve.guard import token_guard

log = logging.getLogger("coach.serve")

TEMPLATES = Path(__file__).parent / "templates"

HANG_UP_GRACE = 10.0
"""Seconds an app process may take to record its session and leave after SIGHUP before it is killed (coach's own
hard exit after a signal is 5 s)."""

SHUTDOWN_GRACE = 15.0
"""Seconds the server waits, when stopping, for every tab's app process to leave."""

BELL_META = "coach_bell"
"""The meta packet coach's app sends for each ring in a browser; the page turns it into a beep and a flash."""


class CoachAppService(AppService):
    """One tab's app process (textual-serve's AppService), started without a shell and hung up when the tab goes."""

    def __init__(self, argv: Sequence[str], **kwargs: Any) -> None:
        super().__init__(shlex.join(argv), **kwargs)
        self.argv = tuple(argv)
        self.app_exited = False
        """The app said it is leaving (Ctrl+Q, or the session it was started on closed): no hang-up then."""

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        environment = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=PIPE,
            stdout=PIPE,
            stderr=PIPE,
            env=environment,
            start_new_session=True,  # the server's terminal signals (Ctrl+C) reach the server only
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def on_meta(self, data: bytes) -> None:
        """The app's packets: coach's bell goes to the page; an exit is noted (no hang-up needed then)."""
        meta = json.loads(data)
        kind = meta.get("type") if isinstance(meta, dict) else None
        if kind == BELL_META:
            await self.remote_write_str(json.dumps([BELL_META]))
            return
        if kind == "exit":
            self.app_exited = True
        await super().on_meta(data)

    async def stop(self) -> None:
        """The tab is gone: hang the app up (it records a running session as a closed terminal does), wait for it
        to leave, and kill it only if it does not within `HANG_UP_GRACE`."""
        task, process = self._task, self._process
        if task is None or process is None:
            return
        self._task = None
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        if not self.app_exited:
            self._signal(signal.SIGHUP)
        try:
            await asyncio.wait_for(asyncio.shield(task), HANG_UP_GRACE)
            await asyncio.wait_for(process.wait(), HANG_UP_GRACE)
        except TimeoutError:
            log.warning("an app process did not leave %.0f s after its tab closed: killed", HANG_UP_GRACE)
            self._signal(signal.SIGKILL)
            await process.wait()
            await task

    def _signal(self, number: int) -> None:
        process = self._process
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(number)


class CoachServer(Server):
    """textual-serve's Server with coach's guard, page and app processes (see the module's docstring)."""

    def __init__(self, app_argv: Sequence[str], *, host: str, port: int, token: str, names: Iterable[str]) -> None:
        super().__init__(shlex.join(app_argv), host=host, port=port, title="coach", templates_path=TEMPLATES)
        self.app_argv = tuple(app_argv)
        self.token = token
        self.names = frozenset(names)
        self.sockets: set[web.WebSocketResponse] = set()

    async def make_app(self) -> web.Application:
        """textual-serve's aiohttp app with the token guard in front of every route."""
        app = await self._make_app()
        app.middlewares.append(token_guard(self.token, names=self.names))
        app.router.add_get("/favicon.ico", self.handle_favicon)
        app.on_shutdown.append(self._close_tabs)
        return app

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: `coach serve` prints its own address (textual-serve prints a banner here)."""

    async def handle_favicon(self, request: web.Request) -> web.StreamResponse:
        """No icon (a browser asks for one with every page)."""
        return web.Response(status=204)

    async def _close_tabs(self, app: web.Application) -> None:
        """The server stops: close every websocket, which hangs up its app process (sessions recorded)."""
        await asyncio.gather(
            *(socket.close(code=WSCloseCode.GOING_AWAY, message=b"coach serve stopped") for socket in self.sockets),
            return_exceptions=True,
        )

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """coach's page; its websocket goes back to the host and port that served it."""
        scheme = "wss" if request.secure else "ws"
        context = {
            "app_websocket_url": f"{scheme}://{request.host}/ws",
            "config": {"static": {"url": "/static/"}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab: its own app process on the same history, as textual-serve does, hung up when the tab closes."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        service: CoachAppService | None = None
        self.sockets.add(websocket)
        try:
            await websocket.prepare(request)
            service = CoachAppService(
                self.app_argv,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # a broken message from the page: that tab ends, the server goes on
            log.warning("a tab's connection failed: %s", error)
        finally:
            self.sockets.discard(websocket)
            if service is not None:
                await service.stop()
        return websocket


class PathOnlyAccessLogger(AbstractAccessLogger):
    """One line per request with its path and never its query (the token travels there) nor its cookies."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        """`ADDRESS "METHOD PATH" STATUS`, for every request but the page's static files."""
        if request.path.startswith("/static/"):
            return  # the page's files: four lines per visit that say nothing new
        self.logger.info('%s "%s %s" %s', request.remote, request.method, request.path, response.status)


async def run_server(
    server: CoachServer,
    *,
    on_listening: Callable[[list[tuple[str, int]]], None],
    stop: asyncio.Event | None = None,
) -> None:
    """Listen until SIGINT, SIGTERM or SIGHUP (or `stop`), then close every tab in order.

    Raises OSError when the address cannot be listened on (port in use, unknown host, not this machine's);
    `on_listening` gets the bound (address, port) pairs once the server is up."""
    stop = stop or asyncio.Event()
    app = await server.make_app()
    runner = web.AppRunner(
        app,
        access_log_class=PathOnlyAccessLogger,
        access_log=logging.getLogger("coach.serve.access"),
        shutdown_timeout=SHUTDOWN_GRACE,
        handle_signals=False,
    )
    await runner.setup()
    try:
        await web.TCPSite(runner, server.host, server.port).start()
        loop = asyncio.get_running_loop()
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(number, stop.set)
        on_listening(_bound(runner.addresses))
        await stop.wait()
    finally:
        await runner.cleanup()


def _bound(addresses: list[Any]) -> list[tuple[str, int]]:
    return [(str(address[0]), int(address[1])) for address in addresses if isinstance(address, tuple)]


def serve_forever(server: CoachServer, on_listening: Callable[[list[tuple[str, int]]], None]) -> None:
    """Run the server on a new event loop until it is stopped (see `run_server`)."""
    asyncio.run(run_server(server, on_listening=on_listening))


class RedactingFormatter(logging.Formatter):
    """Formats a log line with the token blotted out wherever it appears (a message, an exception, a URL), so no
    path through a library's logging can write it."""

    def __init__(self, token: str, fmt: str) -> None:
        super().__init__(fmt)
        self.token = token

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace(self.token, "<token>")


def log_to(stream: TextIO, token: str) -> None:
    """Send the server's log (coach's access lines and warnings, textual-serve's and aiohttp's warnings) to
    `stream`, one `coach serve: ...` line each, never with the token in it."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter(token, "coach serve: %(message)s"))
    for name, level in (
        ("coach.serve", logging.INFO),
        ("textual-serve", logging.WARNING),
        ("aiohttp", logging.WARNING),
    ):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False
