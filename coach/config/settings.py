"""User settings in settings.toml: a broken file gets located problems and the defaults, and is never overwritten
until the user saves."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

from coach.common.problems import Problem

SOUNDS = ("every change", "starts and the end", "off")
"""The values of `sounds` (coach.engine.cues.SoundLevel)."""


@dataclass(frozen=True)
class Settings:
    """What the user can choose; every field has a safe default."""

    day_start_hour: int = 4
    """The hour (0-12) at which a coach day begins; sessions before it count for the day before."""
    sound: bool = True
    sounds: str = "every change"
    """How much the bell says: "every change", "starts and the end" (no 3-2-1 ring), or "off"."""
    voice: bool = False
    speech_program: str = ""
    """"" picks the first of espeak-ng, spd-say, say that is installed."""
    notifications: bool = True
    theme: str = "textual-dark"
    lengths: dict[str, str] = field(default_factory=dict)
    """Preferred lengths within a routine's ranges, e.g. {"foot-soak": "18m"}."""


@dataclass(frozen=True)
class LoadedSettings:
    """Settings to use, and the problems that made coach fall back to defaults for some of them."""

    settings: Settings
    problems: list[Problem]


def load_settings(path: Path | None = None) -> LoadedSettings:
    """Read settings.toml (or the defaults when there is none); never raises for a bad file."""
    from coach.common.paths import settings_file

    path = path or settings_file()
    if not path.exists():
        return LoadedSettings(Settings(), [])
    from coach.common.tomlfile import read_toml

    document = read_toml(path)
    if document.problems:
        return LoadedSettings(Settings(), document.problems)
    values: dict[str, object] = {}
    problems: list[Problem] = []
    known = {f.name: f for f in fields(Settings)}
    defaults = Settings()
    for key, value in document.data.items():
        if key not in known:
            problems.append(document.problem((key,), f"unknown setting {key!r}{document.suggest(key, known)}"))
            continue
        expected = type(getattr(defaults, key))
        if type(value) is not expected:
            problems.append(document.problem((key,), f"{key} must be {_kind(expected)}"))
            continue
        if key == "day_start_hour" and not 0 <= value <= 12:
            problems.append(document.problem((key,), "day_start_hour must be an hour from 0 to 12"))
            continue
        if key == "sounds" and value not in SOUNDS:
            problems.append(document.problem((key,), f"sounds must be one of {', '.join(map(repr, SOUNDS))}"))
            continue
        if key == "lengths":
            bad = _bad_lengths(value)
            for routine_id, message in bad:
                problems.append(document.problem((key, routine_id), f"lengths.{routine_id}: {message}"))
            if bad:
                continue
        values[key] = value
    return LoadedSettings(Settings(**values), problems)  # type: ignore[arg-type]


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write settings.toml with tomli-w, atomically, so a crash never leaves half a file."""
    import os
    import tempfile
    from dataclasses import asdict

    import tomli_w

    from coach.common.paths import settings_file

    path = path or settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {key: value for key, value in asdict(settings).items() if value != {}}
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".toml")
    with os.fdopen(fd, "wb") as handle:
        tomli_w.dump(data, handle)
    os.replace(temporary, path)


def preferred_seconds(settings: Settings, routine_id: str) -> int | None:
    """The user's preferred length for a routine's ranged part, in seconds, or None."""
    from coach.routines.durations import DurationError, parse_duration

    text = settings.lengths.get(routine_id)
    try:
        return parse_duration(text) if text is not None else None
    except DurationError:
        return None


def _bad_lengths(value: dict[str, object]) -> list[tuple[str, str]]:
    from coach.routines.durations import DurationError, parse_duration

    bad = []
    for routine_id, text in value.items():
        try:
            parse_duration(text)
        except DurationError as error:
            bad.append((routine_id, str(error)))
    return bad


def _kind(expected: type) -> str:
    return {bool: "true or false", int: "a whole number", str: "a string", dict: "a table"}[expected]
