"""`coach validate PATH...`: exit 0 when all is well, else exit 1 and one `PATH:LINE:COL: message` per problem."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from routine_helpers import BUNDLED, VALID, Result

HEAD = 'name = "Test routine"\nslots = ["morning"]\n'
STEP = '[[steps]]\ntitle = "Stand"\ntime = "10s"\n'


@pytest.fixture
def validate(write: Callable[..., Path], coach: Callable[..., Result]) -> Callable[[str | bytes], list[str]]:
    """Validate one file with this content; returns its problem lines with the path cut off ("LINE:COL: msg")."""

    def _validate(content: str | bytes) -> list[str]:
        path = write(content)
        result = coach("validate", str(path))
        assert "Traceback" not in result.out + result.err
        prefix = f"{path}:"
        assert all(line.startswith(prefix) for line in result.lines), result.out
        assert result.code == (1 if result.lines else 0), result
        return [line.removeprefix(prefix) for line in result.lines]

    return _validate


def only(lines: list[str]) -> str:
    assert len(lines) == 1, lines
    return lines[0]


# --- exit codes and output shape ---


def test_bundled_routines_are_valid_and_exit_0(coach: Callable[..., Result]) -> None:
    result = coach("validate", str(BUNDLED / "toe-exercises.toml"), str(BUNDLED / "foot-soak.toml"))
    assert (result.code, result.out) == (0, "")
    assert "2 routine files valid" in result.err


def test_a_valid_file_exits_0(validate: Callable[[str | bytes], list[str]]) -> None:
    assert validate(VALID) == []


def test_every_file_is_checked_and_any_problem_makes_exit_1(
    write: Callable[..., Path], coach: Callable[..., Result]
) -> None:
    good = write(VALID, "good.toml")
    bad1 = write(HEAD + STEP + "colour = 1\n", "bad1.toml")
    bad2 = write(HEAD + '[[steps]]\ntitle = "x"\ntime = 0\n', "bad2.toml")
    result = coach("validate", str(bad1), str(good), str(bad2))
    assert result.code == 1
    assert result.lines == [
        f'{bad1}:6:1: unknown key "colour" in a step',
        f"{bad2}:5:1: time: a duration must be more than zero seconds, not 0",
    ]


def test_a_missing_file_is_one_problem_not_a_traceback(tmp_path: Path, coach: Callable[..., Result]) -> None:
    result = coach("validate", str(tmp_path / "nowhere.toml"))
    assert result.code == 1
    assert result.lines == [f"{tmp_path / 'nowhere.toml'}:1:1: cannot read the file: No such file or directory"]


def test_a_folder_is_one_problem(tmp_path: Path, coach: Callable[..., Result]) -> None:
    result = coach("validate", str(tmp_path))
    assert (result.code, result.lines) == (1, [f"{tmp_path}:1:1: this is a folder, not a regular file"])


def test_no_path_is_a_usage_error(coach: Callable[..., Result]) -> None:
    assert coach("validate").code == 2


def test_the_real_command_prints_problems_without_traceback(
    write: Callable[..., Path], coach_process: Callable[..., Result]
) -> None:
    path = write(HEAD + "a =\n" + '[[steps]]\ntitle = "x"\ntime = "soon"\n' + "\x00")
    result = coach_process("validate", str(path))
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.out == f"{path}:7:1: this is a binary file, not a TOML text file\n"


# --- syntax problems ---


def test_missing_value(validate: Callable[[str | bytes], list[str]]) -> None:
    assert only(validate(HEAD + "summary =\n" + STEP)) == "3:10: missing value after 'summary ='"


def test_duplicate_key(validate: Callable[[str | bytes], list[str]]) -> None:
    assert only(validate(HEAD + 'name = "Again"\n' + STEP)) == "3:1: duplicate key: 'name' is already set above"


def test_table_declared_twice(validate: Callable[[str | bytes], list[str]]) -> None:
    text = HEAD + STEP + "[steps.remind]\nevery = 5\n[steps.remind]\nsay = 'x'\n"
    assert only(validate(text)) == "8:1: table [steps.remind] is declared twice"


def test_unclosed_string(validate: Callable[[str | bytes], list[str]]) -> None:
    assert only(validate(HEAD + 'summary = "Heel raises\n' + STEP)) == "3:23: unclosed string: add the closing quote"


def test_unclosed_literal_string_points_at_its_line_not_the_end(validate: Callable[[str | bytes], list[str]]) -> None:
    assert only(validate(HEAD + "summary = 'Heel raises\n" + STEP)) == "3:11: unclosed string: add the closing quote"


def test_unclosed_multiline_string_points_where_it_opens(validate: Callable[[str | bytes], list[str]]) -> None:
    lines = validate(HEAD + 'summary = """Heel raises\nand more\n' + STEP)
    assert lines == [
        "3:11: unclosed string: the triple quote here is never closed, so all the rest is read as text",
    ]


