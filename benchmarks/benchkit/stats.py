"""Medians, percentiles, ratios and the Markdown results table. Pure logic: no timing, no I/O."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

PASS = "pass"
FAIL = "FAIL"
NOT_AVAILABLE = "n/a"
CONTRAST = "-"


def median(values: Sequence[float]) -> float:
    """The median; raises ValueError on an empty sequence."""
    if not values:
        raise ValueError("median of no values")
    return float(statistics.median(values))


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest value with at least `pct`% of the values at or below it.

    With fewer than 100 values the 99th percentile is the largest one, which is what a "p99 <= 20 ms" target means
    for a run of a few dozen second changes: no change may be off by more.
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 < pct <= 100:
        raise ValueError(f"percentile must be in (0, 100], not {pct}")
    ordered = sorted(values)
    rank = math.ceil(pct / 100 * len(ordered))
    return float(ordered[max(rank, 1) - 1])


def ratio(value: float, baseline: float) -> float:
    """value / baseline; inf when the baseline is zero and the value is not."""
    if baseline == 0:
        return math.inf if value else 1.0
    return value / baseline


def fmt_ratio(value: float | None) -> str:
    """A ratio as `1.07x` (two decimals); `-` when there is none."""
    if value is None or math.isnan(value):
        return "-"
    if math.isinf(value):
        return "infx"
    return f"{value:.2f}x"


def fmt_ms(seconds: float | None) -> str:
    """Seconds shown as whole milliseconds below 10 s (`234 ms`), else as seconds with one decimal."""
    if seconds is None:
        return "-"
    if abs(seconds) < 0.0095:
        return f"{seconds * 1000:.1f} ms"
    if abs(seconds) < 10:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.1f} s"


def fmt_mib(n_bytes: float | None) -> str:
    """Bytes as MiB with one decimal."""
    if n_bytes is None:
        return "-"
    return f"{n_bytes / 2**20:.1f} MiB"


@dataclass
class Row:
    """One line of the results table. `status` is pass, FAIL, n/a (with `note` saying why) or - (a contrast row)."""

    figure: str
    baseline: str = "-"
    coach: str = "-"
    ratio: str = "-"
    target: str = "-"
    status: str = NOT_AVAILABLE
    note: str = ""
    data: dict[str, object] = field(default_factory=dict)

    @classmethod
    def unavailable(cls, figure: str, target: str, reason: str, baseline: str = "-") -> Row:
        """A row whose coach side cannot be measured yet."""
        return cls(figure, baseline=baseline, coach=f"not available yet: {reason}", target=target)


def verdict(ok: bool) -> str:
    """pass or FAIL."""
    return PASS if ok else FAIL


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_table(rows: Sequence[Row]) -> str:
    """The results as a Markdown table: figure | baseline | coach | ratio | target | result."""
    header = ("figure", "baseline (same run)", "coach", "ratio", "target", "result")
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    for row in rows:
        cells = (row.figure, row.baseline, row.coach, row.ratio, row.target, row.status)
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def parse_markdown_table(text: str) -> list[dict[str, str]]:
    """The rows of the first Markdown table in `text`, as {header: cell} (another script's printed results)."""
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    for line in text.splitlines():
        line = line.strip()
        if not (line.startswith("|") and line.endswith("|")):
            if header is not None and rows:
                break
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if header is None:
            header = cells
        elif all(set(cell) <= set(":- ") for cell in cells):
            continue
        else:
            rows.append(dict(zip(header, cells, strict=False)))
    return rows
