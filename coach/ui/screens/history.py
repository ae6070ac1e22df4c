"""History: every session in a table, a calendar of the last months per slot, streaks and completion rates, and
the cramp diary's insights (cramps per week beside the slots kept)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, ClassVar, cast

from msgspec import Struct
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static
from textual.worker import Worker

from coach.diary.insights import ASSOCIATION, DOCTOR, Insights, insight_lines
from coach.routines.durations import format_duration
from coach.store.plan import SLOT_LABELS
from coach.store.records import DaySummary, HistoryView, SessionRecord
from coach.ui.messages import HistoryChange, HistoryChanged
from coach.ui.screens.dialogs import Question
from coach.ui.text import literal
from coach.ui.widgets.footer import CoachFooter
from coach.ui.workers import Done, Failed, outcome

if TYPE_CHECKING:
    from coach.ui.app import CoachApp

CALENDAR_WEEKS = 13
"""At most this many weeks of calendar (the store reads the last three months); fewer when the window is narrow."""
STREAKS_WIDTH = 34
"""The streak table's width (its 30-day column whole), kept beside the calendar."""
LEGEND = ("■ kept  ◧ partial", "· missed  – rest day")
"""The calendar's key, on two lines when the calendar is narrower than both together."""
SIDE_BY_SIDE = 76
"""From this width the streaks sit beside the calendar; below it, under it."""

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


class SessionTable(DataTable[Text]):
    """The sessions, one a row. Up at the first row and down at the last hand over to the page, so the arrows reach
    the calendar above and the insights below without Tab."""

    class Edge(Message):
        """The cursor was asked past the first (-1) or the last (+1) row."""

        def __init__(self, direction: int) -> None:
            super().__init__()
            self.direction = direction

    def action_cursor_down(self) -> None:
        if self.cursor_row >= self.row_count - 1:
            self.post_message(self.Edge(+1))
        else:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.cursor_row <= 0:
            self.post_message(self.Edge(-1))
        else:
            super().action_cursor_up()


class NoteSaved(Struct, frozen=True):
    """The note worker's result."""

    session_id: str


class SessionDeleted(Struct, frozen=True):
    """The delete worker's result."""

    session_id: str


class Column(Struct, frozen=True):
    """A column of the sessions table: its key, its heading, and the narrowest window that still shows it."""

    key: str
    heading: str
    from_width: int


COLUMNS = (
    Column("date", "date", 0),
    Column("slot", "slot", 52),
    Column("routine", "routine", 0),
    Column("length", "length", 60),
    Column("status", "status", 0),
    Column("note", "note", 70),
)
"""At 40 columns: date, routine, status; from 52 the slot; from 60 the length; from 70 the note."""
LONG_DATES_FROM, SHORT_DATES_BELOW = 72, 52
"""From 72 columns the date has its year ("Sun 01 Mar 2026"); below 52 it is the day alone ("01 Mar")."""


