"""Caches in plain data (JSON) that coach can always rebuild: written whole or not at all, and read back as any
other input — only a regular file, never more than a cap, nested no deeper than a limit — so a damaged, foreign or
crafted cache is ignored (and rewritten), never trusted, never a traceback and never a hang."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from coach.common.files import FileRefused, read_regular_file


def read_json_cache(path: Path, limit: int, max_depth: int) -> object | None:
    """The JSON value in `path`, or None when it is missing, not a regular file, larger than `limit` bytes, not
    JSON, nested deeper than `max_depth`, or holding text that is not Unicode (a lone surrogate). The caller checks
    the value's shape and types."""
    try:
        raw = read_regular_file(path, limit)
        value = json.loads(raw)
    except (FileRefused, OSError, ValueError, RecursionError):
        return None
    return value if _plain_within(value, max_depth) else None


def write_json_cache(path: Path, value: object) -> None:
    """Write `value` as JSON whole or not at all (another coach may be reading it); a folder that cannot take it,
    read-only or full, only means the next start rebuilds it."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(json.dumps(value, separators=(",", ":")), encoding="ascii")
        os.replace(partial, path)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            partial.unlink()


def _plain_within(value: object, max_depth: int) -> bool:
    """Whether no list or object in `value` lies deeper than `max_depth` and every text in it is Unicode that can
    be written out (walked without recursion)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if not _encodable(item):
                return False
            continue
        if isinstance(item, dict):
            children: list[object] = [*item.keys(), *item.values()]
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > max_depth:
            return False
        stack.extend((child, depth + 1) for child in children)
    return True


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
