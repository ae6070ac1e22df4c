"""The Textual app: a thin shell that shows today's plan or runs a routine; `make_app` builds it (house style)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker

from coach.common.paths import data_dir as resolve_data_dir
from coach.common.problems import CoachError
from coach.common.safe_text import printable
from coach.config.settings import load_settings, preferred_seconds
from coach.days.day import choose_slot
from coach.engine.clock import Clock, SystemClock
from coach.engine.runner import Ending, Outcome, SessionRunner
from coach.engine.session import SessionEngine
from coach.routines.catalog import Catalog, load_catalog
from coach.routines.customize import with_preferred_length
from coach.routines.durations import format_duration
from coach.routines.model import Routine, Slot
from coach.store.recorder_thread import ThreadedRecorder
from coach.ui.context import AppContext
from coach.ui.cue_player import CuePlayer
from coach.ui.messages import CoachSignals, HistoryChange, HistoryChanged, RoutinesChanged
from coach.ui.startup import resume_collector
from coach.ui.workers import Done, Failed, outcome

if TYPE_CHECKING:  # the store, the palette and the screens load when first used (docs/performance.md)
    from textual.command import Provider
    from textual.driver import Driver

    from coach.diary.entries import CrampEntry
    from coach.engine.recording import Recorder
    from coach.ui.screens.run import RunScreen


def install_signal_handlers(on_signal: Callable[[int], None]) -> None:
    """SIGTERM and SIGHUP end a running session as partial, like quitting (the loop calls `on_signal(number)`)."""

    if os.name != "posix":
        return
    loop = asyncio.get_running_loop()
    for number in (signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(number, on_signal, number)


def coach_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens (textual.command costs ~20 ms)."""
    from coach.ui.commands import CoachCommands

    return CoachCommands


NAMED_CHARACTERS = {"plus": "+", "underscore": "_", "equals_sign": "="}
"""Keys named after the character they type, as coach binds them; the footer shows the character."""

CUE_FLASH_SECONDS = 0.3
"""How long the screen flashes for a bell in a browser (`coach serve`), where the bell itself is silent."""

HARD_EXIT_AFTER = 5.0
"""Seconds an orderly exit after SIGTERM may take before the process leaves anyway (history flushed first)."""


class Recordings:
    """The one owner of this app's session recorders: a session's recorder is closed (its last write landed) once
    the session is over, and readers of the history and the exit wait for those closes, never for a running one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: list[ThreadedRecorder] = []
        self._ended: list[ThreadedRecorder] = []

    def opened(self, recorder: ThreadedRecorder) -> ThreadedRecorder:
        """A session began with this recorder."""
        with self._lock:
            self._running.append(recorder)
        return recorder

    def open_running(self) -> None:
        """Open the running sessions' stores on their threads before their first write (after a first frame)."""
        with self._lock:
            running = list(self._running)
        for recorder in running:
            recorder.open()

    def ended(self, recorder: Recorder) -> None:
        """Its session is over: its writes may still be on the way (closed by `close_ended`)."""
        with self._lock:
            if recorder in self._running:
                self._running.remove(recorder)
                self._ended.append(recorder)

    def close_ended(self) -> bool:
        """Wait until every ended session's writes landed (from a thread); True when all were saved."""
        with self._lock:
            ended = list(self._ended)
        saved = all([recorder.close() for recorder in ended])
        with self._lock:
            self._ended = [recorder for recorder in self._ended if recorder not in ended]
        return saved

    def close_all(self) -> bool:
        """At exit: every recorder, running ones too (a session still running is repaired at the next start)."""
        with self._lock:
            self._ended.extend(self._running)
            self._running.clear()
        return self.close_ended()


