"""History: every session in a table, a calendar of the last months per slot, streaks and completion rates, and
the cramp diary's insights (cramps per week beside the slots kept)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from coach.common.problems import CoachError
from coach.routines.durations import format_duration
from coach.store.plan import SLOT_LABELS
from coach.ui.text import literal

if TYPE_CHECKING:
    from coach.diary.insights import Insights
    from coach.store.records import DaySummary, HistoryView, SessionRecord
    from coach.ui.app import CoachApp

CALENDAR_WEEKS = 13
"""At most this many weeks of calendar (the store reads the last three months); fewer when the window is narrow."""
STREAKS_WIDTH = 33
"""The streak table's width, kept beside the calendar."""

BAR = "█"
CRAMP_BAR_WIDTH = 12
"""The cramp bars are scaled down to this many cells when a week had more cramps."""
APP_WORDS = {
    "`coach cramp --last-night`": "c on the home screen (Last night)",
    "`coach cramp --at`": "c on the home screen (At a time)",
}
"""Where the insights' words name a printing command, the app names its own key instead."""
NO_INSIGHTS = (
    "Nothing to set side by side yet: no cramps logged and no sessions recorded. When a cramp wakes you, press c on "
    "the home screen to log it; your sessions are recorded as you do them."
)

CELL = {"kept": ("■", "green"), "partial": ("◧", "yellow"), "missed": ("·", "red"), "rest": ("–", "blue")}
"""Calendar cells: a mark and a colour each, so the state reads without colour too."""


