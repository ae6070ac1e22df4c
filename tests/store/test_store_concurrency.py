"""Several coach processes at once: imports, readers and a running session lose nothing and never see a lock."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import textwrap
from datetime import date, timedelta
from pathlib import Path

from store_helpers import PYTHON, session, subprocess_env

from coach.store.exchange import sessions_json
from coach.store.store import open_store

IMPORTER = textwrap.dedent(
    """
    import sys
    from coach.__main__ import main
    sys.stdin.readline()  # start together
    sys.exit(main(["--data-dir", sys.argv[1], "import", sys.argv[2]]))
    """
)
READER = textwrap.dedent(
    """
    import contextlib, io, json, sys
    from coach.__main__ import main
    sys.stdin.readline()
    seen = []
    for _ in range(15):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main(["--data-dir", sys.argv[1], "history", "--json"])
        if code:
            sys.exit(code)
        seen.append(len(json.loads(out.getvalue())))
        with contextlib.redirect_stdout(io.StringIO()):
            code = main(["--data-dir", sys.argv[1], "streaks", "--json"])
        if code:
            sys.exit(code)
    print(json.dumps(seen))
    """
)
SOAK = textwrap.dedent(
    """
    import sys, uuid
    from datetime import datetime, timedelta, timezone
    from coach.engine.recording import Checkpoint, SessionStart, Status
    from coach.store.store import open_recorder
    problems = []
    rec = open_recorder(sys.argv[1], on_problem=problems.append, day_start_hour=4)
    sys.stdin.readline()
    started = datetime(2030, 1, 1, 21, 0, tzinfo=timezone.utc)
    sid = str(uuid.uuid4())
    rec.start(SessionStart(sid, "foot-soak", "Foot soak", "bedtime", started))
    for n in range(200):
        rec.checkpoint(sid, Checkpoint("Soak", float(n), 0))
    rec.finish(sid, Status.COMPLETED, started + timedelta(minutes=18), Checkpoint("Soak", 1080.0, 0))
    print(sid if not problems else "PROBLEM " + problems[0])
    """
)


def test_four_imports_two_readers_and_a_running_session_at_once(tmp_path: Path) -> None:
    data = tmp_path / "data"  # does not exist yet: the processes also race to create it
    scripts = {}
    for name, text in (("importer", IMPORTER), ("reader", READER), ("soak", SOAK)):
        scripts[name] = tmp_path / f"{name}.py"
        scripts[name].write_text(text)
    # Four files of 1,500 sessions that overlap: 0-1499, 750-2249, 1500-2999, 2250-3749.
    pool = [
        session(date(2010, 1, 1) + timedelta(days=n // 3), ("morning", "evening", "bedtime")[n % 3])
        for n in range(3750)
    ]
    files = []
    for index in range(4):
        path = tmp_path / f"export-{index}.json"
        path.write_text(sessions_json(pool[index * 750 : index * 750 + 1500]))
        files.append(path)

    env = subprocess_env(data)
    commands = [[PYTHON, str(scripts["importer"]), str(data), str(path)] for path in files]
    commands += [[PYTHON, str(scripts["reader"]), str(data)] for _ in range(2)]
    commands.append([PYTHON, str(scripts["soak"]), str(data)])
    processes = [
        subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        for command in commands
    ]
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    results = []
    try:
        for process in processes:
            out, err = process.communicate(timeout=120)  # never hang
            results.append((process.returncode, out, err))
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()

    for code, _, err in results:
        assert code == 0, err
        assert "locked" not in err.lower() and "busy" not in err.lower() and "Traceback" not in err
    soak_id = results[-1][1].strip()
    assert not soak_id.startswith("PROBLEM"), soak_id
    for _, out, _ in results[4:6]:
        counts = json.loads(out)
        assert counts == sorted(counts)  # a reader never sees sessions disappear

    store = open_store(data, day_start_hour=4)
    ids = {record.id for record in store.sessions()}
    assert ids == {record.id for record in pool} | {soak_id}
    soak = store.get(soak_id)
    assert soak is not None and soak.status == "completed" and soak.active_seconds == 1080.0
    connection = sqlite3.connect(store.path)
    assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    connection.close()
    imported = [err for _, _, err in results[:4]]
    assert all(text == "" for text in imported)


OPENER = textwrap.dedent(
    """
    import sys, time
    from coach.store.store import open_store
    go = float(sys.argv[2])
    while time.time() < go:  # every process starts at the same instant: the race is real
        pass
    store = open_store(sys.argv[1], day_start_hour=4)
    print(store.count())
    """
)


def test_eight_coaches_creating_the_history_at_the_same_instant_all_succeed(tmp_path: Path) -> None:
    # SQLite answers "database is locked" at once, without waiting, to a connection that reads while another
    # switches a new file to WAL; the store retries that step. Without the retry about 1 round in 3 failed.
    import time

    script = tmp_path / "opener.py"
    script.write_text(OPENER)
    for round_number in range(5):
        data = tmp_path / f"data-{round_number}"
        go = time.time() + 1.0
        processes = [
            subprocess.Popen(
                [PYTHON, str(script), str(data), str(go)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=subprocess_env(data),
            )
            for _ in range(8)
        ]
        for process in processes:
            out, err = process.communicate(timeout=60)
            assert (process.returncode, out, err) == (0, "0\n", ""), err
