"""Small questions the run screen asks (end the session short of counting? did the time away count?) and the
routine's safety notes, reachable at every window size."""

from __future__ import annotations

from enum import StrEnum

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from coach.engine.runner import Action
from coach.ui.text import bulleted, literal

SMALL_WIDTH, SMALL_HEIGHT = 76, 20
"""Below either, the dialog drops its padding and stacks its answers."""


class Question(ModalScreen[bool]):
    """A yes/no question; y/n and Escape answer it from the keyboard."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", show=False),
        Binding("n", "answer(False)", "No", show=False),
        Binding("escape", "answer(False)", "No", show=False),
    ]

    def __init__(self, title: str, body: str, yes: str, no: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title_text, self.body_text, self.yes, self.no = title, body, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text), classes="dialog-title")
            yield Static(Text(self.body_text), classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, id="yes", variant="primary")
                yield Button(self.no, id="no")

    def on_resize(self, event: events.Resize) -> None:
        """A small window: the answers stacked, one line each, so the question and both keys stay in sight."""
        small = event.size.width < SMALL_WIDTH or event.size.height < SMALL_HEIGHT
        self.set_class(small, "-small")
        for button in self.query(Button):
            button.compact = small

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class Answer(StrEnum):
    """The answers to the stop question."""

    END = "end"
    KEEP = "keep"
    DISCARD = "discard"


STOP_VERBS: dict[Action, tuple[str, str]] = {
    Action.STOP: ("Stop this session?", "Stop"),
    Action.FINISH: ("Finish this session now?", "Finish"),
    Action.NEXT: ("This is the last step: end the session?", "End it"),
    Action.MOVE_ON: ("Moving on ends the session: end it?", "End it"),
}


class StopQuestion(ModalScreen[Answer]):
    """Asked before an action would end a session short of counting: end it (partial), keep going, or, for a
    session just begun, discard it. The run screen pauses the countdown while it is open."""

    BINDINGS = [
        Binding("y", "answer('end')", "End", show=False),
        Binding("n,escape", "answer('keep')", "Keep going", show=False),
        Binding("d", "answer('discard')", "Discard", show=False),
    ]

    def __init__(self, title: str, body: str, end: str, *, may_discard: bool) -> None:
        super().__init__(id="stop-dialog")
        self.title_text, self.body_text, self.end, self.may_discard = title, body, end, may_discard

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text), classes="dialog-title")
            yield Static(Text(self.body_text), classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.end} (y)", id="end", variant="warning")
                yield Button("Keep going (n)", id="keep", variant="primary")
                if self.may_discard:
                    yield Button("Discard (d)", id="discard")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()  # Enter keeps going: a key pressed by mistake loses nothing

    def on_resize(self, event: events.Resize) -> None:
        """A small window: the answers stacked, one line each, so the question and every key stay in sight."""
        small = event.size.width < SMALL_WIDTH or event.size.height < SMALL_HEIGHT
        self.set_class(small, "-small")
        for button in self.query(Button):
            button.compact = small

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.may_discard or parameters != ("discard",)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(Answer(event.button.id or "keep"))

    def action_answer(self, answer: str) -> None:
        self.dismiss(Answer(answer))


def stop_question(action: Action, *, done: str, counts: str, may_discard: bool) -> StopQuestion:
    """The question before ending a session that does not count yet."""
    title, verb = STOP_VERBS[action]
    body = f"{done} done. A session counts after {counts}. Ended now, it is saved as partial."
    if may_discard:
        body += " Just begun by mistake? Discard it and nothing is saved."
    return StopQuestion(title, body, verb, may_discard=may_discard)


class SafetyNotes(ModalScreen[None]):
    """The routine's safety notes, whatever the window's size: the run screen's `s` opens them."""

    BINDINGS = [Binding("escape,s,q,enter", "dismiss_notes", "Close", id="close-notes")]

    def __init__(self, name: str, notes: tuple[str, ...]) -> None:
        super().__init__(id="safety-dialog")
        self.routine_name, self.notes = name, notes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as dialog:
            dialog.border_subtitle = "Enter or Escape to close"  # on the frame: seen however small the window
            yield Static(literal(f"Safety: {self.routine_name}"), classes="dialog-title")
            with VerticalScroll(id="safety-notes"):
                for note in self.notes:
                    yield Static(bulleted([note]), classes="safety-note")

    def action_dismiss_notes(self) -> None:
        self.dismiss(None)


def sleep_gap_question(away: str) -> Question:
    """Asked after the computer slept mid-session: does the time away count (feet stayed in the soak)?"""
    return Question(
        f"The computer was asleep for {away}.",
        "Did the session go on meanwhile (for example, your feet stayed in the water)? "
        "If so, that time counts; if not, the timer goes on from where it stopped.",
        "It went on: count it (y)",
        "It stopped: don't count (n)",
        id="gap-dialog",
    )
