"""Small questions the run screen asks: stop the session? did the time away count?"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

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


def quit_question(done: str) -> Question:
    """Asked before a running session is stopped: it will be saved as partial."""
    return Question(
        "Stop this session?",
        f"It is saved as partial, with the {done} done so far.",
        "Stop (y)",
        "Keep going (n)",
        id="quit-dialog",
    )


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
