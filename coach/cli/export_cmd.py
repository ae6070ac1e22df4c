"""`coach export [--format json|csv] [-o FILE] [--rest-days | --cramps]`: the whole history, to keep or to move
elsewhere."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from typing import Any, TextIO, cast

from coach.common.safe_text import EscapingWriter, echo_error, escape_json, printable


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write the history as JSON or CSV",
        description="Write every finished session as a JSON array (what `coach import` reads) or as CSV. "
        "Rest days are written separately with --rest-days, the cramp diary with --cramps.",
    )
    parser.add_argument("--format", choices=("json", "csv"), default="json", help="json (default) or csv")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of the terminal")
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument(
        "--rest-days", action="store_true", help="export the rest days instead of the sessions (importable too)"
    )
    kind.add_argument(
        "--cramps", action="store_true", help="export the cramp diary instead of the sessions (importable too)"
    )
    parser.set_defaults(handler="coach.cli.export_cmd:run")


def run(args: argparse.Namespace) -> int:
    import sys

    from coach.cli.history_cmd import open_history
    from coach.store.exchange import REST_DAY_KEYS
    from coach.store.formats import write_csv, write_json_array, write_session_rows
    from coach.store.records import EXPORT_FIELDS

    store = open_history(args, read_only_ok=True)
    items: Iterable[dict[str, Any]]
    fields: tuple[str, ...]
    if getattr(args, "cramps", False):
        from coach.diary.entries import CRAMP_FIELDS

        items = (entry.to_json() for entry in store.diary.entries(newest_first=False))
        fields, noun = CRAMP_FIELDS, "cramp"
    elif args.rest_days:
        items = (rest.to_json() for rest in store.rest_days())
        fields, noun = REST_DAY_KEYS, "rest day"
    else:
        items = store.session_items()
        fields, noun = EXPORT_FIELDS, "session"
    sessions_json = args.format == "json" and not getattr(args, "cramps", False) and not args.rest_days

    def write(out: TextIO) -> int:
        if sessions_json:  # the rows as the query reads them, into one template each: 100,000 in about a second
            return write_session_rows(store.session_rows(), out)
        return write_json_array(items, out) if args.format == "json" else write_csv(items, fields, out)

    if not args.output or args.output == "-":
        # JSON keeps its data, with its invisible characters escaped; CSV has no escapes, so only a terminal gets it
        # made printable (a pipe or a redirect gets the data as recorded)
        transform = escape_json if args.format == "json" else (printable if sys.stdout.isatty() else None)
        write(cast(TextIO, EscapingWriter(sys.stdout, transform)) if transform else sys.stdout)
        return 0
    count = write_export(args.output, write)
    echo_error(f"Exported {count} {noun}{'s' if count != 1 else ''} to {args.output}.")
    return 0


def write_export(shown: str, write: Callable[[TextIO], int]) -> int:
    """Write the export atomically (a crash never leaves half an export where a good one was) and return what
    `write` counted. A symlink is written through to the regular file it names; anything else at PATH that is
    not a regular file (a FIFO, a device, a folder) is refused, untouched. A new file gets the umask's mode, a
    replaced one keeps its own."""
    import os
    import stat
    import tempfile
    from pathlib import Path

    from coach.common.problems import CoachError

    path = Path(os.path.realpath(Path(shown).expanduser()))
    try:
        info: os.stat_result | None = path.stat()
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise CoachError(f"{shown}: cannot write the export: {error.strerror or error}") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise CoachError(f"{shown}: {kind}; nothing was written. Give the path of a file to write.")
    if info is not None:
        mode = stat.S_IMODE(info.st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    temporary: str | None = None
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".partial")
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            count = write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        temporary = None
    except OSError as error:
        from coach.store.connection import explain

        raise CoachError(f"{shown}: cannot write the export: {explain(error, path.parent)}") from None
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
    return count
