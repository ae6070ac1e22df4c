"""The same validation runs on every load: `coach run` refuses a bad routine with the lines `coach validate` prints."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from routine_helpers import Result

BAD = 'name = "Bad"\nslots = ["noon"]\nsumary = "x"\n[[steps]]\ntitle = "Stand"\ntime = -10\n'
BROKEN_SYNTAX = 'name = "Bad"\nslots = ["morning"]\nsummary =\n[[steps]]\ntitle = "Stand\ntime = "10s"\n'


@pytest.mark.parametrize("content", [BAD, BROKEN_SYNTAX], ids=["semantic", "syntax"])
def test_run_plain_prints_the_validate_lines_and_exits_1(
    content: str, write: Callable[..., Path], coach_process: Callable[..., Result]
) -> None:
    path = write(content, "bad.toml")
    validated = coach_process("validate", "bad.toml")
    assert validated.code == 1 and validated.lines
    ran = coach_process("run", "bad.toml", "--plain")
    assert ran.code == 1
    assert "Traceback" not in ran.err
    assert ran.err.splitlines() == validated.lines
    assert ran.out == ""
    assert path.read_text() == content


def test_run_of_a_broken_user_routine_with_a_bundled_id_reports_it(
    user_routines: Path, write: Callable[..., Path], coach_process: Callable[..., Result]
) -> None:
    bad = write(BAD, "foot-soak.toml", user_routines)
    ran = coach_process("run", "foot-soak", "--plain")
    assert ran.code == 1
    assert ran.err.splitlines()[0] == f"{bad}:2:10: unknown slot 'noon': slots are morning, evening, bedtime"
    assert "Traceback" not in ran.err


def test_run_of_a_missing_file_is_one_message(coach_process: Callable[..., Result]) -> None:
    ran = coach_process("run", "nowhere.toml", "--plain")
    assert (ran.code, ran.err) == (1, "coach: nowhere.toml: no such routine file\n")
