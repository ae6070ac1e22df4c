"""The bundled routines say what the article says (shared/seed/leg-cramps-article.txt), plus careful safety notes."""

from __future__ import annotations

import pytest
from routine_helpers import BUNDLED

from coach.routines.loader import load_routine_file
from coach.routines.model import Group, Routine, Slot, StepKind, TimedStep, WaitStep, max_seconds, min_seconds


@pytest.fixture(scope="module")
def toes() -> Routine:
    return load_routine_file(BUNDLED / "toe-exercises.toml", origin="bundled")


@pytest.fixture(scope="module")
def soak() -> Routine:
    return load_routine_file(BUNDLED / "foot-soak.toml", origin="bundled")


def _timed(routine: Routine) -> list[TimedStep]:
    found: list[TimedStep] = []

    def walk(steps: tuple[object, ...]) -> None:
        for step in steps:
            if isinstance(step, Group):
                walk(step.steps)
            elif isinstance(step, TimedStep):
                found.append(step)

    walk(routine.steps)
    return found


def test_only_the_two_bundled_routines_ship() -> None:
    assert sorted(p.name for p in BUNDLED.glob("*.toml")) == ["foot-soak.toml", "toe-exercises.toml"]


# --- toe exercises: "holding for 10 seconds ... rest for a few seconds and repeat for 10-15 minutes, once in the
# morning and once in the evening. Combine this with ankle rotations." ---


def test_toe_exercises_are_for_morning_and_evening(toes: Routine) -> None:
    assert toes.slots == (Slot.MORNING, Slot.EVENING)


def test_toe_exercises_start_by_waiting_for_the_user_to_take_shoes_off(toes: Routine) -> None:
    first = toes.steps[0]
    assert isinstance(first, WaitStep)
    assert "shoes off" in first.say.lower()
    assert "chair" in first.say.lower()


def test_heel_raises_hold_10_seconds_then_rest_a_few(toes: Routine) -> None:
    raises = next(step for step in toes.steps if isinstance(step, Group) and step.for_ is not None)
    hold, rest = raises.steps
    assert isinstance(hold, TimedStep) and isinstance(rest, TimedStep)
    assert (hold.kind, hold.time.low, hold.time.high) == (StepKind.HOLD, 10, 10)
    assert rest.kind == StepKind.REST
    assert 2 <= rest.time.low == rest.time.high <= 10  # "a few seconds"


def test_heel_raise_block_lasts_10_to_15_minutes(toes: Routine) -> None:
    raises = next(step for step in toes.steps if isinstance(step, Group) and step.for_ is not None)
    assert raises.for_ is not None
    assert (raises.for_.low, raises.for_.high) == (10 * 60, 15 * 60)
    assert min_seconds(raises) == 600
    assert 14 * 60 <= max_seconds(raises) <= 15 * 60  # whole rounds that fit: never past 15 minutes


def test_ankle_rotations_are_combined_with_it(toes: Routine) -> None:
    titles = [step.title.lower() for step in toes.steps]
    assert any("ankle" in title for title in titles)
    rotation_steps = [step for step in _timed(toes) if "ankle" in step.title.lower()]
    assert {"left", "right"} <= {word for step in rotation_steps for word in step.title.lower().split()}


def test_a_toe_session_counts_after_10_minutes(toes: Routine) -> None:
    assert toes.counts_after_seconds == 10 * 60


def test_toe_safety_notes_say_to_hold_something_stable(toes: Routine) -> None:
    notes = " ".join(toes.safety).lower()
    assert "hold on to something that will not move" in notes
    assert "chair" in notes
    assert "doctor" in notes  # frequent cramps may point to a vascular problem


# --- foot soak: "warm water (around 40°C) up to your ankles before bedtime. Keep adding hot water to maintain the
# temperature ... Soak for 15-20 minutes." ---


def test_foot_soak_is_at_bedtime(soak: Routine) -> None:
    assert soak.slots == (Slot.BEDTIME,)


def test_soak_lasts_15_to_20_minutes(soak: Routine) -> None:
    (step,) = [step for step in _timed(soak) if step.kind == StepKind.SOAK]
    assert (step.time.low, step.time.high) == (15 * 60, 20 * 60)
    assert soak.counts_after_seconds == 15 * 60
    assert (soak.min_seconds, soak.max_seconds) == (900, 1200)


def test_soak_reminds_to_top_up_with_hot_water(soak: Routine) -> None:
    (step,) = [step for step in _timed(soak) if step.kind == StepKind.SOAK]
    assert step.remind is not None
    assert 0 < step.remind.every < step.time.high
    assert "top up with hot water" in step.remind.say.lower()
    assert "40 °c" in step.remind.say.lower()


def test_soak_water_is_about_40_degrees_up_to_the_ankles(soak: Routine) -> None:
    text = " ".join([soak.summary, *(step.say for step in soak.steps)]).lower()
    assert "40 °c" in text
    assert "ankles" in text


def test_soak_safety_notes_say_to_test_the_water(soak: Routine) -> None:
    notes = " ".join(soak.safety).lower()
    assert "test the water" in notes
    assert "thermometer" in notes
    assert "feeling in your feet is reduced" in notes
