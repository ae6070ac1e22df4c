"""Home: today's plan (morning, evening, bedtime), the routines to start, and the current streaks."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from coach.common.problems import CoachError
from coach.routines.durations import format_duration
from coach.routines.model import Routine
from coach.ui.text import literal, printable

if TYPE_CHECKING:
    from coach.days.streaks import StreakReport
    from coach.store.records import TodayView
    from coach.ui.app import CoachApp


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
    """Today's plan; Enter starts the selected routine."""

    @property
    def coach(self) -> CoachApp:
        return cast("CoachApp", self.app)

    BINDINGS = [
        Binding("h", "history", "History", id="history"),
        Binding("c", "cramp", "Log cramp", id="cramp"),
        Binding("e", "copy_routine", "Make it mine", id="copy-routine"),
        Binding("s", "settings", "Settings", id="settings"),
        Binding("w", "why", "Why", id="why"),
        Binding("r", "refresh", "Refresh", id="refresh", show=False),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    def compose(self) -> ComposeResult:
        # A flat tree, titles in the borders: every widget costs time before the first frame.
        yield Static(Text("Today"), id="today-title")
        yield Vertical(id="slots")
        with Horizontal(id="home-columns"):
            routines = RoutineList(*self._routine_options(), id="routines")
            routines.border_title = "Routines"
            yield routines
            streaks = Static(Text("…"), id="streaks")
            streaks.border_title = "Streaks"
            yield streaks
        yield Footer()

    def _routine_options(self) -> list[Option]:
        options = []
        for routine in sorted(self.coach.context.catalog.routines.values(), key=_routine_order):
            label = Text.assemble(
                (printable(routine.name), "bold"),
                "\n",
                (f"{', '.join(slot.value for slot in routine.slots)} · {routine_length(routine)}", "dim"),
            )
            options.append(Option(label, id=routine.id))
        return options

    def on_mount(self) -> None:
        self.query_one("#routines", OptionList).focus()

    def on_screen_resume(self) -> None:
        """Shown first or again: read the plan once this frame is out (a thread started now would compete with the
        first frame for the interpreter)."""
        self.call_after_refresh(self._refresh_if_shown)

    def _refresh_if_shown(self) -> None:
        # A key may have opened another screen meanwhile (h at once): its own reads come first; coming back reads.
        if self.is_current:
            self.refresh_plan()

    def action_refresh(self) -> None:
        self.refresh_plan()

    @work(thread=True, exclusive=True, group="home-plan")
    def refresh_plan(self) -> None:
        """Read today's plan from the store off the event loop, then show it."""
        self.coach.recordings.close_ended()
        context = self.coach.context
        try:
            view = context.history.today_view(context.planned)
        except CoachError as error:
            self.app.call_from_thread(self.show_problem, str(error))
            return
        self.app.call_from_thread(self.show_plan, view)

    def show_problem(self, message: str) -> None:
        self.query_one("#streaks", Static).update(literal(message))
        self.notify(message, title="History", severity="error", timeout=20, markup=False)

    def show_plan(self, view: TodayView) -> None:
        from coach.store.plan import SLOT_LABELS, STATE_LABELS, STATE_MARKS, slots_today  # after the first frame

        slots = self.query_one("#slots", Vertical)
        if not slots.is_attached:
            return  # the app is closing (q pressed before the plan was read): nothing left to show it in
        self.query_one("#today-title", Static).update(Text(f"Today · {view.today:%A %-d %B}"))
        slots.remove_children()
        catalog = self.coach.context.catalog
        for item in slots_today(view, list(catalog.routines.values())):
            names = ", ".join(printable(catalog.routines[r].name) for r in item.routine_ids if r in catalog.routines)
            line = Text.assemble(
                (f" {STATE_MARKS[item.state]} ", "bold"),
                (f"{SLOT_LABELS[item.slot]:<9}", "bold"),
                (f"{STATE_LABELS[item.state]:<22}", ""),
                (names, "dim"),
            )
            slots.mount(Static(line, classes=f"slot -{item.state.value}"))
        self.query_one("#streaks", Static).update(_streak_text(view.streaks))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.coach.start_routine(event.option.id)

    def action_history(self) -> None:
        self.coach.open_history()

    # The screens below are imported when first asked for: home is on the first frame's path.

    def action_cramp(self) -> None:
        from coach.ui.screens.cramp import open_cramp_dialog

        open_cramp_dialog(self.app)

    def action_copy_routine(self) -> None:
        from coach.ui.screens.copy_routine import open_copy_dialog

        routine_id = self.highlighted_routine()
        if routine_id is not None:
            open_copy_dialog(self.app, routine_id)

    def action_settings(self) -> None:
        from coach.ui.screens.settings import open_settings

        open_settings(self.app)

    def action_why(self) -> None:
        from coach.ui.screens.why import open_why

        open_why(self.app)

    def highlighted_routine(self) -> str | None:
        """The id of the routine under the cursor in the list."""
        option_list = self.query_one("#routines", OptionList)
        if option_list.highlighted is None:
            return None
        return option_list.get_option_at_index(option_list.highlighted).id

    def show_routines(self, highlight: str | None = None) -> None:
        """List the catalog's routines again (a copy was just saved), the cursor on `highlight` when given."""
        option_list = self.query_one("#routines", OptionList)
        current = highlight or self.highlighted_routine()
        option_list.clear_options()
        option_list.add_options(self._routine_options())
        ids = [option.id for option in option_list.options]
        option_list.highlighted = ids.index(current) if current in ids else (0 if ids else None)
        self.refresh_plan()


def _routine_order(routine: Routine) -> tuple[int, str]:
    from coach.routines.model import SLOT_ORDER

    return (min(SLOT_ORDER.index(slot) for slot in routine.slots), routine.name)


def _streak_text(report: StreakReport) -> Text:
    from coach.store.plan import SLOT_LABELS

    text = Text()
    rows = [(SLOT_LABELS[item.slot], item.streak) for item in report.slots if item.planned]
    rows.append(("Whole day", report.day_plan))
    for label, streak in rows:
        days = "day" if streak.current == 1 else "days"
        text.append(f"{label:<10}", style="bold")
        text.append(f"{streak.current:>3} {days:<5}")
        text.append(f" longest {streak.longest}\n", style="dim")
    text.rstrip()
    return text
