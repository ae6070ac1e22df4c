"""`coach routines`: every routine with its id, name, slots, length and where it came from."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("routines", help="list the routines (bundled and your own)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--schema-path", action="store_true", help="print where the routine JSON Schema is")
    parser.set_defaults(handler="coach.cli.routines_cmd:run")


def run(args: argparse.Namespace) -> int:
    from coach.routines.catalog import load_catalog, schema_path

    if args.schema_path:
        print(schema_path())
        return 0
    catalog = load_catalog()
    rows = [_row(routine) for routine in sorted(catalog.routines.values(), key=lambda r: r.id)]
    broken = [
        {"path": str(path), "problem": str(problems[0]), "problems": len(problems)}
        for path, problems in catalog.broken.items()
    ]
    if args.json:
        import json

        print(json.dumps({"routines": rows, "broken": broken}, indent=2, ensure_ascii=False))
        return 0
    _print_table(rows, broken)
    return 0


def _row(routine: object) -> dict[str, object]:
    from coach.routines.durations import format_duration
    from coach.routines.model import Routine

    assert isinstance(routine, Routine)
    low, high = routine.min_seconds, routine.max_seconds
    length = format_duration(low) if low == high else f"{format_duration(low)}..{format_duration(high)}"
    return {
        "id": routine.id,
        "name": routine.name,
        "slots": [slot.value for slot in routine.slots],
        "length": length,
        "min_seconds": low,
        "max_seconds": high,
        "counts_after_seconds": routine.counts_after_seconds,
        "origin": routine.origin,
        "path": str(routine.source) if routine.source else None,
    }


def _print_table(rows: list[dict[str, object]], broken: list[dict[str, object]]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    table = Table(title="Routines", title_justify="left")
    for column in ("id", "name", "slots", "length", "from"):
        table.add_column(column)
    for row in rows:
        slots = row["slots"]
        assert isinstance(slots, list)
        table.add_row(
            Text(str(row["id"])), Text(str(row["name"])), ", ".join(slots), str(row["length"]), str(row["origin"])
        )
    console.print(table)
    for item in broken:
        console.print(Text(f"Not loaded: {item['problem']}", style="red"))
