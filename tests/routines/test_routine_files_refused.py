"""Routine and settings files that are not regular files (a named pipe, a device such as /dev/zero, a symlink to
one) or larger than 1 MiB are refused with one located message: never a hang, never read whole into memory."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from routine_helpers import VALID, Result

from coach.common.files import MIB
from coach.config.settings import load_settings
from coach.routines.catalog import load_catalog


def make(kind: str, path: Path) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        os.symlink("/dev/zero", path)
    else:
        path.write_text(VALID + "#" * MIB, encoding="utf-8")


MESSAGES = {
    "fifo": "this is a named pipe, not a regular file",
    "dev-zero": "this is a device, not a regular file",
    "large": "more than the 1.0 MiB coach reads",
}


@pytest.mark.parametrize("kind", MESSAGES)
def test_the_catalog_lists_such_a_routine_file_as_not_loaded(user_routines: Path, kind: str) -> None:
    path = user_routines / "odd.toml"
    make(kind, path)
    catalog = load_catalog()
    assert [problem.message for problem in catalog.broken[path]] == [catalog.broken[path][0].message]
    assert MESSAGES[kind] in catalog.broken[path][0].message
    assert sorted(catalog.routines) == ["foot-soak", "toe-exercises"]


@pytest.mark.parametrize("kind", MESSAGES)
def test_validate_and_run_say_it_in_one_line_and_exit_1(
    coach_process: Callable[..., Result], tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "odd.toml"
    make(kind, path)
    for args in (("validate", str(path)), ("run", str(path), "--plain"), ("routines",)):
        result = coach_process(*args, timeout=60)  # a hang would be a timeout here
        if args[0] == "routines":
            assert result.code == 0
            continue
        assert result.code == 1 and "Traceback" not in result.err
        assert (result.out + result.err).strip() == f"{path}:1:1: {(result.out + result.err).split(': ', 1)[1].strip()}"
        assert MESSAGES[kind] in result.out + result.err


@pytest.mark.parametrize("kind", MESSAGES)
def test_a_settings_file_of_that_kind_gives_the_defaults_and_one_problem(kind: str) -> None:
    from coach.common.paths import settings_file

    path = settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    make(kind, path)
    loaded = load_settings()
    assert loaded.settings == type(loaded.settings)()
    assert len(loaded.problems) == 1 and loaded.problems[0].line == 1  # the wording is coach/config's
