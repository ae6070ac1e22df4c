"""The benchmark suite's pure logic: percentiles, ratios, the table, the screens read for their moments and the
shown-second analysis. No timing here: benchmarks are not tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from benchkit.screens import Snapshot, complete, first_showing, landing, plain  # noqa: E402
from benchkit.stats import (  # noqa: E402
    Row,
    fmt_mib,
    fmt_ms,
    fmt_ratio,
    median,
    parse_markdown_table,
    percentile,
    ratio,
    render_table,
)
from benchkit.trace import (  # noqa: E402
    AFTER_PAUSE,
    AFTER_STALL,
    BUSY,
    QUIET,
    analyse,
    parse_shown_seconds,
    parse_trace,
)


def trace(*events: tuple[float, str]) -> list[tuple[float, str]]:
    return parse_trace(f"{t}\t{text}" for t, text in events)


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 99) == 99.0
    assert percentile(values, 50) == 50.0
    assert percentile([3.0, 1.0, 2.0], 99) == 3.0  # under 100 values, p99 is the largest
    assert median([5.0, 1.0, 3.0, 100.0]) == 4.0
    with pytest.raises(ValueError):
        percentile([], 99)


def test_ratio_and_formatting() -> None:
    assert fmt_ratio(ratio(0.269, 0.234)) == "1.15x"
    assert fmt_ratio(ratio(1.0, 0.0)) == "infx"
    assert fmt_ratio(None) == "-"
    assert fmt_ms(0.2344) == "234 ms"
    assert fmt_ms(0.0041) == "4.1 ms"
    assert fmt_ms(12.34) == "12.3 s"
    assert fmt_mib(32.6 * 2**20) == "32.6 MiB"


def test_table_escapes_pipes_and_keeps_one_line_per_row() -> None:
    table = render_table([Row("a|b", coach="x\ny", status="pass")])
    lines = table.splitlines()
    assert len(lines) == 3
    assert lines[2] == "| a\\|b | - | x y | - | - | pass |"


def test_markdown_table_of_another_script_is_read() -> None:
    printed = "Median of 20 runs, ms:\n\n| query | 100 sessions | 100,000 sessions |\n| --- | ---: | ---: |\n"
    printed += "| streaks | 0.28 | 135.28 |\n| history screen (history_view) | 0.92 | 137.97 |\nbuilt 100 sessions\n"
    rows = parse_markdown_table(printed)
    assert rows == [
        {"query": "streaks", "100 sessions": "0.28", "100,000 sessions": "135.28"},
        {"query": "history screen (history_view)", "100 sessions": "0.92", "100,000 sessions": "137.97"},
    ]


def test_shown_seconds_are_read_from_the_displayed_text() -> None:
    assert parse_shown_seconds("14:59") == 899
    assert parse_shown_seconds("1:02:03 left") == 3723
    assert parse_shown_seconds("9") == 9
    assert parse_shown_seconds("Soak") is None


def test_exact_countdown_has_no_error() -> None:
    events = trace((100.0, "@start"), (100.0, "0:10"), (101.0, "0:09"), (102.0, "0:08"), (103.0, "0:07"))
    analysis = analyse(events)
    assert analysis.errors == [0.0, 0.0, 0.0]
    assert analysis.start_latencies == [0.0]
    assert analysis.end_error_seconds == 0


def test_p99_of_a_known_trace_with_a_pause() -> None:
    # Start at 10 s, pause from 1.5 to 3.5 (2 s), so 0:08 is due at 2.0 + 2.0 = 4.0 and 0:07 at 5.0.
    events = trace(
        (0.0, "@start"),
        (0.001, "0:10"),
        (1.004, "0:09"),
        (1.5, "@pause"),
        (3.5, "@resume"),
        (4.012, "0:08"),
        (4.998, "0:07"),
    )
    analysis = analyse(events)
    assert [round(e * 1000) for e in analysis.start_latencies] == [1]
    assert [round(e * 1000) for e in analysis.errors] == [4, 12, -2]
    assert analysis.p99_abs_error == pytest.approx(0.012)
    assert analysis.end_error_seconds == 0


def test_change_due_inside_a_stall_is_due_when_the_stall_ends() -> None:
    # A stall from 1.5 to 3.6: 0:08 and 0:07 fell inside it; showing 0:07 at 3.603 is 3 ms late, not 603 ms.
    events = trace((0.0, "@start"), (0.0, "0:10"), (1.0, "0:09"), (3.603, "0:07"), (4.001, "0:06"))
    analysis = analyse(events, blackouts=[(1.5, 3.6)])
    assert [round(e * 1000) for e in analysis.errors] == [0, 3, 1]


def test_tick_counter_drift_after_a_stall_shows_as_whole_seconds() -> None:
    # Counting ticks: the stall (marked by the program itself) loses two ticks, so every later change is 2 s late.
    events = trace(
        (0.0, "@start"),
        (0.0, "0:20"),
        (1.0, "0:19"),
        (2.0, "0:18"),
        (2.2, "@stall-begin"),
        (4.7, "@stall-end"),
        (5.0, "0:17"),  # Textual's timer skips the missed ticks and goes on at the next whole interval
        (6.0, "0:16"),
        (7.0, "0:15"),
        (8.0, "0:14"),
    )
    analysis = analyse(events)
    assert analysis.end_error_seconds == 2
    assert analysis.p99_abs_error == pytest.approx(2.0)
    assert analysis.blackouts == [(2.2, 4.7)]


def test_change_while_paused_counts_as_early() -> None:
    events = trace((0.0, "@start"), (0.0, "0:10"), (0.5, "@pause"), (2.0, "0:09"))
    assert analyse(events).errors[-1] == pytest.approx(-0.5)


def test_what_is_shown_while_closing_is_left_out() -> None:
    events = trace((0.0, "@start"), (0.0, "0:10"), (1.0, "0:09"), (2.0, "0:08"), (2.1, "0:16"))
    analysis = analyse(events, until=2.05)
    assert analysis.end_error_seconds == 0
    assert [c.text for c in analysis.changes] == ["0:10", "0:09", "0:08"]


def test_trace_without_a_countdown_is_refused() -> None:
    with pytest.raises(ValueError):
        analyse(trace((1.0, "Get ready"), (2.0, "0:10")))
    with pytest.raises(ValueError):
        analyse(trace((1.0, "@start"), (1.0, "0:10")))  # a first value, but no second boundary yet


# -- screens: what the terminal showed, read for the moments that count ------------------------------------------


def shot(time: float, screen: str) -> Snapshot:
    return Snapshot(time, screen)


def test_plain_text_drops_colours_titles_and_modes() -> None:
    screen = "\x1b[38;5;253;48;5;233mGet ready\x1b[0m \x1b]2;title\x07\x1b[?25lok\x1b(B"
    assert plain(screen) == "Get ready ok"


def test_complete_is_the_last_change_of_a_screen_that_shows_every_marker() -> None:
    shots = [
        shot(0.30, "Today"),
        shot(0.32, "Today\n ^p palette"),
        shot(0.45, "Today · Monday\nWhole day 3\n h History"),
        shot(0.47, "Today · Monday\nWhole day 3\n h History"),  # a write that changed nothing
    ]
    result = complete(shots, ("Today ·", "Whole day", "History"))
    assert result.complete == 0.45
    assert first_showing(shots, "Today") == 0.30
    assert first_showing(shots, "Tomorrow") is None


def test_a_change_of_style_alone_is_a_change() -> None:
    shots = [shot(0.3, "\x1b[1mToday\x1b[0m History"), shot(0.5, "\x1b[7mToday\x1b[0m History")]
    assert complete(shots, ("Today", "History")).complete == 0.5


def test_a_screen_without_its_markers_is_never_complete() -> None:
    result = complete([shot(0.3, "Today\n …")], ("Today ·", "Whole day"))
    assert result.complete is None
    assert result.missing == ("Today ·", "Whole day")
    assert complete([], ("Today",)).complete is None


def test_a_change_lands_with_the_first_frame_after_the_decision_that_changes_the_screen() -> None:
    shots = [shot(1.000, "14:59"), shot(1.990, "14:59 bar"), shot(2.004, "14:59 bar"), shot(2.006, "14:58 bar")]
    assert landing(shots, 2.001) == 2.006  # the write at 2.004 changed nothing on the screen
    assert landing(shots, 1.5) == 1.990  # the first change after the decision
    assert landing(shots, 2.1) is None  # never reached the terminal


# -- the shown second: conditions, the harness's own marks, frames that land --------------------------------------


def test_each_second_is_put_in_its_condition() -> None:
    events = trace(
        (0.0, "@start"),
        (0.0, "0:20"),
        (1.0, "0:19"),
        (1.5, "@pause"),
        (2.5, "@resume"),
        (3.0, "0:18"),  # the first after a resume
        (4.0, "0:17"),
        (7.6, "0:14"),  # the first after the stall from 4.2 to 7.6
        (8.0, "0:13"),
        (9.0, "0:12"),  # due while the cores were busy
        (10.0, "0:11"),
    )
    analysis = analyse(events, blackouts=[(4.2, 7.6)], busy=[(8.5, 9.5)])
    conditions = [c.condition for c in analysis.second_changes()]
    assert conditions == [QUIET, AFTER_PAUSE, QUIET, AFTER_STALL, QUIET, BUSY, QUIET]
    assert analysis.errors_in(AFTER_STALL) == [0.0]
    assert analysis.wrong == []


def test_a_second_due_just_before_the_busy_spell_and_drawn_in_it_counts_as_busy() -> None:
    # Forking the busy loops is already busy: a second due 3 ms before the spell began but drawn 12 ms after its
    # boundary met it, so it is judged with the busy seconds, not the quiet ones. One drawn before the spell is quiet.
    events = trace((0.0, "@start"), (0.001, "0:10"), (1.003, "0:09"), (2.003, "0:08"), (3.003, "0:07"))
    frames = {0.001: 0.004, 1.003: 1.006, 2.003: 2.012, 3.003: 3.006}
    analysis = analyse(events, landed=frames.get, busy=[(2.003, 4.0)])
    assert [c.condition for c in analysis.second_changes()] == [QUIET, BUSY, BUSY]
    analysis = analyse(events, landed=frames.get, busy=[(2.02, 4.0)])
    assert [c.condition for c in analysis.second_changes()] == [QUIET, QUIET, BUSY]


def test_the_harness_marks_replace_the_programs_own() -> None:
    # The program wrote @start 15 ms after it began counting (it recorded the session first): by its own word its
    # seconds are 15 ms early; by the key the harness typed at 0.0 they are on time.
    events = trace((0.015, "@start"), (0.016, "0:10"), (1.0, "0:09"), (2.0, "0:08"))
    assert [round(e * 1000) for e in analyse(events).errors] == [-15, -15]
    ours = analyse(events, marks=[(0.0, "@start")])
    assert [round(e * 1000) for e in ours.errors] == [0, 0]


def test_a_change_counts_from_when_it_reached_the_terminal() -> None:
    events = trace((0.0, "@start"), (0.001, "0:10"), (1.002, "0:09"), (2.001, "0:08"))
    frames = {0.001: 0.004, 1.002: 1.009, 2.001: None}  # the last one never reached the screen
    analysis = analyse(events, landed=frames.get)
    changes = analysis.second_changes()
    assert round(changes[0].error * 1000) == 9
    assert changes[0].decided == 1.002
    assert not changes[1].shown
    assert analysis.wrong == [changes[1]]
    assert analysis.p99_abs_error == float("inf")


def test_a_second_skipped_while_running_is_wrong_but_not_across_a_stall() -> None:
    events = trace((0.0, "@start"), (0.0, "0:10"), (1.0, "0:09"), (3.0, "0:07"), (5.6, "0:05"), (6.0, "0:04"))
    analysis = analyse(events, blackouts=[(3.5, 5.6)])
    assert [c.text for c in analysis.wrong] == ["0:07"]
    assert analysis.end_error_seconds == 0
