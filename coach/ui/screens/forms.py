"""What the forms (the cramp diary, settings, make it mine) share: a radio set whose arrows choose, and the row
with the focus marked."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import RadioButton, RadioSet


class ChoiceButton(RadioButton):
    """A radio button whose dot shows only when it is chosen, so that the choice reads without colour too."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802  (Textual reads it by this name)
        return "●" if self.value else " "


class Choice(RadioSet):
    """A radio set whose arrows choose at once (as radio groups do elsewhere), with the chosen one highlighted;
    `value` is the key of the chosen button."""

    BINDINGS = [
        Binding("down,right", "choose(1)", "Next choice", show=False),
        Binding("up,left", "choose(-1)", "Previous choice", show=False),
    ]

    def __init__(self, options: list[tuple[str, str]], value: str, *, id: str) -> None:
        self.keys = tuple(key for key, _ in options)
        self._key = value
        super().__init__(*(ChoiceButton(label, value=key == value) for key, label in options), id=id, compact=True)

    @property
    def value(self) -> str:
        return self._key

    @value.setter
    def value(self, key: str) -> None:
        self._key = key
        self._selected = self.keys.index(key)
        self.query(RadioButton)[self._selected].value = True

    def on_mount(self) -> None:
        # RadioSet's own mount handler (it runs after this one) highlights the first button, not the chosen one.
        self.call_later(setattr, self, "_selected", self.keys.index(self._key))

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self._key = self.keys[event.index]

    def action_choose(self, step: int) -> None:
        self.value = self.keys[(self.keys.index(self._key) + step) % len(self.keys)]


STACKED_BELOW = 60
"""Below this width a form's rows are stacked: the label, then the field, then its hint, none cut at the right."""


class CurrentRow:
    """Marks the `.form-row` that holds the focus with `-current` (its label lights up), so that the field being
    answered is plain to see in a compact form."""

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        for row in self.query(".form-row"):  # type: ignore[attr-defined]
            row.set_class(row in event.widget.ancestors, "-current")


class StackedRows:
    """A dialog whose rows are stacked in a narrow window (`-stacked`): label, field, hint, none cut off."""

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < STACKED_BELOW, "-stacked")  # type: ignore[attr-defined]
