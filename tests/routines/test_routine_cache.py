"""The routine cache is plain JSON in the user cache folder, read back like any input: a damaged, foreign or
crafted cache is ignored and rewritten — never trusted, never a traceback, never a hang — and a hit needs no TOML
reader. The status cache (coach/days/planned.py) is held to the same rules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from routine_helpers import REPO, VALID

from coach.common.files import MIB
from coach.days import planned
from coach.routines.catalog import CACHE_FORMAT, CACHE_NAME, cached_catalog, catalog_to_cache, load_catalog
from coach.routines.signature import routine_files_signature

BUNDLED_IDS = ["foot-soak", "toe-exercises"]


@pytest.fixture
def cache_folder() -> Path:
    return Path(os.environ["COACH_CACHE_DIR"])


def valid_cache() -> dict[str, object]:
    return catalog_to_cache(load_catalog(), routine_files_signature())


def test_the_cache_is_json_in_the_user_cache_folder_not_the_data_folder(cache_folder: Path) -> None:
    first = cached_catalog()
    stored = json.loads((cache_folder / CACHE_NAME).read_text(encoding="utf-8"))
    assert stored["format"] == CACHE_FORMAT and [r["id"] for r in stored["routines"]] == BUNDLED_IDS
    assert list(Path(os.environ["COACH_DATA_DIR"]).iterdir()) == []
    assert cached_catalog() == first == load_catalog()


def test_the_cache_folder_follows_xdg_cache_home_without_the_override(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("COACH_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cached_catalog()
    assert (tmp_path / "coach" / CACHE_NAME).is_file()


def test_a_cache_hit_never_loads_the_toml_reader(cache_folder: Path, user_routines: Path) -> None:
    (user_routines / "mine.toml").write_text(VALID, encoding="utf-8")
    probe = (
        "import sys; from coach.routines.catalog import cached_catalog; c = cached_catalog(); "
        "print(sorted(c.routines), 'tomllib' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    runs = [
        subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60) for _ in "ab"
    ]
    assert runs[0].stdout.split("] ")[1].strip() == "True"  # the first start reads the files
    assert runs[1].stdout.strip() == "['foot-soak', 'mine', 'toe-exercises'] False", runs[1].stderr


def routine_entry(**changes: object) -> dict[str, object]:
    entry = dict(valid_cache()["routines"][0])  # type: ignore[index]
    entry.update(changes)
    return entry


def nested_group(depth: int) -> dict[str, object]:
    group: dict[str, object] = {"title": "Stand", "time": "10s"}
    for _ in range(depth):
        group = {"title": "Group", "do": [group]}
    return group


def crafted(routines: object = None, broken: object = None, **top: object) -> bytes:
    value: dict[str, object] = {**valid_cache(), **top}
    if routines is not None:
        value["routines"] = routines
    if broken is not None:
        value["broken"] = broken
    return json.dumps(value).encode()


HOSTILE_CACHES: dict[str, Callable[[], bytes]] = {
    "empty": lambda: b"",
    "not json": lambda: b"\x80\x04not json at all",
    "a pickle": lambda: b"\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00\x8c\x05posix\x94\x8c\x06system\x94\x93\x94.",
    "200,000 brackets": lambda: b"[" * 200_000,
    "nested 100 deep": lambda: json.dumps({"routines": nested_group(100)}).encode(),
    "a 5,000 digit number": lambda: b'{"format": ' + b"9" * 5000 + b"}",
    "a list": lambda: b"[1, 2, 3]",
    "another format": lambda: crafted(format=CACHE_FORMAT + 1),
    "another signature": lambda: crafted(signature=["0.0.0"]),
    "routines not a list": lambda: crafted(routines="x"),
    "a routine of the wrong type": lambda: crafted(routines=[["foot-soak"]]),
    "a routine with a key too many": lambda: crafted(routines=[routine_entry(extra=1)]),
    "an id that is not the file's": lambda: crafted(routines=[routine_entry(id="toe-exercises")]),
    "an id against the rule": lambda: crafted(routines=[routine_entry(id="a.b", source="/x/a.b.toml")]),
    "an unknown origin": lambda: crafted(routines=[routine_entry(origin="pickle")]),
    "a routine that fails validation": lambda: crafted(routines=[routine_entry(file={"name": 1})]),
    "a billion repeats": lambda: crafted(
        routines=[
            routine_entry(file={"name": "x", "slots": ["morning"], "steps": [{**nested_group(1), "repeat": 10**9}]})
        ]
    ),
    "groups 30 deep": lambda: crafted(
        routines=[routine_entry(file={"name": "x", "slots": ["morning"], "steps": [nested_group(30)]})]
    ),
    "the same routine twice": lambda: crafted(routines=[routine_entry(), routine_entry()]),
    "a lone surrogate": lambda: crafted(routines=[routine_entry(file={**routine_entry()["file"], "name": "\ud800"})]),  # type: ignore[dict-item]
    "a problem line as text": lambda: crafted(broken=[{"path": "/x.toml", "problems": [["/x.toml", "1", 1, "m"]]}]),
    "a problem line of zero": lambda: crafted(broken=[{"path": "/x.toml", "problems": [["/x.toml", 0, 1, "m"]]}]),
    "a huge problem message": lambda: crafted(
        broken=[{"path": "/x.toml", "problems": [["/x.toml", 1, 1, "m" * 5000]]}]
    ),
    "no problems for a broken file": lambda: crafted(broken=[{"path": "/x.toml", "problems": []}]),
    "larger than the cap": lambda: b" " * (16 * MIB + 1),
}


@pytest.mark.parametrize("name", HOSTILE_CACHES)
def test_a_hostile_cache_is_ignored_and_rewritten(cache_folder: Path, name: str) -> None:
    cache = cache_folder / CACHE_NAME
    cache_folder.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(HOSTILE_CACHES[name]())
    catalog = cached_catalog()
    assert sorted(catalog.routines) == BUNDLED_IDS and not catalog.broken
    assert catalog == load_catalog()
    assert json.loads(cache.read_text(encoding="utf-8")) == json.loads(json.dumps(valid_cache()))  # rewritten


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
def test_a_cache_that_is_not_a_regular_file_never_hangs_start_up(cache_folder: Path, kind: str) -> None:
    cache = cache_folder / CACHE_NAME
    cache_folder.mkdir(parents=True, exist_ok=True)
    {"fifo": os.mkfifo, "dev-zero": lambda p: os.symlink("/dev/zero", p), "folder": os.mkdir}[kind](cache)
    probe = "from coach.routines.catalog import cached_catalog; print(sorted(cached_catalog().routines))"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, str(BUNDLED_IDS), "")


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
