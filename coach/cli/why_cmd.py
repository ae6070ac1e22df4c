"""`coach why`: the article's seven causes of leg cramps, its two prevention measures, and what coach does."""

from __future__ import annotations

import argparse

from coach.cli.printing import rich_text
from coach.common.safe_text import printable


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("why", help="why these exercises: the causes of leg cramps and what helps")
    parser.set_defaults(handler="coach.cli.why_cmd:run")


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from coach.diary.causes import CAUSES, MEASURES

    console = Console()
    console.print(rich_text("What can set off a leg cramp", style="bold"))
    for number, cause in enumerate(CAUSES, start=1):
        console.print(
            rich_text(f"{number}. ").append_text(rich_text(cause.title, "bold")).append(printable(f": {cause.text}"))
        )
        console.print(rich_text(f"   What helps: {cause.advice}", style="dim"))
    console.print()
    console.print(rich_text("What the program does", style="bold"))
    for title, text in MEASURES:
        console.print(rich_text("• " + title, "bold").append(printable(f": {text}")))
    console.print()
    console.print(rich_text("Frequent cramps deserve a visit to a doctor.", style="bold"))
    return 0
