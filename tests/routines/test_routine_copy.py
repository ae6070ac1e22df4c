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


@pytest.mark.parametrize(
    ("routine", "flag", "value", "said"),
    [
        ("foot-soak", "--hold", "10s", "--hold: foot-soak has no hold steps; nothing was saved"),
        ("foot-soak", "--rest", "5s", "--rest: foot-soak has no rest steps; nothing was saved"),
        ("toe-exercises", "--remind", "1m", "--remind: toe-exercises has no reminders; nothing was saved"),
    ],
)
def test_an_option_the_routine_has_nothing_for_is_refused(
    routine: str, flag: str, value: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["routines", "copy", routine, "--as", "mine", flag, value]) == 2
    assert capsys.readouterr().err == f"coach: {said}\n"
    assert "mine" not in load_catalog().routines


def test_a_soak_shorter_than_its_reminder_says_what_to_change_and_points_into_no_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["routines", "copy", "foot-soak", "--as", "short", "--length", "3m"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("coach: this copy would not be a valid routine, so nothing was saved: a reminder every 5m")
    assert "--remind off" in err and ".toml" not in err and err.count("\n") == 1
    assert "short" not in load_catalog().routines


@pytest.mark.parametrize(("remind", "every"), [("1m", 60), ("off", None)])
def test_the_soak_reminder_can_be_changed_or_dropped(
    remind: str, every: int | None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["routines", "copy", "foot-soak", "--as", "short", "--length", "3m", "--remind", remind]) == 0
    copy = load_catalog().routines["short"]
    reminders = [step.remind for step in _timed(copy.steps) if step.remind is not None]
    assert [reminder.every for reminder in reminders] == ([every] if every else [])
    assert copy.max_seconds == load_catalog().routines["foot-soak"].max_seconds - 20 * 60 + 3 * 60
