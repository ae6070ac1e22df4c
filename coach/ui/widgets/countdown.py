"""The big countdown: block digits drawn as large as the space the screen leaves them, readable from a step away.

Textual's `Digits` is three rows at every size. Here each character is a 3x5 grid of square "pixels"; a pixel is
`scale` cells wide and `scale` half-cells tall (a terminal cell is about twice as tall as it is wide), drawn with
the half-block characters. The widget picks the largest scale whose drawing fits its size: 3 rows at scale 1, 5 at
2, 10 at 4. With less room than that it shows the time as one line of text. Shapes, not colours, carry it: it stays
legible without colour (NO_COLOR) or in 16 colours.
"""

from __future__ import annotations

import math

from rich.text import Text
from textual.app import RenderResult
from textual.reactive import reactive
from textual.widget import Widget

GLYPHS: dict[str, tuple[str, ...]] = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", "###", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", "..#", "..#", "..#"),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    ":": (".", "#", ".", "#", "."),
    " ": ("...",),
}
GLYPH_HEIGHT = 5
MAX_SCALE = 8
"""Beyond this the digits stop growing (a 200-line terminal needs no 100-line digits)."""
HALF_BLOCKS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def pixel_width(text: str) -> int:
    """Width of `text` in pixels: each glyph's width plus one pixel between glyphs."""
    widths = [len(GLYPHS.get(char, GLYPHS[" "])[0]) for char in text]
    return sum(widths) + max(0, len(widths) - 1)


def rows_at(scale: int) -> int:
    """Terminal rows the digits take at a scale (two pixel rows per cell row)."""
    return math.ceil(GLYPH_HEIGHT * scale / 2)


def fitting_scale(text: str, width: int, height: int) -> int:
    """The largest scale at which `text` fits in width x height cells; 0 when not even scale 1 does."""
    pixels = pixel_width(text)
    if not pixels:
        return 0
    scale = min(MAX_SCALE, width // pixels)
    while scale > 0 and rows_at(scale) > height:
        scale -= 1
    return scale


def draw(text: str, scale: int) -> list[str]:
    """The lines of `text` drawn at `scale` (scale >= 1)."""
    pixel_rows: list[str] = []
    for row in range(GLYPH_HEIGHT):
        pieces = []
        for char in text:
            glyph = GLYPHS.get(char, GLYPHS[" "])
            pieces.append(glyph[row] if row < len(glyph) else "." * len(glyph[0]))
        line = ".".join(pieces)
        pixel_rows.extend(["".join(pixel * scale for pixel in line)] * scale)
    if len(pixel_rows) % 2:
        pixel_rows.append("." * len(pixel_rows[0]))
    return [
        "".join(HALF_BLOCKS[(top == "#", bottom == "#")] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(pixel_rows[::2], pixel_rows[1::2], strict=True)
    ]


class BigCountdown(Widget, can_focus=False):
    """The time left, as large as fits; `text` is what a user reads ("10", "18:59")."""

    DEFAULT_CSS = """
    BigCountdown {
        width: 100%;
        height: 1fr;
        min-height: 1;
        content-align: center middle;
        text-style: bold;
    }
    """

    text: reactive[str] = reactive("")

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.set_reactive(BigCountdown.text, text)

    @property
    def scale(self) -> int:
        """The scale the digits are drawn at now (0: one line of text)."""
        return fitting_scale(self.text, self.content_size.width, self.content_size.height)

    def render(self) -> RenderResult:
        scale = self.scale
        if scale == 0:
            return Text(self.text, justify="center")
        return Text("\n".join(draw(self.text, scale)), justify="center", no_wrap=True)
