"""The routines a user has: the bundled ones, overridden by the user's own files with the same id."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from coach.common.paths import bundled_routines_dir as bundled_dir
from coach.common.paths import user_routines_dir
from coach.common.problems import CoachError, Problem, ProblemsError
from coach.routines.loader import load_routine_file
from coach.routines.model import Routine
from coach.routines.tables import schema_path

__all__ = ["Catalog", "load_catalog", "resolve_routine", "schema_path"]


@dataclass
class Catalog:
    """Every usable routine by id, and the user files that could not be loaded (they never hide the good ones)."""

    routines: dict[str, Routine] = field(default_factory=dict)
    broken: dict[Path, list[Problem]] = field(default_factory=dict)

    def get(self, routine_id: str) -> Routine | None:
        return self.routines.get(routine_id)


def load_catalog(user_dir: Path | None = None) -> Catalog:
    """Load bundled then user routines; a user file with a bundled routine's id overrides it."""
    catalog = Catalog()
    for origin, folder in (("bundled", bundled_dir()), ("user", user_dir or user_routines_dir())):
        for path in _routine_files(folder):
            try:
                routine = load_routine_file(path, origin=origin)
            except ProblemsError as error:
                catalog.broken[path] = error.problems
                # A user's file overrides a bundled routine even when broken: offering the bundled one instead
                # would silently run what the user meant to replace.
                catalog.routines.pop(path.stem, None)
                continue
            catalog.routines[routine.id] = routine
    return catalog


def resolve_routine(ref: str, catalog: Catalog | None = None) -> Routine:
    """A routine by id, or by path when `ref` names a .toml file; raises ProblemsError or CoachError."""
    path = Path(ref).expanduser()
    if ref.endswith(".toml") or path.suffix == ".toml" or "/" in ref:
        if not path.exists():
            raise CoachError(f"{ref}: no such routine file")
        return load_routine_file(path, origin="file", shown_as=ref)
    catalog = catalog or load_catalog()
    broken = [p for p in catalog.broken if p.stem == ref]
    if broken:  # the user's own file, even broken, wins over a bundled routine of the same id
        raise ProblemsError(catalog.broken[broken[-1]])
    routine = catalog.get(ref)
    if routine is not None:
        return routine
    known = ", ".join(sorted(catalog.routines)) or "none"
    raise CoachError(f"no routine with id {ref!r} (known: {known}); give an id from `coach routines` or a path")


def _routine_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.glob("*.toml") if not p.name.startswith("."))
    except OSError:
        return []
