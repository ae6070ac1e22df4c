"""Several machines sharing one sync folder end with the same history: union, conflicting edits, deletions, rest
days, cramps, skewed clocks, a machine that joins late, and journals that are compacted."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sync_helpers import TZ, Machine, device_of, ms, session, session_line, sync_all, write_journal

from coach.engine.recording import Checkpoint, SessionStart, Status
from coach.sync import engine


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shared = tmp_path / "Sync"
    shared.mkdir()
    return shared


def machines(tmp_path: Path, folder: Path, *names: str, skews: dict[str, timedelta] | None = None) -> list[Machine]:
    return [Machine(tmp_path, name, folder, (skews or {}).get(name, timedelta(0))) for name in names]


def test_every_machine_ends_with_the_union_of_all_histories(tmp_path: Path, folder: Path) -> None:
    laptop, desktop, phone = machines(tmp_path, folder, "laptop", "desktop", "phone")
    laptop.add(session(date(2024, 5, 1)), session(date(2024, 5, 1), "evening", note="calves tight"))
    desktop.add(session(date(2024, 5, 2), "bedtime"))
    phone.add(session(date(2024, 5, 3), status=Status.PARTIAL))
    desktop.rest(date(2024, 5, 4), "flu")
    phone.store.diary.log(leg="left", muscle="calf", severity=6, cramp_at=datetime(2024, 5, 3, 3, 10, tzinfo=TZ))

    sync_all([laptop, desktop, phone])

    expected = laptop.history()
    assert len(expected["sessions"]) == 4
    assert expected["rest_days"] == [("2024-05-04", "flu")]
    assert len(expected["cramps"]) == 1
    assert any(row[6] == "calves tight" for row in expected["sessions"])
    assert desktop.history() == expected
    assert phone.history() == expected


def test_syncing_again_with_nothing_new_changes_nothing(tmp_path: Path, folder: Path) -> None:
    laptop, desktop = machines(tmp_path, folder, "laptop", "desktop")
    laptop.add(session(date(2024, 5, 1)))
    sync_all([laptop, desktop])
    before = desktop.history()

    report = desktop.sync()

    assert report.received == {} and report.sent == {}
    assert desktop.history() == before


def test_a_running_session_travels_once_it_ends(tmp_path: Path, folder: Path) -> None:
    laptop, desktop = machines(tmp_path, folder, "laptop", "desktop")
    laptop.sync()
    recorder = laptop.store.recorder()
    start = SessionStart(str(uuid.uuid4()), "foot-soak", "Foot soak", "bedtime", datetime(2024, 5, 1, 22, tzinfo=TZ))
    recorder.start(start)
    recorder.checkpoint(start.id, Checkpoint("soaking", 60.0, 0))
    assert laptop.sync().sent == {}
    desktop.sync()
    assert desktop.history()["sessions"] == []

    recorder.finish(start.id, Status.COMPLETED, start.started_at + timedelta(minutes=18), Checkpoint("", 1080.0, 0))
    recorder.close()
    assert laptop.sync().sent == {"sessions": 1}
    desktop.sync()
    assert [(row[0], row[5]) for row in desktop.history()["sessions"]] == [(start.id, "completed")]


def test_the_same_note_edited_on_two_machines_ends_as_the_later_edit_everywhere(tmp_path: Path, folder: Path) -> None:
    # The laptop's edit is made a minute before the desktop's; the desktop happens to sync first.
    laptop, desktop = machines(tmp_path, folder, "laptop", "desktop", skews={"laptop": timedelta(minutes=-1)})
    (sid,) = laptop.add(session(date(2024, 5, 1)))
    sync_all([laptop, desktop])
    laptop.note(sid, "from the laptop", 2)
    desktop.note(sid, "from the desktop", 5)

    desktop.sync()
    laptop.sync()
    desktop.sync()

    assert laptop.store.get(sid).note == desktop.store.get(sid).note == "from the desktop"  # type: ignore[union-attr]
    assert laptop.store.get(sid).discomfort == 5  # type: ignore[union-attr]


def test_the_later_edit_wins_whichever_machine_syncs_first(tmp_path: Path, folder: Path) -> None:
    laptop, desktop = machines(tmp_path, folder, "laptop", "desktop", skews={"desktop": timedelta(minutes=-1)})
    (sid,) = laptop.add(session(date(2024, 5, 1)))
    sync_all([laptop, desktop])
    desktop.note(sid, "earlier, on the desktop")
    laptop.note(sid, "later, on the laptop")

    laptop.sync()
    desktop.sync()
    laptop.sync()

    assert laptop.store.get(sid).note == desktop.store.get(sid).note == "later, on the laptop"  # type: ignore[union-attr]


def test_equal_edit_times_are_settled_by_the_device_id(tmp_path: Path, folder: Path) -> None:
    laptop, desktop = machines(tmp_path, folder, "laptop", "desktop")
    record = session(date(2024, 5, 1))
    laptop.add(record)
    sync_all([laptop, desktop])
    version = ms(datetime(2030, 1, 1, tzinfo=TZ))  # later than any real edit, the same on both journals
    low, high = "0000000000000001", "ffffffffffffffff"
    for device in (low, high):
        write_journal(folder, device, [{"type": "note", "id": record.id, "note": f"by {device}", "v": version}])

    sync_all([laptop, desktop])

    assert laptop.store.get(record.id).note == desktop.store.get(record.id).note == f"by {high}"  # type: ignore[union-attr]


def test_a_deletion_wins_over_an_older_edit(tmp_path: Path, folder: Path) -> None:
    laptop, desktop = machines(tmp_path, folder, "laptop", "desktop", skews={"desktop": timedelta(minutes=-5)})
    keep, drop = laptop.add(session(date(2024, 5, 1)), session(date(2024, 5, 2)))
    sync_all([laptop, desktop])
    desktop.note(drop, "edited offline, before the deletion")
    laptop.delete_session(drop)

    desktop.sync()
    laptop.sync()
    desktop.sync()

    for machine in (laptop, desktop):
        assert [row[0] for row in machine.history()["sessions"]] == [keep]


def test_a_deletion_is_final_even_against_a_later_edit(tmp_path: Path, folder: Path) -> None:
    laptop, desktop = machines(tmp_path, folder, "laptop", "desktop", skews={"laptop": timedelta(minutes=-5)})
    (sid,) = laptop.add(session(date(2024, 5, 1)))
    sync_all([laptop, desktop])
    laptop.delete_session(sid)
    desktop.note(sid, "edited offline, after the deletion")

    sync_all([laptop, desktop])

    assert laptop.history()["sessions"] == desktop.history()["sessions"] == []


def test_an_import_cannot_bring_back_a_session_deleted_elsewhere(tmp_path: Path, folder: Path) -> None:
    laptop, desktop = machines(tmp_path, folder, "laptop", "desktop")
    record = session(date(2024, 5, 1))
    laptop.add(record)
    sync_all([laptop, desktop])
    laptop.delete_session(record.id)
    sync_all([laptop, desktop])

    desktop.store.import_records([record], [])  # an old export file read again
    sync_all([laptop, desktop])

    assert laptop.history()["sessions"] == desktop.history()["sessions"] == []


def test_rest_days_set_and_undone_converge(tmp_path: Path, folder: Path) -> None:
    laptop, desktop = machines(tmp_path, folder, "laptop", "desktop", skews={"laptop": timedelta(minutes=-1)})
    laptop.rest(date(2024, 5, 1), "travel")
    laptop.rest(date(2024, 5, 2), "flu")
    sync_all([laptop, desktop])
    assert [rest.day for rest in desktop.rests()] == [date(2024, 5, 1), date(2024, 5, 2)]

    laptop.rest(date(2024, 5, 1), "travel to Lyon")  # earlier (the laptop's clock is a minute behind)...
    desktop.store.unmark_rest_day(date(2024, 5, 1))  # ...than this undo
    desktop.store.unmark_rest_day(date(2024, 5, 2))
    sync_all([laptop, desktop])

    assert laptop.rests() == desktop.rests() == []


def test_cramps_logged_and_deleted_travel(tmp_path: Path, folder: Path) -> None:
    laptop, desktop = machines(tmp_path, folder, "laptop", "desktop")
    first = laptop.store.diary.log(leg="left", muscle="calf", severity=6, cramp_at=datetime(2024, 5, 1, 3, tzinfo=TZ))
    second = laptop.store.diary.log(leg="both", muscle="foot", severity=3, cramp_at=datetime(2024, 5, 2, 3, tzinfo=TZ))
    sync_all([laptop, desktop])
    assert {entry.id for entry in desktop.store.diary.entries()} == {first.id, second.id}

    desktop.store.diary.delete(first.id)
    sync_all([laptop, desktop])

    assert [entry.id for entry in laptop.store.diary.entries()] == [second.id]
    assert laptop.history() == desktop.history()


def test_a_clock_far_behind_cannot_lose_an_edit_made_after_seeing_another(tmp_path: Path, folder: Path) -> None:
    # The desktop's clock is two hours slow. It receives the laptop's note, then the user edits it there: that
    # edit is the later one, though the desktop's clock says it was made before the laptop's.
    laptop, desktop = machines(tmp_path, folder, "laptop", "desktop", skews={"desktop": timedelta(hours=-2)})
    (sid,) = laptop.add(session(date(2024, 5, 1)))
    laptop.sync()
    laptop.note(sid, "from the laptop")
    laptop.sync()
    desktop.sync()
    assert desktop.store.get(sid).note == "from the laptop"  # type: ignore[union-attr]

    desktop.note(sid, "corrected on the desktop")
    desktop.sync()
    laptop.sync()

    assert laptop.store.get(sid).note == desktop.store.get(sid).note == "corrected on the desktop"  # type: ignore[union-attr]


def test_a_clock_far_ahead_cannot_freeze_a_record(tmp_path: Path, folder: Path) -> None:
    # A machine whose clock runs a day ahead edits a note; the laptop edits it after syncing: its edit wins.
    laptop, future = machines(tmp_path, folder, "laptop", "future", skews={"future": timedelta(days=1)})
    (sid,) = laptop.add(session(date(2024, 5, 1)))
    sync_all([laptop, future])
    future.note(sid, "from the machine a day ahead")
    sync_all([future, laptop])

    laptop.note(sid, "edited since, on the laptop")
    sync_all([laptop, future])

    assert future.store.get(sid).note == laptop.store.get(sid).note == "edited since, on the laptop"  # type: ignore[union-attr]


def test_every_machine_agrees_after_each_has_synced_twice_with_offline_edits_everywhere(
    tmp_path: Path, folder: Path
) -> None:
    skews = {"a": timedelta(seconds=-30), "b": timedelta(0), "c": timedelta(seconds=45)}
    a, b, c = machines(tmp_path, folder, "a", "b", "c", skews=skews)
    ids = a.add(*(session(date(2024, 5, day)) for day in range(1, 6)))
    sync_all([a, b, c])
    a.note(ids[0], "a")
    b.note(ids[0], "b")
    c.note(ids[0], "c")
    b.delete_session(ids[1])
    a.note(ids[1], "edited before the deletion reached a")
    c.rest(date(2024, 5, 6))
    a.rest(date(2024, 5, 6), "a's note")
    b.add(session(date(2024, 5, 7)))

    sync_all([a, b, c])

    assert a.history() == b.history() == c.history()
    assert {row[0]: row[6] for row in a.history()["sessions"]}[ids[0]] == "c"  # c's clock is the latest
    assert ids[1] not in {row[0] for row in a.history()["sessions"]}


def test_a_machine_that_joins_late_gets_everything_in_one_sync(tmp_path: Path, folder: Path) -> None:
    a, b = machines(tmp_path, folder, "a", "b")
    ids = a.add(*(session(date(2024, 1, 1) + timedelta(days=n)) for n in range(30)))
    b.add(session(date(2024, 3, 1), "bedtime"))
    sync_all([a, b])
    b.note(ids[3], "noted on b")
    a.delete_session(ids[4])
    a.rest(date(2024, 3, 2))
    b.store.diary.log(leg="right", muscle="calf", severity=4, cramp_at=datetime(2024, 3, 3, 2, tzinfo=TZ))
    sync_all([a, b])

    late = Machine(tmp_path, "late", folder)
    report = late.sync()

    assert late.history() == a.history() == b.history()
    assert report.received["sessions"] == 30
    assert report.devices == tuple(sorted([device_of(a), device_of(b)]))


def test_histories_that_existed_before_sync_was_turned_on_are_merged(tmp_path: Path, folder: Path) -> None:
    a, b = machines(tmp_path, folder, "a", "b")
    shared = session(date(2024, 5, 1), note="imported on both")
    a.add(shared, session(date(2024, 5, 2)))
    b.add(shared, session(date(2024, 5, 3)))
    b.rest(date(2024, 5, 4))

    sync_all([a, b])

    assert a.history() == b.history()
    assert len(a.history()["sessions"]) == 3


def test_a_note_arriving_before_its_session_waits_for_it(tmp_path: Path, folder: Path) -> None:
    late = Machine(tmp_path, "late", folder)
    record = session(date(2024, 5, 1))
    write_journal(folder, "00000000000000bb", [{"type": "note", "id": record.id, "note": "waiting", "v": 10}])
    late.sync()
    assert late.history()["sessions"] == []

    write_journal(folder, "00000000000000aa", [session_line(record, 5)])
    late.sync()

    assert late.store.get(record.id).note == "waiting"  # type: ignore[union-attr]


def test_an_own_journal_is_compacted_and_others_still_converge(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "COMPACT_MIN_LINES", 30)  # the rule, with a small floor (1,000 lines in use)
    a, b = machines(tmp_path, folder, "a", "b")
    ids = a.add(*(session(date(2024, 5, 1) + timedelta(days=n)) for n in range(10)))
    sync_all([a, b])
    journal = folder / f"coach-{device_of(a)}.jsonl"
    compactions = 0
    for n in range(100):  # each edit of a note, synced, adds a line
        a.note(ids[n % 10], f"edit {n}")
        compactions += a.sync().compacted
        if n == 50:
            b.sync()  # b has read part of the journal before it is rewritten

    assert compactions >= 2
    assert len(journal.read_text().splitlines()) <= 1 + 30 + 1  # the header, under the floor, and the last edit
    b.sync()
    assert b.history() == a.history()
    assert {row[6] for row in b.history()["sessions"]} == {f"edit {n}" for n in range(90, 100)}


def test_a_rewritten_own_journal_comes_back_whole(tmp_path: Path, folder: Path) -> None:
    a, b = machines(tmp_path, folder, "a", "b")
    a.add(*(session(date(2024, 5, day)) for day in range(1, 4)))
    sync_all([a, b])
    journal = folder / f"coach-{device_of(a)}.jsonl"
    journal.unlink()  # deleted by hand, or the folder was set up again

    a.sync()
    late = Machine(tmp_path, "late", folder)
    late.sync()

    assert len(late.history()["sessions"]) == 3
