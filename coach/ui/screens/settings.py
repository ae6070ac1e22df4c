"""Settings: the day-start hour, reminders, sounds, spoken cues, notifications, the theme, preferred lengths within
each routine's range and the sync folder. Ctrl+S writes settings.toml; Escape leaves it as it was."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar, cast

from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Button, Header, Input, Label, Select, Static, Switch

from coach.config.settings import (
    REMINDER_SLOTS,
    SOUNDS,
    Settings,
    current,
    length_bounds,
    length_problem,
    load_settings,
    parse_reminder_time,
    updating_settings,
)
from coach.routines.durations import format_duration
from coach.routines.model import Routine
from coach.ui.screens.forms import CurrentRow
from coach.ui.text import literal, printable
from coach.ui.widgets.footer import CoachFooter

if TYPE_CHECKING:
    from coach.ui.app import CoachApp

SPEECH_PROGRAMS = (
    ("automatic (the first installed)", ""),
    ("espeak-ng", "espeak-ng"),
    ("spd-say", "spd-say"),
    ("say", "say"),
)
REMINDER_LABELS = {"morning": "Morning", "evening": "Evening", "bedtime": "Bedtime"}
NARROW = 70
"""Below this width each row's help goes under its label and field (beside them it would be a few letters wide)."""

Value = TypeVar("Value", str, str | int)
Change = Callable[[Settings], None]
"""What the form sets, applied to the settings as they are in the file when the save happens."""


class LengthWithin(Validator):
    """Marks a length input invalid while it is not a duration within the routine's range."""

    def __init__(self, bounds: tuple[int, int]) -> None:
        super().__init__()
        self.bounds = bounds

    def validate(self, value: str) -> ValidationResult:
        problem = length_problem(value, self.bounds)
        return self.failure(problem) if problem else self.success()


class ReminderTime(Validator):
    """Marks a reminder input invalid while it is neither empty (no reminder) nor a time "HH:MM"."""

    def validate(self, value: str) -> ValidationResult:
        return self.failure(reminder_problem(value)) if reminder_problem(value) else self.success()


def reminder_problem(text: str) -> str | None:
    """Why a typed reminder time cannot be used, or None (empty means no reminder)."""
    if not text.strip():
        return None
    try:
        parse_reminder_time(text)
    except ValueError as error:
        return str(error)
    return None


def length_value(text: str) -> str | int:
    """A typed length as settings.toml keeps it: whole seconds as a number (as the README writes them), else
    the text ("18m")."""
    return int(text) if text.isascii() and text.isdigit() else text


