"""Median, min and max of repeated measurements."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Summary:
    median: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, values: Iterable[float]) -> Summary | None:
        data = sorted(values)
        if not data:
            return None
        return cls(statistics.median(data), data[0], data[-1], len(data))

    def as_dict(self) -> dict[str, float | int]:
        return {"median": self.median, "min": self.low, "max": self.high, "n": self.n}

    def fmt(self, unit: str = "s", digits: int = 2, scale: float = 1.0) -> str:
        """``1.23 s (1.20–1.31)``; a single run shows no range."""
        med, low, high = self.median * scale, self.low * scale, self.high * scale
        if self.n == 1:
            return f"{med:.{digits}f} {unit}"
        return f"{med:.{digits}f} {unit} ({low:.{digits}f}–{high:.{digits}f})"


def fmt_ms(summary: Summary | None) -> str:
    return "—" if summary is None else summary.fmt("ms", 0, 1000.0)


def fmt_s(summary: Summary | None, digits: int = 2) -> str:
    return "—" if summary is None else summary.fmt("s", digits)


def fmt_mb(summary: Summary | None) -> str:
    return "—" if summary is None else summary.fmt("MB", 0)