class HistoryScreen(Screen[None]):
    """The record: calendar, streaks, sessions, insights. `a` notes the selected session, `d` deletes it (asked)."""

    BINDINGS = [
        Binding("escape,q", "back", "Back", id="back"),
        Binding("a", "note", "Note", id="note"),
        Binding("d", "delete", "Delete", id="delete"),
        Binding("i", "insights", "Insights", id="insights"),
        Binding("pagedown", "page(1)", "Page down", id="page-down", show=False, priority=True),
        Binding("pageup", "page(-1)", "Page up", id="page-up", show=False, priority=True),
    ]
    FOOTER_DROP: ClassVar[tuple[str, ...]] = ("insights", "delete", "note")
    """The footer's keys that go first in a narrow window; Back always stays."""

    def __init__(self) -> None:
        super().__init__()
        self.view: HistoryView | None = None
        self.noting: SessionRecord | None = None
        """The session the open note editor writes to: fixed when it opens, whatever the cursor does."""

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
            yield SessionTable(id="history-table", cursor_type="row", zebra_stripes=True)
            with Vertical(id="insights"):
                yield Static(Text("Cramps and sessions"), classes="section-title")
                yield Static(Text("Loading…"), id="insights-chart")
                yield Vertical(id="insights-lines")
        with Vertical(id="note-editor"):  # docked at the bottom: always on screen when open
            yield Static(id="note-for")
            yield Input(placeholder="Enter saves, Escape cancels", id="note-input", compact=True)
        yield CoachFooter()

    def on_mount(self) -> None:
        # The arrows pick the session that `a` notes and `d` deletes; the page follows the cursor (not the focus).
        self.set_focus(self.query_one(SessionTable), scroll_visible=False)
        self.coach.signals.history_changed.subscribe(self, self._history_changed)
        self.load()

    def on_screen_resume(self) -> None:
        """Shown, first or again: a cramp logged from the palette over this screen shows at once."""
        self.load_insights()

    def _history_changed(self, change: HistoryChanged) -> None:
        self.load()
        if change.change is not HistoryChange.NOTE:
            self.load_insights()

    # -- reading ---------------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="history", name="read history", exit_on_error=False)
    def load(self) -> HistoryView:
        """Read the history off the event loop (tens of ms with decades of data)."""
        self.coach.recordings.close_ended()
        context = self.coach.context
        return context.history.history_view(context.planned)

    @work(thread=True, exclusive=True, group="history-insights", name="read insights", exit_on_error=False)
    def load_insights(self) -> Insights:
        """Read the cramp diary's insights off the event loop (a few index ranges, whatever the history's size)."""
        self.coach.recordings.close_ended()
        return self.coach.context.history.diary.insights(self.coach.context.planned)

    @work(thread=True, group="history-note", name="save note", exit_on_error=False)
    def save_note(self, session_id: str, note: str) -> NoteSaved:
        self.coach.context.history.set_note(session_id, note)
        return NoteSaved(session_id)

    @work(thread=True, group="history-delete", name="delete session", exit_on_error=False)
    def delete_session(self, session_id: str) -> SessionDeleted:
        self.coach.context.history.delete_session(session_id)
        return SessionDeleted(session_id)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Every worker of this screen ends here: its result shown, or its problem said (never a crash)."""
        match outcome(event):
            case Done(result=HistoryView() as view):
                self.show(view)
            case Done(result=Insights() as insights):
                self.show_insights(insights)
            case Done(result=NoteSaved()):
                self.coach.signals.history_changed.publish(HistoryChanged(HistoryChange.NOTE))
            case Done(result=SessionDeleted()):
                self.notify("The session is gone from your history.", title="Deleted", timeout=6, markup=False)
                self.coach.signals.history_changed.publish(HistoryChanged(HistoryChange.SESSION))
            case Failed(name="read insights", message=message):
                self.query_one("#insights-chart", Static).update(literal(message))
                self.notify(message, title="Insights", severity="error", timeout=20, markup=False)
            case Failed(name=name, message=message):
                title = {"save note": "Note not saved", "delete session": "Not deleted"}.get(name, "History")
                self.notify(message, title=title, severity="error", timeout=20, markup=False)

    # -- showing ---------------------------------------------------------------------------------------------

    def show(self, view: HistoryView) -> None:
        self.view = view
        self._fill_table()
        self._show_top()
        self.refresh_bindings()

    def _fill_table(self) -> None:
        """The rows again, with the columns that fit this width; the cursor stays on its session."""
        table = self.query_one(SessionTable)
        width = self.size.width or self.app.size.width
        columns = tuple(column.key for column in COLUMNS if width >= column.from_width)
        selected = self.selected_session()
        # Columns anew each time: their widths follow this width's cells (a date shortened on a narrower window
        # must not keep the width of the long one, pushing the status off the screen).
        table.clear(columns=True)
        for column in COLUMNS:
            if column.key in columns:
                table.add_column(column.heading, key=column.key)
        if self.view is None:
            return
        date_format = (
            "%a %d %b %Y" if width >= LONG_DATES_FROM else "%d %b" if width < SHORT_DATES_BELOW else "%a %d %b"
        )
        for record in self.view.sessions:
            cells = _session_cells(record, date_format)
            table.add_row(*(cells[key] for key in columns), key=record.id)
        if not self.view.sessions:
            table.add_row(*(Text("No sessions yet.") if key == "routine" else Text("") for key in columns))
        ids = [record.id for record in self.view.sessions]
        if selected is not None and selected.id in ids:
            table.move_cursor(row=ids.index(selected.id), animate=False)

    def _show_top(self) -> None:
        if self.view is None:
            return
        beside = self.size.width >= SIDE_BY_SIDE
        self.query_one("#history-top").set_class(not beside, "-stacked")
        weeks = self._calendar_weeks(beside)
        self.query_one("#history-calendar", Static).update(_calendar(self.view, weeks))
        self.query_one("#history-streaks", Static).update(_streaks(self.view))

    def _calendar_weeks(self, beside: bool) -> int:
        """As many weeks as fit (beside the streaks when there is room), so that the latest days (today at the
        right) are never cut."""
        room = self.size.width - 4 - 2 - 8  # padding, scrollbar, slot label
        if beside:
            room -= 4 + STREAKS_WIDTH  # the margin and the streaks
        return max(2, min(CALENDAR_WEEKS, room // 7))

    def on_resize(self, event: events.Resize) -> None:
        self._show_top()
        if self.view is not None:
            self._fill_table()

    def show_insights(self, insights: Insights) -> None:
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

    # -- moving ----------------------------------------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#history-table")
    def _row_highlighted(self) -> None:
        self.call_after_refresh(self._follow_cursor)  # once the table has its place on the page

    def _follow_cursor(self) -> None:
        """The page scrolls with the cursor, so the selected session is always in sight (the table never scrolls
        by itself: it is as tall as its rows)."""
        table = self.query_one(SessionTable)
        page = self.query_one("#history", VerticalScroll)
        height = page.scrollable_content_region.height
        if height <= 0 or table.row_count == 0:
            return
        y = table.virtual_region.y + table.header_height + table.cursor_row
        top = y - table.header_height - 1  # the headings and the title above the row stay in sight with it
        if y < height:  # in the first screenful: the page from its top (the calendar and the streaks)
            page.scroll_to(y=0, animate=False, immediate=True)
        elif top < page.scroll_y:
            page.scroll_to(y=max(0, top), animate=False, immediate=True)
        elif y >= page.scroll_y + height:
            page.scroll_to(y=y - height + 1, animate=False, immediate=True)

    @on(SessionTable.Edge)
    def _past_the_rows(self, event: SessionTable.Edge) -> None:
        page = self.query_one("#history", VerticalScroll)
        if event.direction < 0:
            page.scroll_home(animate=False)
        else:
            page.scroll_relative(y=max(1, page.size.height // 2), animate=False)

    def action_page(self, direction: int) -> None:
        page = self.query_one("#history", VerticalScroll)
        page.scroll_relative(y=direction * max(1, page.size.height - 2), animate=False)

    def action_insights(self) -> None:
        page = self.query_one("#history", VerticalScroll)
        page.scroll_to_widget(self.query_one("#insights"), animate=False, top=True)

    def action_back(self) -> None:
        """Escape closes the note editor when it is open; otherwise back to where history was opened from."""
        if self.noting is not None:
            self._close_note()
        else:
            self.dismiss()

    # -- notes and deleting ----------------------------------------------------------------------------------

    def selected_session(self) -> SessionRecord | None:
        """The session under the table's cursor, if any."""
        if self.view is None or not self.view.sessions:
            return None
        table = self.query_one(SessionTable)
        if not 0 <= table.cursor_row < len(self.view.sessions):
            return None
        return self.view.sessions[table.cursor_row]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A note and deleting need a session under the cursor (greyed out otherwise); not both editors at once."""
        if action in ("note", "delete"):
            return (self.selected_session() is not None and self.noting is None) or None
        return True

    def action_note(self) -> None:
        record = self.selected_session()
        if record is None:
            return
        self.noting = record
        self.query_one("#note-for", Static).update(Text.assemble(("Note for ", "bold"), literal(_describe(record))))
        note = self.query_one("#note-input", Input)
        note.value = record.note or ""
        self.query_one("#note-editor").add_class("-open")
        note.focus()
        self.refresh_bindings()
        self.call_after_refresh(self._follow_cursor)  # the editor takes the bottom lines: the session stays in sight

    @on(Input.Submitted, "#note-input")
    def _note_submitted(self, event: Input.Submitted) -> None:
        if self.noting is not None:
            self.save_note(self.noting.id, event.value)
        self._close_note()

    def _close_note(self) -> None:
        self.noting = None
        self.query_one("#note-input", Input).value = ""
        self.query_one("#note-editor").remove_class("-open")
        self.set_focus(self.query_one(SessionTable), scroll_visible=False)
        self.refresh_bindings()

    def action_delete(self) -> None:
        record = self.selected_session()
        if record is None:
            return
        question = Question(
            "Delete this session?",
            f"{_describe(record)}. It leaves your history, your streaks and your exports; this cannot be undone.",
            "Delete (y)",
            "Keep it (n)",
            id="delete-dialog",
        )

        def answered(delete: bool | None) -> None:
            if delete:
                self.delete_session(record.id)

        self.app.push_screen(question, answered)


def _describe(record: SessionRecord) -> str:
    """A session in words, for the note editor and the delete question."""
    slot = SLOT_LABELS.get(record.slot, record.slot)
    length = format_duration(record.active_seconds)
    return f"{record.day:%a %d %b %Y} · {slot} · {record.routine_name}, {length}, {record.status.value}"


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


def _session_cells(record: SessionRecord, date_format: str) -> dict[str, Text]:
    """Every cell of a session's row, by column key (the screen keeps the columns that fit)."""
    status = {"completed": ("completed", "green"), "partial": ("partial", "yellow")}.get(
        record.status.value, (record.status.value, "")
    )
    return {
        "date": Text(record.day.strftime(date_format)),
        "slot": Text(SLOT_LABELS.get(record.slot, record.slot)),
        "routine": literal(record.routine_name),
        "length": Text(format_duration(record.active_seconds)),
        "status": Text(status[0], style=status[1]),
        "note": literal(record.note or ""),
    }


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
    together = "  ".join(LEGEND)
    legend = [together] if len(together) <= 8 + weeks * 7 else list(LEGEND)
    for line in legend:
        text.append(f"\n{line}", style="dim")
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
    text.append(f"{'':<10}{'now':>5}{'best':>6}{'7 d':>6}{'30 d':>7}\n", style="bold")
    rows = [(SLOT_LABELS.get(s.slot, s.slot), s.streak, s.rate_7, s.rate_30) for s in report.slots if s.planned]
    rows.append(("Whole day", report.day_plan, report.day_plan_rate_7, report.day_plan_rate_30))
    for label, streak, rate_7, rate_30 in rows:
        text.append(f"{label:<10}{streak.current:>5}{streak.longest:>6}{_rate(rate_7):>6}{_rate(rate_30):>7}\n")
    sessions = "session" if view.total_sessions == 1 else "sessions"
    text.append(f"\n{view.total_sessions} {sessions} in all", style="dim")
    return text


def _rate(rate: float | None) -> str:
    return "–" if rate is None else f"{rate:.0%}"
