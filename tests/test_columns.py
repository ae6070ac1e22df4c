"""The plain tables of the quick commands line up in a terminal, emoji and all."""

from __future__ import annotations

from coach.cli.columns import cell_width, render_columns


def test_cell_width_counts_terminal_columns() -> None:
    assert cell_width("bedtime") == 7
    assert cell_width("🛁 bedtime") == 10  # the bath is two columns wide
    assert cell_width("e\u0301") == 1  # a combining accent takes no column
    assert cell_width("☀ morning") == 9


def test_columns_line_up_whatever_the_cells_hold() -> None:
    text = render_columns(
        ["", "current"],
        [["🛁 bedtime", "3 days"], ["whole day plan", "12 days"]],
        ["left", "right"],
    )
    header, rule, *rows = text.splitlines()
    assert rule.startswith("─" * cell_width("whole day plan") + "  ")
    ends = {cell_width(line) for line in (header, *rows)}
    assert ends == {cell_width("whole day plan") + 2 + len("current")}  # right-aligned column ends together
    assert rows[0].startswith("🛁 bedtime      ")
