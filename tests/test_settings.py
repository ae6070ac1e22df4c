"""settings.toml: a file with mistakes gets located problems and the defaults, and is never overwritten."""

from __future__ import annotations

from pathlib import Path

from coach.config.settings import Settings, load_settings, preferred_seconds, save_settings
from coach.routines.catalog import load_catalog
from coach.routines.customize import with_preferred_length


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    loaded = load_settings(tmp_path / "settings.toml")
    assert loaded.settings == Settings() and loaded.problems == []
    assert loaded.settings.day_start_hour == 4


def test_mistakes_are_located_and_defaults_used(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    text = 'day_start_hour = 14\nsound = "yes"\nvoise = true\ntheme = "nord"\n[lengths]\nfoot-soak = "abc"\n'
    path.write_text(text)
    loaded = load_settings(path)
    lines = sorted(str(p) for p in loaded.problems)
    assert lines == [
        f"{path}:1:1: day_start_hour must be an hour from 0 to 12",
        f"{path}:2:1: sound must be true or false",
        f"{path}:3:1: unknown setting 'voise' (did you mean \"voice\"?)",
        f'{path}:6:1: lengths.foot-soak: \'abc\' is not a duration: write it like "10s", "1m30s", "15m" or "1h"',
    ]
    assert loaded.settings.day_start_hour == 4 and loaded.settings.sound is True
    assert loaded.settings.theme == "nord"  # the good values are still used
    assert path.read_text() == text  # never overwritten until the user saves


def test_syntax_error_gives_defaults_and_a_located_problem(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("sound = \n")
    loaded = load_settings(path)
    assert [str(p) for p in loaded.problems] == [f"{path}:1:9: missing value after 'sound ='"]
    assert loaded.settings == Settings()


def test_save_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "settings.toml"
    chosen = Settings(day_start_hour=3, sound=False, voice=True, lengths={"foot-soak": "18m"})
    save_settings(chosen, path)
    assert load_settings(path).settings == chosen
    assert preferred_seconds(chosen, "foot-soak") == 18 * 60
    assert preferred_seconds(chosen, "toe-exercises") is None


def test_preferred_length_stays_within_the_range() -> None:
    catalog = load_catalog()
    soak = catalog.routines["foot-soak"]
    assert with_preferred_length(soak, 18 * 60).max_seconds == 18 * 60
    assert with_preferred_length(soak, 18 * 60).min_seconds == 15 * 60  # may still stop at 15
    assert with_preferred_length(soak, 60 * 60).max_seconds == 20 * 60  # never past the article's upper bound
    assert with_preferred_length(soak, 60).max_seconds == 15 * 60
    toes = catalog.routines["toe-exercises"]
    assert with_preferred_length(toes, 12 * 60).max_seconds < toes.max_seconds


def test_how_much_sound_is_one_of_three_and_a_wrong_value_is_located(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('sounds = "starts and the end"\n', encoding="utf-8")
    assert load_settings(path).settings.sounds == "starts and the end"
    path.write_text('sounds = "loud"\n', encoding="utf-8")
    loaded = load_settings(path)
    assert loaded.settings.sounds == "every change"
    assert [str(problem) for problem in loaded.problems] == [
        f"{path}:1:1: sounds must be one of 'every change', 'starts and the end', 'off'"
    ]
