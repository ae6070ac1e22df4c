"""Property-based: whatever a routine file holds, the loader returns a Routine or located problems, nothing else."""

from __future__ import annotations

import json
import re
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from routine_helpers import BUNDLED

from coach.common.problems import ProblemsError
from coach.routines.durations import MAX_SECONDS
from coach.routines.loader import MAX_PHASES, _phase_count, load_routine_bytes
from coach.routines.model import Routine

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KEYS = [
    "name", "summary", "slots", "counts_after", "safety", "steps", "title", "say", "time", "kind", "remind",
    "until", "repeat", "for", "do", "every", "nme", "tiem", '"quoted key"', "remind.every", "steps.title", "",
]  # fmt: skip
VALUES = [
    '"10s"', '"1m30s"', '"10m..15m"', '"15m..10m"', '"24h"', '"25h"', "10", "0", "-1", "1.5", "nan", "inf", "true",
    '"ready"', '"hold"', '"soak"', '["morning", "evening"]', '["noon"]', '["bedtime", "bedtime"]', "[]", "[[]]",
    '{ every = "5m", say = "Top up" }', '{ every = "1h", say = "x" }', "{}", "{", "[", "]", '"', "'", '"""', "'''",
    "1979-05-27", "10000", "10001", "99999999999", '"\\u001b[31mred"', '"[bold]x[/"', '"\\q"', "9" * 40, "",
    '[{ title = "a", time = 1 }]', '[{ title = "a" }]', '"x", "y"]',
]  # fmt: skip
HEADERS = [
    "[[steps]]", "[[steps.do]]", "[[steps.do.do]]", "[steps.remind]", "[steps]", "[[steps]", "[a]", "[[do]]",
    "[ [steps] ]", "[[steps.do]] # group", "[remind]",
]  # fmt: skip
JUNK = st.text(alphabet=" \t=[]{}\"'#.,\\\r\nabc019_-\u00e9\u001b\x00", max_size=12)

toml_line = st.one_of(
    st.tuples(st.sampled_from(KEYS), st.sampled_from([" = ", "=", " ", " == ", "= "]), st.sampled_from(VALUES)).map(
        "".join
    ),
    st.sampled_from(HEADERS),
    st.sampled_from(["", "# a comment", "  ", '"""', "]", "}"]),
    JUNK,
)
toml_text = st.tuples(st.booleans(), st.lists(toml_line, max_size=30)).map(
    lambda drawn: ('name = "x"\nslots = ["morning"]\n' if drawn[0] else "") + "\n".join(drawn[1])
)
BUNDLED_FILES = sorted(BUNDLED.glob("*.toml"))


def check(raw: bytes) -> None:
    """The loader's contract: a usable Routine, or ProblemsError with every problem on a real line."""
    try:
        routine = load_routine_bytes(raw, "fuzz.toml")
    except ProblemsError as error:
        lines = raw.count(b"\n") + 1
        assert error.problems
        for problem in error.problems:
            assert problem.path == "fuzz.toml"
            assert 1 <= problem.line <= lines + 1, (problem, lines)
            assert problem.col >= 1, problem
            assert problem.message.strip(), problem
            assert problem.message.isprintable(), problem  # one line on a terminal, no escape sequences
            assert len(problem.message) < 400, problem
    else:
        assert isinstance(routine, Routine)
        assert routine.name.strip() and routine.slots and routine.steps
        assert 0 <= routine.min_seconds <= routine.max_seconds <= MAX_SECONDS
        assert sum(_phase_count(step) for step in routine.steps) <= MAX_PHASES


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes(raw: bytes) -> None:
    check(raw)


@FUZZ
@given(toml_text)
def test_random_toml_like_text(text: str) -> None:
    check(text.encode("utf-8", errors="surrogatepass"))


