"""Hostile text from files and users never reaches the terminal raw: every printing command, fed OSC 52 (a clipboard
write), OSC 0 (a window title), CSI 2J (clear the screen), a right-to-left override and a zero width joiner in
routine files, names, notes, paths and imports, prints them written out (`\\x1b`, `\\u202e`) and nothing raw."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from coach.cli.printing import rich_text
from coach.common.safe_text import (
    BIDI_CONTROLS,
    CONTROL_CHARACTERS,
    ZERO_WIDTH,
    escape_json,
    json_text,
    one_line,
    printable,
)

HOSTILE = "\x1b]52;c;aGFja2Vk\x07\x1b]0;pwned\x07\x1b[2J\u202eevil\u200d"
"""A clipboard write, a window title, a screen clear, a right-to-left override and a zero width joiner."""
SHOWN = "\\x1b]52;c;aGFja2Vk\\x07\\x1b]0;pwned\\x07\\x1b[2J\\u202eevil\\u200d"
"""The same, as every command must print it (in JSON the escapes are JSON's: \\u001b)."""
TOML_HOSTILE = "\\u001b]52;c;aGFja2Vk\\u0007\\u001b]0;pwned\\u0007\\u001b[2J\\u202eevil\\u200d"
"""HOSTILE as a TOML basic string spells it."""

HOSTILE_ROUTINE = f"""\
name = "Toes {TOML_HOSTILE}"
summary = "{TOML_HOSTILE}"
slots = ["morning"]
safety = ["{TOML_HOSTILE}"]

[[steps]]
title = "Ready {TOML_HOSTILE}"
say = "{TOML_HOSTILE}"
until = "ready"

[[steps]]
title = "Soak {TOML_HOSTILE}"
say = "{TOML_HOSTILE}"
time = "3m"
kind = "soak"
remind = {{ every = "1m", say = "Water {TOML_HOSTILE}" }}
"""


def raw_characters(text: str) -> set[str]:
    """Every character in `text` that a terminal would act on or hide: controls but the newline, format
    characters (bidi, zero-width), surrogates, line and paragraph separators."""
    return {char for char in text if char != "\n" and unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp")}


@dataclass
class Printed:
    code: int
    out: str
    err: str

    @property
    def both(self) -> str:
        return self.out + self.err


@pytest.fixture
def hostile_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Config and data folders whose own names are hostile (every path a command prints carries the text)."""
    home = tmp_path / f"home{HOSTILE}"
    for name in ("config", "data"):
        (home / name).mkdir(parents=True)
    monkeypatch.setenv("COACH_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("COACH_DATA_DIR", str(home / "data"))
    routines = home / "config" / "routines"
    routines.mkdir()
    (routines / "hostile.toml").write_text(HOSTILE_ROUTINE, encoding="utf-8")
    (routines / "broken.toml").write_text(f'name = "x"\n"{TOML_HOSTILE}" = 1\n', encoding="utf-8")
    (routines / f"{HOSTILE}.toml").write_text(HOSTILE_ROUTINE, encoding="utf-8")  # a hostile file name
    return home


@pytest.fixture
def coach(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Printed]:
    """Run `coach ARGS...` in this process and return what it printed; fails on any raw character."""
    from coach.__main__ import main

    monkeypatch.setenv("COLUMNS", "1000")  # rich tables unwrapped, so the text can be found whole

    def run(*args: str) -> Printed:
        try:
            code = main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        captured = capsys.readouterr()
        printed = Printed(code, captured.out, captured.err)
        assert not raw_characters(printed.both), (args, printed)
        return printed

    return run


@contextmanager
def fake_terminal_session(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`coach run --plain` with a fake clock and no input: the whole session runs at once, nothing sleeps."""
    from coach.cli import plain_runner
    from coach.engine import clock as clock_module
    from coach.engine.clock import FakeClock

    clock = FakeClock()

    class Waiter:
        interactive = False

        def __enter__(self) -> Waiter:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def wait(self, timeout: float) -> object:
            clock.advance(timeout)
            return plain_runner.EndOfInput() if timeout < 1 else None

    monkeypatch.setattr(clock_module, "SystemClock", lambda: clock)
    monkeypatch.setattr(plain_runner, "SystemWaiter", Waiter)
    yield


def test_every_printing_command_writes_hostile_text_out(
    hostile_home: Path, coach: Callable[..., Printed], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    listed = coach("routines")
    assert listed.code == 0 and "Toes \\x1b]52" in listed.out and "Not loaded" in listed.out
    as_json = coach("routines", "--json")
    assert as_json.code == 0 and {r["name"] for r in json.loads(as_json.out)["routines"]} >= {f"Toes {HOSTILE}"}

    checked = coach("validate", str(hostile_home / "config" / "routines" / "broken.toml"))
    assert checked.code == 1 and "\\x1b]52" in checked.out
    assert coach("validate", str(hostile_home / "config" / "routines" / "hostile.toml")).code == 0

    with fake_terminal_session(monkeypatch):
        ran = coach("run", "hostile", "--plain", "--quiet")
    assert ran.code == 0
    for seen in (f"Toes {SHOWN}", f"Safety: {SHOWN}", f"Ready {SHOWN}", f"Soak {SHOWN}", f"Reminder: Water {SHOWN}"):
        assert seen in ran.out

    copied = coach("routines", "copy", "hostile", "--as", "mine", "--name", HOSTILE, "--length", "4m")
    assert copied.code == 0 and copied.out.startswith("Saved ") and SHOWN in copied.out  # the folder's name
    refused = coach("routines", "copy", "hostile", "--as", HOSTILE)
    assert refused.code == 1 and "\\x1b]52" in refused.err

    table = coach("history")
    assert table.code == 0 and "Toes" in table.out
    session_id = json.loads(coach("history", "--json").out)[0]["id"]
    noted = coach("history", "note", session_id, f"note {HOSTILE}")
    assert noted.code == 0 and f"note {SHOWN}" in noted.out
    assert f"note {SHOWN}" in coach("history", "note", session_id).out
    assert coach("history", "rest", "2025-03-04", "--note", f"rest {HOSTILE}").code == 0
    table = coach("history", "--since", "2020-01-01", "--limit", "0")
    assert "\\x1b]52" in table.out and "rest day" in table.out
    assert json.loads(coach("history", "--json").out)[0]["note"] == f"note {HOSTILE}"

    logged = coach("cramp", "--leg", "left", "--muscle", "calf", "--severity", "3", "--note", f"cramp {HOSTILE}")
    assert logged.code == 0
    cramps = coach("cramp", "list")
    assert cramps.code == 0 and "\\x1b]52" in cramps.out
    assert json.loads(coach("cramp", "list", "--json").out)[0]["note"] == f"cramp {HOSTILE}"
    assert json.loads(coach("export").out)[0]["note"] == f"note {HOSTILE}"

    bad_import = tmp_path / "import.json"
    bad_import.write_text(json.dumps([{"id": "x", HOSTILE: 1}]), encoding="utf-8")
    imported = coach("import", str(bad_import))
    assert imported.code == 1 and "\\x1b]52" in imported.err

    for command in (("status",), ("streaks",), ("insights",), ("why",), ("insights", "--json")):
        assert coach(*command).code == 0
    missing = coach("history", "note", HOSTILE)
    assert missing.code != 0 and missing.err
    unknown = coach("run", HOSTILE, "--plain", "--quiet")
    assert unknown.code == 1 and unknown.err


def test_the_check_sees_raw_text() -> None:
    """The test above would catch a command that printed the text raw."""
    assert raw_characters(HOSTILE) == {"\x1b", "\x07", "\u202e", "\u200d"}
    assert not raw_characters(printable(HOSTILE) + one_line("a\nb") + json_text({"k": HOSTILE}))


@pytest.mark.parametrize("code", [*CONTROL_CHARACTERS, *BIDI_CONTROLS, *ZERO_WIDTH, 0xD800, 0x2028, 0xE0041])
def test_every_dangerous_character_is_written_out(code: int) -> None:
    text = f"a{chr(code)}b"
    shown = one_line(text)
    assert not raw_characters(shown) and shown.startswith("a\\") and shown.endswith("b")
    if chr(code) not in "\n\t":
        assert printable(text) == shown


def test_words_in_any_language_and_emoji_pass_unchanged() -> None:
    for text in ("Fußbad – 40 °C 🦶", "足湯", "حمام القدم", "Ванночка для ног", "non\u00a0breaking"):
        assert printable(text) == one_line(text) == text


def test_newlines_stay_in_text_but_not_in_one_line() -> None:
    assert printable("line\nnext\ttab") == "line\nnext\ttab"
    assert one_line("line\nnext\rx") == "line\\x0anext\\x0dx"


def test_json_output_is_the_same_data_with_nothing_raw() -> None:
    value = {"note": f"{HOSTILE} \x7f \x9b2J \ud800 \U000e0041 ü 🦶", "n": [1, 2]}
    text = json_text(value)
    assert json.loads(text) == value and not raw_characters(text)
    assert escape_json(json.dumps(value, ensure_ascii=False)) == json.dumps(value, ensure_ascii=False).replace(
        "\x7f", "\\u007f"
    ).replace("\x9b", "\\u009b").replace("\u202e", "\\u202e").replace("\u200d", "\\u200d").replace(
        "\ud800", "\\ud800"
    ).replace("\U000e0041", "\\udb40\\udc41")


def test_rich_output_never_reads_markup() -> None:
    from rich.console import Console

    console = Console(record=True, width=200, color_system=None)
    console.print(rich_text("[bold red]not markup[/] :smile:"))
    console.print(rich_text("[link=https://example.com]x[/link]"))
    shown = console.export_text()
    assert "[bold red]not markup[/] :smile:" in shown and "[link=https://example.com]x[/link]" in shown
