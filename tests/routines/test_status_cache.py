"""The one cache coach keeps (the slots the routines plan, for `coach status` at every prompt) is plain JSON in the
user cache folder, read back like any input: a damaged, foreign or crafted cache is ignored and rewritten — never
trusted, never a traceback, never a hang. The routine catalog has no cache (measured: it saved about 2 % of the
first frame), so no pickle or other code-carrying format is read anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from routine_helpers import REPO

from coach.days import planned
from coach.routines.signature import routine_files_signature


@pytest.fixture
def cache_folder() -> Path:
    return Path(os.environ["COACH_CACHE_DIR"])


def nested_group(depth: int) -> dict[str, object]:
    group: dict[str, object] = {"title": "Stand", "time": "10s"}
    for _ in range(depth):
        group = {"title": "Group", "do": [group]}
    return group


def test_no_module_of_coach_reads_a_pickle() -> None:
    sources = [path.read_text(encoding="utf-8") for path in (REPO / "coach").rglob("*.py")]
    assert not [text for text in sources if "import pickle" in text or "pickle." in text]


def test_the_status_cache_is_json_in_the_user_cache_folder_not_the_data_folder(cache_folder: Path) -> None:
    assert planned.planned_slots() == ("morning", "evening", "bedtime")
    stored = json.loads((cache_folder / planned.CACHE_NAME).read_text(encoding="utf-8"))
    assert stored == {
        "signature": json.loads(json.dumps(routine_files_signature())),
        "slots": ["morning", "evening", "bedtime"],
    }
    assert list(Path(os.environ["COACH_DATA_DIR"]).iterdir()) == []


def test_the_cache_folder_follows_xdg_cache_home_without_the_override(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("COACH_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    planned.planned_slots()
    assert (tmp_path / "coach" / planned.CACHE_NAME).is_file()


def test_a_changed_routine_folder_is_seen_at_once(cache_folder: Path, user_routines: Path) -> None:
    assert planned.planned_slots() == ("morning", "evening", "bedtime")
    (user_routines / "toe-exercises.toml").write_text(
        'name = "x"\nslots = ["bedtime"]\n[[steps]]\ntitle = "a"\ntime = "1s"\n'
    )
    (user_routines / "foot-soak.toml").write_text(
        'name = "x"\nslots = ["bedtime"]\n[[steps]]\ntitle = "a"\ntime = "1s"\n'
    )
    assert planned.planned_slots() == ("bedtime",)


STATUS_CACHES: dict[str, bytes] = {
    "nested 100,000 deep": b'{"signature": ' + b"[" * 100_000 + b"]" * 100_000 + b', "slots": []}',
    "nested 50 deep": json.dumps({"signature": nested_group(50), "slots": ["morning"]}).encode(),
    "an unknown slot": b"",  # filled in below with the right signature
    "slots of the wrong type": b"",
    "a slot twice": b"",
    "not json": b"\xff\xfe",
}


@pytest.mark.parametrize("name", STATUS_CACHES)
def test_a_hostile_status_cache_is_ignored_and_rewritten(cache_folder: Path, name: str) -> None:
    signature = routine_files_signature()
    raw = {
        "an unknown slot": json.dumps({"signature": signature, "slots": ["midnight"]}).encode(),
        "slots of the wrong type": json.dumps({"signature": signature, "slots": [{"a": 1}]}).encode(),
        "a slot twice": json.dumps({"signature": signature, "slots": ["morning", "morning"]}).encode(),
    }.get(name, STATUS_CACHES[name])
    cache_folder.mkdir(parents=True, exist_ok=True)
    (cache_folder / planned.CACHE_NAME).write_bytes(raw)
    assert planned.planned_slots() == ("morning", "evening", "bedtime")
    assert json.loads((cache_folder / planned.CACHE_NAME).read_text())["slots"] == ["morning", "evening", "bedtime"]


def test_coach_status_with_a_deeply_nested_status_cache_prints_its_line(cache_folder: Path) -> None:
    cache_folder.mkdir(parents=True, exist_ok=True)
    (cache_folder / planned.CACHE_NAME).write_bytes(STATUS_CACHES["nested 100,000 deep"])
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "coach", "status", "--ascii"], env=env, capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stderr) == (0, "") and done.stdout.startswith("M:todo E:todo B:todo streak 0")


def test_a_status_cache_that_is_a_fifo_never_hangs(cache_folder: Path) -> None:
    cache_folder.mkdir(parents=True, exist_ok=True)
    os.mkfifo(cache_folder / planned.CACHE_NAME)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "coach", "status", "--ascii"], env=env, capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stderr) == (0, "")
