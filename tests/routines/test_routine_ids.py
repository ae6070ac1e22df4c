"""One rule for routine ids: the command line, the loader (a file's name) and the app read it alike, and an id that
breaks it never crashes a screen."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from routine_helpers import VALID, Result

from coach.routines.catalog import load_catalog
from coach.routines.ids import MAX_ID_LENGTH, id_problem, is_routine_id, suggest_id, widget_id

TEXTUAL_IDENTIFIER = re.compile(r"[a-zA-Z_\-][a-zA-Z0-9_\-]*")  # textual.css.tokenize.IDENTIFIER
BAD_IDS = ["meine-übungen", "foot-soak.v2", "my soak", "tab\there", "", "-dash-first", "a" * 300, "x/y", ".hidden"]


@pytest.mark.parametrize("good", ["foot-soak", "toe-exercises", "Evening_2", "7-minutes", "a" * MAX_ID_LENGTH])
def test_plain_ascii_ids_follow_the_rule(good: str) -> None:
    assert is_routine_id(good) and id_problem(good) is None


@pytest.mark.parametrize("bad", BAD_IDS)
def test_spaces_dots_accents_and_long_ids_break_it(bad: str) -> None:
    assert not is_routine_id(bad) and id_problem(bad)
    assert is_routine_id(suggest_id(bad))


def test_suggestions_keep_what_they_can() -> None:
    assert suggest_id("meine-übungen") == "meine-ubungen"
    assert suggest_id("foot-soak.v2") == "foot-soak-v2"
    assert "300" in (id_problem("a" * 300) or "")


@pytest.mark.parametrize("routine_id", [*BAD_IDS, "foot-soak", "a_b", "a_0062"])
def test_widget_ids_are_textual_identifiers_and_never_shared(routine_id: str) -> None:
    assert TEXTUAL_IDENTIFIER.fullmatch(widget_id("length", routine_id))
    others = {widget_id("length", other) for other in [*BAD_IDS, "foot-soak", "a_b", "a_0062"] if other != routine_id}
    assert widget_id("length", routine_id) not in others


def test_a_file_whose_name_is_not_an_id_is_not_loaded_and_says_what_to_rename_it(user_routines: Path) -> None:
    (user_routines / "foot-soak.v2.toml").write_text(VALID, encoding="utf-8")
    (user_routines / "meine-übungen.toml").write_text(VALID, encoding="utf-8")
    catalog = load_catalog()
    assert "foot-soak.v2" not in catalog.routines and "meine-übungen" not in catalog.routines
    messages = {path.name: problems[0].message for path, problems in catalog.broken.items()}
    assert "rename it to foot-soak-v2.toml" in messages["foot-soak.v2.toml"]
    assert "rename it to meine-ubungen.toml" in messages["meine-übungen.toml"]


def test_validate_calls_such_a_file_invalid(coach: Callable[..., Result], write: Callable[..., Path]) -> None:
    path = write(VALID, name="foot-soak.v2.toml")
    result = coach("validate", str(path))
    assert result.code == 1
    assert result.lines == [f"{path}:1:1: " + result.out.split(": ", 1)[1].strip()]
    assert "is not a routine id" in result.out


@pytest.mark.parametrize("bad", ["meine übungen", "foot-soak.v2", "tab\there", "a" * 300])
def test_routines_copy_refuses_an_id_its_rule_forbids(
    coach: Callable[..., Result], user_routines: Path, bad: str
) -> None:
    result = coach("routines", "copy", "toe-exercises", "--as", bad)
    assert result.code == 1 and result.out == ""
    assert result.err.count("\n") == 1 and "is not a routine id" in result.err and "Traceback" not in result.err
    assert list(user_routines.iterdir()) == []