class CoachApp(App[object]):
    """coach's full-screen app. Its dependencies come in through `AppContext`; the sessions it runs are recorded
    through `recordings`, the one owner of their recorders."""

    CSS_PATH = "coach.tcss"
    TITLE = "coach"
    COMMANDS: ClassVar = App.COMMANDS | {coach_commands}
    BINDINGS = [
        # Both go through coach's own quit: a running session asks first (Textual's ctrl+c only showed a toast).
        Binding("ctrl+q", "quit", "Quit", id="app-quit", show=False, priority=True),
        Binding("ctrl+c", "quit", "Quit", id="app-quit-ctrl-c", show=False),
    ]

    def __init__(
        self, context: AppContext, *, start_with: Routine | None = None, slot: Slot | None = None, quiet: bool = False
    ) -> None:
        super().__init__()
        self.context = context
        self.start_with = start_with
        self.start_slot = slot
        self.quiet = quiet
        """`--quiet`: no bell on the run screen either, whatever the settings say."""
        self.recordings = Recordings()
        self.last_outcome: Outcome | None = None
        """How the last session ended, for `coach run` to say once the terminal is back."""
        self._cues: CuePlayer | None = None
        self.theme = context.settings.theme if context.settings.theme in self.available_themes else "textual-dark"
        self.signals = CoachSignals(self)
        """"The routines changed", "the history changed": published by whoever changed them (coach.ui.messages)."""

    def get_driver_class(self) -> type[Driver]:
        driver = super().get_driver_class()
        from textual.drivers.linux_driver import LinuxDriver

        if driver is LinuxDriver:
            from coach.ui.driver import CoachDriver

            return CoachDriver
        return driver

    def bell(self) -> None:
        """The terminal bell. In a browser (`coach serve`) a bell is silent (textual-serve's page ignores BEL): the
        screen flashes (`-cue-flash`) and the page is told to beep instead (docs/serve.md). The cue player rings
        through here, so it needs nothing else."""
        driver = self._driver
        if driver is None or not driver.is_web:
            super().bell()
            return
        screen = self.screen
        screen.add_class("-cue-flash")
        self.set_timer(CUE_FLASH_SECONDS, lambda: screen.remove_class("-cue-flash"), name="cue-flash")
        write_meta = getattr(driver, "write_meta", None)  # Textual's WebDriver: a packet for textual-serve
        if callable(write_meta):
            # A server that died leaves a broken pipe, and a bell rings as a session ends: the hang-up that follows
            # must still record the session, not stop at the bell.
            with contextlib.suppress(OSError):
                write_meta({"type": "coach_bell"})

    def get_key_display(self, binding: Binding) -> str:
        """Textual's display of a key ("n", "+", "^p"), without asking unicodedata what a plain key is called.

        Textual looks each footer key up by name in Unicode's name table ("n" is no character's name): for the run
        screen's footer that made 0.6 MiB of the table resident. Other keys (tab, f5) still go to Textual."""
        modifiers, key = binding.parse_key()
        if binding.key_display or not (len(key) == 1 or key in NAMED_CHARACTERS):
            return super().get_key_display(binding)
        shown = NAMED_CHARACTERS.get(key, key)
        if "ctrl" in modifiers:
            modifiers.remove("ctrl")
            shown = f"^{shown}"
        return "+".join([*modifiers, shown])

    def get_default_screen(self) -> Screen[Any]:
        if self.start_with is not None:
            return self._run_screen(self.start_with, self.start_slot)
        from coach.ui.screens.home import HomeScreen

        return HomeScreen()

    def _draw_everything(self, app: object) -> None:
        """Back from Ctrl+Z (`fg`): the terminal's screen was cleared meanwhile, and Textual draws again only what
        changed since, so every widget of the screen shown is drawn again."""
        for widget in self.screen.walk_children():
            widget.refresh()
        self.screen.refresh()

    def on_mount(self) -> None:

        self.call_after_refresh(resume_collector)  # the first frame is out: collect as usual (coach.ui.startup)
        self.call_after_refresh(self.recordings.open_running)  # `coach run`: the store is open before Enter
        self.call_after_refresh(self.maintain_history)
        install_signal_handlers(self._on_signal)
        self.app_resume_signal.subscribe(self, self._draw_everything)
        for problem in self.context.settings_problems:
            self.notify(problem, title="Settings not used", severity="warning", timeout=10, markup=False)
        for path, problems in self.context.catalog.broken.items():
            located = "\n".join(str(problem) for problem in problems)
            self.notify(located, title=f"Routine not loaded: {path.name}", severity="warning", timeout=15, markup=False)
        if self.context.settings.sync_folder:
            self.call_after_refresh(self.sync_history)  # after the first frame, off the event loop

    # -- verbs the screens and the command palette use --------------------------------------------------------
    # Each screen's module is imported when it is first opened: home is on the first frame's path, the others
    # (tens of ms of widgets each) are not. This is the one place that defers them.

    def start_routine(self, routine_id: str) -> None:
        routine = self.context.catalog.get(routine_id)
        if routine is not None:
            screen = self._run_screen(routine, None)
            self.push_screen(screen, lambda outcome: self._session_over(screen, outcome))
            self.call_after_refresh(self.recordings.open_running)

    def open_history(self) -> None:
        from coach.ui.screens.history import HistoryScreen

        if not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen())

    def open_why(self) -> None:
        from coach.ui.screens.why import WhyScreen

        if not isinstance(self.screen, WhyScreen):
            self.push_screen(WhyScreen())

    def open_settings(self) -> None:
        from coach.ui.screens.settings import open_settings

        open_settings(cast("App[object]", self))

    def open_copy_dialog(self, routine_id: str) -> None:
        """The copy form for a routine; once saved, the routines changed (home shows the copy, under the cursor)."""
        from coach.ui.screens.copy_routine import CopyRoutineDialog

        routine = self.context.catalog.get(routine_id)
        if routine is not None:
            self.push_screen(CopyRoutineDialog(routine), self._copied)

    def _copied(self, new_id: str | None) -> None:
        if new_id is not None:
            self.notify(f"Saved as {new_id}: it is in your routines now.", title="Your copy", timeout=8, markup=False)
            self.signals.routines_changed.publish(RoutinesChanged(highlight=new_id))

    def open_cramp_dialog(self) -> None:
        """The cramp form; once logged, say what was written and for which coach day, and that the history changed."""
        from coach.ui.screens.cramp import CrampDialog

        if not any(isinstance(screen, CrampDialog) for screen in self.screen_stack):
            self.push_screen(CrampDialog(), self._cramp_logged)

    def _cramp_logged(self, entry: CrampEntry | None) -> None:
        if entry is not None:
            self.notify(
                f"{entry.describe()}. It counts for the coach day {entry.day.isoformat()}.",
                title="Cramp logged",
                timeout=8,
                markup=False,
            )
            self.signals.history_changed.publish(HistoryChanged(HistoryChange.CRAMP))

    def cue_player(self) -> CuePlayer:
        """The app's one cue player (so "no speech program" is said once, and `--quiet` holds everywhere)."""

        if self._cues is None:
            self._cues = CuePlayer(self, self.context.settings, quiet=self.quiet)
        return self._cues

    def _run_screen(self, routine: Routine, slot: Slot | None) -> RunScreen:
        from coach.ui.screens.run import RunScreen

        routine = with_preferred_length(routine, preferred_seconds(self.context.settings, routine.id))
        engine = SessionEngine(routine, self.context.clock)
        slot = slot or choose_slot(routine.slots, engine.started_at, self.context.settings.day_start_hour)
        context = self.context  # the store is made and opened on the recorder's thread, at the session's first write
        recorder = self.recordings.opened(
            ThreadedRecorder(lambda: context.history.recorder(self._history_problem), self._history_problem)
        )
        return RunScreen(SessionRunner(engine, recorder, slot.value), self.cue_player())

    def _session_over(self, screen: RunScreen, outcome: Outcome | None) -> None:
        """A run screen was dismissed: its recorder is closed in a worker, so history shows the session next."""
        self.recordings.ended(screen.runner.recorder)
        self._close_ended_recorders()
        if self.context.settings.sync_folder:
            self.sync_history()
        self.last_outcome = outcome
        if outcome is not None and (said := outcome_words(outcome)):
            title, words = said
            self.notify(words, title=title, timeout=6)

    @work(thread=True, exclusive=False, group="recorders", name="close recorder", exit_on_error=False)
    def _close_ended_recorders(self) -> bool:
        return self.recordings.close_ended()

    @on(Worker.StateChanged)
    def _worker_ended(self, event: Worker.StateChanged) -> None:
        """The app's own workers, in one place: a session's last write landed, so the history changed."""
        match outcome(event):
            case Done(name="close recorder"):
                self.signals.history_changed.publish(HistoryChanged(HistoryChange.SESSION))
            case Failed(message=message, expected=expected):
                if not expected:
                    self.log.error(event.worker.name, message)
                self.notify(message, title="History", severity="error", timeout=30, markup=False)

    @work(thread=True, exclusive=True, group="sync", name="sync-history", exit_on_error=False)
    def sync_history(self) -> None:
        """Merge with the other machines through `sync_folder`, if set (docs/sync.md); what came in is shown."""
        received, message = self.sync_now()
        if message:
            self.call_from_thread(self.notify, message, title="Sync", severity="warning", timeout=10, markup=False)
        if received:
            self.call_from_thread(lambda: getattr(self.screen, "action_refresh", lambda: None)())

    def sync_now(self) -> tuple[int, str | None]:
        """One sync, if `sync_folder` is set: how many changes came in, and a line for the user if one went wrong."""
        settings = self.context.settings
        if not settings.sync_folder:
            return 0, None
        from coach.sync.engine import sync_in_background  # the store before the first frame: loaded here

        self.recordings.close_ended()
        report, message = sync_in_background(self.context.data_dir, settings.sync_folder, settings.day_start_hour)
        return (report.received_total if report else 0), message

    @work(thread=True, exclusive=True, group="history-maintenance", name="history-maintenance", exit_on_error=False)
    def maintain_history(self) -> None:
        """The history's daily check and backup, once per process, after the first frame and off the event loop;
        a problem is said, never a stop."""

        history = self.context.history
        history.on_warning = self._history_warning
        try:
            history.maintain()
        except CoachError as error:
            self.call_from_thread(self.notify, str(error), title="History", severity="error", timeout=30, markup=False)

    def _history_warning(self, message: str) -> None:
        self.call_from_thread(self.notify, message, title="History", severity="warning", timeout=20, markup=False)

    def _history_problem(self, message: str) -> None:
        """Called from the recorder thread when history cannot be saved: tell the user, once, on the screen."""
        self.call_from_thread(self.notify, message, title="Not saved", severity="error", timeout=30, markup=False)

    # -- leaving ----------------------------------------------------------------------------------------------

    def _run_screens(self) -> list[RunScreen]:
        from coach.ui.screens.run import RunScreen

        return [screen for screen in self.screen_stack if isinstance(screen, RunScreen)]

    async def action_quit(self) -> None:
        """Ctrl+Q: on the run screen, the same as q there (it asks first when the session would not count)."""
        screens = self._run_screens()
        if screens and self.screen is screens[-1] and not screens[-1].runner.snapshot.finished:
            screens[-1].action_quit_session()
            return
        for screen in screens:
            screen.stop_session()
        self.exit()

    def _on_signal(self, number: int) -> None:
        """SIGTERM/SIGHUP: end a running session by the rules (completed once it counts), then exit 128+N.

        After SIGHUP the terminal is gone: Textual's orderly shutdown would write to it and can block for ever
        (seen with Textual 8.2.8: the process lived on after its tmux pane closed). So the history is flushed and
        the process leaves at once. After SIGTERM the terminal is restored, with the same hard exit as a backstop.
        """

        for screen in self._run_screens():
            screen.stop_session()
        code = 128 + number

        def leave_now() -> None:
            self.recordings.close_all()
            os._exit(code)

        if number == signal.SIGHUP:
            leave_now()
        self.exit(return_code=code)
        backstop = threading.Timer(HARD_EXIT_AFTER, leave_now)
        backstop.daemon = True  # an orderly exit does not wait for it
        backstop.start()


