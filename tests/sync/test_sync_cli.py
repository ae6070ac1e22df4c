"""`coach sync`: what it prints, its JSON, the folder from settings.toml or --folder, and one message with exit 1 for
a folder it cannot use."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sync_helpers import Machine, session

from coach.__main__ import main
from coach.common.paths import settings_file


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shared = tmp_path / "Sync"
    shared.mkdir()
    return shared


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_sync_prints_what_came_in_and_went_out(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = Machine(tmp_path, "other", folder)
    other.add(session(date(2024, 5, 1)), session(date(2024, 5, 2), note="tight"))
    other.rest(date(2024, 5, 3))
    other.sync()
    here = Machine(tmp_path, "here", folder)
    here.add(session(date(2024, 5, 4)))

    code, out, err = _run(capsys, "--data-dir", str(here.data_dir), "sync", "--folder", str(folder))

    assert (code, err) == (0, "")
    assert out == (
        f"Synced through {folder.resolve()} (1 other machine).\nIn:  2 sessions, 1 note, 1 rest day\nOut: 1 session\n"
    )
    code, out, _ = _run(capsys, "--data-dir", str(here.data_dir), "sync", "--folder", str(folder))
    assert out.splitlines()[1:] == ["In:  nothing new", "Out: nothing new"]


def test_sync_json(tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    here = Machine(tmp_path, "here", folder)
    here.add(session(date(2024, 5, 4)))
    (folder / "notes.txt").write_text("not a journal")

    code, out, err = _run(capsys, "--data-dir", str(here.data_dir), "sync", "--folder", str(folder), "--json")

    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["received"] == {} and report["sent"] == {"sessions": 1}
    assert report["devices"] == [] and len(report["device"]) == 16
    assert report["problems"] == [f"{folder.resolve() / 'notes.txt'}: not a coach journal (ignored)"]


def test_sync_reads_the_folder_from_settings(tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings_file().write_text(f'sync_folder = "{folder}"\n')
    code, out, _ = _run(capsys, "sync")
    assert code == 0
    assert out.startswith(f"Synced through {folder.resolve()}")
    assert len(list(folder.glob("coach-*.jsonl"))) == 1


def test_problems_with_single_files_go_to_stderr_and_the_sync_succeeds(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "coach-0123456789abcdef.jsonl").write_bytes(b"\x1b[2J garbage\n")
    code, out, err = _run(capsys, "sync", "--folder", str(folder))
    assert code == 0
    assert err == f"coach: {folder.resolve()}/coach-0123456789abcdef.jsonl: not a coach journal (ignored)\n"
    assert out.startswith("Synced through")


def test_no_folder_is_one_message_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "sync")
    assert (code, out) == (1, "")
    assert err.startswith('coach: no sync folder: set sync_folder = "PATH" in ')
    assert err.count("\n") == 1


@pytest.mark.parametrize("kind", ["missing", "a file"])
def test_a_bad_folder_is_one_message_and_exit_1(tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "Sync"
    if kind == "a file":
        path.write_text("")
    code, out, err = _run(capsys, "sync", "--folder", str(path))
    assert (code, out) == (1, "")
    assert err.startswith(f"coach: the sync folder {path} ")
    assert err.count("\n") == 1 and "Traceback" not in err
