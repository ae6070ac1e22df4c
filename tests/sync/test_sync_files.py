"""What a sync folder can hold besides clean journals: conflict copies, files still arriving, garbage, foreign files,
journals from a newer coach; and what a sync with nothing new does (it opens no journal)."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from sync_helpers import Machine, device_of, ms, session, session_line, sync_all, write_journal

from coach.sync import engine, journal


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shared = tmp_path / "Sync"
    shared.mkdir()
    return shared


OTHER = "0123456789abcdef"


@pytest.mark.parametrize(
    "copy_name",
    [
        f"coach-{OTHER}.sync-conflict-20240501-101500-ABCDEFG.jsonl",  # Syncthing
        f"coach-{OTHER} (conflicted copy 2024-05-01 101500).jsonl",  # Nextcloud
        f"coach-{OTHER} (Ann's conflicted copy 2024-05-01).jsonl",  # Dropbox
    ],
)
def test_conflict_copies_are_read_as_their_device_s_journal(tmp_path: Path, folder: Path, copy_name: str) -> None:
    here = Machine(tmp_path, "here", folder)
    in_main, in_copy = session(date(2024, 5, 1)), session(date(2024, 5, 2))
    write_journal(folder, OTHER, [session_line(in_main, 1)])
    write_journal(folder, OTHER, [session_line(in_main, 1), session_line(in_copy, 2)], name=copy_name)

    report = here.sync()

    assert report.problems == ()
    assert {row[0] for row in here.history()["sessions"]} == {in_main.id, in_copy.id}
    assert report.devices == (OTHER,)


def test_a_conflict_copy_of_the_own_journal_is_merged_too(tmp_path: Path, folder: Path) -> None:
    a, b = Machine(tmp_path, "a", folder), Machine(tmp_path, "b", folder)
    a.add(session(date(2024, 5, 1)))
    sync_all([a, b])
    device = device_of(a)
    lost = session(date(2024, 5, 9))
    (folder / f"coach-{device}.sync-conflict-20240509-070000-XYZ.jsonl").write_text(
        json.dumps({"coach_journal": 1, "device": device, "generation": "old"})
        + "\n"
        + json.dumps(session_line(lost, 3))
        + "\n"
    )

    sync_all([a, b])

    assert lost.id in {row[0] for row in a.history()["sessions"]}
    assert a.history() == b.history()


def test_a_last_line_still_arriving_is_left_for_next_time(tmp_path: Path, folder: Path) -> None:
    here = Machine(tmp_path, "here", folder)
    first, second = session(date(2024, 5, 1)), session(date(2024, 5, 2))
    path = write_journal(folder, OTHER, [session_line(first, 1)])
    whole = json.dumps(session_line(second, 2)) + "\n"
    with path.open("a") as handle:
        handle.write(whole[:40])  # half a line: the file-sync tool is still writing it

    report = here.sync()
    assert report.problems == ()
    assert [row[0] for row in here.history()["sessions"]] == [first.id]

    with path.open("a") as handle:
        handle.write(whole[40:])
    here.sync()
    assert {row[0] for row in here.history()["sessions"]} == {first.id, second.id}


def test_a_journal_whose_header_is_still_arriving_is_left_quietly(tmp_path: Path, folder: Path) -> None:
    here = Machine(tmp_path, "here", folder)
    path = folder / f"coach-{OTHER}.jsonl"
    path.write_text('{"coach_journal": 1, "dev')

    assert here.sync().problems == ()

    record = session(date(2024, 5, 1))
    write_journal(folder, OTHER, [session_line(record, 1)])
    here.sync()
    assert [row[0] for row in here.history()["sessions"]] == [record.id]


def test_garbage_and_foreign_files_get_one_message_each_and_the_rest_merges(tmp_path: Path, folder: Path) -> None:
    here = Machine(tmp_path, "here", folder)
    record = session(date(2024, 5, 1))
    write_journal(folder, OTHER, [session_line(record, 1)])
    (folder / "coach-fedcba9876543210.jsonl").write_bytes(os.urandom(3000).replace(b"\n", b"") + b"\n\x00\xff\n")
    (folder / "shopping list.txt").write_text("milk\n")
    (folder / ".stfolder").mkdir()  # Syncthing's marker: hidden, not worth a word
    (folder / f".syncthing.coach-{OTHER}.jsonl.tmp").write_text("partial")

    report = here.sync()

    assert len(report.problems) == 2
    assert report.problems[0].endswith("coach-fedcba9876543210.jsonl: not a coach journal (ignored)")
    assert report.problems[1].endswith("shopping list.txt: not a coach journal (ignored)")
    assert [row[0] for row in here.history()["sessions"]] == [record.id]
    assert report.devices == (OTHER,)


def test_damaged_lines_get_one_message_and_the_other_lines_merge(tmp_path: Path, folder: Path) -> None:
    here = Machine(tmp_path, "here", folder)
    good, odd = session(date(2024, 5, 1)), session(date(2024, 5, 2))
    bad_slot = {**session_line(odd, 2), "slot": "noon"}
    path = write_journal(folder, OTHER, [bad_slot, {"type": "teleport", "v": 1}, session_line(good, 1)])
    with path.open("a") as handle:
        handle.write("{not json}\n" + "[" * 100_000 + "\n")

    report = here.sync()

    (problem,) = report.problems
    assert problem.startswith(f"{path}: 4 lines could not be read and were skipped (first: ")
    assert '"slot" must be one of' in problem
    assert [row[0] for row in here.history()["sessions"]] == [good.id]
    assert here.sync().problems == ()  # said once: those lines are behind the read position now


def test_a_journal_from_a_newer_coach_is_left_alone_with_a_message(tmp_path: Path, folder: Path) -> None:
    here = Machine(tmp_path, "here", folder)
    path = folder / f"coach-{OTHER}.jsonl"
    path.write_text(json.dumps({"coach_journal": 99, "device": OTHER, "generation": "x"}) + "\n")

    (problem,) = here.sync().problems

    assert "written by a newer coach" in problem and "update coach" in problem


def test_a_history_is_never_damaged_by_a_bad_journal(tmp_path: Path, folder: Path) -> None:
    here = Machine(tmp_path, "here", folder)
    mine = session(date(2024, 5, 1), note="mine")
    here.add(mine)
    hostile = [
        {"type": "session", "id": mine.id, "v": 2**40},  # no fields: refused, so nothing is overwritten
        {"type": "note", "id": mine.id, "note": 5, "v": 2**40},
        {"type": "rest_day", "day": "2024-02-30", "note": "", "v": 1},
        {"type": "cramp", "id": "abcd1234", "v": 1},
        {"type": "rest_day", "day": "2024-05-01", "note": "", "v": 10**20},  # past any clock
    ]
    write_journal(folder, OTHER, hostile)

    report = here.sync()

    assert len(report.problems) == 1
    assert here.history()["sessions"] == [
        (mine.id, "toe-exercises", "morning", "2024-05-01", mine.started_at.isoformat(), "completed", "mine", None)
    ]


def test_a_sync_with_nothing_new_opens_no_journal(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, c = (Machine(tmp_path, name, folder) for name in "abc")
    a.add(*(session(date(2024, 1, 1) + timedelta(days=n)) for n in range(20)))
    sync_all([a, b, c])

    def no_reading(*args: object) -> None:
        raise AssertionError("a journal was opened")

    monkeypatch.setattr(engine, "read_new_lines", no_reading)
    report = b.sync()
    assert (report.received, report.sent, report.compacted) == ({}, {}, False)


def test_own_journal_cut_short_by_a_crash_is_repaired_before_appending(tmp_path: Path, folder: Path) -> None:
    a, b = Machine(tmp_path, "a", folder), Machine(tmp_path, "b", folder)
    (sid,) = a.add(session(date(2024, 5, 1)))
    sync_all([a, b])
    path = folder / f"coach-{device_of(a)}.jsonl"
    with path.open("a") as handle:
        handle.write('{"type":"note","id":"')  # a write cut short
    a.note(sid, "after the crash")

    a.sync()
    b.sync()

    assert all(json.loads(line) for line in path.read_text().splitlines())
    assert b.store.get(sid).note == "after the crash"  # type: ignore[union-attr]


def test_journal_names() -> None:
    assert journal.journal_device(f"coach-{OTHER}.jsonl") == OTHER
    assert journal.journal_device(f"coach-{OTHER}.sync-conflict-20240501-101500-ABCDEFG.jsonl") == OTHER
    assert journal.journal_device(f"coach-{OTHER} (conflicted copy 2024-05-01 101500).jsonl") == OTHER
    assert journal.journal_device(f"coach-{OTHER}.jsonl.tmp") is None
    assert journal.journal_device("coach-XYZ.jsonl") is None
    assert journal.is_ignored(f"coach-{OTHER}.jsonl.!sync")  # Resilio Sync, still arriving
    assert not journal.is_ignored(f"coach-{OTHER}.jsonl")


def test_a_version_is_never_below_the_version_it_overwrote(tmp_path: Path, folder: Path) -> None:
    here = Machine(tmp_path, "here", folder)
    record = session(date(2024, 5, 1))
    far = ms(record.started_at) + 10 * 365 * 86_400_000  # a note from a machine whose clock was ten years ahead
    write_journal(folder, OTHER, [session_line(record, 1), {"type": "note", "id": record.id, "note": "x", "v": far}])
    here.sync()
    here.note(record.id, "y")
    here.sync()
    lines = [json.loads(line) for line in (folder / f"coach-{device_of(here)}.jsonl").read_text().splitlines()]
    assert lines[-1]["type"] == "note" and lines[-1]["v"] == far + 1
