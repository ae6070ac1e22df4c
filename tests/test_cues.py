"""Cues: each change the user must notice without looking has its own sound and words."""

from __future__ import annotations

import unicodedata

from coach.common.safe_text import CONTROL_CHARACTERS, printable
from coach.engine.cues import BELL_RHYTHMS, CueKind, cue_for_event, notification_escapes
from coach.engine.events import MayMoveOn


def test_may_move_on_says_stop_for_the_last_part_and_move_on_otherwise() -> None:
    assert cue_for_event(MayMoveOn("Soak"), last_part=True)[1].speech == "Soak: you may stop now."  # type: ignore[index]
    assert cue_for_event(MayMoveOn("Heel raises"))[1].speech == "Heel raises: you may move on now."  # type: ignore[index]


def test_hold_and_rest_sound_different() -> None:
    assert BELL_RHYTHMS[CueKind.HOLD] != BELL_RHYTHMS[CueKind.REST]
    assert len(BELL_RHYTHMS[CueKind.REMINDER]) == 3


def test_notification_escapes_carry_no_control_characters_from_the_text() -> None:
    escapes = notification_escapes("coach", "Top up\x1b[2J; now\x07")
    assert escapes.count("\x1b") == 2 and escapes.count("\x07") == 2  # only the two OSC frames themselves
    assert "[2J" in escapes and ";" not in escapes.split("\x1b]9;")[1].split(":")[1]


def test_printable_writes_control_characters_out() -> None:
    assert printable("Toe\x1b[31m") == "Toe\\x1b[31m"
    assert printable("line\nnext\ttab") == "line\nnext\ttab"
    assert printable("C1 \x9b2J and DEL \x7f") == "C1 \\x9b2J and DEL \\x7f"
    assert printable("Fußbad – 40 °C 🦶") == "Fußbad – 40 °C 🦶"  # printable non-ASCII is left alone


def test_the_control_characters_listed_are_exactly_unicodes() -> None:
    listed = set(CONTROL_CHARACTERS)
    assert {code for code in range(0x110000) if unicodedata.category(chr(code)) == "Cc"} == listed
