"""Durations as routine files write them: "10s", "1m30s", "15m", "1h", whole seconds, ranges "10m..15m"."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.routines.durations import (
    MAX_SECONDS,
    DurationError,
    format_duration,
    format_span,
    parse_duration,
    parse_span,
)
from coach.routines.model import Span


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("10s", 10),
        ("1m30s", 90),
        ("15m", 900),
        ("1h", 3600),
        ("1h5m", 3900),
        ("1h0m1s", 3601),
        (90, 90),
        ("90", 90),
        (" 2m ", 120),
        ("1m 30s", 90),
        ("1M30S", 90),
        ("0010s", 10),
        ("24h", MAX_SECONDS),
        (MAX_SECONDS, MAX_SECONDS),
        (1, 1),
    ],
)
def test_parse_duration(value: object, seconds: int) -> None:
    assert parse_duration(value) == seconds


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0, "more than zero"),
        (-1, "more than zero"),
        ("-5s", "more than zero"),
        ("-5", "more than zero"),
        ("0s", "more than zero"),
        ("0m0s", "more than zero"),
        (True, "not true/false"),
        (False, "not true/false"),
        (1.5, "whole seconds"),
        (10.0, "whole seconds"),
        (float("nan"), "finite"),
        (float("inf"), "finite"),
        (float("-inf"), "finite"),
        ("", "is not a duration"),
        ("   ", "is not a duration"),
        ("soon", "is not a duration"),
        ("10 seconds", "is not a duration"),
        ("1.5m", "is not a duration"),
        ("m", "is not a duration"),
        ("10x", "is not a duration"),
        ("²", "is not a duration"),
        ("٣s", "is not a duration"),
        ("25h", "longer than 24 hours"),
        (MAX_SECONDS + 1, "longer than 24 hours"),
        ("24h1s", "longer than 24 hours"),
        ("9" * 5000, "longer than 24 hours"),
        ("9" * 5000 + "s", "longer than 24 hours"),
        (10**5000, "longer than 24 hours"),
        (None, "not NoneType"),
        ([10], "not a list"),
        ({"s": 10}, "not a table"),
    ],
    ids=lambda value: "huge int" if isinstance(value, int) and value > 10**100 else repr(value)[:30],
)
def test_parse_duration_rejects(value: object, message: str) -> None:
    with pytest.raises(DurationError, match=message) as caught:
        parse_duration(value)
    assert len(str(caught.value)) < 120  # one readable line, even for a value with thousands of digits


@pytest.mark.parametrize(
    ("value", "span"),
    [
        ("10m..15m", Span(600, 900)),
        ("15m..20m", Span(900, 1200)),
        ("10s", Span(10, 10)),
        (90, Span(90, 90)),
        ("1m..1m", Span(60, 60)),
        (" 10m .. 15m ", Span(600, 900)),
        ("600..900", Span(600, 900)),
    ],
)
def test_parse_span(value: object, span: Span) -> None:
    assert parse_span(value) == span


def test_a_span_with_equal_bounds_is_not_a_range() -> None:
    assert not parse_span("1m..1m").is_range
    assert parse_span("1m..2m").is_range


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("15m..10m", "starts after it ends"),
        ("..15m", "is not a duration"),
        ("10m..", "is not a duration"),
        ("..", "is not a duration"),
        ("1m..2m..3m", "is not a range"),
        ("0s..10s", "more than zero"),
        ("10m..25h", "longer than 24 hours"),
    ],
)
def test_parse_span_rejects(value: str, message: str) -> None:
    with pytest.raises(DurationError, match=message):
        parse_span(value)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(10, "10s"), (90, "1m30s"), (900, "15m"), (3600, "1h"), (3900, "1h5m"), (3601, "1h1s"), (0, "0s"), (59.6, "1m")],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_format_span() -> None:
    assert format_span(Span(600, 900)) == "10m..15m"
    assert format_span(Span(10, 10)) == "10s"


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=MAX_SECONDS))
def test_format_duration_round_trips(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=MAX_SECONDS), st.integers(min_value=1, max_value=MAX_SECONDS))
def test_format_span_round_trips(a: int, b: int) -> None:
    span = Span(min(a, b), max(a, b))
    assert parse_span(format_span(span)) == span


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=30), st.integers(), st.floats(), st.booleans(), st.none()))
def test_parse_span_returns_a_sane_span_or_raises_duration_error(value: object) -> None:
    try:
        span = parse_span(value)
    except DurationError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert 1 <= span.low <= span.high <= MAX_SECONDS
