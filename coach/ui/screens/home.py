"""Home: today's plan (morning, evening, bedtime) with what is due now, the routines to start, and the streaks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from coach.common.problems import Problem
from coach.days.day import slot_of_hour
from coach.routines.durations import format_duration
from coach.routines.model import SLOT_ORDER, Routine
from coach.store.plan import SLOT_LABELS, STATE_LABELS, STATE_MARKS, due_slot, slots_today
from coach.ui.messages import HistoryChanged, RoutinesChanged
from coach.ui.text import literal, printable
from coach.ui.widgets.footer import CoachFooter
from coach.ui.workers import Done, Failed, outcome

if TYPE_CHECKING:
    from coach.days.streaks import Streak, StreakReport
    from coach.store.plan import SlotToday
    from coach.store.records import TodayView
    from coach.ui.app import CoachApp

NARROW = 64
"""Below this width the streaks move into the plan's lines (the routines and the streaks side by side need 64)."""
SHORT = 20
"""Below this height (or width) the routines take one line each."""
BROKEN = "broken:"
"""Option ids of routine files that did not load start with this: shown, never started."""


def routine_length(routine: Routine) -> str:
    """ "15m..20m" style length of a routine, as the user reads it."""
    low, high = routine.min_seconds, routine.max_seconds
    return format_duration(low) if low == high else f"{format_duration(low)}–{format_duration(high)}"


class RoutineList(OptionList):
    """The routines to start: Enter starts the highlighted one, and the footer says so.

    The key stays with the list (not a priority binding on the screen), so a Down typed just before Enter has moved
    the highlight before Enter is handled: both keys take the same path, in order."""

    BINDINGS = [Binding("enter", "select", "Start", id="start")]