def test_unclosed_array_is_one_problem_where_it_opens(validate: Callable[[str | bytes], list[str]]) -> None:
    lines = validate(HEAD + 'safety = ["Hold a chair",\n  "Dry floor"\n' + STEP)
    assert lines == ["3:10: unclosed array: the '[' here is never closed (add ']')"]


def test_unclosed_array_at_the_end_of_the_file(validate: Callable[[str | bytes], list[str]]) -> None:
    lines = validate(HEAD + STEP + 'safety = [\n  "Hold a chair",\n')
    assert lines == ["6:10: unclosed array: the '[' here is never closed (add ']')"]


def test_missing_comma_in_an_array(validate: Callable[[str | bytes], list[str]]) -> None:
    lines = validate(HEAD + 'safety = [\n  "Hold a chair"\n  "Dry floor",\n]\n' + STEP)
    assert lines == ["5:3: expected ',' or ']' here: is a comma missing between two items?"]


def test_inline_table_over_several_lines(validate: Callable[[str | bytes], list[str]]) -> None:
    text = HEAD + '[[steps]]\ntitle = "Soak"\ntime = "15m"\nremind = {\n  every = "5m", say = "Top up" }\n'
    assert validate(text) == [
        "6:11: unclosed inline table: an inline table { ... } must end with '}' on the same line",
    ]


def test_unquoted_text_value(validate: Callable[[str | bytes], list[str]]) -> None:
    lines = validate(HEAD + "summary = heel raises\n" + STEP)
    assert only(lines) == '3:11: invalid value: write text in quotes, e.g. "...", a number, or true/false'


def test_several_syntax_errors_are_all_reported_in_order(validate: Callable[[str | bytes], list[str]]) -> None:
    text = HEAD + 'summary =\nsafety = ["a", "b"]\nsafety = []\n[[steps]]\ntitle = "Stand\ntime = "10s"\nx = = 1\n'
    assert validate(text) == [
        "3:10: missing value after 'summary ='",
        "5:1: duplicate key: 'safety' is already set above",
        "7:15: unclosed string: add the closing quote",
        '9:5: invalid value: write text in quotes, e.g. "...", a number, or true/false',
    ]


def test_broken_table_header_does_not_make_the_keys_below_duplicates(
    validate: Callable[[str | bytes], list[str]],
) -> None:
    text = HEAD + STEP + '[[steps]\ntitle = "Sit"\ntime = "10s"\n'
    assert validate(text) == ["6:8: invalid TOML: expected ']]' at the end of an array declaration"]


def test_not_utf8_names_the_line(validate: Callable[[str | bytes], list[str]]) -> None:
    content = (HEAD + STEP).encode() + b'say = "caf\xe9"\n'
    assert only(validate(content)) == "6:11: this line is not UTF-8 text (byte 0xe9); save the file as UTF-8"


def test_every_line_that_is_not_utf8_is_named(validate: Callable[[str | bytes], list[str]]) -> None:
    content = b'name = "\xff"\nslots = ["morning"]\nsummary = "\xc3"\n'
    assert [line.split(":")[0] for line in validate(content)] == ["1", "3"]


def test_utf8_byte_order_mark_is_accepted(validate: Callable[[str | bytes], list[str]]) -> None:
    assert validate(b"\xef\xbb\xbf" + VALID.encode()) == []


def test_byte_order_mark_does_not_shift_columns(validate: Callable[[str | bytes], list[str]]) -> None:
    lines = validate(b"\xef\xbb\xbf" + b'nme = "x"\nslots = ["noon"]\n' + STEP.encode())
    assert lines == [
        '1:1: missing "name"',
        '1:1: unknown key "nme" in a routine (did you mean "name"?)',
        "2:10: unknown slot 'noon': slots are morning, evening, bedtime",
    ]


