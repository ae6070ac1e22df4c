"""Words from files and the history, shown exactly as written: never read as markup, never sent to the terminal as
control characters (a routine name with ESC [2J in it must not clear the screen)."""

from __future__ import annotations

import unicodedata

from rich.text import Text
from textual.content import Content


def printable(text: str) -> str:
    """`text` with every control character but newline and tab written out as an escape (ESC as \\x1b)."""
    if text.isprintable():
        return text
    return "".join(char if char in "\n\t" or unicodedata.category(char) != "Cc" else _escape(char) for char in text)


def literal(text: str, style: str = "") -> Text:
    """Rich Text that shows `text` as written (Text never parses markup; control characters made visible)."""
    return Text(printable(text), style=style)


def literal_content(text: str) -> Content:
    """Textual Content that shows `text` as written, for places that would parse a str as markup."""
    return Content(printable(text))


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
