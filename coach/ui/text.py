"""Words from files and the history, shown exactly as written: never read as markup, never sent to the terminal as
control characters (a routine name with ESC [2J in it must not clear the screen)."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from coach.common.safe_text import printable

__all__ = ["literal", "literal_content", "printable"]


def literal(text: str, style: str = "") -> Text:
    """Rich Text that shows `text` as written (Text never parses markup; control characters made visible)."""
    return Text(printable(text), style=style)


def literal_content(text: str) -> Content:
    """Textual Content that shows `text` as written, for places that would parse a str as markup."""
    return Content(printable(text))
