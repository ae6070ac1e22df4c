"""Spoken words are never read as options: a step title such as "-w /tmp/out" reaches the speech program as text.

A fake program on PATH, named like each real one, records the arguments it was started with."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from coach.engine.cues import find_speech_program, speak, speech_command

HOSTILE_TITLE = "-w /tmp/coach-speech-owned.wav --stdout"


def fake_program(folder: Path, name: str, record: Path) -> None:
    script = folder / name
    script.write_text(
        f'#!/bin/sh\nfor arg in "$@"; do printf "%s\\n" "$arg"; done > "{record}.partial"\n'
        f'mv "{record}.partial" "{record}"\n',
        encoding="utf-8",
    )
    script.chmod(0o755)


def recorded(record: Path) -> list[str]:
    deadline = time.monotonic() + 10  # the program is started, not waited for
    while not record.exists():
        assert time.monotonic() < deadline, "the speech program never ran"
        time.sleep(0.01)
    return record.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("name", ["espeak-ng", "spd-say", "say"])
def test_the_words_come_after_double_dash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    record = tmp_path / "args"
    fake_program(tmp_path, name, record)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    program = find_speech_program(name)
    assert program == str(tmp_path / name)
    speak(program, HOSTILE_TITLE)
    assert recorded(record) == ["--", HOSTILE_TITLE]


def test_another_program_gets_words_that_cannot_start_with_a_dash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = tmp_path / "args"
    fake_program(tmp_path, "my-voice", record)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    speak(find_speech_program("my-voice") or "", HOSTILE_TITLE)
    assert recorded(record) == [f" {HOSTILE_TITLE}"]
    assert speech_command("/opt/my-voice", "Hold") == ["/opt/my-voice", "Hold"]