@st.composite
def mutated_bundled_file(draw: st.DrawFn) -> bytes:
    lines = draw(st.sampled_from(BUNDLED_FILES)).read_bytes().split(b"\n")
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        where = draw(st.integers(min_value=0, max_value=max(0, len(lines) - 1)))
        operation = draw(st.sampled_from(["delete", "duplicate", "replace", "insert", "swap", "flip", "cut"]))
        if operation == "delete" and lines:
            del lines[where]
        elif operation == "duplicate" and lines:
            lines.insert(where, lines[where])
        elif operation in ("replace", "insert"):
            new = draw(toml_line).encode("utf-8", errors="surrogatepass")
            lines[where : where + (operation == "replace")] = [new]
        elif operation == "swap" and len(lines) > 1:
            other = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[where], lines[other] = lines[other], lines[where]
        elif operation in ("flip", "cut"):
            raw = b"\n".join(lines)
            if raw:
                at = draw(st.integers(min_value=0, max_value=len(raw) - 1))
                if operation == "flip":
                    raw = raw[:at] + bytes([raw[at] ^ draw(st.integers(min_value=1, max_value=255))]) + raw[at + 1 :]
                else:
                    raw = raw[:at]
            lines = raw.split(b"\n")
    return b"\n".join(lines)


@FUZZ
@given(mutated_bundled_file())
def test_mutated_bundled_routines(raw: bytes) -> None:
    check(raw)


@st.composite
def routine_data(draw: st.DrawFn) -> dict[str, object]:
    """Routine-shaped data with random (often wrong) values, written out as real TOML."""
    value = st.one_of(
        st.sampled_from(["10s", "1m30s", "10m..15m", "0s", "ready", "hold", "morning", "", "x" * 2001]),
        st.integers(min_value=-(10**20), max_value=10**20),
        st.booleans(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=20),
        st.lists(st.sampled_from(["morning", "evening", "bedtime", "noon", 1]), max_size=4),
    )
    step_keys = st.sampled_from(["title", "say", "time", "kind", "until", "repeat", "for", "tiem"])

    def step(depth: int) -> st.SearchStrategy[dict[str, object]]:
        fields = st.dictionaries(step_keys, value, max_size=5)
        if depth == 0:
            return fields
        return st.tuples(fields, st.lists(step(depth - 1), max_size=3)).map(
            lambda pair: {**pair[0], "do": pair[1]} if pair[1] else pair[0]
        )

    data: dict[str, object] = draw(
        st.dictionaries(st.sampled_from(["name", "summary", "slots", "counts_after", "safety", "nme"]), value)
    )
    data["steps"] = draw(st.lists(step(3), max_size=4))
    return data


@FUZZ
@given(routine_data())
def test_routine_shaped_data(data: dict[str, object]) -> None:
    import tomli_w

    try:
        text = tomli_w.dumps(data)
    except (ValueError, TypeError):  # e.g. an empty list of tables, which TOML cannot always write
        text = "data = " + json.dumps(json.dumps(data))
    tomllib.loads(text)  # tomli-w wrote valid TOML: problems found are semantic, located by key path
    check(text.encode())


STATEMENT_START = re.compile(r"^\s*(\[|[a-z_]+\s*=)")


@st.composite
def bundled_with_an_unknown_key(draw: st.DrawFn) -> tuple[bytes, int, int]:
    """A bundled file with `zzz = 1` inserted before a statement: returns the text and where the key stands."""
    lines = draw(st.sampled_from(BUNDLED_FILES)).read_text(encoding="utf-8").split("\n")
    starts = [index for index, line in enumerate(lines) if STATEMENT_START.match(line)]
    at = draw(st.sampled_from(starts))
    indent = draw(st.sampled_from(["", "  ", "\t"]))
    comment = draw(st.sampled_from(["", "# x = 2", "# [a]", '# "']))
    lines.insert(at, f"{indent}zzz = 1  {comment}")
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines).encode(), at + 1, len(indent) + 1


@FUZZ
@given(bundled_with_an_unknown_key())
def test_a_semantic_problem_points_at_its_key_wherever_it_is(case: tuple[bytes, int, int]) -> None:
    raw, line, col = case
    with pytest.raises(ProblemsError) as caught:
        load_routine_bytes(raw, "fuzz.toml")
    [problem] = caught.value.problems
    assert (problem.line, problem.col) == (line, col)
    assert problem.message.startswith('unknown key "zzz" in a ')
