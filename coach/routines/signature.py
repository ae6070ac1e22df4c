"""What the loaded routines depend on, in a form cheap to compare: caches of the catalog are valid while it holds."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import coach
from coach.common.paths import bundled_routines_dir, user_routines_dir


def routine_files_signature() -> list[object]:
    """The coach version, the code that reads routine files, and every routine file's name, size and mtime.

    The code is part of it so that problems remembered by another build of the loader are never shown (routines
    read back from a cache are checked again by the loader that reads them)."""
    signature: list[object] = [coach.__version__]
    for folder, suffix in ((Path(__file__).parent, ".py"), (bundled_routines_dir(), ".toml")):
        signature.append(_folder_signature(folder, suffix))
    signature.append(_file_signature(Path(coach.__file__).parent / "common" / "problems.py"))
    signature.append(_folder_signature(user_routines_dir(), ".toml"))
    return signature


def _file_signature(path: Path) -> list[object]:
    try:
        info = path.stat()
    except OSError:
        return [str(path), None]
    return [str(path), info.st_size, info.st_mtime_ns]


def _folder_signature(folder: Path, suffix: str) -> list[object]:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return [str(folder), None]
    files = []
    for entry in entries:
        if entry.name.endswith(suffix):
            with contextlib.suppress(OSError):
                info = entry.stat()
                files.append([entry.name, info.st_size, info.st_mtime_ns])
    return [str(folder), files]
