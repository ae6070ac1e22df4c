"""A footer that keeps the keys that matter: when the window is too narrow for every key, the least important go
first (Textual's own footer cuts whatever comes last, Quit included)."""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

PALETTE = "command-palette"
"""The id this footer gives the command palette's key (^p), the first to go: the palette is also on ctrl+p."""


class CoachFooter(Footer):
    """Textual's footer; the screen names its keys' binding ids in `FOOTER_DROP`, the first to go when not all fit.

    Keys not named there are never dropped. The footer is built again only when what it would show changes, at
    most once per refresh: Textual's own footer is rebuilt at every change of the screen's bindings (focus, the
    list's highlight, the screen's idle), four times before home's plan shows, some 15 ms each.

    `keys_at_once`: the keys are drawn with the screen's first frame, for a screen whose keys are its own bindings,
    known before anything has focus (the run screen). Textual's footer waits for the screen to say its bindings are
    ready, which costs a frame of its own after the first (20-30 ms of the run screen's start). Where a focused
    widget brings keys of its own (home's list: Enter starts), waiting is right: the early keys would be drawn
    twice."""

    def __init__(self, *, id: str | None = None, keys_at_once: bool = False) -> None:
        super().__init__(id=id)
        if keys_at_once:
            self.set_reactive(Footer._bindings_ready, True)
        self._dropped: frozenset[str] | None = None
        self._shown: tuple[object, ...] | None = None
        self._rebuild_pending = False

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._rebuild_soon()

    def _rebuild_soon(self) -> None:
        if not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        self._rebuild_pending = False
        if self.is_attached and self._what_it_shows() != self._shown:
            await self.recompose()

    def _what_it_shows(self) -> tuple[object, ...] | None:
        """The keys as the footer would show them now (None until the screen's bindings are ready)."""
        if not self._bindings_ready:
            return None
        active = self.screen.active_bindings
        palette = self.app.COMMAND_PALETTE_BINDING
        keys = tuple(  # what Textual's footer draws: the bindings it shows, and the palette's key
            (binding.key, binding.action, binding.description, binding.group, enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in active.items()
            if binding.show or key == palette
        )
        return (keys, self.to_drop(self.size.width or self.app.size.width))

    def drop_order(self) -> tuple[str, ...]:
        """The ids that may go, least important first (the palette's key before any of them)."""
        order: tuple[str, ...] = getattr(self.screen, "FOOTER_DROP", ())
        return (PALETTE, *order)

    def shown_keys(self) -> list[tuple[str, int]]:
        """The id and width of each key the footer would show, from the screen's active bindings."""
        keys: list[tuple[str, int]] = []
        seen: set[str] = set()
        for _node, binding, _enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            shown = self.app.get_key_display(binding)
            keys.append((binding.id or binding.action, cell_len(shown) + cell_len(binding.description) + 3))
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            palette = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
            if palette is not None:
                binding = palette[1]
                keys.append((PALETTE, cell_len(self.app.get_key_display(binding)) + cell_len(binding.description) + 4))
        return keys

    def to_drop(self, width: int) -> frozenset[str]:
        """The keys left out at this width: the least important, one by one, until the rest fit."""
        keys = self.shown_keys()
        total = sum(size for _, size in keys)
        sizes = dict(keys)
        dropped: set[str] = set()
        for key_id in self.drop_order():
            if total <= width:
                break
            if key_id in sizes:
                dropped.add(key_id)
                total -= sizes[key_id]
        return frozenset(dropped)

    def compose(self) -> ComposeResult:
        width = self.size.width or self.app.size.width
        self._shown = self._what_it_shows()
        self._dropped = dropped = self.to_drop(width)
        ids = {
            binding.action: binding.id or binding.action for _, binding, _, _ in self.screen.active_bindings.values()
        }
        widget: Widget
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                key_id = PALETTE if widget.has_class("-command-palette") else ids.get(widget.action, widget.action)
                if key_id in dropped:
                    continue
            yield widget

    def on_resize(self, event: events.Resize) -> None:
        if self._dropped is not None and self.to_drop(event.size.width) != self._dropped:
            self._rebuild_soon()
