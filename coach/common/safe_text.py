"""The one output path for text that came from a file or a user: routine files, settings, exports, notes.

Routine files and exports are what people share, so their words are hostile until shown otherwise. Before such text
reaches a terminal (a printing command, the plain runner, the app):
- control characters (C0, DEL, C1: ESC, so every CSI and OSC sequence, BEL, CSI as one byte) are written out as
  escapes (`\\x1b`), so a routine name can neither clear the screen, retitle the window nor write the clipboard;
- bidirectional overrides, embeddings, isolates and marks, zero-width characters and the other invisible format
  characters are written out too (`\\u202e`), so text cannot be shown in an order other than the one it has;
- lone surrogates (which cannot even be encoded for the terminal) are written out the same way;
- rich `Text` never parses markup (the printing commands build it in `coach.cli.printing`, the app in
  `coach.ui.text`).
Plain words in any language and emoji pass unchanged, and the common case (nothing to change) costs one
`str.isprintable` call.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Callable
from typing import TextIO

CONTROL_CHARACTERS = (*range(0x00, 0x20), *range(0x7F, 0xA0))
"""Unicode's control characters (general category Cc, fixed by its stability policy): C0, DEL and C1.

Listed once rather than looked up in unicodedata for every character of every name shown."""

BIDI_CONTROLS = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
"""Unicode's bidirectional formatting characters (UAX #9, table 1): ALM, LRM, RLM, the embeddings and overrides
LRE RLE PDF LRO RLO, and the isolates LRI RLI FSI PDI. Their category is Cf, so `printable` catches them; listed
for the tests and the documentation."""

ZERO_WIDTH = (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)
"""Zero width space, non-joiner, joiner, word joiner, and the zero width no-break space (BOM). Cf but for U+200B."""

_VISIBLE_CATEGORIES = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))
"""What is written out: controls, invisible format characters (bidi, zero-width, tags), lone surrogates, and the
line and paragraph separators (which some terminals take as new lines). Spaces (Zs), private-use and unassigned
code points are shown as they are: they move no cursor and hide nothing."""

_KEPT_IN_TEXT = frozenset("\n\t")


def printable(text: str) -> str:
    """`text` with every control and invisible format character but newline and tab written out as an escape
    (ESC as `\\x1b`, a right-to-left override as `\\u202e`); for text that may hold several lines."""
    if text.isprintable():
        return text
    return "".join(_shown(char, _KEPT_IN_TEXT) for char in text)


def one_line(text: str) -> str:
    """`text` for one line of output: as `printable`, and newline, carriage return and tab written out too, so a
    name can never start a line of its own that reads as coach's."""
    if text.isprintable():
        return text
    return "".join(_shown(char, frozenset()) for char in text)


def json_text(value: object) -> str:
    """`value` as indented JSON whose every control and invisible character is a `\\uXXXX` escape: the same data
    for a program that reads it, nothing raw for a terminal that shows it (json.dumps leaves DEL, C1 and bidi
    characters raw when non-ASCII is kept)."""
    return escape_json(json.dumps(value, indent=2, ensure_ascii=False))


def escape_json(text: str) -> str:
    """JSON text with every control and invisible character outside its line breaks written as `\\uXXXX`: such
    characters can only stand inside JSON strings, where the escape means the same character."""
    if text.isprintable() or text.replace("\n", "").isprintable():  # JSON's line breaks alone: nothing to do
        return text
    return "".join(_json_escaped(char) for char in text)


class EscapingWriter:
    """A text stream that passes what is written to `out` through `transform` (`escape_json`, `printable`): for
    output written in pieces, such as an export streamed to the terminal. Both transforms work character by
    character, so pieces may split the text anywhere."""

    def __init__(self, out: TextIO, transform: Callable[[str], str]) -> None:
        self.out = out
        self.transform = transform

    def write(self, text: str) -> int:
        self.out.write(self.transform(text))
        return len(text)

    def flush(self) -> None:
        self.out.flush()


def echo(text: str, *, file: TextIO | None = None) -> None:
    """Print one message (possibly of several lines) built from file or user text, made printable."""
    print(printable(text), file=file if file is not None else sys.stdout)


def echo_error(text: str) -> None:
    """Print a message to standard error, made printable."""
    echo(text, file=sys.stderr)


def _shown(char: str, kept: frozenset[str]) -> str:
    if char.isprintable() or char in kept:
        return char
    code = ord(char)
    if code < 0x100 and code in _CONTROL_SET:
        return f"\\x{code:02x}"
    if unicodedata.category(char) in _VISIBLE_CATEGORIES:
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
    return char


_CONTROL_SET = frozenset(CONTROL_CHARACTERS)


def _json_escaped(char: str) -> str:
    if char.isprintable() or char == "\n":  # JSON's own line breaks; a newline inside a string is already \n
        return char
    code = ord(char)
    if code in _CONTROL_SET or unicodedata.category(char) in _VISIBLE_CATEGORIES:
        if code > 0xFFFF:  # JSON spells a code point beyond the BMP as a surrogate pair
            high, low = divmod(code - 0x10000, 0x400)
            return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"
        return f"\\u{code:04x}"
    return char
