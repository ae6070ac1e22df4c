"""Syncs at the same moment in several processes: machines sharing the folder, and two coaches of one data folder
(the app's background sync and `coach sync` in another terminal). Nothing is lost, nobody sees half a line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

from sync_helpers import Machine, session, sync_all

REPO = Path(__file__).resolve().parents[2]

WORKER = textwrap.dedent(
    """
    import json, sys, uuid
    from datetime import date, datetime, timedelta, timezone
    from coach.engine.recording import Status
    from coach.store.records import SessionRecord
    from coach.store.store import open_store
    from coach.sync.engine import sync

    data_dir, folder, rounds, add = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "add"
    from pathlib import Path
    store = open_store(Path(data_dir), day_start_hour=4, maintenance=False)
    sys.stdin.readline()  # start together
    problems, ids = [], []
    for n in range(rounds):
        if add:
            start = datetime(2024, 1, 1, 7, tzinfo=timezone.utc) + timedelta(days=n)
            record = SessionRecord(str(uuid.uuid4()), "toe-exercises", "Toe exercises", "morning", start.date(),
                                   start, start + timedelta(minutes=12), Status.COMPLETED, 700.0, 50)
            store.insert_sessions([record])
            ids.append(record.id)
            if n % 3 == 0:
                store.set_note(record.id, f"note {n}", None)
        problems.extend(sync(Path(data_dir), Path(folder), day_start_hour=4).problems)
    print(json.dumps({"problems": problems, "ids": ids}))
    """
)


def _start(data_dir: Path, folder: Path, rounds: int, add: bool) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, str(data_dir), str(folder), str(rounds), "add" if add else "read"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _finish(processes: list[subprocess.Popen[str]]) -> list[dict[str, list[str]]]:
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        assert "Traceback" not in err
        results.append(json.loads(out))
    return results


def test_machines_syncing_at_the_same_moment_lose_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "Sync"
    folder.mkdir()
    names = ["a", "b", "c"]
    for name in names:  # each history made before the processes start
        Machine(tmp_path, name, folder)
    results = _finish([_start(tmp_path / name, folder, 12, add=True) for name in names])

    assert all(result["problems"] == [] for result in results)  # never half a line, never a rewrite half-seen
    final = [Machine(tmp_path, name, folder) for name in names]
    sync_all(final)
    every_id = {sid for result in results for sid in result["ids"]}
    assert len(every_id) == 36
    for machine in final:
        assert {row[0] for row in machine.history()["sessions"]} == every_id
    assert final[0].history() == final[1].history() == final[2].history()


def test_two_coaches_of_one_data_folder_sync_one_at_a_time(tmp_path: Path) -> None:
    folder = tmp_path / "Sync"
    folder.mkdir()
    here = Machine(tmp_path, "here", folder)
    here.add(*(session(date(2024, 5, day)) for day in range(1, 20)))
    results = _finish([_start(here.data_dir, folder, 6, add=n == 0) for n in range(2)])

    assert all(result["problems"] == [] for result in results)
    journals = list(folder.glob("coach-*.jsonl"))
    assert len(journals) == 1  # one device, one journal: the lock kept the two from writing it at once
    lines = [json.loads(line) for line in journals[0].read_text().splitlines()[1:]]
    sent = {line["id"] for line in lines if line["type"] == "session"}
    assert sent == {row[0] for row in here.history()["sessions"]}
    other = Machine(tmp_path, "other", folder)
    other.sync()
    assert other.history() == here.history()
