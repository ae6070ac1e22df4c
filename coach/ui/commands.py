"""The command palette offers the app's verbs: run a routine, open history, go home."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from coach.ui.app import CoachApp


class CoachCommands(Provider):
    """Offers "Run <routine>" for every routine, and the screens; only what fits the screen shown."""

    def _commands(self) -> list[tuple[str, object, str]]:
        from coach.ui.screens.run import RunScreen

        app = cast("CoachApp", self.app)
        if isinstance(app.screen, RunScreen):
            return []  # mid-session, the palette offers nothing that would start another one
        commands: list[tuple[str, object, str]] = [
            (f"Run {routine.name}", partial(app.start_routine, routine.id), routine.summary or routine.id)
            for routine in sorted(app.context.catalog.routines.values(), key=lambda r: r.name)
        ]
        commands.append(("History", app.open_history, "Every session, the calendar and streaks"))
        return commands

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)  # type: ignore[arg-type]
