"""The JSON Schema that editors use: valid JSON, accepts the bundled routines, never rejects a valid routine."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from routine_helpers import BUNDLED

from coach.common.problems import ProblemsError
from coach.routines.catalog import schema_path
from coach.routines.loader import load_routine_bytes

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "coach" / "routines" / "routine.schema.json"


def test_schema_path_is_the_file_in_the_package() -> None:
    assert schema_path().resolve() == SCHEMA_FILE


def test_schema_is_valid_json_describing_a_routine() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["type"] == "object"
    assert set(schema["required"]) == {"name", "slots", "steps"}
    assert set(schema["properties"]) == {"name", "summary", "slots", "counts_after", "safety", "steps"}
    step = schema["$defs"]["step"]
    assert set(step["properties"]) == {"title", "say", "time", "kind", "remind", "until", "repeat", "for", "do"}


@pytest.fixture(scope="module")
def validator() -> Any:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("name", ["toe-exercises.toml", "foot-soak.toml"])
def test_bundled_routines_validate_against_the_schema(validator: Any, name: str) -> None:
    data = tomllib.loads((BUNDLED / name).read_text(encoding="utf-8"))
    assert [error.message for error in validator.iter_errors(data)] == []


@pytest.mark.parametrize(
    "text",
    [
        'slots = ["morning"]\n[[steps]]\ntitle = "a"\ntime = "10s"\n',
        'name = "x"\nslots = ["noon"]\n[[steps]]\ntitle = "a"\ntime = "10s"\n',
        'name = "x"\nslots = ["morning"]\nsumary = "s"\n[[steps]]\ntitle = "a"\ntime = "10s"\n',
        'name = "x"\nslots = ["morning"]\n[[steps]]\ntitle = "a"\ntime = "soon"\n',
        'name = "x"\nslots = ["morning"]\n[[steps]]\ntitle = "a"\ntime = 0\n',
        'name = "x"\nslots = ["morning"]\n[[steps]]\ntitle = "a"\ntime = "10s"\nuntil = "ready"\n',
        'name = "x"\nslots = ["morning"]\n[[steps]]\ntitle = "a"\nrepeat = 2\ndo = []\n',
        'name = "x"\nslots = ["morning"]\n[[steps]]\ntitle = "a"\nrepeat = 10001\n[[steps.do]]\ntitle = "b"\ntime = 1\n',  # noqa: E501
    ],
)
def test_schema_rejects_what_the_loader_rejects_for_the_same_reason(validator: Any, text: str) -> None:
    with pytest.raises(ProblemsError):
        load_routine_bytes(text.encode(), "x.toml")
    assert list(validator.iter_errors(tomllib.loads(text)))


DURATIONS = ["10s", "1m30s", "15m", "1h", " 2m ", "1M30S", "90", "1m 30s", "24h"]
SPANS = [*DURATIONS, "10m..15m", "15m..20m", "600..900", "10m .. 15m", "1m..1m", "30..1m"]


@st.composite
def valid_routine_text(draw: st.DrawFn) -> str:
    """Routine files the loader should accept, in the many spellings the README allows."""

    def timed() -> str:
        text = f'title = "t"\ntime = {draw(st.sampled_from([*map(json.dumps, SPANS), "90", "5"]))}\n'
        if draw(st.booleans()):
            text += f'kind = "{draw(st.sampled_from(["hold", "rest", "move", "soak"]))}"\n'
        return text

    steps = ""
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        shape = draw(st.sampled_from(["timed", "wait", "repeat", "for"]))
        if shape == "timed":
            steps += "[[steps]]\n" + timed()
        elif shape == "wait":
            steps += '[[steps]]\ntitle = "w"\nuntil = "ready"\nsay = "Ready?"\n'
        else:
            head = f"repeat = {draw(st.integers(1, 3))}" if shape == "repeat" else 'for = "20m..30m"'
            steps += f'[[steps]]\ntitle = "g"\n{head}\n[[steps.do]]\ntitle = "a"\ntime = "10s"\n'
    slots = draw(st.lists(st.sampled_from(["morning", "evening", "bedtime"]), min_size=1, max_size=3, unique=True))
    return f'name = "r"\nsummary = "s"\nslots = {json.dumps(slots)}\nsafety = ["Careful."]\n{steps}'


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_routine_text())
def test_schema_accepts_every_routine_the_loader_accepts(validator: Any, text: str) -> None:
    try:
        load_routine_bytes(text.encode(), "x.toml")
    except ProblemsError:
        return  # e.g. a round longer than its "for": the schema cannot tell, and need not
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(tomllib.loads(text))]
    assert errors == [], text


@pytest.mark.parametrize("span", SPANS)
def test_schema_accepts_every_spelling_of_a_time(validator: Any, span: str) -> None:
    data = {"name": "x", "slots": ["morning"], "steps": [{"title": "a", "time": span}]}
    load_routine_bytes(
        f'name = "x"\nslots = ["morning"]\n[[steps]]\ntitle = "a"\ntime = {json.dumps(span)}\n'.encode(), "x"
    )
    assert [error.message for error in validator.iter_errors(data)] == []
