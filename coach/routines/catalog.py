"""The routines a user has: the bundled ones, overridden by the user's own files with the same id."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach.common.paths import bundled_routines_dir as bundled_dir
from coach.common.paths import user_routines_dir
from coach.common.problems import CoachError, Problem, ProblemsError
from coach.routines.model import Routine

CACHE_NAME = ".routines-cache.pickle"


@dataclass
class Catalog:
    """Every usable routine by id, and the user files that could not be loaded (they never hide the good ones)."""

    routines: dict[str, Routine] = field(default_factory=dict)
    broken: dict[Path, list[Problem]] = field(default_factory=dict)

    def get(self, routine_id: str) -> Routine | None:
        return self.routines.get(routine_id)


def schema_path() -> Path:
    """The JSON Schema for routine files, for editors with a TOML language server."""
    return Path(__file__).resolve().parent / "routine.schema.json"


def load_catalog(user_dir: Path | None = None) -> Catalog:
    """Load bundled then user routines; a user file with a bundled routine's id overrides it."""
    from coach.routines.loader import load_routine_file

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


def cached_catalog(cache_dir: Path) -> Catalog:
    """The catalog, remembered in `cache_dir` until a routine file or coach itself changes.

    Reading and checking every routine file (and importing the TOML reader) costs more than anything else coach
    does before its first frame; the remembered catalog is the same objects, read back in a millisecond."""
    from coach.routines.signature import remember, routine_files_signature

    signature = routine_files_signature()
    cache = cache_dir / CACHE_NAME
    try:
        with cache.open("rb") as file:
            remembered, catalog = _CatalogUnpickler(file).load()
        if remembered == signature and isinstance(catalog, Catalog):
            return catalog
    except Exception:  # missing, partial, foreign or outdated: read the files instead
        pass
    catalog = load_catalog()
    remember(cache, pickle.dumps((signature, catalog), protocol=pickle.HIGHEST_PROTOCOL))
    return catalog


class _CatalogUnpickler(pickle.Unpickler):
    """Reads back only a catalog: a cache file that names any other class is refused, so it cannot run code."""

    MODEL = ("Routine", "Group", "TimedStep", "WaitStep", "Span", "Reminder", "Slot", "StepKind")
    ALLOWED = {
        ("coach.routines.catalog", "Catalog"),
        ("coach.common.problems", "Problem"),
        ("pathlib", "PosixPath"),
        ("pathlib", "WindowsPath"),
        *(("coach.routines.model", name) for name in MODEL),
    }

    def find_class(self, module: str, name: str) -> Any:
        # Exact names only: a whole module would also allow dotted names (`Path.touch` through the model's imports).
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} has no place in a routine catalog")


def resolve_routine(ref: str, catalog: Catalog | None = None) -> Routine:
    """A routine by id, or by path when `ref` names a .toml file; raises ProblemsError or CoachError."""
    path = Path(ref).expanduser()
    if ref.endswith(".toml") or path.suffix == ".toml" or "/" in ref:
        if not path.exists():
            raise CoachError(f"{ref}: no such routine file")
        from coach.routines.loader import load_routine_file

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
