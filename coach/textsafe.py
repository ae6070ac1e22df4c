"""Words from files and the history, made safe to print: control characters written out as escapes, so a routine
name with ESC [2J in it never clears the user's screen (in the app or in a printing command)."""

from __future__ import annotations

import unicodedata


def printable(text: str) -> str:
    """`text` with every control character but newline and tab written out as an escape (ESC as \\x1b)."""
    if text.isprintable():
        return text
    return "".join(char if char in "\n\t" or unicodedata.category(char) != "Cc" else _escape(char) for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
