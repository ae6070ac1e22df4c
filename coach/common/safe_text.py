"""Words from files and the history, made safe to print: control characters written out as escapes, so a routine
name with ESC [2J in it never clears the user's screen (in the app or in a printing command)."""

from __future__ import annotations

CONTROL_CHARACTERS = (*range(0x00, 0x20), *range(0x7F, 0xA0))
"""Unicode's control characters (general category Cc, fixed by its stability policy): C0, DEL and C1.

Listed once rather than looked up in unicodedata for every character of every name shown."""

_ESCAPES = {code: (f"\\x{code:02x}") for code in CONTROL_CHARACTERS if chr(code) not in "\n\t"}


def printable(text: str) -> str:
    """`text` with every control character but newline and tab written out as an escape (ESC as \\x1b)."""
    if text.isprintable():
        return text
    return text.translate(_ESCAPES)
