"""Words from files and the history, shown exactly as written: never read as markup, never sent to the terminal as
control characters (a routine name with ESC [2J in it must not clear the screen)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual.content import Content

from coach.common.safe_text import printable

__all__ = ["bulleted", "literal", "literal_content", "printable"]


def literal(text: str, style: str = "") -> Text:
    """Rich Text that shows `text` as written (Text never parses markup; control characters made visible)."""
    return Text(printable(text), style=style)


def literal_content(text: str) -> Content:
    """Textual Content that shows `text` as written, for places that would parse a str as markup."""
    return Content(printable(text))


def bulleted(notes: Iterable[str]) -> Table:
    """Notes from a file as a bulleted list whose wrapped lines start under the words, not under the bullet: each
    note reads as one block in a narrow window (a phone's browser, a small terminal)."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for note in notes:
        grid.add_row("•", literal(note))
    return grid
