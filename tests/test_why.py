"""`coach why`: the article's seven causes and two measures, faithful to its numbers."""

from __future__ import annotations

from coach.__main__ import main
from coach.diary.causes import CAUSE_KEYS, CAUSES, MEASURES


def test_seven_causes_and_the_article_numbers(capsys) -> None:
    assert len(CAUSES) == 7
    assert len(set(CAUSE_KEYS)) == 8 and "unknown" in CAUSE_KEYS
    assert main(["why"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    for cause in CAUSES:
        assert cause.title in out
    assert "10 seconds" in out and "10 to 15 minutes" in out
    assert "40 °C" in out and "15 to 20 minutes" in out
    assert "doctor" in out
    assert len(MEASURES) == 2
