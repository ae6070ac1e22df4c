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
    "coach.tomlfile",
    "coach.day",
    "coach.settings",
    "coach.paths",
    "coach.recording",
]
OPTIONAL_DOMAIN_MODULES = ["coach.engine", "coach.store", "coach.streaks"]


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


def test_the_app_and_each_command_register_only_the_parsers_they_need() -> None:
    from coach.__main__ import COMMAND_MODULES, modules_for

    assert modules_for([]) == ()  # `coach` opens the app: no subcommand module is imported
    assert modules_for(["--data-dir", "run", "run", "foot-soak"]) == ("coach.cli.run_cmd",)
    assert modules_for(["history", "--json"]) == ("coach.cli.history_cmd",)
    assert modules_for(["--help"]) == COMMAND_MODULES
    assert modules_for(["histroy"]) == COMMAND_MODULES  # a typo gets argparse's full list of choices


def test_a_countdown_loads_no_toml_reader() -> None:
    """With the routines remembered (the usual start) and no settings file, running one loads no TOML reader: 3 ms
    and 0.3 MiB saved (a settings.toml is read with it, when there is one)."""
    modules = _imported_after(
        "import coach.routines.customize, coach.routines.catalog, coach.engine, coach.settings, coach.day\n"
        "import coach.recorder_thread, coach.ui.app, coach.ui.screens.run"
    )
    assert "coach.ui.screens.run" in modules
    assert not {"tomllib", "coach.tomlfile", "coach.routines.loader"} & modules


@pytest.mark.parametrize(
    "argv", [["run", "foot-soak"], ["--data-dir", "/tmp/h", "run", "toe-exercises"], ["run", "mine/soak.toml"]]
)
def test_a_countdown_command_is_read_as_argparse_reads_it(argv: list[str]) -> None:
    from coach.__main__ import countdown_arguments, parse_arguments

    fast = countdown_arguments(argv)
    assert fast is not None and vars(fast) == vars(parse_arguments(argv))


@pytest.mark.parametrize(
    "argv",
    [
        ["run"],
        ["run", "--plain", "foot-soak"],
        ["run", "foot-soak", "--slot", "morning"],
        ["run", "-h"],
        ["--data-dir", "--x", "run", "foot-soak"],
        ["--data-dir=/tmp/h", "run", "foot-soak"],
        ["history", "foot-soak"],
        ["rnu", "foot-soak"],
    ],
)
def test_every_other_command_line_is_left_to_argparse(argv: list[str]) -> None:
    from coach.__main__ import countdown_arguments

    assert countdown_arguments(argv) is None


def test_starting_a_countdown_does_not_import_argparse(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom coach.__main__ import main\n"
        f"status = main(['--data-dir', {str(tmp_path)!r}, 'run', 'no-such-routine'])\n"
        "print(status, 'argparse' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["1", "False"], result.stderr  # the problem reported, argparse never loaded