def make_app(
    *,
    data_dir: str | Path | None = None,
    routine: Routine | None = None,
    slot: Slot | None = None,
    clock: Clock | None = None,
    catalog: Catalog | None = None,
    quiet: bool = False,
) -> CoachApp:
    """Build the app with real dependencies (tests pass a fake clock and a temporary data folder)."""

    folder = resolve_data_dir(data_dir)
    catalog = catalog or load_catalog()
    loaded = load_settings().with_routines(catalog.routines)  # a length outside its range is said, located

    context = AppContext(
        catalog=catalog,
        settings=loaded.settings,
        clock=clock or SystemClock(),
        data_dir=folder,
        settings_problems=[str(problem) for problem in loaded.problems],
    )
    return CoachApp(context, start_with=routine, slot=slot, quiet=quiet)


def outcome_words(outcome: Outcome) -> tuple[str, str] | None:
    """How a session ended and what was kept, in words ("Session stopped", "4m10s saved as partial.")."""
    if outcome.ending is Ending.DISCARDED:
        return "Session discarded", "nothing was kept."
    if outcome.status is None or outcome.ending is None:
        return None
    return f"Session {outcome.ending}", f"{format_duration(outcome.active_seconds)} saved as {outcome.status}."


def run_app(app: CoachApp) -> int:
    """Run the app to its end, then wait for the last history writes; the exit code of the app."""
    try:
        app.run()
    finally:
        for screen in app._run_screens():  # an app that stopped on an error still ends its session by the rules
            screen.runner.close()
        app.recordings.close_all()
    if app.start_with is not None and app.last_outcome is not None and (said := outcome_words(app.last_outcome)):
        print(f"{said[0]}: {said[1]}")  # `coach run`: what was kept, once the terminal is back
    if app.start_with is not None:  # `coach run`: the app closed with the session, before a background sync could
        _, message = app.sync_now()
        if message:
            print(printable(f"coach: {message}"), file=sys.stderr)
    return app.return_code or 0


def run_routine(args: object, routine: Routine, catalog: Catalog | None = None) -> int:
    """`coach run ROUTINE`: the app straight on the run screen; closing the session closes the app."""

    slot = getattr(args, "slot", None)
    return run_app(
        make_app(
            data_dir=getattr(args, "data_dir", None),
            routine=routine,
            slot=Slot(slot) if slot else None,
            catalog=catalog,
            quiet=bool(getattr(args, "quiet", False)),
        )
    )
