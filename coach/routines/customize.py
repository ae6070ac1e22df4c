"""Make a routine one's own: copy it with changed numbers (hold, rest, total time) into the user's folder.

The copy is written with tomli-w from the model, then loaded back through the same validation as every other
routine file before it replaces anything, so a saved copy is always a valid routine.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from msgspec.structs import replace

from coach.common.problems import CoachError
from coach.common.tomlfile import printable
from coach.routines.durations import format_span
from coach.routines.ids import id_problem, suggest_id
from coach.routines.loader import load_routine_bytes
from coach.routines.model import Group, Routine, Span, Step, StepKind, TimedStep
from coach.routines.tables import routine_data, schema_path


def customized(
    routine: Routine,
    *,
    hold: int | None = None,
    rest: int | None = None,
    length: Span | None = None,
    name: str | None = None,
    remind: int | None = None,
    no_remind: bool = False,
) -> Routine:
    """The routine with every hold and rest step set to new lengths, its main block (a group's "for", a ranged
    step, the soak) set to a new length or range, and its reminders set to come every `remind` seconds or, with
    `no_remind`, dropped."""

    def change(step: Step) -> Step:
        if isinstance(step, TimedStep):
            if hold is not None and step.kind is StepKind.HOLD:
                step = replace(step, time=Span(hold, hold))
            if rest is not None and step.kind is StepKind.REST:
                step = replace(step, time=Span(rest, rest))
            if length is not None and (step.time.is_range or step.kind is StepKind.SOAK):
                step = replace(step, time=length)
            if step.remind is not None and no_remind:
                step = replace(step, remind=None)
            elif step.remind is not None and remind is not None:
                step = replace(step, remind=replace(step.remind, every=remind))
            return step
        if isinstance(step, Group):
            group = replace(step, steps=tuple(change(child) for child in step.steps))
            if length is not None and group.for_ is not None:
                group = replace(group, for_=length)
            return group
        return step

    steps = tuple(change(step) for step in routine.steps)
    counts_after = routine.counts_after
    if length is not None and counts_after is not None:
        counts_after = min(counts_after, length.low)  # a session of the new length must still be able to count
    changes = [
        f"{label} {format_span(Span(value, value))}" for label, value in (("hold", hold), ("rest", rest)) if value
    ]
    if length is not None:
        changes.append(f"for {format_span(length)}")
    if no_remind:
        changes.append("no reminder")
    elif remind is not None:
        changes.append(f"a reminder every {format_span(Span(remind, remind))}")
    summary = f"Your copy of {routine.name}" + (f": {', '.join(changes)}." if changes else ".")
    return replace(routine, steps=steps, name=name or routine.name, summary=summary, counts_after=counts_after)


def adjustable(routine: Routine) -> frozenset[str]:
    """What a copy of `routine` can change: "hold" and "rest" when it has such steps, "length" when it has a main
    block (a ranged step, a soak, a group timed with "for"), "remind" when a step has a reminder."""
    found: set[str] = set()

    def visit(steps: tuple[Step, ...]) -> None:
        for step in steps:
            if isinstance(step, TimedStep):
                found.update({StepKind.HOLD: {"hold"}, StepKind.REST: {"rest"}}.get(step.kind, set()))
                if step.time.is_range or step.kind is StepKind.SOAK:
                    found.add("length")
                if step.remind is not None:
                    found.add("remind")
            elif isinstance(step, Group):
                if step.for_ is not None:
                    found.add("length")
                visit(step.steps)

    visit(routine.steps)
    return frozenset(found)


def routine_text(routine: Routine, origin: str) -> str:
    """The file's text: a schema line for editors, where it came from, then the tables."""
    import tomli_w  # the TOML writer loads only when a copy is saved (this module is imported at every run)

    header = f"#:schema {schema_path()}\n# Your copy of {origin}; check it with `coach validate` after editing.\n\n"
    return header + tomli_w.dumps(routine_data(routine))


def save_user_routine(routine: Routine, new_id: str, folder: Path, *, origin: str, force: bool = False) -> Path:
    """Validate and write the routine as `folder/new_id.toml` (atomically); never overwrites without `force`."""
    wrong_id = id_problem(new_id)
    if wrong_id is not None:
        raise CoachError(f"{printable(new_id)!r} is not a routine id: {wrong_id}; for example {suggest_id(new_id)}")
    target = folder / f"{new_id}.toml"
    if target.exists() and not force:
        raise CoachError(f"{target} already exists; choose another id with --as, or --force to replace it")
    text = routine_text(routine, origin)
    load_routine_bytes(text.encode(), str(target), new_id)  # raises ProblemsError: nothing is written
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{new_id}-", suffix=".toml")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, target)
    except OSError as error:
        raise CoachError(f"{target}: cannot write the routine: {error.strerror}") from error
    return target


def with_preferred_length(routine: Routine, preferred: int | None) -> Routine:
    """The routine with each ranged block ending by itself at the user's preferred length (kept within the
    range): heel raises for 12 minutes of 10..15, a soak of 18 of 15..20. The user may still stop at the lower
    bound."""
    if preferred is None:
        return routine

    def clamp(span: Span) -> Span:
        return Span(span.low, min(max(preferred, span.low), span.high)) if span.is_range else span

    def change(step: Step) -> Step:
        if isinstance(step, TimedStep):
            return replace(step, time=clamp(step.time))
        if isinstance(step, Group):
            for_ = clamp(step.for_) if step.for_ is not None else None
            return replace(step, steps=tuple(change(child) for child in step.steps), for_=for_)
        return step

    return replace(routine, steps=tuple(change(step) for step in routine.steps))
