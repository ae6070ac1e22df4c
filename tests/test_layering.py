"""The layers hold: no headless module imports textual or the UI, the import-linter contracts are kept, and both
checks turn red when the rule is broken once (a check that cannot fail checks nothing)."""

from __future__ import annotations

import os
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import coach

ROOT = Path(__file__).resolve().parents[1]
HEADLESS_PACKAGES = ("common", "config", "routines", "days", "diary", "engine", "store", "sync", "reminders")
"""Every package below the UI: plain Python that a printing command or a unit test can import without a screen."""


def headless_modules(package_dir: Path = Path(coach.__file__).parent) -> list[str]:
    """Every module of the headless packages present in this checkout."""
    names = []
    for package in HEADLESS_PACKAGES:
        folder = package_dir / package
        if not folder.is_dir():
            continue
        names.append(f"coach.{package}")
        names += [f"coach.{package}.{info.name}" for info in pkgutil.iter_modules([str(folder)])]
    return names


def imported_after(statement: str, *, pythonpath: Path | None = None) -> set[str]:
    """The modules loaded in a fresh interpreter after running `statement`."""
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    code = f"import sys\n{statement}\nprint(' '.join(sorted(sys.modules)))"
    cwd = pythonpath or ROOT  # `python -c` puts the working folder first on the path
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=cwd, check=True)
    return set(result.stdout.split())


def ui_modules_loaded(package_root: Path | None = None) -> set[str]:
    """What of textual, rich and coach.ui every headless module pulls in, imported together in a fresh interpreter
    (rich is the printing commands' and the app's: a headless module that printed through it would be a UI)."""
    base = (package_root / "coach") if package_root else Path(coach.__file__).parent
    modules = headless_modules(base)
    loaded = imported_after("\n".join(f"import {name}" for name in modules), pythonpath=package_root)
    assert set(modules) <= loaded  # every import really happened
    return {name for name in loaded if name.split(".")[0] in ("textual", "rich") or name.startswith("coach.ui")}


def lint_imports(cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    """import-linter's contracts from pyproject.toml, run as .ci/run runs them."""
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    program = Path(sys.executable).with_name("lint-imports")
    return subprocess.run([str(program), "--no-cache"], cwd=cwd, capture_output=True, text=True, env=env)


def test_every_headless_module_is_found() -> None:
    modules = headless_modules()
    assert {"coach.engine.session", "coach.store.recorder", "coach.diary.entries", "coach.days.streaks"} <= set(modules)


def test_no_headless_module_imports_textual_or_the_ui() -> None:
    assert ui_modules_loaded() == set()


def test_the_import_contracts_are_kept() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "package"),
    [
        ("engine/session.py", "textual"),
        ("store/store.py", "textual"),
        ("diary/entries.py", "textual"),
        ("common/safe_text.py", "rich"),
    ],
)
def test_both_checks_fail_when_a_headless_module_imports_textual_or_rich(
    tmp_path: Path, module: str, package: str
) -> None:
    shutil.copytree(ROOT / "coach", tmp_path / "coach", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    broken = tmp_path / "coach" / module
    text = broken.read_text(encoding="utf-8")
    assert "from __future__ import annotations\n" in text
    broken.write_text(
        text.replace(
            "from __future__ import annotations\n", f"from __future__ import annotations\n\nimport {package}\n", 1
        )
    )

    assert package in ui_modules_loaded(tmp_path)
    result = lint_imports(tmp_path, pythonpath=tmp_path)
    assert result.returncode != 0
    assert f"coach.{module[:-3].replace('/', '.')} -> {package}" in result.stdout


def test_the_layer_contract_fails_when_a_lower_layer_imports_a_higher_one(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "coach", tmp_path / "coach", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    broken = tmp_path / "coach" / "engine" / "session.py"
    text = broken.read_text(encoding="utf-8")
    broken.write_text(
        text.replace(
            "from __future__ import annotations\n",
            "from __future__ import annotations\n\nimport coach.store.records\n",
            1,
        )
    )

    result = lint_imports(tmp_path, pythonpath=tmp_path)
    assert result.returncode != 0
    assert "coach.engine.session -> coach.store.records" in result.stdout


@pytest.mark.parametrize(
    "argv",
    [["routines", "--json"], ["validate", str(ROOT / "routines" / "foot-soak.toml")], ["--help"], ["streaks"]],
)
def test_printing_commands_do_not_import_textual(argv: list[str]) -> None:
    code = (
        "import sys\nfrom coach.__main__ import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        "print('TEXTUAL' if 'textual' in sys.modules else 'CLEAN', file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stderr.strip().splitlines()[-1] == "CLEAN"
