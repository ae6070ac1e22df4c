"""Baseline: the barest Textual app that shows one line of text. Its first frame is what coach's is compared with.

Run: python benchmarks/baselines/bare_hello.py   (q or Ctrl+Q quits)
"""

from textual.app import App, ComposeResult
from textual.widgets import Static

MARKER = "Hello from a bare Textual app"


class BareHello(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static(MARKER)


if __name__ == "__main__":
    BareHello().run()
