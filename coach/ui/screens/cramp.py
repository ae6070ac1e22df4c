"""Log a cramp in a few keystrokes: when, which leg, which muscle, how bad, what may have set it off, a note."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioSet, Static
from textual.worker import Worker

from coach.diary.entries import (
    FIRST_DEFAULTS,
    LAST_NIGHT_HOUR,
    LEGS,
    MUSCLE_TITLES,
    MUSCLES,
    TRIGGERS,
    CrampDefaults,
    CrampEntry,
    DiaryError,
    cramp_defaults,
    parse_severity,
    parse_when,
    trigger_title,
)
from coach.ui.screens.forms import Choice, CurrentRow, StackedRows
from coach.ui.text import literal
from coach.ui.workers import Done, Failed, outcome

if TYPE_CHECKING:
    from coach.ui.app import CoachApp

NARROW = 86
"""Below this width the choices are stacked."""


class CrampDialog(CurrentRow, StackedRows, ModalScreen["CrampEntry | None"]):
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
        self.defaults = FIRST_DEFAULTS
        """What the form starts from until the last entry is read (then its answers, as `coach cramp` offers)."""
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
                    yield Choice([(leg, leg) for leg in LEGS], self.defaults.leg, id="cramp-leg")
                with Horizontal(classes="form-row"):
                    yield Label("Muscle", classes="form-label")
                    yield Choice(
                        [(key, MUSCLE_TITLES[key]) for key in MUSCLES], self.defaults.muscle, id="cramp-muscle"
                    )
                with Horizontal(classes="form-row"):
                    yield Label("How bad", classes="form-label")
                    yield Input(
                        str(self.defaults.severity), id="cramp-severity", type="integer", max_length=2, compact=True
                    )
                    yield Label("0 (a twinge) to 10 (the worst): type the digits", classes="form-hint")
                with Horizontal(classes="form-row"):
                    yield Label("Set off by", classes="form-label")
                    yield Choice(
                        [(key, trigger_title(key)) for key in TRIGGERS], self.defaults.trigger, id="cramp-trigger"
                    )
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
        self.read_defaults()

    @work(thread=True, exclusive=True, group="cramp-defaults", name="read cramp defaults", exit_on_error=False)
    def read_defaults(self) -> CrampDefaults:
        """The last entry's answers, read while the form is already open (keys typed meanwhile are not lost)."""
        last = self.coach.context.history.diary.entries(limit=1)
        return cramp_defaults(last[0] if last else None)

    def use_defaults(self, defaults: CrampDefaults) -> None:
        """Each field still at its starting value takes the last entry's answer; one the user has set stays."""
        leg, muscle = self.query_one("#cramp-leg", Choice), self.query_one("#cramp-muscle", Choice)
        severity = self.query_one("#cramp-severity", Input)
        if leg.value == self.defaults.leg:
            leg.value = defaults.leg
        if muscle.value == self.defaults.muscle:
            muscle.value = defaults.muscle
        if severity.value == str(self.defaults.severity):
            severity.value = str(defaults.severity)
        self.defaults = defaults

    def on_resize(self, event: events.Resize) -> None:
        """A narrow window: the choices stacked, one a line, so that none is cut off at the right."""
        self.set_class(event.size.width < NARROW, "-narrow")

    # -- choosing ------------------------------------------------------------------------------------------------

    def action_when(self, when: str) -> None:
        self.query_one("#cramp-when", Choice).value = when
        self._show_when()
        if when == "at":
            self.query_one("#cramp-at-input", Input).focus()

    @on(RadioSet.Changed, "#cramp-when")
    def _when_changed(self) -> None:
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

    @on(Button.Pressed, "#cramp-save-button")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cramp-cancel-button")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    # -- saving --------------------------------------------------------------------------------------------------

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
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

    @work(thread=True, exclusive=True, group="cramp-log", name="log cramp", exit_on_error=False)
    def log_cramp(
        self, *, leg: str, muscle: str, severity: int, trigger: str, note: str, cramp_at: datetime | None
    ) -> CrampEntry:
        """Write the entry through the store's diary, which refuses a cramp in the future."""
        return self.coach.context.history.diary.log(
            leg=leg, muscle=muscle, severity=severity, trigger=trigger, note=note, cramp_at=cramp_at
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        match outcome(event):
            case Done(result=CrampDefaults() as defaults):
                self.use_defaults(defaults)
            case Failed(name="read cramp defaults"):
                pass  # the history cannot be read now: the form keeps its first answers, and saving will say why
            case Done(result=CrampEntry() as entry):
                self.dismiss(entry)
            case Failed(message=message):  # in the future, a busy or damaged history: said on the form, never a crash
                self.refuse(message)

    def refuse(self, message: str) -> None:
        """Say why nothing was logged; the form stays as it was, to be corrected."""
        self.query_one("#cramp-problem", Static).update(literal(message))
        self.add_class("-refused")
