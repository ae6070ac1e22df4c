"""What `coach serve` tells the user: the address to open, who else can reach it, and the QR code of it."""

from __future__ import annotations

import fcntl
import ipaddress
import socket
import struct
import sys
from collections.abc import Iterable
from typing import TextIO

import segno

from coach.serve.guard import TOKEN_PARAMETER

WILDCARDS = frozenset({"0.0.0.0", "::", ""})

SIOCGIFADDR = 0x8915
"""Linux's ioctl that asks an interface for its IPv4 address (<linux/sockios.h>)."""


def page_address(host: str, port: int, token: str) -> str:
    """`http://HOST:PORT/?token=TOKEN` (an IPv6 address in brackets)."""
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}/?{TOKEN_PARAMETER}={token}"


def is_loopback(bound: Iterable[tuple[str, int]]) -> bool:
    """Whether every address the server listens on is a loopback one (only this machine can connect)."""
    addresses = [address for address, _ in bound]
    return bool(addresses) and all(_loopback(address) for address in addresses)


def _loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%")[0]).is_loopback
    except ValueError:
        return False


def network_addresses() -> list[str]:
    """This machine's own non-loopback IPv4 addresses, home-network ones first: those of its network interfaces
    (Linux), then what its host name resolves to. Asks no other machine."""
    found = [*_interface_addresses(), *_host_name_addresses()]
    unique = [address for index, address in enumerate(found) if address not in found[:index] and not _loopback(address)]
    return sorted(unique, key=_home_first)


def _home_first(address: str) -> int:
    """192.168.x.x (most home Wi-Fi) first, then 10.x.x.x, then the rest (container bridges are often 172.x)."""
    return 0 if address.startswith("192.168.") else 1 if address.startswith("10.") else 2


def _interface_addresses() -> list[str]:
    """The IPv4 address of each network interface (the SIOCGIFADDR ioctl: a local question, no packet sent)."""
    if not sys.platform.startswith("linux"):
        return []
    addresses = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        for _, name in socket.if_nameindex():
            request = struct.pack("256s", name.encode()[:15])
            try:
                answer = fcntl.ioctl(probe.fileno(), SIOCGIFADDR, request)
            except OSError:  # an interface without an IPv4 address
                continue
            addresses.append(socket.inet_ntoa(answer[20:24]))
    return addresses


def _host_name_addresses() -> list[str]:
    try:
        found = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET, socket.SOCK_STREAM)
    except OSError:
        return []
    return [str(sockaddr[0]) for *_, sockaddr in found]


def addresses_to_open(host: str, port: int, token: str) -> list[str]:
    """The addresses to print: the one asked for, or for a wildcard host (0.0.0.0, ::) this machine's own."""
    if host not in WILDCARDS:
        return [page_address(host, port, token)]
    return [page_address(address, port, token) for address in network_addresses()] or [
        page_address(socket.gethostname() or "localhost", port, token)
    ]


def reach_note(host: str, port: int, bound: Iterable[tuple[str, int]]) -> str:
    """Who can open the page: said plainly, above all when it is more than this machine."""
    if is_loopback(bound):
        return (
            "Only this machine can open it (loopback). To use a phone on your Wi-Fi, run "
            "`coach serve --host 0.0.0.0 --qr` (or this machine's address on that network)."
        )
    where = "every network this machine is on" if host in WILDCARDS else f"{host}"
    return (
        f"Listening on {where}, port {port}: any device that can reach this machine there (on the same Wi-Fi or "
        "network, or further if a router forwards the port) can load the page, and only the token lets it in. "
        "The traffic is plain HTTP: on a shared network others can read it, the token included. "
        "Stop with Ctrl+C when you are done; `coach serve --new-token` makes the old address useless."
    )


def print_qr(address: str, out: TextIO) -> None:
    """The address as a QR code drawn with text blocks, for a phone's camera."""
    segno.make(address, error="m").terminal(out=out, compact=True, border=2)
