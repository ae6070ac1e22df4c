"""Located problems with user input: every bad file is reported as `PATH:LINE:COL: message`."""

from __future__ import annotations

from pathlib import Path

from msgspec import Struct


class Problem(Struct, frozen=True, order=True):
    """One mistake in a user's file, with where it is (line and column count from 1); problems sort by place."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


class ProblemsError(Exception):
    """Raised when a file cannot be used; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def display_path(path: Path | str) -> str:
    """The path as the user typed it or, for absolute paths, as is: problems must name a file they can open."""
    return str(path)


class CoachError(Exception):
    """A failure the user can act on (a damaged database, a folder that cannot be written); the message says
    where and what. Printing commands exit with `exit_code` (1 unless given)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code
