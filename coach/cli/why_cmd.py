"""`coach why`: the article's seven causes of leg cramps, its two prevention measures, and what coach does."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("why", help="why these exercises: the causes of leg cramps and what helps")
    parser.set_defaults(handler="coach.cli.why_cmd:run")


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.text import Text

    from coach.diary.causes import CAUSES, MEASURES

    console = Console()
    console.print(Text("What can set off a leg cramp", style="bold"))
    for number, cause in enumerate(CAUSES, start=1):
        console.print(Text.assemble(f"{number}. ", (cause.title, "bold"), f": {cause.text}"))
        console.print(Text(f"   What helps: {cause.advice}", style="dim"))
    console.print()
    console.print(Text("What the program does", style="bold"))
    for title, text in MEASURES:
        console.print(Text.assemble(("• " + title, "bold"), f": {text}"))
    console.print()
    console.print(Text("Frequent cramps deserve a visit to a doctor.", style="bold"))
    return 0
