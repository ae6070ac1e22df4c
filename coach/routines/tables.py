"""A routine as the tables of a routine file: what a saved copy is written from (then read back through the same
validation as any file before it is saved)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coach.routines.durations import format_span
from coach.routines.model import Routine, Span, Step, StepKind, TimedStep, WaitStep


def schema_path() -> Path:
    """The JSON Schema for routine files, for editors with a TOML language server."""
    return Path(__file__).resolve().parent / "routine.schema.json"


def routine_data(routine: Routine) -> dict[str, Any]:
    """The routine as the TOML tables of a routine file."""
    data: dict[str, Any] = {"name": routine.name}
    if routine.summary:
        data["summary"] = routine.summary
    data["slots"] = [slot.value for slot in routine.slots]
    if routine.counts_after is not None:
        data["counts_after"] = format_span(Span(routine.counts_after, routine.counts_after))
    if routine.safety:
        data["safety"] = list(routine.safety)
    data["steps"] = [_step_data(step) for step in routine.steps]
    return data


def _step_data(step: Step) -> dict[str, Any]:
    data: dict[str, Any] = {"title": step.title}
    if step.say:
        data["say"] = step.say
    if isinstance(step, WaitStep):
        data["until"] = "ready"
    elif isinstance(step, TimedStep):
        if step.kind is not StepKind.MOVE:
            data["kind"] = step.kind.value
        data["time"] = format_span(step.time)
        if step.remind is not None:
            every = format_span(Span(step.remind.every, step.remind.every))
            data["remind"] = {"every": every, "say": step.remind.say}
    else:
        if step.repeat is not None:
            data["repeat"] = step.repeat
        if step.for_ is not None:
            data["for"] = format_span(step.for_)
        data["do"] = [_step_data(child) for child in step.steps]
    return data
