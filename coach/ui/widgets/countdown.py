"""The big countdown: block digits drawn as large as the space the screen leaves them, readable from a step away.

Textual's `Digits` is three rows at every size. Here each character is a 3x5 grid of square "pixels"; a pixel is
`scale` cells wide and `scale` half-cells tall (a terminal cell is about twice as tall as it is wide), drawn with
the half-block characters. The widget picks the largest scale whose drawing fits its size: 3 rows at scale 1, 5 at
2, 10 at 4. With less room than that it shows the time as one line of text. Shapes, not colours, carry it: it stays
legible without colour (NO_COLOR) or in 16 colours.
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Region, Size
from textual.strip import Strip
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
GLYPH_WIDTHS = {char: len(rows[0]) for char, rows in GLYPHS.items()}
MAX_SCALE = 8
"""Beyond this the digits stop growing (a 200-line terminal needs no 100-line digits)."""
PAD_STYLE = Style(reverse=False)
"""Added to the style of the cells around the drawing, as Textual's alignment pads them (the same on the terminal;
it keeps the SVG snapshots' runs of text as they were)."""
HALF_BLOCKS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def pixel_width(text: str) -> int:
    """Width of `text` in pixels: each glyph's width plus one pixel between glyphs."""
    widths = [GLYPH_WIDTHS.get(char, 3) for char in text]
    return sum(widths) + max(0, len(widths) - 1)


def rows_at(scale: int) -> int:
    """Terminal rows the digits take at a scale (two pixel rows per cell row)."""
    return math.ceil(GLYPH_HEIGHT * scale / 2)


def fitting_scale(text: str, width: int, height: int) -> int:
    """The largest scale at which `text` fits in width x height cells; 0 when not even scale 1 does."""
    return place(text, Size(width, height)).scale


