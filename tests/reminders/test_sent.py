"""The sent log: a reminder claimed once per slot and coach day, even by two runs at the same moment."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from coach.reminders.sent import KEEP_DAYS, SentLog

MONDAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 22, 5, tzinfo=timezone(timedelta(hours=1)))


def test_a_reminder_is_claimed_once_and_released_when_it_could_not_be_shown(tmp_path: Path) -> None:
    log, other_run = SentLog(tmp_path), SentLog(tmp_path)
    assert log.sent(MONDAY) == {}
    assert log.claim(MONDAY, "bedtime", NOW) is True
    assert other_run.claim(MONDAY, "bedtime", NOW) is False  # a second run at the same time sends nothing
    assert log.claim(MONDAY, "evening", NOW) is True
    assert other_run.sent(MONDAY) == {"bedtime": NOW, "evening": NOW}
    assert log.sent(MONDAY + timedelta(days=1)) == {}
    log.release(MONDAY, "bedtime")
    assert other_run.claim(MONDAY, "bedtime", NOW) is True


def test_old_claims_are_pruned_and_a_damaged_one_still_counts_as_sent(tmp_path: Path) -> None:
    log = SentLog(tmp_path)
    old = MONDAY - timedelta(days=KEEP_DAYS + 1)
    log.claim(old, "morning", NOW)
    log.claim(MONDAY - timedelta(days=KEEP_DAYS), "morning", NOW)
    (tmp_path / "reminders" / f"{MONDAY.isoformat()}.morning").write_bytes(b"\xff\x00 not a time")
    log.prune(MONDAY)
    assert sorted(p.name for p in (tmp_path / "reminders").iterdir()) == [
        f"{(MONDAY - timedelta(days=KEEP_DAYS)).isoformat()}.morning",
        f"{MONDAY.isoformat()}.morning",
    ]
    assert log.sent(MONDAY) == {"morning": None}


def test_a_log_that_cannot_be_written_raises(tmp_path: Path) -> None:
    (tmp_path / "reminders").write_text("a file where the folder goes")
    with pytest.raises(OSError):
        SentLog(tmp_path).claim(MONDAY, "bedtime", NOW)
    assert SentLog(tmp_path).sent(MONDAY) == {}
