"""`coach routines copy`: a bundled routine made one's own, with new numbers, validated before it is saved."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.__main__ import main
from coach.routines.catalog import load_catalog
from coach.routines.customize import customized
from coach.routines.loader import load_routine_file
from coach.routines.model import Group, Span, StepKind, TimedStep


def _timed(steps: tuple[object, ...]) -> list[TimedStep]:
    found: list[TimedStep] = []
    for step in steps:
        if isinstance(step, TimedStep):
            found.append(step)
        elif isinstance(step, Group):
            found.extend(_timed(step.steps))
    return found


def test_copy_with_new_hold_rest_and_length_is_saved_and_picked_up(tmp_path: Path, capsys) -> None:
    assert (
        main(
            ["routines", "copy", "toe-exercises", "--as", "my-toes", "--hold", "12s", "--rest", "5s", "--length", "12m"]
        )
        == 0
    )
    saved = Path(capsys.readouterr().out.split("Saved ", 1)[1].strip())
    routine = load_routine_file(saved)
    holds = [s.time for s in _timed(routine.steps) if s.kind is StepKind.HOLD]
    rests = [s.time for s in _timed(routine.steps) if s.kind is StepKind.REST]
    assert holds == [Span(12, 12)] and rests == [Span(5, 5)]
    heel_raises = next(s for s in routine.steps if isinstance(s, Group) and s.for_ is not None)
    assert heel_raises.for_ == Span(720, 720)
    assert routine.min_seconds <= routine.max_seconds
    catalog = load_catalog()
    assert catalog.routines["my-toes"].origin == "user"
    assert catalog.routines["my-toes"].name == "Toe exercises (my-toes)"
    assert catalog.routines["toe-exercises"].origin == "bundled"  # the original is untouched


def test_copy_refuses_to_overwrite_without_force(capsys) -> None:
    assert main(["routines", "copy", "foot-soak", "--length", "18m"]) == 0
    assert main(["routines", "copy", "foot-soak", "--length", "19m"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert load_catalog().routines["foot-soak"].max_seconds == 18 * 60
    assert main(["routines", "copy", "foot-soak", "--length", "19m", "--force"]) == 0
    assert load_catalog().routines["foot-soak"].max_seconds == 19 * 60


@pytest.mark.parametrize("flag, value", [("--hold", "abc"), ("--length", "15m..10m"), ("--rest", "0s")])
def test_copy_with_a_bad_number_is_a_usage_error_and_writes_nothing(flag: str, value: str, capsys) -> None:
    assert main(["routines", "copy", "toe-exercises", "--as", "x", flag, value]) == 2
    assert "x" not in load_catalog().routines


def test_a_copy_that_would_not_validate_is_not_saved(capsys) -> None:
    # A hold longer than the whole heel-raise block: one round would not fit.
    assert main(["routines", "copy", "toe-exercises", "--as", "bad", "--hold", "20m", "--length", "10m"]) == 1
    assert "longer than" in capsys.readouterr().err
    assert "bad" not in load_catalog().routines


def test_shorter_length_keeps_the_session_able_to_count() -> None:
    soak = load_catalog().routines["foot-soak"]
    short = customized(soak, length=Span(600, 600))
    assert short.counts_after_seconds <= short.max_seconds
