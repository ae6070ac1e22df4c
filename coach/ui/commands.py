"""The command palette offers the app's verbs: run a routine, open history, go home."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from coach.ui.text import literal_content, printable

if TYPE_CHECKING:
    from textual.fuzzy import Matcher

    from coach.ui.app import CoachApp


class CoachCommands(Provider):
    """Offers "Run <routine>" for every routine, and the screens; only what fits the screen shown."""

    def _commands(self) -> list[tuple[str, object, str]]:
        from coach.ui.screens.run import RunScreen

        app = cast("CoachApp", self.app)
        if isinstance(self.screen, RunScreen):  # the screen the palette was opened on (app.screen is the palette)
            return []  # mid-session, the palette offers nothing that would start another one
        commands: list[tuple[str, object, str]] = [
            (f"Run {routine.name}", partial(app.start_routine, routine.id), routine.summary or routine.id)
            for routine in sorted(app.context.catalog.routines.values(), key=lambda r: r.name)
        ]
        commands.append(("History", app.open_history, "Every session, the calendar and streaks"))
        return commands

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(literal_content(name), callback, help=_help(help_text))  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            name = printable(name)
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, _highlight(name, matcher), callback, help=_help(help_text))  # type: ignore[arg-type]


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
