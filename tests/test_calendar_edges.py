"""Dates at the edges of the calendar are one clear message and exit 1, never a traceback: `insights --as-of` and
`cramp --at` (and a typed answer at the terminal) in years 1 and 9999."""

from __future__ import annotations

import builtins
import sys
from collections.abc import Iterator

import pytest

from coach.__main__ import main

CRAMP = ["--leg", "left", "--muscle", "calf", "--severity", "3"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("day", ["0001-01-01", "0001-01-07", "1899-12-31", "9999-12-31"])
def test_insights_as_of_a_date_outside_the_calendar_is_one_message(
    capsys: pytest.CaptureFixture[str], day: str
) -> None:
    code, out, err = run(capsys, "insights", "--as-of", day)
    assert (code, out) == (1, "")
    assert err == f"coach: --as-of {day}: give a date from 1900-01-01 to 9998-12-31\n"


def test_insights_at_the_edges_of_the_range_still_work(capsys: pytest.CaptureFixture[str]) -> None:
    for day in ("1900-01-01", "9998-12-31"):
        assert run(capsys, "insights", "--as-of", day, "--weeks", "104")[0] == 0


@pytest.mark.parametrize("when", ["0001-01-01 03:00", "0001-01-01 00:00", "1899-12-31 23:00"])
def test_cramp_at_a_time_outside_the_calendar_is_one_message_and_logs_nothing(
    capsys: pytest.CaptureFixture[str], when: str
) -> None:
    code, out, err = run(capsys, "cramp", "--at", when, *CRAMP)
    assert (code, out) == (1, "")
    assert err == f"coach: --at '{when}': give a time from 1900-01-01 to 9998-12-31\n"
    assert run(capsys, "cramp", "list")[1].startswith("No cramps logged yet")


def test_a_typed_time_outside_the_calendar_is_asked_again(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Terminal:
        def isatty(self) -> bool:
            return True

    answers: Iterator[str] = iter(["0001-01-01 03:00", "now", "left", "calf", "3", "", ""])

    def fake_input(prompt: str = "") -> str:
        try:
            return next(answers)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr(builtins, "input", fake_input)
    code, out, err = run(capsys, "cramp")
    assert code == 0 and err == ""
    assert "  give a time from 1900-01-01 to 9998-12-31" in out.splitlines() and "Logged a cramp" in out
