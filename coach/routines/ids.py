"""The one rule for routine ids, used wherever an id is made or read: `routines copy --as`, the app's copy dialog,
and the loader for a file's name. An id is also a file name and goes into the history, so it stays short, plain
ASCII and the same on every file system; the app still maps ids to widget ids rather than trusting the rule."""

from __future__ import annotations

import re
import unicodedata

MAX_ID_LENGTH = 64
ROUTINE_ID = re.compile(rf"[A-Za-z0-9][A-Za-z0-9_-]{{0,{MAX_ID_LENGTH - 1}}}")
ID_RULE = (
    f"use letters a-z, digits, '-' and '_' (no spaces, dots or accents), starting with a letter or digit, "
    f"at most {MAX_ID_LENGTH} characters"
)
_NOT_ALLOWED = re.compile(r"[^A-Za-z0-9_-]+")
_WIDGET_SAFE = re.compile(r"[A-Za-z0-9-]")


def is_routine_id(text: str) -> bool:
    """Whether `text` follows the id rule."""
    return ROUTINE_ID.fullmatch(text) is not None


def id_problem(text: str) -> str | None:
    """Why `text` is not a routine id (None when it is one), in words that say what to do."""
    if is_routine_id(text):
        return None
    if len(text) > MAX_ID_LENGTH:
        return f"a routine id has at most {MAX_ID_LENGTH} characters, not {len(text)}"
    return ID_RULE


def suggest_id(text: str) -> str:
    """An id close to `text` that follows the rule: accents dropped, anything else not allowed made a dash
    (`meine-übungen` -> `meine-ubungen`, `foot-soak.v2` -> `foot-soak-v2`)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    suggestion = _NOT_ALLOWED.sub("-", plain).strip("-_")[:MAX_ID_LENGTH].strip("-_")
    return suggestion or "my-routine"


def widget_id(prefix: str, routine_id: str) -> str:
    """A Textual widget id for a routine id, whatever the id holds: `prefix-` then the id with every character
    but ASCII letters, digits and '-' written as `_XXXXXX` (hex), so two ids never share a widget id."""
    escaped = "".join(char if _WIDGET_SAFE.match(char) else f"_{ord(char):06x}" for char in routine_id)
    return f"{prefix}-{escaped}"
