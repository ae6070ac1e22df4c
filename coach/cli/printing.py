"""Rich for the printing commands: words from files and users shown as written, never read as markup.

The one place outside the UI that builds rich objects; rich itself is imported when a command prints (building the
argument parser imports every command's module, and must stay cheap)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coach.common.safe_text import printable

if TYPE_CHECKING:
    from rich.text import Text


def rich_text(text: str, style: str = "") -> Text:
    """Rich Text that shows `text` as written: never read as markup, no control character left in it."""
    from rich.text import Text  # rich is imported for printing only

    return Text(printable(text), style=style)
