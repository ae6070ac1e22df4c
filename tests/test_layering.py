"""The domain never imports textual: the printing commands stay fast and the engine stays testable without a screen."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

DOMAIN_MODULES = [
    "coach.routines.model",
    "coach.routines.durations",
    "coach.routines.loader",
    "coach.routines.catalog",
    "coach.common.tomlfile",
    "coach.days.day",
    "coach.config.settings",
    "coach.common.paths",
    "coach.engine.recording",
]
OPTIONAL_DOMAIN_MODULES = ["coach.engine", "coach.store", "coach.days.streaks"]


def _imported_after(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint(' '.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def test_domain_modules_do_not_import_textual_or_rich() -> None:
    statement = "\n".join(f"import {name}" for name in DOMAIN_MODULES)
    modules = _imported_after(statement)
    assert "coach.routines.loader" in modules  # the import really happened
    assert not {name for name in modules if name.split(".")[0] in {"textual", "rich"}}


@pytest.mark.parametrize("name", OPTIONAL_DOMAIN_MODULES)
def test_engine_store_and_streaks_do_not_import_textual(name: str) -> None:
    import importlib.util

    if importlib.util.find_spec(name) is None:
        pytest.skip(f"{name} is not written yet")
    modules = _imported_after(f"import {name}")
    assert name in modules
    assert "textual" not in modules


@pytest.mark.parametrize(
    "argv",
    [["routines", "--json"], ["validate", str(Path(__file__).parents[1] / "routines" / "foot-soak.toml")], ["--help"]],
)
def test_printing_commands_do_not_import_textual(argv: list[str]) -> None:
    code = (
        "import sys\nfrom coach.__main__ import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        "print('TEXTUAL' if 'textual' in sys.modules else 'CLEAN', file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stderr.strip().splitlines()[-1] == "CLEAN"


def test_a_countdown_loads_no_toml_reader() -> None:
    """With the routines remembered (the usual start) and no settings file, running one loads no TOML reader: 3 ms
    and 0.3 MiB saved (a settings.toml is read with it, when there is one)."""
    modules = _imported_after(
        "import coach.routines.customize, coach.routines.catalog, coach.engine, coach.config.settings, coach.days.day\n"
        "import coach.store.recorder_thread, coach.ui.app, coach.ui.screens.run"
    )
    assert "coach.ui.screens.run" in modules
    assert not {"tomllib", "coach.common.tomlfile", "coach.routines.loader"} & modules
