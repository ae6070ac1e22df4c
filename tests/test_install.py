"""The wheel ships the bundled routines and the schema, and an installed `coach` finds them from any folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHIPPED = ("coach/bundled_routines/toe-exercises.toml", "coach/bundled_routines/foot-soak.toml")
SCHEMA = "coach/routines/routine.schema.json"

pytestmark = pytest.mark.slow


def _run(command: list[str | Path], **kwargs: object) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)  # type: ignore[call-overload]
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """coach built into a wheel offline, with the build backend already installed (no build isolation)."""
    out = tmp_path_factory.mktemp("wheel")
    _run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--no-build-isolation", "--no-index", "-w", out],
        cwd=out,
    )
    (built,) = out.glob("coach-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv (seeing this interpreter's packages for coach's dependencies) with the wheel installed."""
    folder = tmp_path_factory.mktemp("venv") / "venv"
    venv.EnvBuilder(with_pip=True, symlinks=os.name != "nt").create(folder)  # offline
    # The dependencies come from the environment running the tests (a venv in CI, whose base interpreter may have
    # none of them): its site-packages joins the new venv's path after the venv's own, where the wheel goes.
    inner = Path(sysconfig.get_path("purelib", vars={"base": str(folder), "platbase": str(folder)}))
    (inner / "outer-environment.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    # --force-reinstall: a coach installed next to this interpreter (pip install ".[test]") must not count as there.
    _run([folder / "bin" / "pip", "install", "--no-deps", "--no-index", "--force-reinstall", wheel])
    return folder


def _env(config: Path, data: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(COACH_CONFIG_DIR=str(config), COACH_DATA_DIR=str(data))
    return env


def test_wheel_contains_the_bundled_routines_and_the_schema(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(name for name in names if name.endswith(".dist-info/entry_points.txt"))
        scripts = archive.read(entry_points).decode()
        shipped = archive.read(SHIPPED[0]).decode()
    assert {*SHIPPED, SCHEMA} <= names
    assert "coach = coach.__main__:main" in scripts
    assert shipped == (REPO / "routines" / "toe-exercises.toml").read_text(encoding="utf-8")


def test_installed_coach_lists_the_bundled_routines_from_another_folder(installed: Path, tmp_path: Path) -> None:
    (tmp_path / "empty-config").mkdir()
    (tmp_path / "work").mkdir()
    done = _run(
        [installed / "bin" / "coach", "routines", "--json"],
        cwd=tmp_path / "work",
        env=_env(tmp_path / "empty-config", tmp_path / "data"),
    )
    listing = json.loads(done.stdout)
    rows = {row["id"]: row for row in listing["routines"]}
    assert listing["broken"] == []
    assert {key: row["origin"] for key, row in rows.items()} == {"foot-soak": "bundled", "toe-exercises": "bundled"}
    for row in rows.values():  # read from the installed package, not from this source tree
        assert Path(row["path"]).resolve().is_relative_to(installed.resolve()), row["path"]


def test_installed_coach_finds_its_schema_and_validates(installed: Path, tmp_path: Path) -> None:
    env = _env(tmp_path / "config", tmp_path / "data")
    schema = Path(
        _run([installed / "bin" / "coach", "routines", "--schema-path"], cwd=tmp_path, env=env).stdout.strip()
    )
    assert schema.is_file() and schema.resolve().is_relative_to(installed.resolve())
    json.loads(schema.read_text(encoding="utf-8"))
    bundled = schema.parents[1] / "bundled_routines"
    done = _run([installed / "bin" / "coach", "validate", *sorted(bundled.glob("*.toml"))], cwd=tmp_path, env=env)
    assert done.stdout == ""