class HomeScreen(Screen[None]):
    """Today's plan; Enter starts the selected routine, which is the one due now until the user moves."""

    BINDINGS = [
        Binding("h", "history", "History", id="history"),
        Binding("c", "cramp", "Log cramp", id="cramp"),
        Binding("e", "copy_routine", "Make it mine", id="copy-routine"),
        Binding("s", "settings", "Settings", id="settings"),
        Binding("w", "why", "Why", id="why"),
        Binding("r", "refresh", "Refresh", id="refresh", show=False),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]
    FOOTER_DROP: ClassVar[tuple[str, ...]] = ("why", "settings", "copy-routine", "cramp", "history")
    """The footer's keys that go first when the window is narrow; Start and Quit always stay."""

    def __init__(self) -> None:
        super().__init__()
        self.view: TodayView | None = None
        self._placed: str | None = None
        """The routine this screen put the cursor on (what is due now); once the user moves, it stays theirs."""

    @property
    def coach(self) -> CoachApp:
        return cast("CoachApp", self.app)

    def compose(self) -> ComposeResult:
        # A flat tree, titles in the borders: every widget costs time before the first frame.
        yield Static(Text("Today"), id="today-title")
        with Vertical(id="slots"):  # the lines are there from the first frame: the plan fills them in one frame
            for slot in self.coach.context.planned:
                yield Static(_waiting_line(slot), classes="slot")
            yield Static(classes="slot -whole-day")
        with Horizontal(id="home-columns"):
            routines = RoutineList(*self._routine_options(), id="routines")
            routines.border_title = "Routines"
            yield routines
            streaks = Static(_waiting_streaks(self.coach.context.planned), id="streaks")
            streaks.border_title = "Streaks"
            yield streaks
        yield CoachFooter()

    def _routine_options(self) -> list[Option]:
        size = self.app.size
        one_line = size.height < SHORT or size.width < NARROW  # the slots are in the plan above
        options = []
        for routine in sorted(self.coach.context.catalog.routines.values(), key=_routine_order):
            if one_line:
                label = Text.assemble((printable(routine.name), "bold"), (f" · {routine_length(routine)}", "dim"))
            else:
                slots = ", ".join(slot.value for slot in routine.slots)
                label = Text.assemble(
                    (printable(routine.name), "bold"), (f"\n{slots} · {routine_length(routine)}", "dim")
                )
            options.append(Option(label, id=routine.id))
        for path, problems in self.coach.context.catalog.broken.items():
            options.append(Option(_broken_label(path, problems), id=f"{BROKEN}{path}", disabled=True))
        return options

    def on_mount(self) -> None:
        self.query_one("#routines", OptionList).focus()
        self._place_cursor(slot_of_hour(self.coach.context.clock.wall(), self.coach.context.settings.day_start_hour))
        self.coach.signals.history_changed.subscribe(self, self._history_changed)
        self.coach.signals.routines_changed.subscribe(self, self._routines_changed)

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        short = event.size.height < SHORT
        if narrow != self.has_class("-narrow") or short != self.has_class("-short"):
            self.set_class(narrow, "-narrow")
            self.set_class(short, "-short")
            self.show_routines()
            if self.view is not None:
                self.show_plan(self.view)

    def on_screen_resume(self) -> None:
        """Shown first or again: read the plan now; coming back also catches a new coach day."""
        self.refresh_plan()

    def _history_changed(self, change: HistoryChanged) -> None:
        if self.is_current:
            self.refresh_plan()  # otherwise coming back reads it

    def _routines_changed(self, change: RoutinesChanged) -> None:
        self.show_routines(highlight=change.highlight)
        self.refresh_plan()

    def action_refresh(self) -> None:
        self.refresh_plan()

    @work(thread=True, exclusive=True, group="home-plan", name="read today", exit_on_error=False)
    def refresh_plan(self) -> TodayView:
        """Read today's plan from the store off the event loop."""
        self.coach.recordings.close_ended()
        context = self.coach.context
        return context.history.today_view(context.planned)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        match outcome(event):
            case Done(name="read today", result=view):
                self.show_plan(cast("TodayView", view))
            case Failed(message=message):
                self.show_problem(message)

    def show_problem(self, message: str) -> None:
        """The history could not be read: said in the streaks' box and a notification; today's lines say so too,
        instead of waiting for ever."""
        self.query_one("#streaks", Static).update(literal(message))
        lines = list(self.query_one("#slots", Vertical).query_children(Static))
        for widget, slot in zip(lines, self.coach.context.planned, strict=False):
            widget.update(_waiting_line(slot, "not read: see the message"))
        self.notify(message, title="History", severity="error", timeout=20, markup=False)

    def show_plan(self, view: TodayView) -> None:
        slots = self.query_one("#slots", Vertical)
        if not slots.is_attached:
            return  # the app is closing (q pressed before the plan was read): nothing left to show it in
        self.view = view
        self.query_one("#today-title", Static).update(Text(f"Today · {view.today:%A %-d %B}"))
        catalog = self.coach.context.catalog
        items = slots_today(view, list(catalog.routines.values()))
        of_hour = slot_of_hour(self.coach.context.clock.wall(), self.coach.context.settings.day_start_hour)
        due = due_slot(items, of_hour)
        narrow = self.has_class("-narrow")
        streaks = {item.slot: item.streak for item in view.streaks.slots} if narrow else {}
        state_width = max((len(_state_label(item)) for item in items), default=0) + 2
        lines = [
            (
                _plan_line(item, catalog.routines, state_width, now=_due_mark(item.slot, due, of_hour), streak=streaks),
                f"slot -{item.state.value}" + (" -due" if item.slot == due else ""),
            )
            for item in items
        ]
        lines.append((_whole_day_line(view.streaks.day_plan), "slot -whole-day"))  # shown in a narrow window
        shown = list(slots.query_children(Static))
        with self.app.batch_update():
            if len(shown) == len(lines):  # updated in place: drawn in one frame, nothing moves
                for widget, (text, classes) in zip(shown, lines, strict=True):
                    widget.update(text)
                    widget.set_classes(classes)
            else:  # the routines changed what is planned
                slots.remove_children()
                slots.mount_all(Static(text, classes=classes) for text, classes in lines)
            self.query_one("#streaks", Static).update(_streak_text(view.streaks))
        if due is not None:
            self._place_cursor(due)

    def _place_cursor(self, slot: str) -> None:
        """The cursor on the first routine for `slot`, unless the user has moved it since this screen placed it."""
        option_list = self.query_one("#routines", OptionList)
        current = self.highlighted_routine()
        if current is not None and self._placed is not None and current != self._placed:
            return
        for index, option in enumerate(option_list.options):
            routine = self.coach.context.catalog.get(option.id or "")
            if routine is not None and slot in routine.slots:
                option_list.highlighted = index
                self._placed = routine.id
                return

    @on(OptionList.OptionSelected, "#routines")
    def _start(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and not event.option.id.startswith(BROKEN):
            self.coach.start_routine(event.option.id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Make it mine needs a routine under the cursor (a list of only broken files has none): greyed out."""
        if action == "copy_routine":
            return self.highlighted_routine() is not None or None
        return True

    @on(OptionList.OptionHighlighted, "#routines")
    def _highlighted(self) -> None:
        self.refresh_bindings()

    def action_history(self) -> None:
        self.coach.open_history()

    def action_cramp(self) -> None:
        self.coach.open_cramp_dialog()

    def action_copy_routine(self) -> None:
        routine_id = self.highlighted_routine()
        if routine_id is not None:
            self.coach.open_copy_dialog(routine_id)

    def action_settings(self) -> None:
        self.coach.open_settings()

    def action_why(self) -> None:
        self.coach.open_why()

    def highlighted_routine(self) -> str | None:
        """The id of the routine under the cursor in the list."""
        option_list = self.query_one("#routines", OptionList)
        if option_list.highlighted is None:
            return None
        option_id = option_list.get_option_at_index(option_list.highlighted).id
        return None if option_id is None or option_id.startswith(BROKEN) else option_id

    def show_routines(self, highlight: str | None = None) -> None:
        """List the catalog's routines again (a copy was saved, the window changed), the cursor on `highlight`."""
        option_list = self.query_one("#routines", OptionList)
        current = highlight or self.highlighted_routine()
        option_list.clear_options()
        option_list.add_options(self._routine_options())
        ids = [option.id for option in option_list.options]
        if current in ids:
            option_list.highlighted = ids.index(current)
            if highlight is not None:
                self._placed = None  # the user's own choice now
        elif ids and not option_list.options[0].disabled:
            option_list.highlighted = 0


def _routine_order(routine: Routine) -> tuple[int, str]:
    return (min(SLOT_ORDER.index(slot) for slot in routine.slots), routine.name)


def _broken_label(path: Path, problems: list[Problem]) -> Text:
    """A routine file that did not load, with where and what (as `coach validate` says it), never to be started."""
    text = Text.assemble(("⚠ ", "bold"), (printable(path.name), "bold"), " not loaded")
    for problem in problems[:3]:
        text.append(f"\nline {problem.line}: {printable(problem.message)}", style="dim")
    if len(problems) > 3:
        text.append(f"\n… {len(problems) - 3} more: coach validate {printable(str(path))}", style="dim")
    return text


def _state_label(item: SlotToday) -> str:
    return STATE_LABELS[item.state]


def _due_mark(slot: str, due: str | None, of_hour: str) -> str:
    if slot != due:
        return ""
    return "now" if slot == of_hour else "next"


def _plan_line(
    item: SlotToday, routines: dict[str, Routine], state_width: int, *, now: str, streak: dict[str, Streak]
) -> Text:
    """One slot of today: its mark, name and state, `◀ now` when it is due, then its routines (or, in a narrow
    window, its streak). Names never end on a comma: a line too long ends with an ellipsis (in the stylesheet)."""
    line = Text.assemble(
        (f" {STATE_MARKS[item.state]} ", "bold"),
        (f"{SLOT_LABELS[item.slot]:<9}", "bold"),
        f"{_state_label(item):<{state_width}}",
    )
    line.append(f"◀ {now}" if now else "", style="bold reverse")
    line.append(" " * (8 - len(f"◀ {now}")) if now else " " * 8)
    if item.slot in streak:
        days = streak[item.slot].current
        line.append(f"{days} {'day' if days == 1 else 'days'}", style="dim")
    else:
        names = ", ".join(printable(routines[r].name) for r in item.routine_ids if r in routines)
        line.append(names, style="dim")
    return line


def _waiting_line(slot: str, state: str = "…") -> Text:
    """A slot of today before the history is read (its state still to come), or when it could not be read."""
    return Text.assemble((" · ", "bold"), (f"{SLOT_LABELS[slot]:<9}", "bold"), (state, "dim"))


def _whole_day_line(streak: Streak) -> Text:
    days = "day" if streak.current == 1 else "days"
    return Text.assemble(
        ("   Streaks", "bold"), " · whole day ", f"{streak.current} {days}", (f" · best {streak.longest}", "dim")
    )


def _streak_text(report: StreakReport) -> Text:
    rows = [(SLOT_LABELS[item.slot], item.streak) for item in report.slots if item.planned]
    rows.append(("Whole day", report.day_plan))
    return _streak_rows([(label, streak.current, streak.longest) for label, streak in rows])


def _waiting_streaks(planned: tuple[str, ...]) -> Text:
    """The streaks before the history is read: the same rows, the same width, the numbers still to come (so
    nothing moves when they arrive)."""
    return _streak_rows([(label, "…", "…") for label in [*(SLOT_LABELS[slot] for slot in planned), "Whole day"]])


def _streak_rows(rows: list[tuple[str, int | str, int | str]]) -> Text:
    text = Text()
    for label, current, longest in rows:
        days = "day" if current == 1 else "days"
        text.append(f"{label:<10}", style="bold")
        text.append(f"{current:>3} {days:<5}")
        text.append(f" longest {longest}\n", style="dim")
    text.rstrip()
    return text
