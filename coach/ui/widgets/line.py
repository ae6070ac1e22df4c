"""A line of text that redraws only when its text changes: the run screen's lines are these."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

from coach.ui.text import literal


class Line(Static):
    """A Static with a `text` reactive: set it every second, and only a change costs a repaint (a change of length a
    layout, since a text of the same length wraps the same)."""

    text: reactive[str] = reactive("", layout=False, init=False)

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(literal(text), id=id, classes=classes)
        self.set_reactive(Line.text, text)

    def watch_text(self, old: str, new: str) -> None:
        self.update(literal(new), layout=len(old) != len(new))