def test_crlf_line_endings_are_accepted(validate: Callable[[str | bytes], list[str]]) -> None:
    assert validate(VALID.replace("\n", "\r\n").encode()) == []


def test_empty_file(validate: Callable[[str | bytes], list[str]]) -> None:
    assert only(validate(b"")) == "1:1: the file is empty: a routine needs at least a name, slots and steps"


def test_file_of_only_comments_and_blank_lines_is_empty(validate: Callable[[str | bytes], list[str]]) -> None:
    assert only(validate("# my routine\n\n   \n")).startswith("1:1: the file is empty")


def test_binary_file(validate: Callable[[str | bytes], list[str]]) -> None:
    assert only(validate(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")) == "3:1: this is a binary file, not a TOML text file"


def test_number_with_thousands_of_digits(validate: Callable[[str | bytes], list[str]]) -> None:
    assert only(validate(HEAD + "repeat = " + "9" * 5000 + "\n" + STEP)) == "3:1: this number is far too long"


def test_values_nested_too_deeply(validate: Callable[[str | bytes], list[str]]) -> None:
    assert only(validate(HEAD + "safety = " + "[" * 3000 + "]" * 3000 + "\n")) == (
        "3:1: values are nested too deeply here"
    )


# --- semantic problems ---


def test_unknown_key_with_did_you_mean(validate: Callable[[str | bytes], list[str]]) -> None:
    lines = validate(HEAD + 'sumary = "x"\n' + STEP)
    assert only(lines) == '3:1: unknown key "sumary" in a routine (did you mean "summary"?)'


def test_unknown_key_in_a_step_points_at_its_column(validate: Callable[[str | bytes], list[str]]) -> None:
    lines = validate(HEAD + '[[steps]]\ntitle = "Stand"\n  tme = "10s"\n')
    assert lines == [
        '3:1: a step needs exactly one of "time" (a countdown), "until" (wait for the user) or "do" (a group of steps)',
        '5:3: unknown key "tme" in a step (did you mean "time"?)',
    ]


def test_unknown_key_far_from_any_known_has_no_suggestion(validate: Callable[[str | bytes], list[str]]) -> None:
    assert only(validate(HEAD + "colour = 1\n" + STEP)) == '3:1: unknown key "colour" in a routine'


def test_unknown_key_in_a_reminder(validate: Callable[[str | bytes], list[str]]) -> None:
    text = HEAD + '[[steps]]\ntitle = "Soak"\ntime = "15m"\nremind = { every = "5m", sai = "Top up" }\n'
    assert validate(text) == [
        '6:1: missing "say"',
        '6:26: unknown key "sai" in a reminder (did you mean "say"?)',
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", "time: a duration must be more than zero seconds, not -5"),
        ('"-5s"', "time: a duration must be more than zero seconds, not '-5s'"),
        ("0", "time: a duration must be more than zero seconds, not 0"),
        ('"0s"', "time: a duration must be more than zero seconds, not '0s'"),
        ("true", 'time: a duration must be a number of seconds or a string like "10s", not true/false'),
        ('"soon"', 'time: \'soon\' is not a duration: write it like "10s", "1m30s", "15m" or "1h"'),
        ("nan", "time: a duration must be a finite number of seconds, not nan"),
        ("inf", "time: a duration must be a finite number of seconds, not inf"),
        ("-inf", "time: a duration must be a finite number of seconds, not -inf"),
        ("1.5", 'time: a duration must be whole seconds or a string like "1m30s", not 1.5'),
        ('"25h"', "time: '25h' is longer than 24 hours"),
        ("86401", "time: 86401 is longer than 24 hours"),
        ('"' + "9" * 5000 + 's"', "time: '" + "9" * 36 + "... is longer than 24 hours"),
        ("[10]", 'time: a duration must be a number of seconds or a string like "10s", not a list'),
        ("1979-05-27", 'time: a duration must be a number of seconds or a string like "10s", not date'),
        ('"²"', 'time: \'²\' is not a duration: write it like "10s", "1m30s", "15m" or "1h"'),
    ],
    ids=lambda v: v[:20],
)
def test_bad_duration(validate: Callable[[str | bytes], list[str]], value: str, message: str) -> None:
    assert only(validate(HEAD + f'[[steps]]\ntitle = "Stand"\ntime = {value}\n')) == f"5:1: {message}"


def test_duration_of_exactly_24_hours_is_allowed(validate: Callable[[str | bytes], list[str]]) -> None:
    assert validate(HEAD + '[[steps]]\ntitle = "Sleep"\ntime = "24h"\n') == []


def test_range_whose_lower_bound_exceeds_its_upper(validate: Callable[[str | bytes], list[str]]) -> None:
    assert only(validate(HEAD + '[[steps]]\ntitle = "Soak"\ntime = "20m..15m"\n')) == (
        "5:1: time: the range '20m..15m' starts after it ends (lower bound is larger than upper)"
    )


def test_range_with_three_bounds(validate: Callable[[str | bytes], list[str]]) -> None:
    assert only(validate(HEAD + '[[steps]]\ntitle = "Soak"\ntime = "1m..2m..3m"\n')) == (
        "5:1: time: '1m..2m..3m' is not a range: write it like \"10m..15m\""
    )


def test_group_with_no_steps(validate: Callable[[str | bytes], list[str]]) -> None:
    assert only(validate(HEAD + '[[steps]]\ntitle = "Heel raises"\nrepeat = 3\ndo = []\n')) == (
        '6:1: "do" is empty: a group needs at least one step'
    )


def test_routine_with_empty_steps(validate: Callable[[str | bytes], list[str]]) -> None:
    assert only(validate(HEAD + "steps = []\n")) == '3:1: "steps" is empty: a group needs at least one step'


def test_unknown_slot_points_at_its_column(validate: Callable[[str | bytes], list[str]]) -> None:
    lines = validate('name = "x"\nslots = ["morning", "noon"]\n' + STEP)
    assert only(lines) == "2:21: unknown slot 'noon': slots are morning, evening, bedtime"


def test_misspelt_slot_gets_a_suggestion(validate: Callable[[str | bytes], list[str]]) -> None:
    lines = validate('name = "x"\nslots = [\n  "morning",\n  "evning",\n]\n' + STEP)
    assert only(lines) == "4:3: unknown slot 'evning' (did you mean \"evening\"?): slots are morning, evening, bedtime"


def test_slot_listed_twice(validate: Callable[[str | bytes], list[str]]) -> None:
    lines = validate('name = "x"\nslots = ["bedtime", "bedtime"]\n' + STEP)
    assert only(lines) == "2:21: slot 'bedtime' is listed twice"


def test_missing_required_key_points_at_its_table_header(validate: Callable[[str | bytes], list[str]]) -> None:
    text = HEAD + STEP + '\n  [[steps]]\n  time = "10s"\n'
    assert only(validate(text)) == '7:3: missing "title"'


def test_missing_required_key_in_a_nested_group(validate: Callable[[str | bytes], list[str]]) -> None:
    text = HEAD + '[[steps]]\ntitle = "Group"\nrepeat = 2\n  [[steps.do]]\n  title = "a"\n  time = 1\n'
    text += "  [[steps.do]]\n  time = 2\n"
    assert only(validate(text)) == '9:3: missing "title"'


def test_missing_key_of_a_sub_table_points_at_its_header(validate: Callable[[str | bytes], list[str]]) -> None:
    text = HEAD + '[[steps]]\ntitle = "Soak"\ntime = "15m"\n\n[steps.remind]\nsay = "Top up"\n'
    assert only(validate(text)) == '7:1: missing "every" in the reminder'


def test_missing_top_level_keys_point_at_line_1(validate: Callable[[str | bytes], list[str]]) -> None:
    assert validate("# no name, no slots\n" + STEP) == [
        '1:1: missing "name"',
        '1:1: missing "slots": say which times of day this routine is for, e.g. slots = ["bedtime"]',
    ]


def test_missing_steps(validate: Callable[[str | bytes], list[str]]) -> None:
    assert only(validate(HEAD)) == '1:1: missing "steps": add at least one [[steps]] table'


def test_a_step_with_two_shapes(validate: Callable[[str | bytes], list[str]]) -> None:
    lines = validate(HEAD + '[[steps]]\ntitle = "x"\ntime = "10s"\nuntil = "ready"\n')
    assert only(lines).startswith('3:1: a step needs exactly one of "time"')
    assert lines[0].endswith(', not "time" and "until"')


def test_until_must_be_ready(validate: Callable[[str | bytes], list[str]]) -> None:
    lines = validate(HEAD + '[[steps]]\ntitle = "x"\nuntil = "done"\n')
    assert only(lines) == '5:1: until must be "ready" (the step waits until the user is ready)'


def test_unknown_kind(validate: Callable[[str | bytes], list[str]]) -> None:
    lines = validate(HEAD + STEP + 'kind = "hodl"\n')
    assert only(lines) == "6:1: unknown kind 'hodl' (did you mean \"hold\"?): kinds are hold, rest, move, soak"


def test_kind_without_time(validate: Callable[[str | bytes], list[str]]) -> None:
    assert only(validate(HEAD + '[[steps]]\ntitle = "x"\nuntil = "ready"\nkind = "hold"\n')) == (
        '6:1: "kind" only goes with "time"'
    )


def test_reminder_that_never_comes(validate: Callable[[str | bytes], list[str]]) -> None:
    text = HEAD + '[[steps]]\ntitle = "Soak"\ntime = "15m..20m"\nremind = { every = "20m", say = "Top up" }\n'
    assert only(validate(text)) == "6:12: a reminder every 20m never comes in a step of at most 20m"


def test_counts_after_longer_than_the_routine(validate: Callable[[str | bytes], list[str]]) -> None:
    assert only(validate(HEAD + 'counts_after = "1h"\n' + STEP)) == (
        "3:1: counts_after is 1h, but the routine lasts at most 10s, so a session could never count"
    )


def test_repeat_out_of_range(validate: Callable[[str | bytes], list[str]]) -> None:
    text = HEAD + '[[steps]]\ntitle = "g"\nrepeat = 0\n[[steps.do]]\ntitle = "a"\ntime = 1\n'
    assert only(validate(text)) == "5:1: repeat must be from 1 to 10000, not 0"


def test_repeat_must_be_a_whole_number(validate: Callable[[str | bytes], list[str]]) -> None:
    text = HEAD + '[[steps]]\ntitle = "g"\nrepeat = "3"\n[[steps.do]]\ntitle = "a"\ntime = 1\n'
    assert only(validate(text)) == "5:1: repeat must be a whole number, e.g. repeat = 2"


def test_repeat_and_for_together(validate: Callable[[str | bytes], list[str]]) -> None:
    text = HEAD + '[[steps]]\ntitle = "g"\nrepeat = 3\nfor = "1m"\n[[steps.do]]\ntitle = "a"\ntime = 1\n'
    assert only(validate(text)) == '6:1: a group takes "repeat" (a count) or "for" (a time), not both'


def test_for_group_whose_round_is_longer_than_its_time(validate: Callable[[str | bytes], list[str]]) -> None:
    text = HEAD + '[[steps]]\ntitle = "g"\nfor = "1m"\n[[steps.do]]\ntitle = "a"\ntime = "2m"\n'
    assert only(validate(text)) == "5:1: one round of these steps takes 2m, longer than 1m"


def test_for_group_without_any_timed_step(validate: Callable[[str | bytes], list[str]]) -> None:
    text = HEAD + '[[steps]]\ntitle = "g"\nfor = "1m"\n[[steps.do]]\ntitle = "a"\nuntil = "ready"\n'
    assert only(validate(text)) == '5:1: a group timed with "for" needs at least one step with a "time"'


def test_empty_name(validate: Callable[[str | bytes], list[str]]) -> None:
    assert only(validate('name = "  "\nslots = ["morning"]\n' + STEP)) == '1:1: "name" must not be empty'


def test_safety_must_be_a_list_of_strings(validate: Callable[[str | bytes], list[str]]) -> None:
    assert only(validate(HEAD + 'safety = "Hold a chair"\n' + STEP)) == '3:1: "safety" must be a list of strings'


def test_overlong_safety_note(validate: Callable[[str | bytes], list[str]]) -> None:
    assert only(validate(HEAD + 'safety = ["ok", "' + "x" * 2001 + '"]\n' + STEP)) == (
        '3:17: "safety" notes must be at most 2000 characters'
    )


def test_syntax_and_semantic_problems_of_one_file(validate: Callable[[str | bytes], list[str]]) -> None:
    # Syntax comes first: the data of a file that does not parse cannot be checked, and guessing would mislead.
    lines = validate(HEAD + "summary =\n" + '[[steps]]\ntitle = "x"\ntime = -1\n')
    assert lines == ["3:10: missing value after 'summary ='"]


def test_all_semantic_problems_are_reported_not_only_the_first(validate: Callable[[str | bytes], list[str]]) -> None:
    text = (
        'name = "x"\nslots = ["noon"]\nsumary = "s"\n'
        '[[steps]]\ntitle = "a"\ntime = -1\n'
        '[[steps]]\ntitle = "b"\ntime = "5m..1m"\n'
        '[[steps]]\ntitle = "c"\nrepeat = 2\ndo = []\n'
    )
    assert validate(text) == [
        "2:10: unknown slot 'noon': slots are morning, evening, bedtime",
        '3:1: unknown key "sumary" in a routine (did you mean "summary"?)',
        "6:1: time: a duration must be more than zero seconds, not -1",
        "9:1: time: the range '5m..1m' starts after it ends (lower bound is larger than upper)",
        '13:1: "do" is empty: a group needs at least one step',
    ]


# --- routines too big to run ---


def _nested(*repeats: int, leaf: str = 'time = "1s"') -> str:
    text = HEAD
    for depth, count in enumerate(repeats):
        text += f'[[steps{".do" * depth}]]\ntitle = "level {depth}"\nrepeat = {count}\n'
    return text + f'[[steps{".do" * len(repeats)}]]\ntitle = "leaf"\n{leaf}\n'


def test_repeat_that_would_expand_into_millions_of_steps(validate: Callable[[str | bytes], list[str]]) -> None:
    lines = validate(_nested(1000, 1000, leaf='until = "ready"'))
    assert only(lines) == "5:1: the routine would run 1,000,000 steps; at most 100,000 steps are allowed"


def test_nested_repeats_1000_by_1000_of_timed_steps(validate: Callable[[str | bytes], list[str]]) -> None:
    assert validate(_nested(1000, 1000)) == [
        "5:1: the routine would last 277h46m40s, longer than 24 hours",
        "5:1: the routine would run 1,000,000 steps; at most 100,000 steps are allowed",
    ]


def test_nested_repeats_10000_three_deep_are_rejected_by_arithmetic() -> None:
    # 10^12 steps: were the loader to expand them it would never return, so getting the problem back proves it did not.
    from coach.common.problems import ProblemsError
    from coach.routines.loader import load_routine_bytes

    with pytest.raises(ProblemsError) as caught:
        load_routine_bytes(_nested(10_000, 10_000, 10_000, leaf='until = "ready"').encode(), "deep.toml")
    assert [str(p) for p in caught.value.problems] == [
        "deep.toml:5:1: the routine would run more than a billion steps; at most 100,000 steps are allowed"
    ]


def test_for_group_of_one_second_steps_for_a_whole_day_is_allowed(
    validate: Callable[[str | bytes], list[str]],
) -> None:
    # 86,400 rounds of one step: long, but within the limit on steps and on time.
    assert validate(HEAD + '[[steps]]\ntitle = "g"\nfor = "24h"\n[[steps.do]]\ntitle = "a"\ntime = "1s"\n') == []


def test_groups_nested_too_deep(validate: Callable[[str | bytes], list[str]]) -> None:
    lines = validate(_nested(*([1] * 40)))
    assert only(lines).endswith(": groups are nested more than 16 deep")
    assert only(lines).startswith("51:1:")


# --- names are data, not markup ---


@pytest.mark.parametrize(
    "name",
    ["[bold]Toe[/bold] exercises", "a [/ broken tag", "\u001b[31mred\u001b[0m", "[link=file:///etc]x[/link]", "100%"],
)
def test_markup_and_escape_sequences_in_names_load_unchanged(name: str) -> None:
    import json

    from coach.routines.loader import load_routine_bytes

    quoted = json.dumps(name)  # a TOML basic string: \u001b escapes are the same
    text = f'name = {quoted}\nslots = ["morning"]\n[[steps]]\ntitle = {quoted}\nsay = {quoted}\ntime = "10s"\n'
    routine = load_routine_bytes(text.encode(), "m.toml")
    assert routine.name == name
    assert routine.steps[0].title == name
    assert routine.steps[0].say == name


def test_problem_messages_never_carry_control_characters(validate: Callable[[str | bytes], list[str]]) -> None:
    lines = validate(HEAD + '"bad\\u001b[2Jkey\\nwith newline" = 1\n' + STEP)
    assert only(lines) == '3:1: unknown key "bad\\x1b[2Jkey\\nwith newline" in a routine'
