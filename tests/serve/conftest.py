"""A `coach serve` for the tests of a module, on a free port with its own folders; stopped (Ctrl+C) after them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from serve_helpers import Served


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    server = Served(tmp_path_factory.mktemp("serve"))
    try:
        yield server
    finally:
        server.stop()