class SettingsScreen(CurrentRow, Screen[None]):
    """A form over `context.settings`; nothing is written until Ctrl+S (or the Save button)."""

    SUB_TITLE = "Settings"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="settings-save"),
        Binding("escape", "leave", "Back without saving", id="settings-back"),
    ]

    def __init__(self) -> None:
        super().__init__(id="settings")
        self.original_theme = ""
        self.length_inputs: dict[str, Input] = {}
        """The preferred-length field of each routine with a range, by routine id (ids are not widget ids: a
        routine may be called `meine-übungen` or `foot-soak.v2`)."""

    @property
    def coach(self) -> CoachApp:
        return cast("CoachApp", self.app)

    def compose(self) -> ComposeResult:
        settings = self.coach.context.settings
        themes = sorted(self.app.available_themes)
        speech = list(SPEECH_PROGRAMS)
        if settings.speech_program not in {value for _, value in speech}:
            speech.append((printable(settings.speech_program), settings.speech_program))
        yield Header(show_clock=False)
        with VerticalScroll(id="settings-form"):
            yield Static(id="settings-problems")
            yield Static(Text("Your day"), classes="section-title")
            yield from form_row(
                "Day starts at",
                Select(
                    [(f"{hour:02d}:00", hour) for hour in range(13)],
                    value=settings.day_start_hour,
                    allow_blank=False,
                    compact=True,
                    id="settings-day-start",
                ),
                hint="a session before this hour counts for the day before",
            )
            yield Static(Text("Reminders"), classes="section-title")
            yield Static(
                Text(
                    "A desktop notification at this time when the slot is still to do (empty: none). "
                    "`coach remind install` sets up the timer that sends them."
                ),
                classes="form-hint settings-intro",
            )
            for slot in REMINDER_SLOTS:
                yield from form_row(
                    REMINDER_LABELS[slot],
                    Input(
                        settings.reminders.get(slot, ""),
                        placeholder="none",
                        validators=[ReminderTime()],
                        valid_empty=True,
                        compact=True,
                        id=f"reminder-{slot}",
                        classes="settings-time",
                    ),
                    hint="HH:MM, 24-hour clock",
                )
            yield Static(Text("Cues"), classes="section-title")
            yield from form_row(
                "Sounds",
                Switch(settings.sound, id="settings-sound"),
                Label(_on_off(settings.sound), id="settings-sound-state", classes="switch-state"),
                hint="a ring at each change (the terminal's bell)",
            )
            yield from form_row(
                "How much sound",
                Select(
                    [(value, value) for value in SOUNDS],
                    value=settings.sounds,
                    allow_blank=False,
                    compact=True,
                    id="settings-sounds",
                ),
                hint='"starts and the end": no ring before a step ends',
            )
            yield from form_row(
                "Spoken cues",
                Switch(settings.voice, id="settings-voice"),
                Label(_on_off(settings.voice), id="settings-voice-state", classes="switch-state"),
                hint="say each step aloud",
            )
            yield from form_row(
                "Speech program",
                Select(speech, value=settings.speech_program, allow_blank=False, compact=True, id="settings-speech"),
            )
            yield from form_row(
                "Notifications",
                Switch(settings.notifications, id="settings-notifications"),
                Label(_on_off(settings.notifications), id="settings-notifications-state", classes="switch-state"),
                hint="desktop notifications for reminders and the end",
            )
            yield from form_row(
                "Theme",
                Select(
                    [(name, name) for name in themes],
                    value=self.app.theme if self.app.theme in themes else themes[0],
                    allow_blank=False,
                    compact=True,
                    id="settings-theme",
                ),
                hint="shown at once; kept when you save",
            )
            yield Static(Text("Preferred lengths"), classes="section-title")
            yield Static(
                Text("Where a routine has a range, it ends by itself at your length (empty: at the longest)."),
                classes="form-hint settings-intro",
            )
            ranged = self._ranged_routines()
            names = [routine.name for routine, _ in ranged]
            for number, (routine, bounds) in enumerate(ranged):
                hint = f"{format_duration(bounds[0])} to {format_duration(bounds[1])}"
                if names.count(routine.name) > 1:  # two routines of one name (a copy): the id tells them apart
                    hint += f" · {routine.id}"
                field = Input(
                    str(settings.lengths.get(routine.id, "")),
                    placeholder="longest",
                    validators=[LengthWithin(bounds)],
                    valid_empty=True,
                    compact=True,
                    id=f"length-{number}",
                    classes="settings-length",
                )
                self.length_inputs[routine.id] = field
                yield from form_row(literal(routine.name), field, hint=literal(hint))
            yield Static(Text("Sync"), classes="section-title")
            yield from form_row(
                "Sync folder",
                Input(settings.sync_folder, placeholder="off", compact=True, id="settings-sync-folder"),
            )
            yield Static(
                Text(
                    "A folder your file-sync tool (Syncthing, Nextcloud, Dropbox...) shares between your devices "
                    "(empty: off); `coach sync` merges their histories there."
                ),
                classes="form-hint settings-intro",
            )
            yield Static(id="settings-refused", classes="form-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (Ctrl+S)", id="settings-save-button", variant="primary", compact=True)
                yield Button("Back (Esc)", id="settings-back-button", compact=True)
        yield CoachFooter()

    def _ranged_routines(self) -> list[tuple[Routine, tuple[int, int]]]:
        found = []
        for routine in sorted(self.coach.context.catalog.routines.values(), key=lambda r: (r.name, r.id)):
            bounds = length_bounds(routine)
            if bounds is not None:
                found.append((routine, bounds))
        return found

    def on_mount(self) -> None:
        self.original_theme = self.app.theme
        self.query_one("#settings-day-start", Select).focus()
        self.read_problems()

    def on_resize(self, event: events.Resize) -> None:
        """A narrow window: each row's help under its label and field, so that nothing is cut off at the right."""
        self.set_class(event.size.width < NARROW, "-narrow")

    @work(thread=True, exclusive=True, group="settings-read", name="read settings problems", exit_on_error=False)
    def read_problems(self) -> None:
        """Read settings.toml again (it may have been edited since coach started) for its located problems,
        lengths outside the installed routines' ranges among them."""
        loaded = load_settings().with_routines(self.coach.context.catalog.routines)
        self.app.call_from_thread(self.show_problems, [str(problem) for problem in loaded.problems])

    def show_problems(self, problems: list[str]) -> None:
        panel = self.query_one("#settings-problems", Static)
        if not problems:
            panel.remove_class("-shown")
            return
        text = Text("settings.toml has mistakes; coach uses the defaults for what is wrong:\n", style="bold")
        for problem in problems:
            text.append(printable(problem) + "\n")
        text.append("The file is only rewritten when you save here (Ctrl+S), with the values shown below.")
        panel.update(text)
        panel.add_class("-shown")

    def on_switch_changed(self, event: Switch.Changed) -> None:
        self.query_one(f"#{event.switch.id}-state", Label).update(_on_off(event.value))

    @on(Select.Changed, "#settings-theme")
    def show_theme(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.app.theme = event.value  # seen at once; Escape puts the old one back

    @on(Button.Pressed, "#settings-save-button")
    def save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#settings-back-button")
    def back_pressed(self) -> None:
        self.action_leave()

    def action_leave(self) -> None:
        self.app.theme = self.original_theme
        self.app.pop_screen()

    def chosen(self) -> Change | tuple[str, Input]:
        """What the form sets, or why it cannot be saved and the field to correct."""
        reminders = {}
        for slot in REMINDER_SLOTS:
            field = self.query_one(f"#reminder-{slot}", Input)
            problem = reminder_problem(field.value)
            if problem:
                return f"{REMINDER_LABELS[slot]} reminder: {problem}. Nothing was saved.", field
            text = field.value.strip()
            reminders[slot] = f"{parse_reminder_time(text):%H:%M}" if text else ""
        lengths: dict[str, str | int] = {}
        for routine, bounds in self._ranged_routines():
            field = self.length_inputs[routine.id]
            problem = length_problem(field.value, bounds)
            if problem:
                return f"{routine.name}: {problem}. Nothing was saved.", field
            lengths[routine.id] = length_value(field.value.strip())
        day_start_hour = int(cast(int, self.query_one("#settings-day-start", Select).value))
        sound = self.query_one("#settings-sound", Switch).value
        sounds = str(self.query_one("#settings-sounds", Select).value)
        voice = self.query_one("#settings-voice", Switch).value
        speech_program = str(self.query_one("#settings-speech", Select).value)
        notifications = self.query_one("#settings-notifications", Switch).value
        theme = str(self.query_one("#settings-theme", Select).value)
        sync_folder = self.query_one("#settings-sync-folder", Input).value.strip()

        def change(settings: Settings) -> None:
            settings.day_start_hour = day_start_hour
            settings.sound = sound
            settings.sounds = sounds
            settings.voice = voice
            settings.speech_program = speech_program
            settings.notifications = notifications
            settings.theme = theme
            settings.sync_folder = sync_folder
            _set_or_drop(settings.reminders, reminders)
            _set_or_drop(settings.lengths, lengths)  # routines not installed now keep their lengths

        return change

    def action_save(self) -> None:
        chosen = self.chosen()
        if isinstance(chosen, tuple):
            message, field = chosen
            self.query_one("#settings-refused", Static).update(literal(message))
            self.add_class("-refused")
            field.focus()  # scrolled to, to be corrected
            self.notify(message, title="Settings not saved", severity="error", timeout=10, markup=False)
            return
        self.write(chosen)

    @work(thread=True, exclusive=True, group="settings-write", name="write settings", exit_on_error=False)
    def write(self, change: Change) -> None:
        """Apply the form to settings.toml as it is now (a value edited by hand meanwhile, in a field the form does
        not show, is kept) and write it back atomically."""
        try:
            with updating_settings() as settings:
                change(settings)
        except OSError as error:
            message = f"settings.toml cannot be written: {error.strerror or error}. Nothing was saved."
            self.app.call_from_thread(
                self.notify, message, title="Settings not saved", severity="error", timeout=20, markup=False
            )
            return
        self.app.call_from_thread(self.saved, current())

    def saved(self, settings: Settings) -> None:
        self.coach.context.settings = settings  # the plan, history and next session read it from here
        self.notify("Saved in settings.toml.", title="Settings", timeout=8, markup=False)
        self.app.pop_screen()


def form_row(label: str | Text, *fields: Widget, hint: str | Text = "") -> Iterator[Widget]:
    """A settings row: its label, its fields, and a help text that wraps beside them (under them in a narrow
    window, where beside them it would be squeezed to a few letters a line)."""
    beside = [Label(hint, classes="form-hint -beside")] if hint else []
    yield Horizontal(Label(label, classes="settings-label"), *fields, *beside, classes="form-row")
    if hint:
        yield Label(hint, classes="form-hint -under")


def _set_or_drop(table: dict[str, Value], chosen: dict[str, Value]) -> None:
    """Each chosen entry set in `table`, or removed from it when empty."""
    for key, value in chosen.items():
        if value == "":
            table.pop(key, None)
        else:
            table[key] = value


def _on_off(value: bool) -> str:
    """A switch's state in words, so that it reads without colour too."""
    return "on" if value else "off"


def open_settings(app: App[Any]) -> None:
    """Show the settings (once: asking again from them does nothing)."""
    if not isinstance(app.screen, SettingsScreen):
        app.push_screen(SettingsScreen())
