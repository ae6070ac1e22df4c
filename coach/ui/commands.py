"""The command palette offers the app's verbs: run a routine, open history, log a cramp, settings, make a routine
one's own, why these exercises."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape
from textual.screen import ModalScreen

from coach.ui.screens.history import HistoryScreen
from coach.ui.screens.run import RunScreen
from coach.ui.screens.settings import SettingsScreen
from coach.ui.screens.why import WhyScreen
from coach.ui.text import literal_content, printable

if TYPE_CHECKING:
    from textual.fuzzy import Matcher

    from coach.ui.app import CoachApp

Command = tuple[str, Callable[[], object], str]
"""What the palette shows (a name), what it does, and a line of help."""


class CoachCommands(Provider):
    """Offers "Run <routine>" for every routine, and the screens; only what fits the screen shown."""

    def _commands(self) -> list[Command]:
        app = cast("CoachApp", self.app)
        # self.screen is the screen the palette was opened on (app.screen is the palette itself).
        if isinstance(self.screen, RunScreen | ModalScreen):
            return []  # mid-session or over a question: nothing that would start or open something else
        routines = sorted(app.context.catalog.routines.values(), key=lambda r: r.name)
        commands: list[Command] = [
            (f"Run {routine.name}", partial(app.start_routine, routine.id), routine.summary or routine.id)
            for routine in routines
        ]
        if not isinstance(self.screen, HistoryScreen):
            commands.append(("History", app.open_history, "Every session, the calendar and streaks"))
        commands.append(("Log cramp", app.open_cramp_dialog, "Write down a cramp: when, where, how bad"))
        if not isinstance(self.screen, SettingsScreen):
            commands.append(("Settings", app.open_settings, "Day start, sounds, voice, theme, lengths"))
        if not isinstance(self.screen, WhyScreen):
            commands.append(("Why these exercises", app.open_why, "The seven causes of cramps and what helps"))
        commands.extend(
            (f"Copy {routine.name}", partial(app.open_copy_dialog, routine.id), "Make it yours: hold, rest, length")
            for routine in routines
        )
        return commands

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(literal_content(name), callback, help=_help(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            name = printable(name)
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, _highlight(name, matcher), callback, help=_help(help_text))


def _highlight(name: str, matcher: Matcher) -> Content:
    """The name with the typed letters highlighted, never read as markup (Matcher.highlight would parse it)."""
    content = Content(name)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, name)
    for offset in offsets:
        if not name[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def _help(text: str) -> str:
    """The palette reads help as markup: escape a summary's brackets so they show as written."""
    return escape(printable(text))
