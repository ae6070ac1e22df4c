"""The secret that lets a browser in: made once, kept in the data folder (owner-only) so a bookmark keeps working."""

from __future__ import annotations

import contextlib
import hmac
import os
import re
import secrets
import stat
from pathlib import Path

from coach.common.problems import CoachError

TOKEN_FILE = "serve-token"
"""The token's file in the data folder."""

TOKEN_BYTES = 32
"""256 random bits (43 characters of URL-safe base64): far past guessing, even at millions of tries a second."""

MIN_TOKEN_LENGTH = 22
"""The shortest token accepted from the file: 22 base64 characters carry 132 bits."""

_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]+")


def token_path(folder: Path) -> Path:
    """Where the token of the data folder `folder` is kept."""
    return folder / TOKEN_FILE


def load_or_create_token(folder: Path, *, new: bool = False) -> str:
    """The folder's token; a fresh one when there is none yet or when `new` (the old address stops working).

    The file is readable by its owner only (0600); a file found with wider permissions is narrowed."""
    path = token_path(folder)
    if not new:
        existing = _read_token(path)
        if existing is not None:
            return existing
    token = secrets.token_urlsafe(TOKEN_BYTES)
    _write_token(path, token)
    return token


def token_matches(given: str | None, token: str) -> bool:
    """Whether `given` is the token, compared in constant time (the time taken says nothing of how close it was)."""
    if given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), token.encode("ascii"))


def _read_token(path: Path) -> str | None:
    try:
        status = path.stat()
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise CoachError(
            f"{path}: cannot read the token of `coach serve` ({_reason(error)}); "
            "`coach serve --new-token` makes a new one"
        ) from None
    if len(text) < MIN_TOKEN_LENGTH or not _TOKEN_SHAPE.fullmatch(text):
        raise CoachError(
            f"{path}: this is not a token made by `coach serve` (expected at least {MIN_TOKEN_LENGTH} letters, "
            "digits, - or _); `coach serve --new-token` replaces it"
        )
    if stat.S_IMODE(status.st_mode) & 0o077:
        with contextlib.suppress(OSError):  # narrowing is a courtesy: the token is still the one to use
            os.chmod(path, 0o600)
    return text


def _write_token(path: Path, token: str) -> None:
    """Write the token whole (a temporary file renamed over the old one), owner-only from its first byte."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(token + "\n")
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise CoachError(f"{path}: cannot save the token of `coach serve` ({_reason(error)})") from None


def _reason(error: Exception) -> str:
    return getattr(error, "strerror", None) or str(error)
