"""`coach validate PATH...`: exit 0 when every file is valid, else one `PATH:LINE:COL: message` per problem."""

from __future__ import annotations

import argparse

from coach.common.safe_text import echo, echo_error, one_line


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("validate", help="check routine files and print every problem")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="routine .toml files")
    parser.set_defaults(handler="coach.cli.validate_cmd:run")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from coach.common.tomlfile import read_toml
    from coach.routines.loader import check_routine_document

    failed = False
    for shown in args.paths:
        path = Path(shown)
        _, problems = check_routine_document(read_toml(path, shown), routine_id=path.stem, source=path)
        for problem in problems:
            echo(one_line(str(problem)))
        failed = failed or bool(problems)
    if not failed:
        count = len(args.paths)
        echo_error(f"{count} routine file{'s' if count != 1 else ''} valid")
    return 1 if failed else 0
