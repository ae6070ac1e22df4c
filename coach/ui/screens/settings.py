"""Settings: the day-start hour, sounds, spoken cues, notifications, the theme, and preferred lengths within each
routine's range. Ctrl+S writes settings.toml; Escape leaves it as it was."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static, Switch

from coach.config.settings import SOUNDS
from coach.routines.durations import DurationError, format_duration, parse_duration
from coach.routines.model import Group, Routine, Step, TimedStep
from coach.ui.screens.forms import CurrentRow
from coach.ui.text import literal, printable

if TYPE_CHECKING:
    from textual.app import App

    from coach.config.settings import Settings
    from coach.ui.app import CoachApp

SPEECH_PROGRAMS = (
    ("automatic (the first installed)", ""),
    ("espeak-ng", "espeak-ng"),
    ("spd-say", "spd-say"),
    ("say", "say"),
)


def ranged_bounds(routine: Routine) -> tuple[int, int] | None:
    """The shortest and longest a routine's ranged parts may last (heel raises 10m..15m, the soak 15m..20m), or
    None when it has none: a preferred length is chosen within these."""
    spans = []

    def walk(steps: tuple[Step, ...]) -> None:
        for step in steps:
            if isinstance(step, TimedStep) and step.time.is_range:
                spans.append(step.time)
            elif isinstance(step, Group):
                if step.for_ is not None and step.for_.is_range:
                    spans.append(step.for_)
                walk(step.steps)

    walk(routine.steps)
    return (min(span.low for span in spans), max(span.high for span in spans)) if spans else None


def length_problem(text: str, bounds: tuple[int, int]) -> str | None:
    """Why a typed preferred length cannot be used, or None (empty means no preference)."""
    if not text.strip():
        return None
    try:
        seconds = parse_duration(text.strip())
    except DurationError as error:
        return str(error)
    low, high = bounds
    if not low <= seconds <= high:
        return f"{text.strip()} is outside {format_duration(low)} to {format_duration(high)}"
    return None


class LengthWithin(Validator):
    """Marks a length input invalid while it is not a duration within the routine's range."""

    def __init__(self, bounds: tuple[int, int]) -> None:
        super().__init__()
        self.bounds = bounds

    def validate(self, value: str) -> ValidationResult:
        problem = length_problem(value, self.bounds)
        return self.failure(problem) if problem else self.success()


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
            with Horizontal(classes="form-row"):
                yield Label("Day starts at", classes="settings-label")
                yield Select(
                    [(f"{hour:02d}:00", hour) for hour in range(13)],
                    value=settings.day_start_hour,
                    allow_blank=False,
                    compact=True,
                    id="settings-day-start",
                )
                yield Label("a session before this hour counts for the day before", classes="form-hint")
            yield Static(Text("Cues"), classes="section-title")
            with Horizontal(classes="form-row"):
                yield Label("Sounds", classes="settings-label")
                yield Switch(settings.sound, id="settings-sound")
                yield Label(_on_off(settings.sound), id="settings-sound-state", classes="switch-state")
                yield Label("a ring at each change (the terminal's bell)", classes="form-hint")
            with Horizontal(classes="form-row"):
                yield Label("How much sound", classes="settings-label")
                yield Select(
                    [(value, value) for value in SOUNDS],
                    value=settings.sounds,
                    allow_blank=False,
                    compact=True,
                    id="settings-sounds",
                )
                yield Label("starts and the end: no 3-2-1 ring", classes="form-hint")
            with Horizontal(classes="form-row"):
                yield Label("Spoken cues", classes="settings-label")
                yield Switch(settings.voice, id="settings-voice")
                yield Label(_on_off(settings.voice), id="settings-voice-state", classes="switch-state")
                yield Label("say each step aloud", classes="form-hint")
            with Horizontal(classes="form-row"):
                yield Label("Speech program", classes="settings-label")
                yield Select(
                    speech, value=settings.speech_program, allow_blank=False, compact=True, id="settings-speech"
                )
            with Horizontal(classes="form-row"):
                yield Label("Notifications", classes="settings-label")
                yield Switch(settings.notifications, id="settings-notifications")
                yield Label(_on_off(settings.notifications), id="settings-notifications-state", classes="switch-state")
                yield Label("desktop notifications for reminders and the end", classes="form-hint")
            with Horizontal(classes="form-row"):
                yield Label("Theme", classes="settings-label")
                yield Select(
                    [(name, name) for name in themes],
                    value=self.app.theme if self.app.theme in themes else themes[0],
                    allow_blank=False,
                    compact=True,
                    id="settings-theme",
                )
                yield Label("shown at once; kept when you save", classes="form-hint")
            yield Static(Text("Preferred lengths"), classes="section-title")
            yield Static(
                Text("Where a routine has a range, it ends by itself at your length (empty: at the longest)."),
                classes="form-hint settings-intro",
            )
            for routine, bounds in self._ranged_routines():
                low, high = format_duration(bounds[0]), format_duration(bounds[1])
                with Horizontal(classes="form-row"):
                    yield Label(literal(routine.name), classes="settings-label")
                    yield Input(
                        settings.lengths.get(routine.id, ""),
                        placeholder="longest",
                        validators=[LengthWithin(bounds)],
                        valid_empty=True,
                        compact=True,
                        id=f"length-{routine.id}",
                        classes="settings-length",
                    )
                    yield Label(f"{low} to {high}", classes="form-hint")
            yield Static(id="settings-refused", classes="form-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (Ctrl+S)", id="settings-save-button", variant="primary", compact=True)
                yield Button("Back (Esc)", id="settings-back-button", compact=True)
        yield Footer()

    def _ranged_routines(self) -> list[tuple[Routine, tuple[int, int]]]:
        found = []
        for routine in sorted(self.coach.context.catalog.routines.values(), key=lambda r: (r.name, r.id)):
            bounds = ranged_bounds(routine)
            if bounds is not None:
                found.append((routine, bounds))
        return found

    def on_mount(self) -> None:
        self.original_theme = self.app.theme
        self.query_one("#settings-day-start", Select).focus()
        self.read_problems()

    @work(thread=True, exclusive=True, group="settings-read")
    def read_problems(self) -> None:
        """Read settings.toml again (it may have been edited since coach started) for its located problems."""
        from coach.config.settings import load_settings

        problems = [str(problem) for problem in load_settings().problems]
        self.app.call_from_thread(self.show_problems, problems)

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

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "settings-theme" and isinstance(event.value, str):
            self.app.theme = event.value  # seen at once; Escape puts the old one back

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "settings-save-button":
            self.action_save()
        else:
            self.action_leave()

    def action_leave(self) -> None:
        self.app.theme = self.original_theme
        self.app.pop_screen()

    def chosen(self) -> Settings | str:
        """The settings the form shows, or why they cannot be saved."""
        current = self.coach.context.settings
        lengths = dict(current.lengths)  # routines not installed now keep their lengths
        for routine, bounds in self._ranged_routines():
            text = self.query_one(f"#length-{routine.id}", Input).value.strip()
            problem = length_problem(text, bounds)
            if problem:
                return f"{routine.name}: {problem}. Nothing was saved."
            if text:
                lengths[routine.id] = text
            else:
                lengths.pop(routine.id, None)
        return replace(
            current,
            day_start_hour=int(cast(int, self.query_one("#settings-day-start", Select).value)),
            sound=self.query_one("#settings-sound", Switch).value,
            sounds=str(self.query_one("#settings-sounds", Select).value),
            voice=self.query_one("#settings-voice", Switch).value,
            speech_program=str(self.query_one("#settings-speech", Select).value),
            notifications=self.query_one("#settings-notifications", Switch).value,
            theme=str(self.query_one("#settings-theme", Select).value),
            lengths=lengths,
        )

    def action_save(self) -> None:
        chosen = self.chosen()
        if isinstance(chosen, str):
            self.query_one("#settings-refused", Static).update(literal(chosen))
            self.add_class("-refused")
            self.notify(chosen, title="Settings not saved", severity="error", timeout=10, markup=False)
            return
        self.write(chosen)

    @work(thread=True, exclusive=True, group="settings-write")
    def write(self, settings: Settings) -> None:
        from coach.config.settings import save_settings

        try:
            save_settings(settings)
        except OSError as error:
            message = f"settings.toml cannot be written: {error.strerror or error}. Nothing was saved."
            self.app.call_from_thread(
                self.notify, message, title="Settings not saved", severity="error", timeout=20, markup=False
            )
            return
        self.app.call_from_thread(self.saved, settings)

    def saved(self, settings: Settings) -> None:
        self.coach.context.settings = settings  # the plan, history and next session read it from here
        self.notify("Saved in settings.toml.", title="Settings", timeout=8, markup=False)
        self.app.pop_screen()


def _on_off(value: bool) -> str:
    """A switch's state in words, so that it reads without colour too."""
    return "on" if value else "off"


def open_settings(app: App[object]) -> None:
    """Show the settings (once: asking again from them does nothing)."""
    if not isinstance(app.screen, SettingsScreen):
        app.push_screen(SettingsScreen())
