"""Imports inside functions stay few (issue 12, item 2): at the top of the module, except at measured boundaries.

The boundaries (docs/performance.md): textual before the UI, rich for printing, the store before the app's first
frame, tomllib when the routine cache misses. `coach/cli/` and `coach/__main__.py` defer freely: each command
imports only what it runs. Everywhere else the whole package may hold at most `LIMIT` function-level imports.
"""

from __future__ import annotations

import ast
from pathlib import Path

import coach

LIMIT = 40
"""Function-level imports allowed outside coach/cli/ and coach/__main__.py (issue 12 asks for at most ~40)."""
PACKAGE = Path(coach.__file__).parent
EXEMPT = ("cli/", "__main__.py")


def function_imports(source: str) -> list[tuple[int, str]]:
    """(line, module) of every import statement inside a function body (methods and nested functions too).

    Imports under `if TYPE_CHECKING:` at module level are not in a function, so they are not counted."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if in_function and isinstance(child, ast.Import):
                found.extend((child.lineno, alias.name) for alias in child.names)
            elif in_function and isinstance(child, ast.ImportFrom):
                found.append((child.lineno, "." * child.level + (child.module or "")))
            visit(child, inside)

    visit(ast.parse(source), False)
    return found


def deferred_imports(package: Path = PACKAGE) -> list[str]:
    """Every counted function-level import in the package, as "path:line module"."""
    places = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        if relative.startswith(EXEMPT):
            continue
        places += [f"{relative}:{line} {module}" for line, module in function_imports(path.read_text("utf-8"))]
    return places


def test_function_level_imports_stay_under_the_limit() -> None:
    places = deferred_imports()
    listing = "\n".join(places)
    assert len(places) <= LIMIT, f"{len(places)} imports inside functions (at most {LIMIT}); move them up:\n{listing}"


def test_the_count_sees_methods_nested_functions_and_every_name() -> None:
    source = (
        "import os\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    import sqlite3\n"
        "def f():\n"
        "    import json, csv\n"
        "    def g():\n"
        "        from . import x\n"
        "class C:\n"
        "    async def m(self):\n"
        "        from textual.app import App\n"
    )
    assert function_imports(source) == [(6, "json"), (6, "csv"), (8, "."), (11, "textual.app")]


def test_the_limit_fails_with_the_places_listed(tmp_path: Path) -> None:
    """Over the limit, the check fails and says where (the check cannot pass by construction)."""
    (tmp_path / "cli").mkdir()
    (tmp_path / "cli" / "x_cmd.py").write_text("def run():\n    import json\n", "utf-8")
    body = "".join(f"def f{n}():\n    import json\n" for n in range(LIMIT + 1))
    (tmp_path / "many.py").write_text(body, "utf-8")
    places = deferred_imports(tmp_path)
    assert len(places) == LIMIT + 1  # the cli/ module is not counted
    assert places[0] == "many.py:2 json"
