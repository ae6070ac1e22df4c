"""Durations in routine files: `"10s"`, `"1m30s"`, `"15m"`, `"1h"`, integer seconds, or a range `"10m..15m"`."""

from __future__ import annotations

import math
import re

from coach.routines.model import Span

MAX_SECONDS = 24 * 60 * 60
"""Nothing in a routine may last longer than a day: a larger number is a typo, not a plan."""

# ASCII digits only: str.isdigit() and a plain \d also accept "²" or "٣", which int() rejects or reads unexpectedly.
_PART = re.compile(r"([0-9]+)\s*(h|m|s)")
_WHOLE = re.compile(r"^\s*(?:[0-9]+\s*[hms]\s*)+$")
_SECONDS = re.compile(r"^-?[0-9]+$")
_MAX_DIGITS = 12
"""A number with more digits than this is far beyond 24 hours; int() is never asked to read thousands of digits."""


class DurationError(ValueError):
    """A duration that cannot be used; the message is written for the user."""


def parse_duration(value: object) -> int:
    """Whole seconds from an integer or a string like "1m30s"; raises DurationError with a plain message."""
    if isinstance(value, bool):
        raise DurationError('a duration must be a number of seconds or a string like "10s", not true/false')
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise DurationError(f"a duration must be a finite number of seconds, not {value}")
        raise DurationError(f'a duration must be whole seconds or a string like "1m30s", not {value}')
    if isinstance(value, int):
        seconds = value
    elif isinstance(value, str):
        seconds = _parse_text(value)
    else:
        raise DurationError(f'a duration must be a number of seconds or a string like "10s", not {_kind(value)}')
    if seconds <= 0:
        raise DurationError(f"a duration must be more than zero seconds, not {_show(value)}")
    if seconds > MAX_SECONDS:
        raise DurationError(f"{_show(value)} is longer than 24 hours")
    return seconds


def parse_span(value: object) -> Span:
    """A fixed duration or a range "LOW..HIGH" (the user may stop after LOW; it ends by itself at HIGH)."""
    if isinstance(value, str) and ".." in value:
        low_text, _, high_text = value.partition("..")
        if ".." in high_text:
            raise DurationError(f'{_show(value)} is not a range: write it like "10m..15m"')
        low, high = parse_duration(low_text), parse_duration(high_text)
        if low > high:
            raise DurationError(f"the range {_show(value)} starts after it ends (lower bound is larger than upper)")
        return Span(low, high)
    seconds = parse_duration(value)
    return Span(seconds, seconds)


def format_duration(seconds: float) -> str:
    """Seconds in the style a routine file uses: 1h5m, 12m, 1m30s, 10s."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    text = (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "") + (f"{secs}s" if secs else "")
    return text or "0s"


def format_span(span: Span) -> str:
    """A span as a routine file writes it: "15m" or "10m..15m"."""
    if span.low == span.high:
        return format_duration(span.low)
    return f"{format_duration(span.low)}..{format_duration(span.high)}"


def _parse_text(text: str) -> int:
    stripped = text.strip()
    if _SECONDS.match(stripped):
        return _number(stripped, text)
    if stripped.startswith("-"):
        raise DurationError(f"a duration must be more than zero seconds, not {_show(text)}")
    if not _WHOLE.match(stripped.lower()):
        raise DurationError(f'{_show(text)} is not a duration: write it like "10s", "1m30s", "15m" or "1h"')
    return sum(_number(n, text) * {"h": 3600, "m": 60, "s": 1}[unit] for n, unit in _PART.findall(stripped.lower()))


def _number(digits: str, text: str) -> int:
    significant = digits.lstrip("-").lstrip("0")
    if digits.startswith("-"):
        raise DurationError(f"a duration must be more than zero seconds, not {_show(text)}")
    if len(significant) > _MAX_DIGITS:
        raise DurationError(f"{_show(text)} is longer than 24 hours")
    return int(significant or "0")


def _show(value: object) -> str:
    """The value as the user wrote it, cut short: a message must stay one readable line."""
    if isinstance(value, int) and value.bit_length() > 64:
        return "a number that large"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__