class HistoryScreen(Screen[None]):
    """The record: sessions, calendar, streaks; `a` adds a note to the selected session."""

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="back"),
        Binding("a", "note", "Add note", id="note"),
        Binding("i", "insights", "Insights", id="insights"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: HistoryView | None = None

    @property
    def coach(self) -> CoachApp:
        return cast("CoachApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with VerticalScroll(id="history"):
            with Horizontal(id="history-top"):
                yield Static(Text("Loading…"), id="history-calendar")
                yield Static(id="history-streaks")
            yield Static(Text("Sessions"), classes="section-title")
            yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
            with Vertical(id="note-editor"):
                yield Input(placeholder="A note for this session, Enter to save", id="note-input")
            with Vertical(id="insights"):
                yield Static(Text("Cramps and sessions"), classes="section-title")
                yield Static(Text("Loading…"), id="insights-chart")
                yield Vertical(id="insights-lines")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("date", "slot", "routine", "length", "status", "note")
        table.focus(scroll_visible=False)  # the arrows pick the session `a` notes; the page stays at its top
        self.load()

    def on_screen_resume(self) -> None:
        """Shown, first or again: a cramp logged from the palette over this screen shows at once."""
        self.load_insights()

    @work(thread=True, exclusive=True, group="history")
    def load(self) -> None:
        """Read the history off the event loop (tens of ms with decades of data)."""
        self.coach.recordings.close_ended()
        context = self.coach.context
        try:
            view = context.history.history_view(context.planned)
        except CoachError as error:
            self.app.call_from_thread(
                self.notify, str(error), title="History", severity="error", timeout=20, markup=False
            )
            return
        self.app.call_from_thread(self.show, view)

    def show(self, view: HistoryView) -> None:
        self.view = view
        table = self.query_one(DataTable)
        table.clear()
        for record in view.sessions:
            table.add_row(*_session_row(record), key=record.id)
        if not view.sessions:
            table.add_row("", "", Text("No sessions yet."), "", "", "")
        self._show_calendar()
        self.query_one("#history-streaks", Static).update(_streaks(view))

    @work(thread=True, exclusive=True, group="history-insights")
    def load_insights(self) -> None:
        """Read the cramp diary's insights off the event loop (a few index ranges, whatever the history's size)."""
        self.coach.recordings.close_ended()
        context = self.coach.context
        try:
            insights = context.history.diary.insights(context.planned)
        except CoachError as error:
            self.app.call_from_thread(self.show_insights_problem, str(error))
            return
        self.app.call_from_thread(self.show_insights, insights)

    def show_insights_problem(self, message: str) -> None:
        self.query_one("#insights-chart", Static).update(literal(message))
        self.notify(message, title="Insights", severity="error", timeout=20, markup=False)

    def show_insights(self, insights: Insights) -> None:
        from coach.diary.insights import ASSOCIATION, DOCTOR, insight_lines

        chart = self.query_one("#insights-chart", Static)
        lines = self.query_one("#insights-lines", Vertical)
        if not lines.is_attached:
            return
        lines.remove_children()
        if not insights.has_data:
            chart.update(Text(NO_INSIGHTS))
            return
        chart.update(_insights_chart(insights))
        words = [_app_words(line) for line in insight_lines(insights)]
        if not any(ASSOCIATION in line for line in words):
            words.append(f"Read the two columns side by side: {ASSOCIATION}.")
        lines.mount_all(
            Static(Text(line), classes="insight -doctor" if DOCTOR in line else "insight") for line in words
        )

    def action_insights(self) -> None:
        page = self.query_one("#history", VerticalScroll)
        page.scroll_to_widget(self.query_one("#insights"), animate=False, top=True)

    def _show_calendar(self) -> None:
        if self.view is not None:
            self.query_one("#history-calendar", Static).update(_calendar(self.view, self._calendar_weeks()))

    def _calendar_weeks(self) -> int:
        """As many weeks as fit beside the streaks, so that the latest days (today at the right) are never cut."""
        room = self.size.width - 4 - 2 - 4 - STREAKS_WIDTH - 8  # padding, scrollbar, margin, streaks, slot label
        return max(2, min(CALENDAR_WEEKS, room // 7))

    def on_resize(self, event: events.Resize) -> None:
        self._show_calendar()

    def action_note(self) -> None:
        editor = self.query_one("#note-editor")
        editor.add_class("-open")
        self.query_one("#note-input", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        table = self.query_one(DataTable)
        if self.view is None or not self.view.sessions or table.cursor_row < 0:
            return
        record = self.view.sessions[table.cursor_row]
        self.save_note(record.id, event.value)
        event.input.value = ""
        self.query_one("#note-editor").remove_class("-open")
        table.focus()

    @work(thread=True, group="history-note")
    def save_note(self, session_id: str, note: str) -> None:
        try:
            self.coach.context.history.set_note(session_id, note)
        except CoachError as error:  # busy or damaged history: say so; a note is never worth a crash
            self.app.call_from_thread(
                self.notify, str(error), title="Note not saved", severity="error", timeout=20, markup=False
            )
            return
        self.app.call_from_thread(self.load)


def _app_words(line: str) -> str:
    for command, key in APP_WORDS.items():
        line = line.replace(command, key)
    return line


def _insights_chart(insights: Insights) -> Text:
    """One row per week: a bar of the cramps logged beside a bar of the planned slots kept (of those possible)."""
    most = max((week.cramps for week in insights.weeks), default=0)
    scale = CRAMP_BAR_WIDTH / most if most > CRAMP_BAR_WIDTH else 1.0
    text = Text()
    text.append(f"{'week':<17}{'cramps':<{CRAMP_BAR_WIDTH + 5}}slots kept\n", style="bold")
    for week in insights.weeks:
        text.append(f"{week.start:%d %b} – {week.end:%d %b}  ")
        bar = BAR * round(week.cramps * scale)
        text.append(bar, style="red")
        text.append(f" {week.cramps}".ljust(CRAMP_BAR_WIDTH + 5 - len(bar)))
        if week.possible == 0 and week.kept == 0:
            text.append("before the program" if insights.program_start is not None else "–", style="dim")
        else:
            text.append(BAR * week.kept, style="green")
            text.append(f" {week.kept}/{week.possible}" if week.possible else f" {week.kept}")
        text.append("\n")
    text.append(f"{len(insights.weeks)} weeks of 7 days to {insights.as_of:%d %b %Y}", style="dim")
    return text


def _session_row(record: SessionRecord) -> tuple[Text, ...]:
    status = {"completed": ("completed", "green"), "partial": ("partial", "yellow")}.get(
        record.status.value, (record.status.value, "")
    )
    return (
        Text(f"{record.day:%a %d %b %Y}"),
        Text(SLOT_LABELS.get(record.slot, record.slot)),
        literal(record.routine_name),
        Text(format_duration(record.active_seconds)),
        Text(status[0], style=status[1]),
        literal(record.note or ""),
    )


def _calendar(view: HistoryView, weeks: int = CALENDAR_WEEKS) -> Text:
    """A heat map per slot: one cell per day of the last weeks; kept, partial, missed or rest."""
    text = Text()
    start = view.today - timedelta(days=weeks * 7 - 1)
    for slot in view.streaks.planned:
        text.append(f"{SLOT_LABELS.get(slot, slot):<8}", style="bold")
        day = start
        while day <= view.today:
            mark, colour = CELL[_cell(view.calendar.get(day), slot, day, view.today)]
            text.append(mark, style=colour)
            day += timedelta(days=1)
        text.append("\n")
    text.append(f"{'':<8}{start:%d %b}", style="dim")
    text.append(f"{view.today:%d %b}".rjust(weeks * 7 - 6), style="dim")
    text.append("\n■ kept  ◧ partial  · missed  – rest day", style="dim")
    return text


def _cell(summary: DaySummary | None, slot: str, day: date, today: date) -> str:
    if summary is not None and slot in summary.kept:
        return "kept"
    if summary is not None and summary.rest:
        return "rest"
    if summary is not None and slot in summary.partial:
        return "partial"
    return "missed"


def _streaks(view: HistoryView) -> Text:
    report = view.streaks
    text = Text()
    text.append(f"{'':<10}{'now':>5}{'best':>6}{'7 d':>6}{'30 d':>6}\n", style="bold")
    rows = [(SLOT_LABELS.get(s.slot, s.slot), s.streak, s.rate_7, s.rate_30) for s in report.slots if s.planned]
    rows.append(("Whole day", report.day_plan, report.day_plan_rate_7, report.day_plan_rate_30))
    for label, streak, rate_7, rate_30 in rows:
        text.append(f"{label:<10}{streak.current:>5}{streak.longest:>6}{_rate(rate_7):>6}{_rate(rate_30):>6}\n")
    text.append(f"\n{view.total_sessions} sessions in all", style="dim")
    return text


def _rate(rate: float | None) -> str:
    return "–" if rate is None else f"{rate:.0%}"
