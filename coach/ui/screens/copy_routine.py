"""Make it mine: copy a routine with one's own hold, rest and length, validated before it is saved."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, cast

from msgspec import Struct
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static
from textual.worker import Worker

from coach.common.paths import user_routines_dir
from coach.common.problems import CoachError, ProblemsError
from coach.routines.catalog import Catalog, load_catalog
from coach.routines.customize import customized, save_user_routine
from coach.routines.durations import DurationError, format_span, parse_duration, parse_span
from coach.routines.ids import id_problem
from coach.routines.model import Group, Routine, Span, Step, StepKind, TimedStep
from coach.ui.screens.forms import CurrentRow, StackedRows
from coach.ui.text import literal
from coach.ui.workers import Done, Failed, outcome

if TYPE_CHECKING:
    from coach.ui.app import CoachApp


def _steps(steps: tuple[Step, ...]) -> Iterator[Step]:
    for step in steps:
        yield step
        if isinstance(step, Group):
            yield from _steps(step.steps)


def current_numbers(routine: Routine) -> dict[str, str]:
    """What the form starts from: the routine's hold and rest, and its main block's length ("10m..15m"); a key
    is left out when the routine has no such step (the soak has no hold)."""
    numbers: dict[str, str] = {}
    for step in _steps(routine.steps):
        if isinstance(step, TimedStep):
            if step.kind is StepKind.HOLD:
                numbers.setdefault("hold", format_span(step.time))
            elif step.kind is StepKind.REST:
                numbers.setdefault("rest", format_span(step.time))
            if step.time.is_range or step.kind is StepKind.SOAK:
                numbers.setdefault("length", format_span(step.time))
        elif isinstance(step, Group) and step.for_ is not None:
            numbers.setdefault("length", format_span(step.for_))
    return numbers


class SavedCopy(Struct, frozen=True):
    """What the save worker brings back: the new id and the routines read again with it."""

    new_id: str
    catalog: Catalog


FIELDS = (
    ("hold", "Hold", 'every hold step, e.g. "12s"'),
    ("rest", "Rest", 'every rest step, e.g. "5s"'),
    ("length", "Length", 'the timed part, e.g. "12m" or "10m..15m"'),
)


class CopyRoutineDialog(CurrentRow, StackedRows, ModalScreen[str | None]):
    """The copy's id, name, hold, rest and length; Enter saves it into the user's routines, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="copy-cancel")]

    def __init__(self, routine: Routine) -> None:
        super().__init__(id="copy-dialog")
        self.routine = routine
        self.numbers = current_numbers(routine)

    @property
    def coach(self) -> CoachApp:
        return cast("CoachApp", self.app)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog form-dialog"):  # a small window scrolls the form, buttons too
            yield Static(literal(f"Make {self.routine.name} yours"), classes="dialog-title")
            yield Static(
                Text("A copy with your own numbers goes into your routines folder; the original stays as it is."),
                classes="form-intro",
            )
            with Horizontal(classes="form-row"):
                yield Label("New id", classes="form-label")
                yield Input(f"my-{self.routine.id}", id="copy-id", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("Name", classes="form-label")
                yield Input(placeholder=f"{self.routine.name} (new id)", id="copy-name", compact=True)
            for key, label, hint in FIELDS:
                if key in self.numbers:
                    with Horizontal(classes="form-row"):
                        yield Label(label, classes="form-label")
                        yield Input(self.numbers[key], id=f"copy-{key}", classes="copy-number", compact=True)
                        yield Label(hint, classes="form-hint")
            yield Static(id="copy-problem", classes="form-problem")
            yield Static(Text("Tab: next field · Enter: save the copy · Escape: cancel"), classes="form-keys")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (Enter)", id="copy-save-button", variant="primary", compact=True)
                yield Button("Cancel (Esc)", id="copy-cancel-button", compact=True)

    def on_mount(self) -> None:
        self.query_one("#copy-id", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#copy-save-button")
    def _save_asked(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#copy-cancel-button")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        new_id = self.query_one("#copy-id", Input).value.strip()
        wrong_id = id_problem(new_id)
        if wrong_id is not None:
            self.refuse(f"{new_id!r} is not a routine id: {wrong_id} (it is the file's name)")
            return
        if new_id in self.coach.context.catalog.routines:
            self.refuse(f"there is already a routine with the id {new_id!r}: choose another id")
            return
        changed: dict[str, str] = {}
        for key in self.numbers:
            text = self.query_one(f"#copy-{key}", Input).value.strip()
            if text != self.numbers[key]:
                changed[key] = text
        try:
            hold = parse_duration(changed["hold"]) if "hold" in changed else None
            rest = parse_duration(changed["rest"]) if "rest" in changed else None
            length = parse_span(changed["length"]) if "length" in changed else None
        except DurationError as error:
            self.refuse(str(error))
            return
        name = self.query_one("#copy-name", Input).value.strip() or f"{self.routine.name} ({new_id})"
        self.save_copy(new_id, name, hold, rest, length)

    @work(thread=True, exclusive=True, group="copy-routine", name="save copy", exit_on_error=False)
    def save_copy(self, new_id: str, name: str, hold: int | None, rest: int | None, length: Span | None) -> SavedCopy:
        """Validate and write the copy (never over an existing file), then read the routines again."""
        folder = user_routines_dir()
        if (folder / f"{new_id}.toml").exists():  # a file of yours that did not load still holds the id
            raise CoachError(f"{folder / new_id}.toml already exists: choose another id")
        copy = customized(self.routine, hold=hold, rest=rest, length=length, name=name)
        try:
            save_user_routine(copy, new_id, folder, origin=self.routine.id)
        except ProblemsError as error:  # said in the form's words: what would be wrong with the copy
            messages = "; ".join(problem.message for problem in error.problems)
            raise CoachError(f"This copy would not be a valid routine: {messages}") from None
        return SavedCopy(new_id, load_catalog())

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        match outcome(event):
            case Done(result=SavedCopy() as saved):
                self.coach.context.catalog = saved.catalog
                self.dismiss(saved.new_id)
            case Failed(message=message):
                self.refuse(message)

    def refuse(self, message: str) -> None:
        """Say why nothing was saved; the form stays as it was, to be corrected."""
        self.query_one("#copy-problem", Static).update(literal(message))
        self.add_class("-refused")
