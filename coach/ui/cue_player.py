"""Plays cues in the app: bell rhythms on timers, spoken words, desktop notifications; and the ringing end."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from textual.app import App
from textual.timer import Timer

from coach.config.settings import Settings
from coach.engine.cues import (
    BELL_RHYTHMS,
    END_RING_EVERY,
    END_RING_TIMES,
    LEVEL_KINDS,
    SPEECH_PROGRAMS,
    Cue,
    CueKind,
    SoundLevel,
    cue_for_event,
    find_speech_program,
    notification_escapes,
    notify_desktop,
    speak,
)
from coach.engine.events import EndingSoon, PhaseStarted, ReminderDue


class CuePlayer:
    """Turns session events into sounds the user hears with their eyes on their feet."""

    def __init__(self, app: App[object], settings: Settings, *, quiet: bool = False) -> None:
        self.app = app
        self.settings = settings
        level = SoundLevel(settings.sounds) if settings.sound and not quiet else SoundLevel.OFF
        self.rings = LEVEL_KINDS[level]
        """The kinds of cue the bell plays (`--quiet`, `sound = false`, or the `sounds` setting)."""
        self.speech_program = find_speech_program(settings.speech_program) if settings.voice else None
        self._told_no_speech = False
        self._ring_timer: Timer | None = None
        self._rings_left = 0
        self.played: list[CueKind] = []
        """Every cue played, in order: what the tests listen to."""

    def play_events(self, events: Sequence[object], *, last_part: bool = False) -> None:
        """Play what one engine update reported, as one moment: after a late wake-up or a counted sleep the engine
        reports every step that began meanwhile, but the user hears only where they are now (the last step that
        began and what followed it), each kind of cue once, and one spoken sentence, not a chorus."""
        self._tell_no_speech()
        starts = [index for index, event in enumerate(events) if isinstance(event, PhaseStarted)]
        last_start = starts[-1] if starts else -1
        cues: dict[CueKind, Cue] = {}
        for index, event in enumerate(events):
            stale = index < last_start and isinstance(event, PhaseStarted | EndingSoon | ReminderDue)
            found = None if stale else cue_for_event(event, last_part=last_part)
            if found is None:
                continue
            kind, cue = found
            if kind in cues:  # e.g. a reminder and "you may stop now" at the same second: one ring, both said
                first = cues[kind]
                cue = Cue(first.bells, _join(first.speech, cue.speech), _join(first.notification, cue.notification))
            cues[kind] = cue
        if not cues:
            return
        for kind, cue in cues.items():
            self.play(kind, Cue(cue.bells))
        speech = _join(*(cue.speech for cue in cues.values()))
        notification = _join(*(cue.notification for cue in cues.values()))
        if self.speech_program and speech:
            speak(self.speech_program, speech)
        if self.settings.notifications and notification:
            self._notify(notification)
        if CueKind.END in cues:
            self._rings_left = END_RING_TIMES - 1
            self._ring_timer = self.app.set_interval(END_RING_EVERY, self._ring_again, name="end-bell")

    def play_event(self, event: object) -> None:
        """Play one event's cue."""
        self.play_events((event,))

    def _tell_no_speech(self) -> None:
        """Spoken cues are on but nothing can speak: say so once, rather than stay silent."""
        if self.settings.voice and self.speech_program is None and not self._told_no_speech:
            self._told_no_speech = True
            wanted = self.settings.speech_program or ", ".join(SPEECH_PROGRAMS)
            self.app.notify(
                f"Spoken cues are on, but no speech program was found ({wanted}). Install espeak-ng, or turn "
                "spoken cues off in settings.",
                title="No voice",
                severity="warning",
                timeout=15,
                markup=False,
            )

    def play(self, kind: CueKind, cue: Cue) -> None:
        self.played.append(kind)
        if kind in self.rings:
            for offset in cue.bells:
                if offset == 0:
                    self.app.bell()
                else:
                    self.app.set_timer(offset, self.app.bell)
        if self.speech_program and cue.speech:
            speak(self.speech_program, cue.speech)
        if self.settings.notifications and cue.notification:
            self._notify(cue.notification)

    def _notify(self, text: str) -> None:
        if notify_desktop("coach", text):
            return
        driver = self.app._driver  # the only way to write an escape sequence the terminal turns into a notification
        if driver is None or self.app.is_headless or driver.is_web:  # a browser has no such notification
            return
        with contextlib.suppress(OSError):  # the terminal (or the server behind a tab) is gone: the session goes on
            driver.write(notification_escapes("coach", text))

    def _ring_again(self) -> None:
        if self._rings_left <= 0:
            self.stop_ringing()
            return
        self._rings_left -= 1
        self.play(CueKind.END, Cue(BELL_RHYTHMS[CueKind.END]))

    def stop_ringing(self) -> None:
        """A key was pressed: the end has been heard."""
        self._rings_left = 0
        if self._ring_timer is not None:
            self._ring_timer.stop()
            self._ring_timer = None


def _join(*sentences: str) -> str:
    """Sentences said (or shown) one after the other."""
    return " ".join(sentence for sentence in sentences if sentence)