@functools.cache
def glyph_rows(char: str, scale: int) -> tuple[str, ...]:
    """One character drawn at `scale`: its cell rows, each as wide as the glyph (computed once per char and scale)."""
    glyph = GLYPHS.get(char, GLYPHS[" "])
    width = len(glyph[0])
    pixel_rows: list[str] = []
    for row in range(GLYPH_HEIGHT):
        pixels = glyph[row] if row < len(glyph) else "." * width
        pixel_rows.extend(["".join(pixel * scale for pixel in pixels)] * scale)
    if len(pixel_rows) % 2:
        pixel_rows.append("." * len(pixel_rows[0]))
    return tuple(
        "".join(HALF_BLOCKS[(top == "#", bottom == "#")] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(pixel_rows[::2], pixel_rows[1::2], strict=True)
    )


def draw(text: str, scale: int) -> list[str]:
    """The lines of `text` drawn at `scale` (scale >= 1): the glyphs side by side, one blank pixel between them."""
    gap = " " * scale
    glyphs = [glyph_rows(char, scale) for char in text]
    return [gap.join(glyph[row] for glyph in glyphs) for row in range(rows_at(scale))]


class Layout(NamedTuple):
    """Where the digits sit in the widget's content area at one size: what the lines are drawn from."""

    scale: int
    left: int
    """Blank cells before the first glyph (the drawing is centred)."""
    top: int
    """Blank rows above the drawing (the drawing is in the middle)."""


def place(text: str, size: Size) -> Layout:
    """The scale and the position of `text` in a content area of `size`, centred both ways."""
    return _place(pixel_width(text), len(text), size)


@functools.lru_cache(maxsize=64)
def _place(pixels: int, length: int, size: Size) -> Layout:
    """`place` for a text `pixels` wide (drawn) or `length` long (one line): the same for every time of one shape."""
    width, height = size
    scale = min(MAX_SCALE, width // pixels) if pixels else 0
    while scale > 0 and rows_at(scale) > height:
        scale -= 1
    drawn_width = pixels * scale if scale else length
    drawn_height = rows_at(scale) if scale else 1
    return Layout(scale, max(0, (width - drawn_width) // 2), max(0, (height - drawn_height) // 2))


@functools.cache
def glyph_change(old: str, new: str, scale: int) -> Region:
    """The cells in which glyph `new` differs from glyph `old` (same width) at `scale`, relative to the glyph."""
    before, after = glyph_rows(old, scale), glyph_rows(new, scale)
    cells = [(x, y) for y, (a, b) in enumerate(zip(before, after, strict=True)) for x in range(len(a)) if a[x] != b[x]]
    if not cells:
        return Region()
    xs, ys = [x for x, _ in cells], [y for _, y in cells]
    return Region(min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1)


def changed_cells(old: str, new: str, layout: Layout) -> Region | None:
    """The smallest region (in content cells) in which the drawing of `new` differs from that of `old` at the same
    layout ("14:59" to "14:58": one cell of the last glyph); None when the whole drawing must be redrawn."""
    scale = layout.scale
    if len(old) != len(new) or scale == 0:
        return None
    changed = Region()
    x = layout.left
    for before, after in zip(old, new, strict=True):
        width = len(GLYPHS.get(after, GLYPHS[" "])[0]) * scale
        if before != after:
            if len(GLYPHS.get(before, GLYPHS[" "])[0]) * scale != width:
                return None
            change = glyph_change(before, after, scale).translate((x, layout.top))
            if change.area:
                changed = changed.union(change) if changed.area else change
        x += width + scale
    return changed


class BigCountdown(Widget, can_focus=False):
    """The time left, as large as fits; `text` is what a user reads ("10", "18:59").

    Drawn line by line (Textual's line API) from glyph rows computed once per scale, and a new second repaints only
    the cells that changed ("14:59" to "14:58": one cell of one glyph, not the whole drawing)."""

    DEFAULT_CSS = """
    BigCountdown {
        width: 100%;
        height: 1fr;
        min-height: 1;
        content-align: center middle;
        text-style: bold;
    }
    """

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._text = text
        self._drawn: tuple[object, list[Strip]] | None = None
        """The strips of the last drawing and what they were drawn from (text, size, style)."""

    @property
    def text(self) -> str:
        """What the digits show."""
        return self._text

    @text.setter
    def text(self, new: str) -> None:
        """Show `new`, repainting only the cells that changed when the drawing keeps its size and place.

        A plain property, not a reactive: the run screen sets it once a second, and the reactive's validators and
        watchers cost as much as the repaint request itself."""
        old, self._text = self._text, new
        if new == old or not self.is_mounted:
            return
        # Where `changed_cells` finds a region, every changed glyph kept its width: the drawing kept its place.
        cells = changed_cells(old, new, place(new, self.content_size))
        if cells is None:
            self.refresh()
        elif cells.area:
            self.refresh(cells)

    @property
    def scale(self) -> int:
        """The scale the digits are drawn at now (0: one line of text)."""
        return place(self.text, self.content_size).scale

    def render(self) -> RenderResult:
        """The drawing as one renderable: what Textual measures when the height is `auto` (the finished screen)."""
        scale = self.scale
        if scale == 0:
            return Text(self.text, justify="center")
        return Text("\n".join(draw(self.text, scale)), justify="center", no_wrap=True)

    def render_line(self, y: int) -> Strip:
        """One line of the content area, from the drawing of the current text at the current size."""
        strips = self._strips()
        return strips[y] if 0 <= y < len(strips) else Strip.blank(self.content_size.width)

    def _strips(self) -> list[Strip]:
        size = self.content_size
        style = self.visual_style.rich_style
        key = (self.text, size, style)
        if self._drawn is None or self._drawn[0] != key:
            self._drawn = (key, drawing_strips(self.text, size, style))
        return self._drawn[1]


def drawing_strips(text: str, size: Size, style: Style) -> list[Strip]:
    """Every line of the content area: blank rows, then the drawing centred in full-width lines."""
    width, height = size
    layout = place(text, size)
    lines = draw(text, layout.scale) if layout.scale else [text]
    pad = style + PAD_STYLE
    blank = Strip([Segment(" " * width, pad)], width) if width else Strip([], 0)
    strips = [blank] * height
    for row, line in enumerate(lines[: max(0, height - layout.top)]):
        right = max(0, width - layout.left - len(line))
        segments = [Segment(" " * layout.left, pad), Segment(line, style), Segment(" " * right, pad)]
        strips[layout.top + row] = Strip([segment for segment in segments if segment.text]).crop(0, width)
    return strips
