"""Read a TOML file for validation: the data, every syntax problem with its line, and where each key stands.

tomllib gives values but no positions, and stops at the first syntax error. So this module
- reports a syntax error, blanks the line it names and parses again, to report every broken line, not only the first;
- scans a valid text once with a small lenient scanner that records the line and column of every key, array
  item and table header, so a semantic problem found in the data (by key path) is reported where it stands.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach.common.files import MIB, FileRefused, read_regular_file

KeyPath = tuple[str | int, ...]

MAX_SYNTAX_PROBLEMS = 50
MAX_TOML_BYTES = MIB
"""Routine and settings files are a few kilobytes; a larger one is a mistake (or /dev/zero), never read whole."""
_AT_LINE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_AT_END = re.compile(r"\s*\(at end of document\)$")


@dataclass
class TomlDocument:
    """A parsed TOML file: `data` is empty when `problems` holds syntax or encoding problems."""

    path: str
    data: dict[str, Any] = field(default_factory=dict)
    problems: list[Any] = field(default_factory=list)
    text: str = ""
    """The parsed text, scanned for positions only when a problem must be located (a valid file never is)."""
    is_blank: bool = False
    _positions: dict[KeyPath, tuple[int, int]] | None = field(default=None, repr=False, compare=False)

    def locate(self, path: KeyPath) -> tuple[int, int]:
        """Line and column of a key path, or of its nearest enclosing key or table when it is missing."""
        if self._positions is None:
            self._positions = _Scanner(self.text).scan() if self.text else {}
        for end in range(len(path), 0, -1):
            found = self._positions.get(path[:end])
            if found:
                return found
        return (1, 1)

    def problem(self, path: KeyPath, message: str) -> Any:
        """A Problem at the place `path` stands in the file."""
        from coach.common.problems import Problem

        line, col = self.locate(path)
        return Problem(self.path, line, col, message)

    @staticmethod
    def suggest(word: str, choices: Iterable[str]) -> str:
        """' (did you mean "x"?)' for a close misspelling, else ''."""
        import difflib  # only a misspelt file needs it

        close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
        return f' (did you mean "{close[0]}"?)' if close else ""


def printable(text: str, limit: int = 60) -> str:
    """User text for a one-line message: control characters (newlines, terminal escapes) escaped, long text cut."""
    shown = "".join(char if char.isprintable() or char == " " else repr(char)[1:-1] for char in text)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def read_toml(path: Path, shown_as: str | None = None, limit: int = MAX_TOML_BYTES) -> TomlDocument:
    """Read and parse a TOML file; problems (not a regular file, too large, unreadable, binary, not UTF-8, bad
    syntax) are collected, never raised."""
    from coach.common.problems import Problem

    name = shown_as if shown_as is not None else str(path)
    try:
        raw = read_regular_file(path, limit)
    except FileRefused as refused:
        return TomlDocument(name, problems=[Problem(name, 1, 1, refused.reason)])
    except IsADirectoryError:
        return TomlDocument(name, problems=[Problem(name, 1, 1, "this is a folder, not a regular file")])
    except OSError as error:
        return TomlDocument(name, problems=[Problem(name, 1, 1, f"cannot read the file: {error.strerror}")])
    return parse_toml_bytes(raw, name)


def parse_toml_bytes(raw: bytes, name: str) -> TomlDocument:
    """Parse bytes as read from a file named `name` (see read_toml)."""
    from coach.common.problems import Problem

    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        return TomlDocument(name, problems=[Problem(name, line, 1, "this is a binary file, not a TOML text file")])
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return TomlDocument(name, problems=_encoding_problems(raw, name))
    document = TomlDocument(name, is_blank=_is_blank(text))
    problems = _syntax_problems(text, name)
    if problems:
        document.problems = problems
        return document
    document.data = tomllib.loads(text)
    document.text = text
    return document


def _is_blank(text: str) -> bool:
    return all(not line.strip() or line.strip().startswith("#") for line in text.splitlines())


def _encoding_problems(raw: bytes, name: str) -> list[Any]:
    from coach.common.problems import Problem

    problems = []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as error:
            col = len(line[: error.start].decode("utf-8", errors="replace")) + 1
            problems.append(
                Problem(
                    name,
                    number,
                    col,
                    f"this line is not UTF-8 text (byte 0x{line[error.start]:02x}); save the file as UTF-8",
                )
            )
    return problems


def _syntax_problems(text: str, name: str) -> list[Any]:
    """Every syntax error: report one, blank its line, parse again (stops when a line repeats)."""
    from coach.common.problems import Problem

    lines = text.split("\n")
    problems: list[Problem] = []
    seen: set[int] = set()
    while len(problems) < MAX_SYNTAX_PROBLEMS:
        try:
            tomllib.loads("\n".join(lines))
            break
        except tomllib.TOMLDecodeError as error:
            line, col, message = _position(str(error), lines)
            at_end = _AT_END.search(str(error)) is not None
            text = lines[line - 1] if line <= len(lines) else ""
            opened = _opened_before(lines, line)
            if opened and opened[0] not in seen and _left_open(message, opened[2], text, at_end=at_end):
                # The error comes from a bracket or quote left open on an earlier line: report that place and
                # blank what the open value swallowed, rather than one bogus problem for each line after it.
                open_line, open_col, what = opened
                seen.add(open_line)
                problems.append(Problem(name, open_line, open_col, _UNCLOSED[what]))
                last = {"string": open_line, "multiline": line}.get(what, line if at_end else line - 1)
                lines[open_line - 1 : last] = [""] * (last - open_line + 1)
                continue
            if line in seen:
                break
            seen.add(line)
            if "{" in text and not at_end and _opened_before(lines, line + 1) == (line, text.find("{") + 1, "{"):
                # An inline table spread over several lines (TOML 1.1 allows it; Python's reader does not).
                message = "unclosed inline table: an inline table { ... } must end with '}' on the same line"
                problems.append(Problem(name, line, col, message))
                end = next((n for n in range(line, min(len(lines), line + 20)) if "}" in lines[n]), line - 1)
                lines[line - 1 : end + 1] = [""] * (end - line + 2)
                continue
            if message.startswith(("Cannot overwrite", "Cannot declare")) and text.strip():
                col = len(text) - len(text.lstrip()) + 1  # tomllib points past the key; the user looks for the key
            problems.append(Problem(name, line, col, _explain(message, text, at_end=at_end)))
            if line > len(lines):
                break
            # A broken table header becomes a harmless header of its own, so that the keys below it are not
            # reported as duplicates of the table above.
            lines[line - 1] = _BROKEN_HEADER if text.lstrip().startswith("[") and not opened else ""
        except (ValueError, RecursionError) as error:  # a number with thousands of digits; values nested deeply
            long_number = isinstance(error, ValueError)
            line = _line_of(lines, _LONG_NUMBER) if long_number else _most_brackets(lines)
            if line in seen:
                break
            seen.add(line)
            message = "this number is far too long" if long_number else "values are nested too deeply here"
            problems.append(Problem(name, line, 1, message))
            lines[line - 1] = ""
    return sorted(problems, key=lambda p: (p.line, p.col))


_BROKEN_HEADER = '[["coach: a broken table header"]]'
_LONG_NUMBER = re.compile(r"[0-9A-Fa-f_]{1000,}")
_UNCLOSED = {
    "[": "unclosed array: the '[' here is never closed (add ']')",
    "{": "unclosed inline table: the '{' here is never closed (add '}' on the same line)",
    "string": "unclosed string: add the closing quote",
    "multiline": "unclosed string: the triple quote here is never closed, so all the rest is read as text",
}
_STATEMENT = re.compile(r"""^\s*(\[|[A-Za-z0-9_\-"'.]+\s*=)""")


def _line_of(lines: list[str], pattern: re.Pattern[str]) -> int:
    """The first line matching `pattern` (1 when none does)."""
    return next((number for number, line in enumerate(lines, start=1) if pattern.search(line)), 1)


def _most_brackets(lines: list[str]) -> int:
    """The line that opens the most brackets and braces: where values nest too deeply."""
    counts = [line.count("[") + line.count("{") for line in lines]
    return counts.index(max(counts)) + 1


def _left_open(message: str, what: str, line: str, *, at_end: bool) -> bool:
    """Whether tomllib's error on `line` comes from a value left open before it, not from a mistake on it."""
    if what in ("string", "multiline"):
        return at_end or message.startswith(("Unterminated", "Expected \"'"))
    # The file ends, or a new statement starts, where the array should go on or close: its ']' was forgotten.
    return at_end or _STATEMENT.match(line) is not None


def _opened_before(lines: list[str], before: int) -> tuple[int, int, str] | None:
    """What is still open at the start of line `before` (1-based), as (line, col, kind): a string left open
    (kind "string" on one line, "multiline" for a triple-quoted one), else the outermost array "[" or inline table "{".
    A lenient look at the text, used only to explain an error that tomllib found."""
    text = "\n".join(lines[: before - 1])
    stack: list[tuple[int, str]] = []
    found = _SPECIAL.search(text)
    while found:
        i, char = found.start(), found.group()
        if char == "#" or (char == "[" and not stack and not text[text.rfind("\n", 0, i) + 1 : i].strip()):
            end = text.find("\n", i)  # a comment, or a table header: the rest of the line holds no value
            i = len(text) if end < 0 else end
        elif char in "\"'":
            delimiter = char * 3 if text.startswith(char * 3, i) else char
            i = _string_end(text, i + len(delimiter), delimiter)
            if i < 0:
                return (*_where(text, found.start()), "multiline" if len(delimiter) == 3 else "string")
        else:
            if char in "[{":
                stack.append((i, char))
            elif stack:
                stack.pop()
            i += 1
        found = _SPECIAL.search(text, i)
    return (*_where(text, stack[0][0]), stack[0][1]) if stack else None


_SPECIAL = re.compile(r"[#\[\]{}\"']")


def _string_end(text: str, i: int, delimiter: str) -> int:
    """The index just after the string's closing delimiter, or -1 when it is never closed."""
    ending = _STRING_ENDS[delimiter]
    while found := ending.search(text, i):
        if found.group() == "\n":
            return -1
        if found.group() == delimiter:
            return found.end()
        i = found.end()  # an escaped character, skipped
    return -1


_STRING_ENDS = {
    '"': re.compile(r'\\[^\n]|"|\n'),
    "'": re.compile(r"'|\n"),
    '"""': re.compile(r'\\.|"""', re.DOTALL),
    "'''": re.compile(r"'''"),
}


def _where(text: str, i: int) -> tuple[int, int]:
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


def _position(message: str, lines: list[str]) -> tuple[int, int, str]:
    match = _AT_LINE.search(message)
    if match:
        return int(match[1]), int(match[2]), message[: match.start()]
    match = _AT_END.search(message)
    bare = message[: match.start()] if match else message
    last = len(lines)
    while last > 1 and not lines[last - 1].strip():
        last -= 1
    return last, max(1, len(lines[last - 1].rstrip()) + 1 if lines else 1), bare


def _explain(message: str, line: str, *, at_end: bool = False) -> str:
    """tomllib's terse messages in words a routine writer understands."""
    stripped = line.strip()
    key = stripped.split("=", 1)[0].strip()
    if message == "Invalid value" and stripped.endswith("="):
        return f"missing value after '{printable(key)} ='"
    if message.startswith("Cannot overwrite a value"):
        return f"duplicate key: '{printable(key)}' is already set above"
    if message.startswith("Cannot declare") and "twice" in message:
        return f"table {printable(stripped)} is declared twice"
    if message.startswith("Unterminated string") or message == "Illegal character '\\n'":
        return "unclosed string: add the closing quote"
    if message == "Invalid value" and at_end:
        return "the file ends inside a value: is a bracket, brace or quote left open?"
    if message == "Invalid value" and not at_end:
        return 'invalid value: write text in quotes, e.g. "...", a number, or true/false'
    if message == "Unclosed array":
        return "expected ',' or ']' here: is a comma missing between two items?"
    if message.startswith("Expected '=' after a key"):
        return f"expected 'key = value' here, found {stripped[:40]!r}"
    return f"invalid TOML: {message[:1].lower()}{message[1:]}"


class _Scanner:
    """Records the line and column of each key, array item and table header of a valid TOML text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.line = 1
        self.line_start = 0
        self.positions: dict[KeyPath, tuple[int, int]] = {(): (1, 1)}
        self.array_tables: dict[KeyPath, int] = {}

    def scan(self) -> dict[KeyPath, tuple[int, int]]:
        table: KeyPath = ()
        while True:
            self._skip(newlines=True)
            if self.i >= len(self.text):
                return self.positions
            here = self._here()
            if self.text.startswith("[[", self.i):
                self.i += 2
                table = self._resolve(self._key(), array=True)
                self.positions.setdefault(table, here)
                self._to_line_end()
            elif self.text[self.i] == "[":
                self.i += 1
                table = self._resolve(self._key(), array=False)
                self.positions.setdefault(table, here)
                self._to_line_end()
            else:
                self._pair(table)
                self._to_line_end()

    def _here(self) -> tuple[int, int]:
        return self.line, self.i - self.line_start + 1

    def _resolve(self, parts: list[str], *, array: bool) -> KeyPath:
        resolved: KeyPath = ()
        for index, part in enumerate(parts):
            resolved += (part,)
            last = index == len(parts) - 1
            if last and array:
                self.array_tables[resolved] = self.array_tables.get(resolved, 0) + 1
            if resolved in self.array_tables:
                resolved += (self.array_tables[resolved] - 1,)
        return resolved

    def _pair(self, table: KeyPath) -> None:
        here = self._here()
        path = table + tuple(self._key())
        self.positions.setdefault(path, here)
        self._skip()
        if self.i < len(self.text) and self.text[self.i] == "=":
            self.i += 1
        self._value(path)

    def _value(self, path: KeyPath) -> None:
        self._skip()
        if self.i >= len(self.text):
            return
        char = self.text[self.i]
        if char == "{":
            self.i += 1
            while True:
                self._skip(newlines=True)
                if self.i >= len(self.text) or self.text[self.i] == "}":
                    self.i += 1
                    return
                if self.text[self.i] == ",":
                    self.i += 1
                    continue
                self._pair(path)
        elif char == "[":
            self.i += 1
            index = 0
            while True:
                self._skip(newlines=True)
                if self.i >= len(self.text) or self.text[self.i] == "]":
                    self.i += 1
                    return
                if self.text[self.i] == ",":
                    self.i += 1
                    continue
                self.positions.setdefault(path + (index,), self._here())
                self._value(path + (index,))
                index += 1
        elif char in "\"'":
            self._string()
        else:
            while self.i < len(self.text) and self.text[self.i] not in ",]}\n#":
                self.i += 1

    def _key(self) -> list[str]:
        parts: list[str] = []
        while True:
            self._skip()
            if self.i < len(self.text) and self.text[self.i] in "\"'":
                start = self.i
                self._string()
                parts.append(tomllib.loads(f"k = {self.text[start : self.i]}")["k"])
            else:
                start = self.i
                while self.i < len(self.text) and (self.text[self.i].isalnum() or self.text[self.i] in "_-"):
                    self.i += 1
                parts.append(self.text[start : self.i])
            self._skip()
            if self.i < len(self.text) and self.text[self.i] == ".":
                self.i += 1
                continue
            return parts

    def _string(self) -> None:
        quote = self.text[self.i]
        triple = self.text.startswith(quote * 3, self.i)
        delimiter = quote * 3 if triple else quote
        self.i += len(delimiter)
        while self.i < len(self.text):
            if quote == '"' and self.text[self.i] == "\\":
                self.i += 2
                continue
            if self.text.startswith(delimiter, self.i):
                self.i += len(delimiter)
                while triple and self.i < len(self.text) and self.text[self.i] == quote:
                    self.i += 1  # a closing """" holds a quote before the delimiter
                return
            if self.text[self.i] == "\n":
                self._newline()
            self.i += 1

    def _newline(self) -> None:
        self.line += 1
        self.line_start = self.i + 1

    def _skip(self, *, newlines: bool = False) -> None:
        while self.i < len(self.text):
            char = self.text[self.i]
            if char in " \t\r":
                self.i += 1
            elif char == "#":
                while self.i < len(self.text) and self.text[self.i] != "\n":
                    self.i += 1
            elif char == "\n" and newlines:
                self._newline()
                self.i += 1
            else:
                return

    def _to_line_end(self) -> None:
        while self.i < len(self.text) and self.text[self.i] != "\n":
            if self.text[self.i] in "\"'":
                self._string()
                continue
            self.i += 1
