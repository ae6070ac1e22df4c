"""`coach serve`: the app in a browser, for a phone by the basin or a tablet by the chair (docs/serve.md)."""

from __future__ import annotations

import argparse
import errno

HANDLER = "coach.cli.serve_cmd:run"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="open coach in a browser (a phone or tablet), behind a secret address",
        description=(
            "Serve the app to a web browser: each tab runs its own coach on the same history. It prints the address "
            "to open, with a secret token in it; nobody without the token gets in. Only this machine can reach it "
            "unless --host says otherwise."
        ),
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        metavar="H",
        help=f"address to listen on (default {DEFAULT_HOST}: this machine only; 0.0.0.0: every network it is on)",
    )
    parser.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, metavar="P", help=f"port (default {DEFAULT_PORT}; 0: any free one)"
    )
    parser.add_argument(
        "--new-token", action="store_true", help="make a new secret token (every address given before stops working)"
    )
    parser.add_argument("--qr", action="store_true", help="also print the address as a QR code for a phone's camera")
    parser.set_defaults(handler=HANDLER)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number (0 to 65535): {port}")
    return port


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl+C (or SIGTERM, SIGHUP); a port in use or an unknown host: one message, exit 1."""
    import os
    import sys

    from coach.common.paths import data_dir
    from coach.common.problems import CoachError
    from coach.common.safe_text import printable
    from coach.serve.address import addresses_to_open, print_qr, reach_note
    from coach.serve.guard import machine_names
    from coach.serve.server import CoachServer, log_to, serve_forever
    from coach.serve.token import load_or_create_token

    folder = data_dir(args.data_dir).absolute()
    token = load_or_create_token(folder, new=args.new_token)
    # Each tab: the app on this data folder, started through coach.serve.tab (it dies with the server).
    app_argv = [sys.executable, "-m", "coach.serve.tab", str(os.getpid()), "--"]
    app_argv += [sys.executable, "-m", "coach", "--data-dir", str(folder)]
    server = CoachServer(app_argv, host=args.host, port=args.port, token=token, names=machine_names(args.host))
    log_to(sys.stderr, token)

    def on_listening(bound: list[tuple[str, int]]) -> None:
        port = bound[0][1] if bound else args.port
        addresses = addresses_to_open(args.host, port, token)
        print("coach serve: open this address in a browser (it holds the key: share it with no one)", flush=True)
        for address in addresses:
            print(printable(address), flush=True)
        if args.qr:
            print_qr(addresses[0], sys.stdout)
        print(reach_note(args.host, port, bound), flush=True)
        print("Ctrl+C stops the server (a session running in a tab is saved as when a terminal closes).", flush=True)

    try:
        serve_forever(server, on_listening)
    except OSError as error:
        raise CoachError(_listen_problem(args.host, args.port, error)) from None
    return 0


def _listen_problem(host: str, port: int, error: OSError) -> str:
    """One sentence on why coach cannot listen at host:port."""
    import socket

    from coach.common.safe_text import printable

    where = f"{printable(host)}:{port}"
    if isinstance(error, socket.gaierror):
        return f"cannot listen on {where}: {printable(host)!r} is not a host name or address this machine knows"
    if error.errno == errno.EADDRINUSE:
        return f"cannot listen on {where}: the port is in use (another coach serve?); choose another with --port"
    if error.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen on {where}: {printable(host)} is not an address of this machine"
    if error.errno == errno.EACCES:
        return f"cannot listen on {where}: not allowed (ports below 1024 need root); choose another with --port"
    return f"cannot listen on {where}: {error.strerror or error}"
