"""Why these exercises: the article's seven causes of leg cramps and its two measures, in coach's words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from coach.diary.causes import CAUSES, MEASURES
from coach.ui.widgets.footer import CoachFooter

if TYPE_CHECKING:
    from textual.app import App


class WhyScreen(Screen[None]):
    """Read-only and scrollable (arrows, Page Up/Down); Escape goes back."""

    SUB_TITLE = "Why these exercises"
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back", id="back")]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with VerticalScroll(id="why"):
            yield Static(Text("What can set off a leg cramp"), classes="section-title")
            for number, cause in enumerate(CAUSES, start=1):
                yield Static(
                    Text.assemble(f"{number}. ", (cause.title, "bold"), f": {cause.text}"), classes="why-cause"
                )
                yield Static(Text(f"What helps: {cause.advice}"), classes="why-advice")
            yield Static(Text("What the program does"), classes="section-title")
            for title, text in MEASURES:
                yield Static(Text.assemble((title, "bold"), f": {text}"), classes="why-measure")
            yield Static(Text("Frequent cramps deserve a visit to a doctor."), id="why-doctor")
        yield CoachFooter()

    def on_mount(self) -> None:
        self.query_one("#why", VerticalScroll).focus()


def open_why(app: App[object]) -> None:
    """Show the Why screen (once: asking again from it does nothing)."""
    if not isinstance(app.screen, WhyScreen):
        app.push_screen(WhyScreen())
