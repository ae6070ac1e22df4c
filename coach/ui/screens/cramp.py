"""Log a cramp in a few keystrokes: when, which leg, which muscle, how bad, what may have set it off, a note."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioSet, Static

from coach.common.problems import CoachError
from coach.diary.entries import LAST_NIGHT_HOUR, LEGS, MUSCLE_TITLES, MUSCLES, TRIGGERS, UNKNOWN, trigger_title
from coach.ui.screens.forms import Choice, CurrentRow
from coach.ui.text import literal

if TYPE_CHECKING:
    from textual.app import App

    from coach.diary.entries import CrampEntry
    from coach.ui.app import CoachApp

NARROW = 86
"""Below this width the choices are stacked."""
DEFAULT_LEG, DEFAULT_MUSCLE, DEFAULT_SEVERITY = "both", "calf", 5
"""As `coach cramp` offers when there is no previous entry."""


class CrampDialog(CurrentRow, ModalScreen["CrampEntry | None"]):
    """The diary's form. Enter saves (in a thread worker), Escape cancels; n / l / t choose when, digits how bad."""

    BINDINGS = [
        Binding("enter", "save", "Save", id="cramp-save", priority=True),
        Binding("escape", "cancel", "Cancel", id="cramp-cancel"),
        Binding("n", "when('now')", "Now", id="cramp-now", show=False),
        Binding("l", "when('last-night')", "Last night", id="cramp-last-night", show=False),
        Binding("t", "when('at')", "At a time", id="cramp-at", show=False),
        *(
            Binding(str(digit), f"severity({digit})", "How bad", id=f"cramp-severity-{digit}", show=False)
            for digit in range(10)
        ),
    ]

    def __init__(self) -> None:
        super().__init__(id="cramp-dialog")
        self._last_digit: int | None = None

    @property
    def coach(self) -> CoachApp:
        return cast("CoachApp", self.app)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog form-dialog"):  # a small window scrolls the form, buttons too
            yield Static(Text("Log a cramp"), classes="dialog-title")
            with Vertical(classes="form"):
                with Horizontal(classes="form-row"):
                    yield Label("When", classes="form-label")
                    yield Choice(
                        [
                            ("now", "Now (n)"),
                            ("last-night", f"Last night, {LAST_NIGHT_HOUR:02d}:00 (l)"),
                            ("at", "At (t)"),
                        ],
                        "now",
                        id="cramp-when",
                    )
                with Horizontal(classes="form-row", id="cramp-at-row"):
                    yield Label("Time", classes="form-label")
                    yield Input(placeholder="HH:MM or YYYY-MM-DD HH:MM", id="cramp-at-input", compact=True)
                with Horizontal(classes="form-row"):
                    yield Label("Leg", classes="form-label")
                    yield Choice([(leg, leg) for leg in LEGS], DEFAULT_LEG, id="cramp-leg")
                with Horizontal(classes="form-row"):
                    yield Label("Muscle", classes="form-label")
                    yield Choice([(key, MUSCLE_TITLES[key]) for key in MUSCLES], DEFAULT_MUSCLE, id="cramp-muscle")
                with Horizontal(classes="form-row"):
                    yield Label("How bad", classes="form-label")
                    yield Input(str(DEFAULT_SEVERITY), id="cramp-severity", type="integer", max_length=2, compact=True)
                    yield Label("0 (a twinge) to 10 (the worst): type the digits", classes="form-hint")
                with Horizontal(classes="form-row"):
                    yield Label("Set off by", classes="form-label")
                    yield Choice([(key, trigger_title(key)) for key in TRIGGERS], UNKNOWN, id="cramp-trigger")
                with Horizontal(classes="form-row"):
                    yield Label("Note", classes="form-label")
                    yield Input(placeholder="anything (optional)", id="cramp-note", compact=True)
            yield Static(id="cramp-problem", classes="form-problem")
            yield Static(Text("Tab: next field · arrows: choose · Enter: save · Escape: cancel"), classes="form-keys")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (Enter)", id="cramp-save-button", variant="primary", compact=True)
                yield Button("Cancel (Esc)", id="cramp-cancel-button", compact=True)

    def on_mount(self) -> None:
        self.query_one("#cramp-when", Choice).focus()
        self._show_when()

    def on_resize(self, event: events.Resize) -> None:
        """A narrow window: the choices stacked, one a line, so that none is cut off at the right."""
        self.set_class(event.size.width < NARROW, "-narrow")

    # -- choosing ------------------------------------------------------------------------------------------------

    def action_when(self, when: str) -> None:
        self.query_one("#cramp-when", Choice).value = when
        self._show_when()
        if when == "at":
            self.query_one("#cramp-at-input", Input).focus()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        if event.radio_set.id == "cramp-when":
            self._show_when()

    def _show_when(self) -> None:
        self.set_class(self.query_one("#cramp-when", Choice).value == "at", "-at")

    def action_severity(self, digit: int) -> None:
        """A digit sets how bad; 1 then 0 makes 10."""
        value = 10 if digit == 0 and self._last_digit == 1 else digit
        self.query_one("#cramp-severity", Input).value = str(value)
        self._last_digit = None if value == 10 else digit

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Enter presses a focused button (Cancel must not save); everywhere else it saves.
        return not (action == "save" and isinstance(self.focused, Button))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cramp-save-button":
            self.action_save()
        else:
            self.action_cancel()

    # -- saving --------------------------------------------------------------------------------------------------

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        from coach.diary.entries import DiaryError, parse_severity, parse_when

        context = self.coach.context
        when = self.query_one("#cramp-when", Choice).value
        try:
            severity = parse_severity(self.query_one("#cramp-severity", Input).value)
            cramp_at: datetime | None = None
            if when == "last-night":
                cramp_at = parse_when("last night", context.clock.wall(), context.settings.day_start_hour)
            elif when == "at":
                text = self.query_one("#cramp-at-input", Input).value
                if not text.strip():
                    raise DiaryError("give the time of the cramp: HH:MM or YYYY-MM-DD HH:MM")
                cramp_at = parse_when(text, context.clock.wall(), context.settings.day_start_hour)
        except DiaryError as error:
            self.refuse(str(error))
            return
        self.log_cramp(
            leg=self.query_one("#cramp-leg", Choice).value,
            muscle=self.query_one("#cramp-muscle", Choice).value,
            severity=severity,
            trigger=self.query_one("#cramp-trigger", Choice).value,
            note=self.query_one("#cramp-note", Input).value,
            cramp_at=cramp_at,
        )

    @work(thread=True, exclusive=True, group="cramp-log")
    def log_cramp(
        self, *, leg: str, muscle: str, severity: int, trigger: str, note: str, cramp_at: datetime | None
    ) -> None:
        """Write the entry through the store's diary, which refuses a cramp in the future."""
        try:
            entry = self.coach.context.history.diary.log(
                leg=leg, muscle=muscle, severity=severity, trigger=trigger, note=note, cramp_at=cramp_at
            )
        except CoachError as error:  # in the future, a busy or damaged history: said, never a crash
            self.app.call_from_thread(self.refuse, str(error))
            return
        self.app.call_from_thread(self.dismiss, entry)

    def refuse(self, message: str) -> None:
        """Say why nothing was logged; the form stays as it was, to be corrected."""
        self.query_one("#cramp-problem", Static).update(literal(message))
        self.add_class("-refused")


def open_cramp_dialog(app: App[object]) -> None:
    """Open the cramp form; once logged, say what was written and for which coach day."""

    def logged(entry: CrampEntry | None) -> None:
        if entry is not None:
            app.notify(
                f"{entry.describe()}. It counts for the coach day {entry.day.isoformat()}.",
                title="Cramp logged",
                timeout=8,
                markup=False,
            )

    app.push_screen(CrampDialog(), logged)
