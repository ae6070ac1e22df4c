"""settings.toml: a file with mistakes gets located problems and the defaults, and is never overwritten."""

from __future__ import annotations

import os
from datetime import time
from pathlib import Path

from coach.config.settings import (
    Settings,
    current,
    load_settings,
    preferred_seconds,
    reminder_times,
    save_settings,
    updating_settings,
)
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


def test_sync_folder_is_a_string_and_off_by_default(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    assert load_settings(path).settings.sync_folder == ""
    path.write_text('sync_folder = "~/Sync/coach"\n')
    assert load_settings(path).settings.sync_folder == "~/Sync/coach"
    path.write_text("sync_folder = 3\n")
    loaded = load_settings(path)
    assert [str(p) for p in loaded.problems] == [f"{path}:1:1: sync_folder must be a string"]
    assert loaded.settings.sync_folder == ""


def test_reminder_times_any_subset_and_located_mistakes(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[reminders]\nmorning = "8:05"\nbedtime = "22:00"\n')
    loaded = load_settings(path)
    assert loaded.problems == []
    assert reminder_times(loaded.settings) == {"morning": time(8, 5), "bedtime": time(22, 0)}
    assert reminder_times(Settings()) == {}  # no table, no reminders
    path.write_text('[reminders]\nmorning = "08:00"\nevening = "7pm"\nbedtme = "22:00"\nbedtime = 2200\n')
    loaded = load_settings(path)
    assert [str(p) for p in loaded.problems] == [
        f'{path}:3:1: reminders.evening: \'7pm\' is not a time: write it as "HH:MM" (24-hour clock), like "08:00"'
        ' or "21:30"',
        f"{path}:4:1: unknown slot 'bedtme' in [reminders] (did you mean \"bedtime\"?)",
        f'{path}:5:1: reminders.bedtime must be a time as a string, like "08:00"',
    ]
    assert loaded.settings.reminders == {"morning": "08:00"}  # the good one is still used
    path.write_text('[reminders]\nmorning = "24:00"\nevening = "19:60"\nnoon = "12:00"\n')
    lines = [str(p) for p in load_settings(path).problems]
    assert [line.split(": ", 1)[0] for line in lines] == [f"{path}:2:1", f"{path}:3:1", f"{path}:4:1"]
    assert "'24:00' is not a time" in lines[0] and "'19:60' is not a time" in lines[1]
    assert lines[2].endswith("unknown slot 'noon' in [reminders] (the slots are morning, evening, bedtime)")


def test_a_length_in_seconds_is_allowed_and_an_out_of_range_one_is_said_and_not_used(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[lengths]\nfoot-soak = 1080\ntoe-exercises = "40m"\nnot-installed = "3m"\n')
    loaded = load_settings(path)
    assert loaded.problems == []  # read alone, the file is fine: the ranges belong to the routines
    assert preferred_seconds(loaded.settings, "foot-soak") == 1080
    checked = loaded.with_routines(load_catalog().routines)
    assert [str(p) for p in checked.problems] == [
        f"{path}:3:1: lengths.toe-exercises: 40m is outside 10m to 15m (Toe exercises)"
    ]
    assert checked.settings.lengths == {"foot-soak": 1080, "not-installed": "3m"}  # not used: the longest it is
    assert loaded.settings.lengths["toe-exercises"] == "40m"  # what was read alone is left as it was
    path.write_text("[lengths]\nfoot-soak = 60\n")
    checked = load_settings(path).with_routines(load_catalog().routines)
    assert [str(p) for p in checked.problems] == [
        f"{path}:2:1: lengths.foot-soak: 60 s is outside 15m to 20m (Foot soak)"
    ]


def test_current_is_cached_and_updating_writes_back(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    assert current(path) == Settings()
    with updating_settings(path) as settings:
        settings.reminders["bedtime"] = "22:00"
        settings.sound = False
    assert current(path).reminders == {"bedtime": "22:00"} and current(path).sound is False
    assert load_settings(path) is load_settings(path)  # parsed once while the file stays the same
    mine = current(path)
    mine.sound = True  # a copy: no one else sees it
    assert current(path).sound is False
    path.write_text("sound = true\n")  # an edit by hand is seen at the next read, however soon
    assert current(path).sound is True
    before = path.read_bytes()
    try:
        with updating_settings(path) as settings:
            settings.voice = True
            raise RuntimeError("stopped half-way")
    except RuntimeError:
        pass
    assert path.read_bytes() == before  # a block that fails writes nothing
    assert [p.name for p in tmp_path.iterdir()] == ["settings.toml"]  # no temporary file left


def test_a_save_writes_through_a_symlink_and_keeps_the_mode(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "coach.toml"
    real.parent.mkdir()
    real.write_text('theme = "nord"\n')
    real.chmod(0o640)
    link = tmp_path / "settings.toml"
    link.symlink_to(real)
    with updating_settings(link) as settings:
        settings.day_start_hour = 3
    assert link.is_symlink()
    assert load_settings(real).settings == Settings(theme="nord", day_start_hour=3)
    assert real.stat().st_mode & 0o777 == 0o640


def test_a_folder_or_a_fifo_in_place_of_the_file_is_a_problem_not_a_hang(tmp_path: Path) -> None:
    folder = tmp_path / "settings.toml"
    folder.mkdir()
    assert [str(p) for p in load_settings(folder).problems] == [f"{folder}:1:1: this is a folder, not a settings file"]
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    loaded = load_settings(fifo)
    assert [str(p) for p in loaded.problems] == [f"{fifo}:1:1: this is not a regular file, not a settings file"]
    assert loaded.settings == Settings()
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * 300_000 + "\n")
    assert "a settings file is far smaller" in str(load_settings(big).problems[0])


def test_the_readme_settings_block_is_a_valid_settings_file(tmp_path: Path) -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("Settings: `~/.config/coach/settings.toml`", 1)[1].split("```toml\n", 1)[1].split("```")[0]
    path = tmp_path / "settings.toml"
    path.write_text(block, encoding="utf-8")
    loaded = load_settings(path).with_routines(load_catalog().routines)
    assert loaded.problems == []
    assert set(reminder_times(loaded.settings)) == {"morning", "evening", "bedtime"}
    assert preferred_seconds(loaded.settings, "toe-exercises") == 12 * 60
