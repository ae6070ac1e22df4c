"""Plain text tables for the quick commands (`coach streaks`): aligned columns, no rich.

rich's Console costs ~25 ms to import, a quarter of the time a command run at a glance may take; a few aligned
columns need only the width of each cell as the terminal draws it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Literal

Align = Literal["left", "right"]


def cell_width(text: str) -> int:
    """Columns `text` takes in a terminal: wide (East Asian, most emoji) characters take two, combining marks none."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def render_columns(header: Sequence[str], rows: Sequence[Sequence[str]], aligns: Sequence[Align]) -> str:
    """A header, a rule under it and the rows, each column as wide as its widest cell, two spaces apart."""
    table = [list(header), *[list(row) for row in rows]]
    widths = [max(cell_width(line[column]) for line in table) for column in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = []
        for cell, width, align in zip(cells, widths, aligns, strict=True):
            gap = " " * (width - cell_width(cell))
            padded.append(cell + gap if align == "left" else gap + cell)
        return "  ".join(padded).rstrip()

    rule = "  ".join("─" * width for width in widths)
    return "\n".join([line(table[0]), rule, *(line(cells) for cells in table[1:])])
