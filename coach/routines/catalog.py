"""The routines a user has: the bundled ones, overridden by the user's own files with the same id."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from coach.common.cachefile import read_json_cache, write_json_cache
from coach.common.files import MIB
from coach.common.paths import bundled_routines_dir as bundled_dir
from coach.common.paths import cache_dir, user_routines_dir
from coach.common.problems import CoachError, Problem, ProblemsError
from coach.common.tomlfile import TomlDocument
from coach.routines.loader import check_routine_document, load_routine_file
from coach.routines.model import Routine
from coach.routines.signature import routine_files_signature
from coach.routines.tables import routine_data, schema_path

CACHE_NAME = "routines.json"
CACHE_FORMAT = 1
"""Raised whenever what the cache holds changes shape: an older cache then reads as foreign and is rewritten."""
MAX_CACHE_BYTES = 16 * MIB
MAX_CACHE_DEPTH = 64
"""Routines nest groups at most 16 deep (loader.MAX_DEPTH): about 40 levels of JSON; deeper is not coach's."""
MAX_ENTRIES = 10_000
MAX_PROBLEMS = 1_000
MAX_MESSAGE = 4_000
ORIGINS = ("bundled", "user")

__all__ = ["Catalog", "cached_catalog", "load_catalog", "resolve_routine", "schema_path"]


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


def cached_catalog(cache_folder: Path | None = None) -> Catalog:
    """The catalog, remembered as plain data in the user cache folder until a routine file or coach changes.

    Reading every routine file costs the TOML reader's import and parse before the first frame; the remembered
    catalog is each routine's tables as JSON, checked again by the same validation as a file (no TOML reader), so a
    damaged or crafted cache can only be ignored and rewritten."""
    signature = routine_files_signature()
    cache = (cache_folder or cache_dir()) / CACHE_NAME
    remembered = catalog_from_cache(read_json_cache(cache, MAX_CACHE_BYTES, MAX_CACHE_DEPTH), signature)
    if remembered is not None:
        return remembered
    catalog = load_catalog()
    write_json_cache(cache, catalog_to_cache(catalog, signature))
    return catalog


def catalog_to_cache(catalog: Catalog, signature: list[object]) -> dict[str, object]:
    """The catalog as JSON-ready plain data: each routine's file tables, each broken file's problems."""
    return {
        "format": CACHE_FORMAT,
        "signature": signature,
        "routines": [
            {"id": r.id, "origin": r.origin, "source": str(r.source), "file": routine_data(r)}
            for r in catalog.routines.values()
        ],
        "broken": [
            {"path": str(path), "problems": [list(p) for p in problems]} for path, problems in catalog.broken.items()
        ],
    }


def catalog_from_cache(value: object, signature: list[object]) -> Catalog | None:
    """The catalog in a cache read back, or None unless every part has the shape, types and sizes coach writes
    and every routine passes the routine file validation again."""
    if not isinstance(value, dict) or value.get("format") != CACHE_FORMAT or value.get("signature") != signature:
        return None
    routines, broken = value.get("routines"), value.get("broken")
    if not isinstance(routines, list) or not isinstance(broken, list) or len(routines) + len(broken) > MAX_ENTRIES:
        return None
    catalog = Catalog()
    for item in routines:
        routine = _cached_routine(item)
        if routine is None or routine.id in catalog.routines:
            return None
        catalog.routines[routine.id] = routine
    for item in broken:
        entry = _cached_problems(item)
        if entry is None:
            return None
        catalog.broken[entry[0]] = entry[1]
    return catalog


def _cached_routine(item: object) -> Routine | None:
    if not isinstance(item, dict) or set(item) != {"id", "origin", "source", "file"}:
        return None
    routine_id, origin, source, table = item["id"], item["origin"], item["source"], item["file"]
    if not (isinstance(routine_id, str) and isinstance(source, str) and isinstance(table, dict)):
        return None
    if origin not in ORIGINS or Path(source).stem != routine_id:
        return None
    routine, problems = check_routine_document(
        TomlDocument(source, data=table), routine_id=routine_id, source=Path(source)
    )
    return None if problems or routine is None else routine._replace(origin=origin)


def _cached_problems(item: object) -> tuple[Path, list[Problem]] | None:
    if not isinstance(item, dict) or set(item) != {"path", "problems"}:
        return None
    path, listed = item["path"], item["problems"]
    if not isinstance(path, str) or not isinstance(listed, list) or not 0 < len(listed) <= MAX_PROBLEMS:
        return None
    problems = []
    for entry in listed:
        if not (isinstance(entry, list) and len(entry) == 4):
            return None
        shown, line, col, message = entry
        if not (isinstance(shown, str) and isinstance(message, str) and len(message) <= MAX_MESSAGE):
            return None
        if not all(type(number) is int and 0 < number < 2**31 for number in (line, col)):
            return None
        problems.append(Problem(shown, line, col, message))
    return Path(path), problems


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
