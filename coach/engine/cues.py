"""Cues the user hears while their eyes are on their feet: bell rhythms, spoken words, desktop notifications.

Plain Python: the UI and the plain runner decide when; this module decides what each cue sounds like and how to
reach the speech program or the desktop, never blocking the countdown (every program is started, not waited for).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from enum import StrEnum

from msgspec import Struct

from coach.engine.events import EndingSoon, Finished, MayMoveOn, PhaseStarted, ReminderDue
from coach.engine.recording import Status

SPEECH_PROGRAMS: tuple[str, ...] = ("espeak-ng", "spd-say", "say")
OPTION_READERS = frozenset(("espeak-ng", "espeak", "spd-say", "say"))
"""Speech programs whose arguments are read with getopt: `--` ends their options."""


class CueKind(StrEnum):
    """Each change the user must notice without looking has a sound of its own."""

    HOLD = "hold"
    REST = "rest"
    MOVE = "move"
    SOAK = "soak"
    WAIT = "wait"
    COUNTDOWN = "countdown"
    REMINDER = "reminder"
    MAY_STOP = "may_stop"
    END = "end"


class Cue(Struct, frozen=True):
    """What to play: bells at these offsets (seconds after the cue), words to speak, a notification to show."""

    bells: tuple[float, ...]
    speech: str = ""
    notification: str = ""


BELL_RHYTHMS: dict[CueKind, tuple[float, ...]] = {
    CueKind.HOLD: (0.0,),  # one ring: heels up
    CueKind.REST: (0.0, 0.2),  # two quick rings: heels down
    CueKind.MOVE: (0.0, 0.6),  # two slow rings: circles
    CueKind.SOAK: (0.0, 0.6, 1.2),  # three slow rings: feet in
    CueKind.WAIT: (),  # the screen waits for the user: nothing to hear
    CueKind.COUNTDOWN: (0.0,),  # one short ring at 3 only (see countdown_rings)
    CueKind.REMINDER: (0.0, 0.2, 0.4),  # three quick rings: top up the water
    CueKind.MAY_STOP: (0.0, 0.2, 0.8, 1.0),  # two pairs: you may stop / move on
    CueKind.END: (0.0, 0.3, 0.6, 0.9),  # four even rings, again until a key
}
"""A terminal has one bell sound: the patterns differ by count and spacing, so each event is told by ear."""
COUNTDOWN_RING_AT = 3
"""The 3-2-1 before a step ends rings once, at 3 (not three times): with 14 s heel-raise rounds, three more rings a
round made nine identical beeps every 14 s."""


class SoundLevel(StrEnum):
    """How much the bell says (the `sounds` setting)."""

    EVERY_CHANGE = "every change"
    """Each step's start, the countdown before a step ends, reminders, may-stop, the end."""
    STARTS_AND_END = "starts and the end"
    """Each step's start, reminders, may-stop and the end: no countdown ring."""
    OFF = "off"


LEVEL_KINDS: dict[SoundLevel, frozenset[CueKind]] = {
    SoundLevel.EVERY_CHANGE: frozenset(CueKind),
    SoundLevel.STARTS_AND_END: frozenset(CueKind) - {CueKind.COUNTDOWN},
    SoundLevel.OFF: frozenset(),
}


END_RING_EVERY = 4.0
"""The end rings again every few seconds until a key is pressed..."""
END_RING_TIMES = 5
"""...but not forever: a user who left the room must not come back to a terminal ringing all night."""


def cue_for(kind: CueKind, words: str = "", notify: bool = False) -> Cue:
    """The cue of a kind, with its spoken words and, for reminders and the end, a desktop notification."""
    return Cue(BELL_RHYTHMS[kind], speech=words, notification=words if notify else "")


def find_speech_program(preferred: str = "") -> str | None:
    """The speech program to use: the preferred one if installed, else the first installed of SPEECH_PROGRAMS."""
    for name in ((preferred,) if preferred else ()) + SPEECH_PROGRAMS:
        path = shutil.which(name)
        if path:
            return path
    return None


def speech_command(program: str, words: str) -> list[str]:
    """The command that speaks `words`: after `--` for the programs that read options (espeak-ng, spd-say, say), so
    a step title such as "-w /tmp/x" is never taken as one; any other program gets the words with a leading space
    when they start with a dash."""
    if os.path.basename(program) in OPTION_READERS:
        return [program, "--", words]
    return [program, f" {words}" if words.startswith("-") else words]


def speak(program: str, words: str) -> None:
    """Start the speech program and return at once; a failure to speak is never the countdown's problem."""
    with contextlib.suppress(OSError):
        subprocess.Popen(
            speech_command(program, words),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )


def notify_desktop(title: str, body: str) -> bool:
    """Show a desktop notification with notify-send when present; False tells the caller to use terminal escapes."""
    program = shutil.which("notify-send")
    if program is None:
        return False
    try:
        subprocess.Popen(
            [program, "--app-name=coach", title, body],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return False
    return True


def notification_escapes(title: str, body: str) -> str:
    """OSC 777 (foot, WezTerm, rxvt) and OSC 9 (iTerm2, kitty, Windows Terminal) notifications, controls removed."""
    title, body = _printable(title), _printable(body)
    return f"\x1b]777;notify;{title};{body}\x07\x1b]9;{title}: {body}\x07"


def _printable(text: str) -> str:
    return "".join(char for char in text if char.isprintable()).replace(";", ",")


PHASE_WORDS: dict[str, str] = {"hold": "Hold", "rest": "Rest", "soak": "Soak"}


def cue_for_event(event: object, *, last_part: bool = False) -> tuple[CueKind, Cue] | None:
    """The cue a session event deserves, if any: every change the user must notice without looking."""
    if isinstance(event, PhaseStarted):
        kind = CueKind(event.phase.kind.value)
        words = PHASE_WORDS.get(kind.value, event.phase.title)
        return kind, cue_for(kind, words)
    if isinstance(event, EndingSoon):
        if event.seconds_left != COUNTDOWN_RING_AT:
            return None
        return CueKind.COUNTDOWN, cue_for(CueKind.COUNTDOWN)
    if isinstance(event, ReminderDue):
        return CueKind.REMINDER, cue_for(CueKind.REMINDER, event.text, notify=True)
    if isinstance(event, MayMoveOn):
        words = "you may stop now" if last_part else "you may move on now"
        return CueKind.MAY_STOP, cue_for(CueKind.MAY_STOP, f"{event.title}: {words}.", notify=True)
    if isinstance(event, Finished):
        words = "Well done. Session complete." if event.status is Status.COMPLETED else "Session ended early."
        return CueKind.END, cue_for(CueKind.END, words, notify=True)
    return None
