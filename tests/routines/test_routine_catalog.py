"""The catalog: bundled routines, the user's own (overriding by id), broken files that never hide good ones."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from routine_helpers import BUNDLED, VALID, Result

from coach.common.paths import user_routines_dir
from coach.common.problems import CoachError, ProblemsError
from coach.routines.catalog import bundled_dir, load_catalog, resolve_routine, schema_path

BROKEN = 'name = "Broken"\nslots = ["noon"]\n[[steps]]\ntitle = "x"\ntime = "10s"\n'


def test_bundled_routines_are_found_in_the_source_tree() -> None:
    assert bundled_dir().resolve() == BUNDLED.resolve()
    assert schema_path().is_file()


def test_catalog_without_user_files_has_the_bundled_routines() -> None:
    catalog = load_catalog()
    assert sorted(catalog.routines) == ["foot-soak", "toe-exercises"]
    assert {routine.origin for routine in catalog.routines.values()} == {"bundled"}
    assert catalog.broken == {}


def test_missing_user_folder_is_fine(tmp_path: Path) -> None:
    assert sorted(load_catalog(tmp_path / "nowhere").routines) == ["foot-soak", "toe-exercises"]


def test_user_routine_is_added_with_origin_user(user_routines: Path, write: Callable[..., Path]) -> None:
    write(VALID, "stretch.toml", user_routines)
    catalog = load_catalog()
    assert catalog.routines["stretch"].origin == "user"
    assert catalog.routines["stretch"].source == user_routines / "stretch.toml"
    assert catalog.routines["foot-soak"].origin == "bundled"


def test_user_file_with_a_bundled_id_overrides_it(user_routines: Path, write: Callable[..., Path]) -> None:
    write(VALID.replace("Test routine", "My soak"), "foot-soak.toml", user_routines)
    routine = load_catalog().routines["foot-soak"]
    assert (routine.name, routine.origin) == ("My soak", "user")
    assert resolve_routine("foot-soak").name == "My soak"


def test_hidden_and_non_toml_files_are_ignored(user_routines: Path, write: Callable[..., Path]) -> None:
    write(BROKEN, ".draft.toml", user_routines)
    write(BROKEN, "notes.txt", user_routines)
    write(BROKEN, "backup.toml~", user_routines)
    catalog = load_catalog()
    assert sorted(catalog.routines) == ["foot-soak", "toe-exercises"]
    assert catalog.broken == {}


def test_broken_user_file_never_hides_the_good_ones(user_routines: Path, write: Callable[..., Path]) -> None:
    write(VALID, "good.toml", user_routines)
    bad = write(BROKEN, "bad.toml", user_routines)
    catalog = load_catalog()
    assert sorted(catalog.routines) == ["foot-soak", "good", "toe-exercises"]
    assert [str(p) for p in catalog.broken[bad]] == [
        f"{bad}:2:10: unknown slot 'noon': slots are morning, evening, bedtime"
    ]


def test_a_folder_named_like_a_routine_is_reported_not_fatal(user_routines: Path) -> None:
    (user_routines / "odd.toml").mkdir()
    catalog = load_catalog()
    assert [p.message for p in catalog.broken[user_routines / "odd.toml"]] == ["this is a folder, not a regular file"]
    assert "toe-exercises" in catalog.routines


def test_broken_user_file_with_a_bundled_id_hides_the_bundled_routine(
    user_routines: Path, write: Callable[..., Path], coach: Callable[..., Result]
) -> None:
    bad = write(BROKEN, "foot-soak.toml", user_routines)
    catalog = load_catalog()
    assert sorted(catalog.routines) == ["toe-exercises"]
    assert list(catalog.broken) == [bad]
    listing = json.loads(coach("routines", "--json").out)
    assert [row["id"] for row in listing["routines"]] == ["toe-exercises"]
    assert [item["path"] for item in listing["broken"]] == [str(bad)]


def test_broken_user_file_with_a_bundled_id_is_reported_not_replaced(
    user_routines: Path, write: Callable[..., Path]
) -> None:
    bad = write(BROKEN, "toe-exercises.toml", user_routines)
    with pytest.raises(ProblemsError) as caught:
        resolve_routine("toe-exercises")
    assert [str(p) for p in caught.value.problems] == [
        f"{bad}:2:10: unknown slot 'noon': slots are morning, evening, bedtime"
    ]


def test_resolve_by_id_and_by_path(write: Callable[..., Path]) -> None:
    assert resolve_routine("toe-exercises").origin == "bundled"
    path = write(VALID, "mine.toml")
    routine = resolve_routine(str(path))
    assert (routine.id, routine.origin, routine.name) == ("mine", "file", "Test routine")


def test_resolve_a_broken_path_reports_its_problems_as_typed(
    write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    write(BROKEN, "bad.toml")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ProblemsError) as caught:
        resolve_routine("bad.toml")
    assert [str(p) for p in caught.value.problems] == [
        "bad.toml:2:10: unknown slot 'noon': slots are morning, evening, bedtime"
    ]


def test_resolve_unknown_id_or_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CoachError, match="no routine with id 'nope' .known: foot-soak, toe-exercises"):
        resolve_routine("nope")
    with pytest.raises(CoachError, match="no such routine file"):
        resolve_routine(str(tmp_path / "gone.toml"))


# --- where the user's routines live ---


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_CONFIG_HOME is the Linux convention platformdirs follows")
def test_user_routines_dir_honours_xdg_config_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, write: Callable[..., Path]
) -> None:
    monkeypatch.delenv("COACH_CONFIG_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert user_routines_dir() == tmp_path / "xdg" / "coach" / "routines"
    write(VALID, "xdg-routine.toml", tmp_path / "xdg" / "coach" / "routines")
    assert load_catalog().routines["xdg-routine"].origin == "user"


def test_coach_config_dir_wins_over_xdg_config_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COACH_CONFIG_DIR", str(tmp_path / "coach-config"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert user_routines_dir() == tmp_path / "coach-config" / "routines"


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_CONFIG_HOME is the Linux convention platformdirs follows")
def test_the_real_command_reads_routines_under_xdg_config_home(
    tmp_path: Path, write: Callable[..., Path], coach_process: Callable[..., Result]
) -> None:
    write(VALID, "from-xdg.toml", tmp_path / "xdg" / "coach" / "routines")
    result = coach_process("routines", "--json", env={"COACH_CONFIG_DIR": "", "XDG_CONFIG_HOME": str(tmp_path / "xdg")})
    assert result.code == 0, result.err
    origins = {row["id"]: row["origin"] for row in json.loads(result.out)["routines"]}
    assert origins == {"foot-soak": "bundled", "from-xdg": "user", "toe-exercises": "bundled"}


# --- `coach routines` ---


def test_routines_json_lists_everything(coach: Callable[..., Result]) -> None:
    result = coach("routines", "--json")
    assert result.code == 0
    listing = json.loads(result.out)
    assert listing["broken"] == []
    rows = {row["id"]: row for row in listing["routines"]}
    assert rows["toe-exercises"]["slots"] == ["morning", "evening"]
    assert rows["foot-soak"]["slots"] == ["bedtime"]
    assert rows["foot-soak"]["length"] == "15m..20m"
    assert rows["foot-soak"]["counts_after_seconds"] == 900
    assert {row["origin"] for row in rows.values()} == {"bundled"}


def test_routines_json_names_the_broken_file_and_its_first_problem(
    user_routines: Path, write: Callable[..., Path], coach: Callable[..., Result]
) -> None:
    write(VALID, "good.toml", user_routines)
    bad = write(BROKEN.replace('title = "x"\n', "") + "colour = 1\n", "bad.toml", user_routines)
    result = coach("routines", "--json")
    assert result.code == 0
    listing = json.loads(result.out)
    assert [row["id"] for row in listing["routines"]] == ["foot-soak", "good", "toe-exercises"]
    assert listing["broken"] == [
        {
            "path": str(bad),
            "problem": f"{bad}:2:10: unknown slot 'noon': slots are morning, evening, bedtime",
            "problems": 3,
        }
    ]


def test_routines_table_names_the_broken_file(
    user_routines: Path, write: Callable[..., Path], coach: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    write(VALID, "good.toml", user_routines)
    bad = write(BROKEN, "bad.toml", user_routines)
    result = coach("routines")
    assert result.code == 0
    assert "good" in result.out and "toe-exercises" in result.out and "foot-soak" in result.out
    assert f"Not loaded: {bad}:2:10: unknown slot 'noon'" in result.out


def test_routines_table_shows_markup_in_names_literally(
    user_routines: Path, write: Callable[..., Path], coach: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    write(VALID.replace("Test routine", "[bold red]Loud[/] and [/"), "loud.toml", user_routines)
    result = coach("routines")
    assert result.code == 0
    assert "[bold red]Loud[/] and [/" in result.out


def test_routines_schema_path(coach: Callable[..., Result]) -> None:
    result = coach("routines", "--schema-path")
    assert result.code == 0
    assert Path(result.out.strip()).name == "routine.schema.json"
    assert Path(result.out.strip()).is_file()
