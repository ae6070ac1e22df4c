"""Constants and small types shared by the routine tests (conftest.py holds the fixtures)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "routines"

VALID = """\
name = "Test routine"
slots = ["morning"]

[[steps]]
title = "Stand"
time = "10s"
"""


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()
