"""Baseline: a bare Textual app with a line of text and a Footer. coach's complete screens are compared with the
moment this one settles (its text and its footer drawn).

Run: python benchmarks/baselines/bare_footer.py   (q or Ctrl+Q quits)
"""

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Static

MARKER = "Hello from a bare Textual app"


class BareFooter(App[None]):
    BINDINGS = [
        Binding("enter", "nothing('start')", "Start"),
        Binding("h", "nothing('history')", "History"),
        Binding("s", "nothing('settings')", "Settings"),
        Binding("q", "quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(MARKER)
        yield Footer()

    def action_nothing(self, name: str) -> None:
        """The keys are there to be shown in the footer (one action each: the footer shows one key per action)."""


if __name__ == "__main__":
    BareFooter().run()
