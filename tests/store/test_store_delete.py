"""Deleting a past session: gone from the history, the export and the streaks; a tombstone keeps it from coming back."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from store_helpers import raw_rows, session

from coach.__main__ import main
from coach.common.paths import data_dir
from coach.common.problems import CoachError
from coach.store.store import Store, open_store

DAY = date(2024, 5, 1)


def store() -> Store:
    return open_store(data_dir(), day_start_hour=4)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_deleted_session_leaves_history_streaks_and_export_and_keeps_a_tombstone() -> None:
    history = store()
    kept, gone = session(DAY), session(DAY + timedelta(days=1))
    history.insert_sessions([kept, gone])
    assert history.streaks(["morning"], DAY + timedelta(days=1)).slot("morning").streak.current == 2
    deleted = history.delete_session(gone.id)
    assert deleted.id == gone.id
    assert [record.id for record in history.sessions()] == [kept.id]
    assert history.streaks(["morning"], DAY + timedelta(days=1)).slot("morning").streak.current == 1
    assert history.deleted_ids() == {gone.id}
    assert raw_rows(history.path, "SELECT id FROM deleted_sessions") == [(gone.id,)]


def test_an_import_never_brings_a_deleted_session_back(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    history = store()
    first, second = session(DAY), session(DAY + timedelta(days=1))
    history.insert_sessions([first, second])
    export = tmp_path / "all.json"
    assert run(capsys, "export", "-o", str(export))[0] == 0
    history.delete_session(second.id)
    code, out, _ = run(capsys, "import", str(export))
    assert code == 0
    assert "1 session you had deleted was left out" in out
    assert [record.id for record in history.sessions()] == [first.id]
    history.insert_sessions([second])  # the same rule for every way in
    assert history.count() == 1
    exported = json.loads(run(capsys, "export")[1])
    assert [item["id"] for item in exported] == [first.id]


def test_unknown_and_running_sessions_are_refused() -> None:
    history = store()
    with pytest.raises(CoachError, match="no session with id"):
        history.delete_session("0c6b7f4e-0000-4000-8000-000000000000")


def test_history_delete_asks_in_a_terminal(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    history = store()
    record = session(DAY)
    history.insert_sessions([record])

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    code, out, _ = run(capsys, "history", "delete", record.id[:8])
    assert code == 1 and "Delete the session 2024-05-01" in out and "Nothing was deleted." in out
    assert history.count() == 1
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    code, out, _ = run(capsys, "history", "delete", record.id[:8])
    assert (
        code == 0
        and f"Deleted the session 2024-05-01 07:00 morning Toe exercises (completed, id {record.id[:8]})" in out
    )
    assert history.count() == 0


def test_history_delete_without_a_terminal_needs_yes(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    history = store()
    record = session(DAY)
    history.insert_sessions([record])
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    code, _, err = run(capsys, "history", "delete", record.id[:8])
    assert code == 1 and "add --yes" in err and history.count() == 1
    code, out, _ = run(capsys, "history", "delete", "--yes", record.id[:8])
    assert code == 0 and history.count() == 0


def test_history_delete_names_an_unknown_or_ambiguous_prefix(capsys: pytest.CaptureFixture[str]) -> None:
    history = store()
    a = session(DAY, session_id="abcd1111-0000-4000-8000-000000000000")
    b = session(DAY, "evening", session_id="abcd2222-0000-4000-8000-000000000000")
    history.insert_sessions([a, b])
    code, _, err = run(capsys, "history", "delete", "--yes", "abcd")
    assert code == 1 and err.count("\n") == 1 and "more than one session id starts with 'abcd'" in err
    code, _, err = run(capsys, "history", "delete", "--yes", "ffff0000")
    assert code == 1 and err.count("\n") == 1 and "no session with id 'ffff0000'" in err
    assert history.count() == 2
