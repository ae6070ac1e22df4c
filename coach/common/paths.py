"""Where coach keeps the user's files; computed when asked, never at import time, so tests can point elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_path, user_config_path, user_data_path

APP_NAME = "coach"
BUNDLED_PACKAGE_DIR = "bundled_routines"
"""Where the wheel puts the top-level routines/ folder inside the package (hatch force-include)."""


def config_dir() -> Path:
    """The user's config folder: `COACH_CONFIG_DIR`, else platformdirs (which honours XDG_CONFIG_HOME)."""
    override = os.environ.get("COACH_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    return user_config_path(APP_NAME, appauthor=False)


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The history folder: `--data-dir`, else `COACH_DATA_DIR`, else platformdirs' user data dir."""
    chosen = override or os.environ.get("COACH_DATA_DIR")
    if chosen:
        return Path(chosen).expanduser()
    return user_data_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    """Where coach keeps what it can always rebuild (the checked routines): `COACH_CACHE_DIR`, else platformdirs'
    user cache folder (which honours XDG_CACHE_HOME). Never the data folder, which users back up and sync."""
    override = os.environ.get("COACH_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    return user_cache_path(APP_NAME, appauthor=False)


def user_routines_dir() -> Path:
    """Where the user's own routine files live; one there with a bundled routine's id overrides it."""
    return config_dir() / "routines"


def settings_file() -> Path:
    """The user's settings.toml."""
    return config_dir() / "settings.toml"


def bundled_routines_dir() -> Path:
    """The bundled routines: inside the installed package, else the source checkout's routines/ folder."""
    package = Path(__file__).resolve().parents[1]  # coach/
    packaged = package / BUNDLED_PACKAGE_DIR
    if packaged.is_dir():
        return packaged
    return package.parent / "routines"
