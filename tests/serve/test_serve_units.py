"""The parts of `coach serve` that need no server: the token file, the Host check, what it tells the user, the
bell in a browser, the driver an app process gets; and the command's one-line failures (port in use, bad host)."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from serve_helpers import coach_command

from coach.cli.serve_cmd import _listen_problem
from coach.common.problems import CoachError
from coach.serve.address import page_address, reach_note
from coach.serve.guard import host_allowed, machine_names
from coach.serve.token import load_or_create_token, token_matches, token_path

# -- the token ------------------------------------------------------------------------------------------------


def test_the_token_is_made_once_owner_only_and_kept(tmp_path: Path) -> None:
    token = load_or_create_token(tmp_path / "data")
    assert len(token) >= 43
    path = token_path(tmp_path / "data")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_token(tmp_path / "data") == token  # a bookmark keeps working
    assert not [p for p in path.parent.iterdir() if p != path]  # no temporary file left behind


def test_a_new_token_replaces_the_old_one(tmp_path: Path) -> None:
    old = load_or_create_token(tmp_path)
    new = load_or_create_token(tmp_path, new=True)
    assert new != old
    assert load_or_create_token(tmp_path) == new


def test_a_token_file_with_wide_permissions_is_narrowed(tmp_path: Path) -> None:
    token = load_or_create_token(tmp_path)
    os.chmod(token_path(tmp_path), 0o644)
    assert load_or_create_token(tmp_path) == token
    assert stat.S_IMODE(token_path(tmp_path).stat().st_mode) == 0o600


@pytest.mark.parametrize("text", ["", "short", "has spaces in it and is long enough", "é" * 30])
def test_a_token_file_that_is_not_a_token_is_one_clear_message(tmp_path: Path, text: str) -> None:
    token_path(tmp_path).write_text(text)
    with pytest.raises(CoachError) as problem:
        load_or_create_token(tmp_path)
    assert str(token_path(tmp_path)) in str(problem.value)
    assert "--new-token" in str(problem.value)


def test_tokens_are_compared_whole() -> None:
    token = "abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE"
    assert token_matches(token, token)
    assert not token_matches(token[:-1], token)
    assert not token_matches(token + "x", token)
    assert not token_matches(None, token)
    assert not token_matches("é" * 43, token)  # not ASCII: refused, never an exception


# -- who may ask -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("127.0.0.1:8000", True),
        ("[::1]:8000", True),
        ("192.168.1.20:8000", True),  # the phone on the Wi-Fi uses this machine's address
        ("localhost:8000", True),
        ("LOCALHOST", True),
        (f"{socket.gethostname()}:8000", True),
        (f"{socket.gethostname()}.local:8000", True),
        ("attacker.example:8000", False),  # DNS rebinding: a foreign name pointed at this machine
        ("127.0.0.1.attacker.example", False),
        ("", False),
        (None, False),
        ("127.0.0.1:8000/elsewhere", False),  # the page's websocket address is built from the Host
        ("user@127.0.0.1", False),
        ('127.0.0.1:8000"><script>', False),
    ],
)
def test_the_host_header_must_name_this_machine(host: str | None, allowed: bool) -> None:
    assert host_allowed(host, machine_names("127.0.0.1")) is allowed


def test_the_host_asked_for_on_the_command_line_is_a_name_of_this_machine() -> None:
    assert host_allowed("coach.home.arpa:8000", machine_names("coach.home.arpa"))


# -- what the user is told ---------------------------------------------------------------------------------------


def test_the_address_to_open() -> None:
    assert page_address("127.0.0.1", 8000, "T" * 43) == f"http://127.0.0.1:8000/?token={'T' * 43}"
    assert page_address("::1", 8000, "t") == "http://[::1]:8000/?token=t"


def test_loopback_says_only_this_machine_and_anything_else_says_who_can_reach_it() -> None:
    assert "Only this machine" in reach_note("127.0.0.1", 8000, [("127.0.0.1", 8000)])
    assert "Only this machine" in reach_note("localhost", 8000, [("127.0.0.1", 8000), ("::1", 8000, 0, 0)][:1])
    everywhere = reach_note("0.0.0.0", 8000, [("0.0.0.0", 8000)])
    assert "every network this machine is on" in everywhere
    assert "plain HTTP" in everywhere and "token" in everywhere
    assert "Only this machine" not in reach_note("192.168.1.20", 8000, [("192.168.1.20", 8000)])


@pytest.mark.parametrize(
    ("error", "says"),
    [
        (OSError(98, "Address already in use"), "the port is in use"),
        (OSError(99, "Cannot assign requested address"), "is not an address of this machine"),
        (OSError(13, "Permission denied"), "ports below 1024"),
        (socket.gaierror(-2, "Name or service not known"), "is not a host name or address this machine knows"),
    ],
)
def test_why_it_cannot_listen_is_one_sentence(error: OSError, says: str) -> None:
    message = _listen_problem("somewhere", 80, error)
    assert message.startswith("cannot listen on somewhere:80: ")
    assert says in message


def test_a_port_in_use_is_one_clear_message_and_exit_1(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_serve(tmp_path, "--port", str(port))
    assert result.returncode == 1
    where = f"127.0.0.1:{port}"
    assert result.stderr == (
        f"coach: cannot listen on {where}: the port is in use (another coach serve?); choose another with --port\n"
    )
    assert "Traceback" not in result.stderr


def test_an_unknown_host_is_one_clear_message_and_exit_1(tmp_path: Path) -> None:
    result = run_serve(tmp_path, "--host", "no-such-host.invalid", "--port", "0")
    assert result.returncode == 1
    assert result.stderr.startswith("coach: cannot listen on no-such-host.invalid:0: ")
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr


def test_a_bad_port_is_a_usage_error(tmp_path: Path) -> None:
    result = run_serve(tmp_path, "--port", "70000")
    assert result.returncode == 2
    assert "not a port number" in result.stderr


def run_serve(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COACH_DATA_DIR": str(home / "data"), "COACH_CONFIG_DIR": str(home / "config")}
    return subprocess.run(
        [coach_command(), "serve", *args], capture_output=True, text=True, env=env, timeout=30, stdin=subprocess.DEVNULL
    )


# -- the server stays headless ------------------------------------------------------------------------------------


def test_the_server_imports_no_textual() -> None:
    """`coach serve` runs no app itself (each tab's process does): its own process never loads Textual."""
    code = (
        "import sys, coach.serve.server, coach.cli.serve_cmd\n"
        "print(any(m.split('.')[0] == 'textual' for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_a_wildcard_host_prints_this_machines_own_addresses(monkeypatch: pytest.MonkeyPatch) -> None:
    from coach.serve import address

    found = address.network_addresses()
    assert all(not a.startswith("127.") and a.count(".") == 3 for a in found)
    monkeypatch.setattr(address, "network_addresses", lambda: ["192.168.1.20", "10.0.0.5"])
    assert address.addresses_to_open("0.0.0.0", 8000, "t") == [
        "http://192.168.1.20:8000/?token=t",
        "http://10.0.0.5:8000/?token=t",
    ]
    assert address.addresses_to_open("127.0.0.1", 8000, "t") == ["http://127.0.0.1:8000/?token=t"]


def test_the_qr_code_is_the_address_drawn_in_half_blocks() -> None:
    """Two rows of modules per line of text (upper/lower half blocks), with a quiet zone a camera needs."""
    import io

    import segno

    from coach.serve.address import print_qr

    address = page_address("192.168.1.20", 8000, "T" * 43)
    out = io.StringIO()
    print_qr(address, out)
    lines = out.getvalue().splitlines()
    modules = segno.make(address, error="m").symbol_size(border=2)[0]
    assert len(lines) == (modules + 1) // 2
    assert {len(line) for line in lines} == {modules}
    assert set("".join(lines)) <= set(" █▀▄")
