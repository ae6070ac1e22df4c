"""Turn a routine file into a Routine, or into every located problem it has; never raises anything else.

Validation is done by hand against the model rather than by a JSON Schema library: each check knows the key path
of what it checks, and `coach.common.tomlfile` maps a key path to its line and column in the file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from msgspec.structs import replace

from coach.common.problems import Problem, ProblemsError
from coach.common.tomlfile import KeyPath, TomlDocument, parse_toml_bytes, printable, read_toml
from coach.routines.durations import MAX_SECONDS, DurationError, format_duration, parse_duration, parse_span
from coach.routines.ids import id_problem, suggest_id
from coach.routines.model import (
    Group,
    Reminder,
    Routine,
    Slot,
    Span,
    Step,
    StepKind,
    TimedStep,
    WaitStep,
    max_seconds,
    whole_cycles_within,
)

ROUTINE_KEYS = ("name", "summary", "slots", "counts_after", "safety", "steps")
STEP_KEYS = ("title", "say", "time", "kind", "remind", "until", "repeat", "for", "do")
REMIND_KEYS = ("every", "say")
MAX_REPEAT = 10_000
MAX_PHASES = 100_000
"""A routine that would run more phases than this is a typo; it is rejected by arithmetic, never by expanding."""
MAX_TEXT = 2_000
MAX_DEPTH = 16
"""Groups inside groups deeper than this are a mistake; the limit also keeps validation from recursing without end."""


def load_routine_file(path: Path, *, origin: str = "file", shown_as: str | None = None) -> Routine:
    """The routine in a file; raises ProblemsError with every problem when the file is not a valid routine."""
    routine, problems = check_routine_document(read_toml(path, shown_as), routine_id=path.stem, source=path)
    if problems or routine is None:
        raise ProblemsError(problems)
    return replace(routine, origin=origin)


def load_routine_bytes(raw: bytes, name: str, routine_id: str = "routine") -> Routine:
    """The routine in raw file contents (used by tests and property-based fuzzing)."""
    routine, problems = check_routine_document(parse_toml_bytes(raw, name), routine_id=routine_id)
    if problems or routine is None:
        raise ProblemsError(problems)
    return routine


def check_routine_document(
    document: TomlDocument, *, routine_id: str, source: Path | None = None
) -> tuple[Routine | None, list[Problem]]:
    """Validate a parsed document; returns the routine (None when there are problems) and every problem."""
    if document.problems:
        return None, list(document.problems)
    wrong_id = id_problem(routine_id)
    if wrong_id is not None:
        shown = printable(routine_id)
        message = (
            f"the file name {shown!r} is not a routine id ({wrong_id}): rename it to {suggest_id(routine_id)}.toml"
        )
        return None, [Problem(document.path, 1, 1, message)]
    if document.is_blank:
        return None, [document.problem((), "the file is empty: a routine needs at least a name, slots and steps")]
    checker = _Checker(document)
    routine = checker.routine(routine_id, source)
    problems = sorted(set(checker.problems), key=lambda p: (p.line, p.col, p.message))
    return (None if problems else routine), problems


class _Checker:
    """Walks the data once, building the model and collecting every problem with its key path."""

    def __init__(self, document: TomlDocument) -> None:
        self.document = document
        self.problems: list[Problem] = []

    def fail(self, path: KeyPath, message: str) -> None:
        self.problems.append(self.document.problem(path, message))

    def routine(self, routine_id: str, source: Path | None) -> Routine | None:
        data = self.document.data
        self.unknown_keys(data, (), ROUTINE_KEYS, "routine")
        name = self.text(data, (), "name", required=True)
        summary = self.text(data, (), "summary")
        slots = self.slots(data)
        safety = self.texts(data, "safety")
        steps = self.steps(data.get("steps"), ("steps",), required=True)
        counts_after = self.duration(data, (), "counts_after")
        if not self.problems and steps:
            self.check_size(steps)
            total = sum(max_seconds(step) for step in steps)
            if counts_after is not None and counts_after > total:
                self.fail(
                    ("counts_after",),
                    f"counts_after is {format_duration(counts_after)}, but the routine lasts at most "
                    f"{format_duration(total)}, so a session could never count",
                )
        if self.problems or name is None or slots is None or steps is None:
            return None
        return Routine(
            id=routine_id,
            name=name,
            summary=summary or "",
            slots=slots,
            counts_after=counts_after,
            safety=safety,
            steps=steps,
            source=source,
        )

    def unknown_keys(self, table: dict[str, Any], path: KeyPath, known: tuple[str, ...], what: str) -> None:
        for key in table:
            if key not in known:
                hint = TomlDocument.suggest(key, known)
                self.fail(path + (key,), f'unknown key "{printable(key)}" in a {what}{hint}')

    def text(self, table: dict[str, Any], path: KeyPath, key: str, *, required: bool = False) -> str | None:
        if key not in table:
            if required:
                self.fail(path, f'missing "{key}"')
            return None
        value = table[key]
        if not isinstance(value, str):
            self.fail(path + (key,), f'"{key}" must be a string')
            return None
        if required and not value.strip():
            self.fail(path + (key,), f'"{key}" must not be empty')
            return None
        if len(value) > MAX_TEXT:
            self.fail(path + (key,), f'"{key}" is longer than {MAX_TEXT} characters')
            return None
        return value

    def texts(self, table: dict[str, Any], key: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.fail((key,), f'"{key}" must be a list of strings')
            return ()
        for index, item in enumerate(value):
            if len(item) > MAX_TEXT:
                self.fail((key, index), f'"{key}" notes must be at most {MAX_TEXT} characters')
        return tuple(value)

    def slots(self, data: dict[str, Any]) -> tuple[Slot, ...] | None:
        if "slots" not in data:
            self.fail((), 'missing "slots": say which times of day this routine is for, e.g. slots = ["bedtime"]')
            return None
        value = data["slots"]
        if not isinstance(value, list) or not value:
            self.fail(("slots",), 'slots must be a non-empty list, e.g. ["morning", "evening"]')
            return None
        known = tuple(slot.value for slot in Slot)
        slots: list[Slot] = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or item not in known:
                hint = TomlDocument.suggest(item, known) if isinstance(item, str) else ""
                message = f"unknown slot {printable(repr(item))}{hint}: slots are morning, evening, bedtime"
                self.fail(("slots", index), message)
            elif Slot(item) in slots:
                self.fail(("slots", index), f"slot {printable(repr(item))} is listed twice")
            else:
                slots.append(Slot(item))
        return tuple(slots)

    def duration(self, table: dict[str, Any], path: KeyPath, key: str) -> int | None:
        if key not in table:
            return None
        try:
            return parse_duration(table[key])
        except DurationError as error:
            self.fail(path + (key,), f"{key}: {error}")
            return None

    def span(self, table: dict[str, Any], path: KeyPath, key: str) -> Span | None:
        try:
            return parse_span(table[key])
        except DurationError as error:
            self.fail(path + (key,), f"{key}: {error}")
            return None

    def steps(self, value: Any, path: KeyPath, *, required: bool = False) -> tuple[Step, ...] | None:
        if value is None:
            if required:
                self.fail((), 'missing "steps": add at least one [[steps]] table')
            return None
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.fail(path, f'"{path[-1]}" must be a list of step tables ([[{".".join(map(str, path))}]])')
            return None
        if not value:
            self.fail(path, f'"{path[-1]}" is empty: a group needs at least one step')
            return None
        steps = [self.step(item, path + (index,)) for index, item in enumerate(value)]
        if any(step is None for step in steps):
            return None
        return tuple(step for step in steps if step is not None)

    def step(self, table: dict[str, Any], path: KeyPath) -> Step | None:
        self.unknown_keys(table, path, STEP_KEYS, "step")
        title = self.text(table, path, "title", required=True)
        say = self.text(table, path, "say") or ""
        shapes = [key for key in ("time", "until", "do") if key in table]
        if len(shapes) != 1:
            listed = " and ".join(f'"{key}"' for key in shapes)
            self.fail(
                path,
                f'a step needs exactly one of "time" (a countdown), "until" (wait for the user) or "do" '
                f"(a group of steps){', not ' + listed if shapes else ''}",
            )
            return None
        for key, needs in (("kind", "time"), ("remind", "time"), ("repeat", "do"), ("for", "do")):
            if key in table and needs not in table:
                self.fail(path + (key,), f'"{key}" only goes with "{needs}"')
        if shapes == ["until"]:
            if table["until"] != "ready":
                self.fail(path + ("until",), 'until must be "ready" (the step waits until the user is ready)')
            return WaitStep(title or "", say) if title else None
        if shapes == ["time"]:
            return self.timed_step(table, path, title, say)
        return self.group(table, path, title, say)

    def timed_step(self, table: dict[str, Any], path: KeyPath, title: str | None, say: str) -> TimedStep | None:
        span = self.span(table, path, "time")
        kind = StepKind.MOVE
        if "kind" in table:
            known = tuple(k.value for k in StepKind)
            if table["kind"] in known:
                kind = StepKind(table["kind"])
            else:
                hint = TomlDocument.suggest(str(table["kind"]), known)
                shown = printable(repr(table["kind"]))
                self.fail(path + ("kind",), f"unknown kind {shown}{hint}: kinds are {', '.join(known)}")
        remind = self.reminder(table.get("remind"), path + ("remind",), span) if "remind" in table else None
        if title is None or span is None:
            return None
        return TimedStep(title=title, time=span, say=say, kind=kind, remind=remind)

    def reminder(self, value: Any, path: KeyPath, span: Span | None) -> Reminder | None:
        if not isinstance(value, dict):
            self.fail(path, 'remind must be a table, e.g. remind = { every = "5m", say = "Top up the water." }')
            return None
        self.unknown_keys(value, path, REMIND_KEYS, "reminder")
        every = self.duration(value, path, "every")
        say = self.text(value, path, "say", required=True)
        if "every" not in value:
            self.fail(path, 'missing "every" in the reminder')
        if every is not None and span is not None and every >= span.high:
            self.fail(
                path + ("every",),
                f"a reminder every {format_duration(every)} never comes in a step of at most "
                f"{format_duration(span.high)}",
            )
        if every is None or say is None:
            return None
        return Reminder(every=every, say=say)

    def group(self, table: dict[str, Any], path: KeyPath, title: str | None, say: str) -> Group | None:
        if path.count("do") >= MAX_DEPTH:
            self.fail(path + ("do",), f"groups are nested more than {MAX_DEPTH} deep")
            return None
        steps = self.steps(table["do"], path + ("do",))
        if "repeat" in table and "for" in table:
            self.fail(path + ("for",), 'a group takes "repeat" (a count) or "for" (a time), not both')
            return None
        repeat: int | None = None
        if "repeat" in table:
            value = table["repeat"]
            if isinstance(value, bool) or not isinstance(value, int):
                self.fail(path + ("repeat",), "repeat must be a whole number, e.g. repeat = 2")
            elif not 1 <= value <= MAX_REPEAT:
                self.fail(path + ("repeat",), f"repeat must be from 1 to {MAX_REPEAT}, not {printable(str(value))}")
            else:
                repeat = value
        span = self.span(table, path, "for") if "for" in table else None
        if steps is None or title is None or ("for" in table and span is None):
            return None
        if "repeat" in table and repeat is None:
            return None
        group = Group(title=title, steps=steps, say=say, repeat=repeat, for_=span)
        if span is not None:
            cycle = group.cycle_seconds
            if cycle <= 0:
                self.fail(path + ("for",), 'a group timed with "for" needs at least one step with a "time"')
            elif cycle > span.high:
                self.fail(
                    path + ("for",),
                    f"one round of these steps takes {format_duration(cycle)}, longer than "
                    f"{format_duration(span.high)}",
                )
        return group

    def check_size(self, steps: tuple[Step, ...]) -> None:
        """Reject routines that would run absurdly long or into millions of phases, by arithmetic alone."""
        total = sum(max_seconds(step) for step in steps)
        if total > MAX_SECONDS:
            self.fail(_heaviest(steps, max_seconds), f"the routine would last {_long(total)}, longer than 24 hours")
        phases = sum(_phase_count(step) for step in steps)
        if phases > MAX_PHASES:
            self.fail(
                _heaviest(steps, _phase_count),
                f"the routine would run {_long(phases, 'steps')}; at most {MAX_PHASES:,} steps are allowed",
            )


def _heaviest(steps: tuple[Step, ...], measure: Callable[[Step], int]) -> KeyPath:
    """Where to look when a routine is too long: the heaviest top-level step, at its "repeat" or "for" key."""
    index = max(range(len(steps)), key=lambda i: measure(steps[i]))
    step = steps[index]
    if isinstance(step, Group):
        return ("steps", index, "for" if step.for_ is not None else "repeat")
    return ("steps", index, "time")


def _long(amount: int, unit: str = "") -> str:
    """A duration (or a count of `unit`) that may be astronomically large, in words that stay short."""
    if amount > 10**9:
        return f"more than a billion {unit}" if unit else "more than 30 years"
    return f"{amount:,} {unit}" if unit else format_duration(amount)


def _phase_count(step: Step) -> int:
    """How many phases a step runs at most, computed without expanding it."""
    if not isinstance(step, Group):
        return 1
    inner = sum(_phase_count(child) for child in step.steps)
    if step.for_ is not None:
        return whole_cycles_within(step.for_.high, step.cycle_seconds) * inner
    return (step.repeat or 1) * inner
